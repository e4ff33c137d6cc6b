"""``train`` on bad input: a clear error naming the argument, divergence caught, Ctrl-C clean.

The table :data:`BAD` holds one row per bad argument or corpus: every row must end in a
``ValueError`` or ``TypeError`` whose message matches the row's pattern (the argument's
name, the sentence and position of a bad token, ...).  :data:`EDGE` holds valid but
unusual inputs that must train to finite vectors.
"""
from __future__ import annotations

import _thread
import math
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import lessons
from lessons.data.corpus import Vocabulary
from lessons.data.datasets import text8
from lessons.data.toylang import toy_sentences
from lessons.models import word2vec as w2v
from lessons.models.fasttext import train_fasttext
from lessons.models.word2vec import TrainingDiverged, kernels, train
from lessons.models.word2vec.history import (END_FACTOR, MAX_ABS_WEIGHT, SPIKE_FACTOR,
                                             WATCH_EXAMPLES, LossWatch, TrainingHistory)

LIBRARY = Path(lessons.__file__).parent
TOY = toy_sentences(2000, seed=0)  # 2,000 sentences, 6,938 tokens, 117 words
FAST = dict(dim=16, epochs=2, min_count=1, subsample=0)
ELEVEN = [[f"w{i}" for i in range(11)]]  # one sentence of 11 distinct words


def _with(sentences, at, item):
    """TOY's first ``at`` sentences, then ``item``, then the rest."""
    return list(sentences[:at]) + [item] + list(sentences[at:])


# (id, corpus factory, train kwargs, regex the message must match)
BAD = [
    # --- the corpus ---
    ("corpus-int", lambda: 5, {}, r"corpus.*int"),
    ("corpus-None", lambda: None, {}, r"corpus.*(None|neither)"),
    ("corpus-empty-list", lambda: [], {}, r"corpus is empty"),
    ("corpus-empty-sentence", lambda: [[]], {}, r"corpus is empty"),
    ("corpus-empty-iterator", lambda: iter([]), {}, r"corpus is empty"),
    ("token-None", lambda: _with(TOY, 3, ["a", None, "b"]), FAST,
     r"sentence 3, position 1.*None"),
    ("sentence-None", lambda: _with(TOY, 5, None), FAST, r"sentence 5.*None"),
    ("sentence-int", lambda: _with(TOY, 5, 7), FAST, r"sentence 5.*int"),
    ("token-int", lambda: [[1, 2, 3]] * 3, FAST, r"sentence 0, position 0.*int"),
    ("token-bytes", lambda: [[b"a", b"b"]] * 5, FAST, r"sentence 0, position 0.*bytes"),
    ("token-list", lambda: [["a", ["b"], "c"]] * 3, FAST, r"sentence 0, position 1.*list"),
    ("token-nan", lambda: [["a", float("nan")]] * 3, FAST, r"sentence 0, position 1.*float"),
    ("stream-None", lambda: ["a", "b", None, "c"] * 3, FAST, r"position 2.*None"),
    ("stream-mixed", lambda: ["a", ["b", "c"]], FAST, r"token stream.*position 1.*list"),
    ("sentences-then-str", lambda: [["b", "c"], "a"], FAST, r"mixes strings and sentences"),
    ("array-float", lambda: np.zeros((3, 3)), FAST, r"sentence 0, position 0.*float"),
    ("below-min_count", lambda: [["a", "b", "c"]], dict(min_count=5), r"min_count=5.*lower"),
    ("no-example-subsample", lambda: ELEVEN, dict(min_count=1, seed=9),
     r"no training example.*subsample"),
    ("no-example-tiny-subsample", lambda: TOY, dict(min_count=1, subsample=1e-20, epochs=1),
     r"no training example.*subsample"),
    ("no-example-one-word-sentences", lambda: [["a"], ["b"]] * 50, FAST,
     r"no training example.*two in-vocabulary"),
    ("vocabulary-misses-corpus", lambda: [["x", "y"]] * 10,
     dict(FAST, vocabulary=Vocabulary.from_corpus([["a", "b"]])), r"no token in the vocabulary"),
    # --- the settings ---
    *[(f"dim={v!r}", lambda: TOY, dict(FAST, dim=v), r"dim") for v in
      (0, -3, 2.5, "10", None, True, float("nan"))],
    ("dim-too-big", lambda: TOY, dict(FAST, dim=10**12), r"dim=.*memory"),
    *[(f"window={v!r}", lambda: TOY, dict(FAST, window=v), r"window") for v in
      (0, 10**30, 1.5, "5", None)],
    *[(f"negative={v!r}", lambda: TOY, dict(FAST, negative=v), r"negative") for v in
      (0, -1, 10**6, 2.0, None)],
    *[(f"noise_exponent={v!r}", lambda: TOY, dict(FAST, noise_exponent=v), r"noise_exponent")
      for v in (200, -200, float("nan"), float("inf"), "0.75", None, 1e308)],
    *[(f"subsample={v!r}", lambda: TOY, dict(FAST, subsample=v), r"subsample") for v in
      (-1, float("nan"), float("inf"), "1e-3", None, 2.0, 1e-310)],
    *[(f"min_count={v!r}", lambda: TOY, dict(FAST, min_count=v), r"min_count") for v in
      (0, -1, 1.5, None, "5", 10**30)],
    *[(f"max_vocab={v!r}", lambda: TOY, dict(FAST, max_vocab=v), r"max_vocab") for v in
      (0, -5, 2.5, "10")],
    *[(f"epochs={v!r}", lambda: TOY, dict(FAST, epochs=v), r"epochs") for v in
      (0, -1, 1.5, None, 10**12)],
    *[(f"learning_rate={v!r}", lambda: TOY, dict(FAST, learning_rate=v), r"learning_rate")
      for v in (0, -0.1, float("nan"), float("inf"), "0.1", True, 1e308)],
    ("learning_rate-diverges", lambda: TOY, dict(FAST, learning_rate=1e38),
     r"diverged in epoch 1.*learning_rate="),
    *[(f"min_learning_rate={v!r}", lambda: TOY, dict(FAST, min_learning_rate=v),
       r"min_learning_rate") for v in (float("nan"), -1, "x", 1.0)],
    *[(f"workers={v!r}", lambda: TOY, dict(FAST, workers=v), r"workers") for v in
      (0, -1, 1.5, None, 10**9)],
    *[(f"seed={v!r}", lambda: TOY, dict(FAST, seed=v), r"seed") for v in
      (-1, 1.5, "0", None, float("nan"))],
    *[(f"model={v!r}", lambda: TOY, dict(FAST, model=v), r"model") for v in
      ("glove", None, 5, ["cbow"], np.array(["cbow"]))],
    ("progress='no'", lambda: TOY, dict(FAST, progress="no"), r"progress"),
    *[(f"vocabulary={v!r}", lambda: TOY, dict(FAST, vocabulary=v), r"vocabulary") for v in
      (["a"], "abc")],
    *[(f"on_epoch_end={v!r}", lambda: TOY, dict(FAST, on_epoch_end=v), r"on_epoch_end") for v in
      (3, "f")],
    ("unknown-keyword", lambda: TOY, dict(FAST, dims=10), r"dims"),
]

# (id, corpus factory, train kwargs): unusual but valid, must train to finite vectors.
EDGE = [
    ("numpy-ints", lambda: TOY, dict(FAST, dim=np.int64(8), window=np.int32(2),
                                     seed=np.uint64(3), epochs=np.int16(1))),
    ("numpy-floats", lambda: TOY, dict(FAST, learning_rate=np.float32(0.05),
                                       noise_exponent=np.float64(0.5))),
    ("generator-sentences", lambda: (list(s) for s in TOY), FAST),
    ("tuple-sentences", lambda: [tuple(s) for s in TOY], FAST),
    ("generator-tokens", lambda: [iter(s) for s in TOY], FAST),
    ("str-array-stream", lambda: np.array(sum(TOY, [])), FAST),
    ("whitespace-str", lambda: " ".join(sum(TOY[:50], [])), FAST),
    ("uniform-noise", lambda: TOY, dict(FAST, noise_exponent=0.0)),
    ("negative-noise-exponent", lambda: TOY, dict(FAST, noise_exponent=-1.0)),
    ("largest-noise-exponent", lambda: TOY, dict(FAST, noise_exponent=10.0)),
    ("subsample-one", lambda: TOY, dict(FAST, subsample=1.0)),
    ("cbow", lambda: TOY, dict(FAST, model="cbow")),
    ("two-workers", lambda: TOY, dict(FAST, workers=2)),
    ("min_learning_rate-zero", lambda: TOY, dict(FAST, min_learning_rate=0.0)),
    ("tiny-learning_rate", lambda: TOY, dict(FAST, learning_rate=1e-300)),
    ("max_vocab-huge", lambda: TOY, dict(FAST, max_vocab=10**30)),
    ("seed-huge", lambda: TOY, dict(FAST, seed=2**100)),
]


@pytest.mark.parametrize("make_corpus, kwargs, pattern",
                         [row[1:] for row in BAD], ids=[row[0] for row in BAD])
def test_bad_input_gets_a_clear_error(make_corpus, kwargs, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern) as info:
        train(make_corpus(), **kwargs)
    if "dims" not in kwargs:  # raised by lessons itself, not deep in numpy or Python
        assert info.traceback[-1].path.is_relative_to(LIBRARY)


@pytest.mark.parametrize("make_corpus, kwargs", [row[1:] for row in EDGE],
                         ids=[row[0] for row in EDGE])
def test_unusual_but_valid_input_trains(make_corpus, kwargs):
    emb = train(make_corpus(), **kwargs)
    assert np.isfinite(emb.vectors).all() and np.isfinite(emb.context_vectors).all()
    assert sum(emb.history.examples) > 0


def test_one_shot_corpora_train_as_their_lists():
    """check_corpus reads one-shot sentences into lists: same vectors as from the lists."""
    expected = train(TOY, **FAST).vectors
    for corpus in ((list(s) for s in TOY), [iter(s) for s in TOY], [tuple(s) for s in TOY]):
        np.testing.assert_array_equal(train(corpus, **FAST).vectors, expected)


def test_type_errors_are_also_value_errors():
    with pytest.raises(TypeError, match="corpus"):
        train(5)
    with pytest.raises(TypeError, match="dim"):
        train(TOY, dim="10")
    with pytest.raises(ValueError, match="dim"):  # what train always raised
        train(TOY, dim="10")


# --- divergence ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_divergence_stops_with_epoch_and_a_learning_rate_to_try(model):
    with pytest.raises(TrainingDiverged, match=r"epoch 1: .*try learning_rate=1\.25 "
                                               r"\(a quarter of 5\)") as info:
        train(TOY, model=model, learning_rate=5.0, **FAST)
    assert info.value.epoch == 1 and info.value.suggested_learning_rate == 1.25


def test_loss_watch_pools_chunks_and_reads_the_weights():
    watch = LossWatch(negative=5, learning_rate=0.1)  # start level 6 ln 2 = 4.16
    limit = SPIKE_FACTOR * 6 * math.log(2)
    watch.add_chunk(0, loss=1e300, examples=10)  # 10 examples are too few to judge...
    with pytest.raises(TrainingDiverged, match="epoch 2: the loss per example rose to 1e\\+297"):
        watch.add_chunk(1, loss=limit * (WATCH_EXAMPLES - 10), examples=WATCH_EXAMPLES - 10)
    watch.add_chunk(0, loss=0.999 * limit * WATCH_EXAMPLES, examples=WATCH_EXAMPLES)  # just below
    with pytest.raises(TrainingDiverged, match="epoch 1: the loss became nan"):
        watch.add_chunk(0, loss=float("nan"), examples=1)
    fine = np.full((3, 4), MAX_ABS_WEIGHT, dtype=np.float32)
    watch.check_weights(0, fine, -fine)
    for bad, what in [(2 * MAX_ABS_WEIGHT, "reached 2e\\+05"), (np.nan, "non-finite"),
                      (-np.inf, "non-finite")]:
        m = fine.copy()
        m[1, 2] = bad
        with pytest.raises(TrainingDiverged, match=what):
            watch.check_weights(0, fine, m)


def test_loss_watch_judges_where_the_run_ends():
    """A spike that recovers is fine (high learning rates do that); ending far above the
    starting level is not."""
    watch = LossWatch(negative=5, learning_rate=0.5)
    start = 6 * math.log(2)
    history = TrainingHistory()
    for mean in (1.0, 1000.0, END_FACTOR, 2.1 * END_FACTOR):
        watch.add_chunk(len(history.loss), loss=mean * start * 2000, examples=2000)
        history.record(loss=mean * start * 2000, examples=2000, words=1, learning_rate=0.5,
                       elapsed_s=1.0)
        if mean < 2 * END_FACTOR:
            watch.check_end(history)
    with pytest.raises(TrainingDiverged, match=r"epoch 4: the last epoch's loss per example is "
                                               r"17.5, 4.2 times .* peaked at 1e\+03 times"):
        watch.check_end(history)


def test_toy_language_at_the_explorer_s_highest_learning_rate_does_not_stop():
    """The explorer's slider goes up to 0.5: its loss spikes above 10 times the start and
    recovers (every planted analogy right); that is not divergence."""
    from lessons.book.chapters import explorer

    emb = explorer.retrain(learning_rate=0.5)
    assert np.isfinite(emb.vectors).all()
    assert emb.history.mean_loss[-1] < 0.5 * (explorer.DEFAULTS["negative"] + 1) * math.log(2)


def test_diverging_text8_run_is_stopped_and_the_default_is_not(real_data_dir, monkeypatch):
    """The issue's case: skip-gram on 200,000 words of text8 at learning_rate=0.5 (and CBOW,
    whose vectors stayed finite with a loss of 1e10 per example) must stop; the defaults not."""
    monkeypatch.setenv("LESSONS_DATA_DIR", str(real_data_dir))
    words = text8(max_words=200_000)
    for model in ("skipgram", "cbow"):
        with pytest.raises(TrainingDiverged, match="epoch [12]: .*learning_rate=0.125"):
            train(words, model=model, learning_rate=0.5, epochs=2)
    emb = train(words, epochs=1)
    assert emb.history.mean_loss[0] < (5 + 1) * math.log(2)


# --- corpora with no training example ------------------------------------------------------


def test_no_example_message_counts_what_subsampling_kept():
    with pytest.raises(ValueError, match=r"kept \d+ of the 55 tokens read in 5 epoch\(s\), never "
                                         r"two in one sentence.*use subsample=0"):
        train(ELEVEN, min_count=1, seed=9)
    assert sum(train(ELEVEN, min_count=1, subsample=0).history.examples) > 0  # the fix works


def test_no_example_message_names_min_count():
    with pytest.raises(ValueError, match=r"no sentence holds two in-vocabulary words.*"
                                         r"min_count=200.*lower min_count"):
        train(TOY, dim=8, epochs=1, min_count=200)  # only "the" is that frequent


# --- stopping: the kernels' flag, Ctrl-C ----------------------------------------------------


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_kernel_stop_flag(model):
    """A raised stop flag makes the kernel return before its first word; a lowered one
    changes nothing."""
    vocab = Vocabulary.from_corpus(TOY)
    tokens, starts = w2v.prepare_corpus(TOY, vocab)
    threshold, alias = w2v.alias_table(vocab.counts, 0.75)
    kernel = kernels.KERNELS[model]
    outputs = []
    for stop in (None, np.zeros(1, np.uint8), np.ones(1, np.uint8)):
        vectors, context = w2v.initial_vectors(len(vocab), 8, seed=1)
        args = (vectors, context, tokens, starts, 0, len(starts) - 1,
                w2v.keep_thresholds(vocab.counts, 0.0), w2v.packed_alias_table(threshold, alias),
                w2v.SIGMOID_TABLE,
                w2v.LOG_SIGMOID_TABLE, 3, 4, np.uint64(99), 0.05, 0.0001, 0, len(tokens))
        result = kernel(*args) if stop is None else kernel(*args, stop)
        outputs.append((vectors, context, result))
    (v0, c0, r0), (v1, c1, r1), (_, c2, r2) = outputs
    assert r0 == r1 and r0[1] > 0
    np.testing.assert_array_equal(v0, v1)
    np.testing.assert_array_equal(c0, c1)
    assert r2[1] == 0 and not c2.any()  # stopped before the first example


@pytest.fixture
def python_sigint_handler():
    """Python's own SIGINT handler (raise KeyboardInterrupt) for the test, restored after.

    A job that a script starts in the background inherits SIGINT ignored (``SIG_IGN``);
    then neither ``_thread.interrupt_main`` nor a real SIGINT reaches Python, and a
    Ctrl-C test would fail for a reason that is not the trainer's.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _word2vec_threads():
    return [t for t in threading.enumerate() if t.name.startswith("word2vec")]


def _interrupted(after_s, corpus, *, signal_main=False, trainer=train, **kwargs):
    """Start ``trainer`` and Ctrl-C it after ``after_s`` seconds; returns the error and the
    seconds from the Ctrl-C to the return.

    The Ctrl-C is ``_thread.interrupt_main`` (how ipykernel's stop button arrives: a flag
    the main thread sees when it next runs Python) or a real SIGINT to the main thread.
    """
    fired = []

    def ctrl_c():
        fired.append(time.perf_counter())
        if signal_main:
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        else:
            _thread.interrupt_main()

    timer = threading.Timer(after_s, ctrl_c)
    try:
        timer.start()
        trainer(corpus, **kwargs)
    except KeyboardInterrupt as err:
        return err, time.perf_counter() - fired[0]
    finally:
        timer.cancel()
    pytest.fail("training ended before the interrupt")


@pytest.mark.usefixtures("python_sigint_handler")
@pytest.mark.parametrize("workers, signal_main", [(1, False), (2, False), (2, True)])
def test_ctrl_c_stops_every_thread_within_a_second(workers, signal_main):
    """Chunks here take seconds each (10,000-token sentences, window 10, 300 noise words), so
    only the kernels' stop flag, not the end of a chunk, can stop them in time."""
    stream = sum(TOY, []) * 6  # 41,628 tokens: five chunks
    settings = dict(dim=200, window=10, negative=300, min_count=1, subsample=0, epochs=5,
                    workers=workers)
    train(TOY[:50], **FAST)  # load the compiled kernels before the clock starts
    err, stop_s = _interrupted(1.0, stream, signal_main=signal_main, **settings)
    assert "interrupted in epoch 1 of 5" in str(err)
    assert stop_s < 1.5
    assert not _word2vec_threads()
    emb = train(TOY, **FAST)  # the process is still usable
    assert np.isfinite(emb.vectors).all()


@pytest.mark.usefixtures("python_sigint_handler")
def test_ctrl_c_stops_every_fasttext_thread_too():
    """fastText's trainer runs on word2vec's driver, so its kernel has the stop flag too."""
    stream = sum(TOY, []) * 6
    settings = dict(dim=200, window=10, negative=300, min_count=1, subsample=0, epochs=5,
                    workers=2, buckets=1000)
    train_fasttext(TOY[:50], dim=8, epochs=1, min_count=1, buckets=100)  # compile first
    err, stop_s = _interrupted(1.0, stream, trainer=train_fasttext, **settings)
    assert "interrupted in epoch 1 of 5" in str(err)
    assert stop_s < 1.5
    assert not [t for t in threading.enumerate() if t.name.startswith("fasttext")]


def test_fasttext_divergence_names_the_epoch_and_a_learning_rate():
    with pytest.raises(TrainingDiverged, match=r"diverged in epoch 1.*learning_rate="):
        train_fasttext(TOY, dim=8, epochs=2, min_count=1, buckets=100, learning_rate=1e38)
