"""The numba word2vec trainer: kernels, determinism, corpus forms, history and bad input."""
import dataclasses
import hashlib
import inspect
import math
import os
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from lessons import checks
from lessons.models import word2vec as w2v
from lessons.data.corpus import Vocabulary
from lessons.data.toylang import planted_analogies, toy_sentences
from lessons.models.word2vec import LCG, TrainingHistory, learning_rate_at, train
from lessons.models.word2vec import kernel_steps, kernels, simd
from lessons.models.word2vec.settings import Settings, validate
from tests.references import analogy_accuracy

TOY = toy_sentences(2000, seed=0)
FAST = dict(dim=16, epochs=2, min_count=1, subsample=0)


# --- small pieces against their definitions --------------------------------------------


def test_lcg_is_word2vec_c_generator():
    rng = LCG(1)
    assert rng.next() == (1 * 25214903917 + 11) >> 32
    state = 1 * 25214903917 + 11
    state = (state * 25214903917 + 11) % 2**64
    assert rng.next() == state >> 32


def test_dot_kernel_matches_python_and_float64():
    rng = np.random.default_rng(0)
    for d in (1, 7, 8, 13, 100):
        x, y = rng.normal(size=(2, d)).astype(np.float32)
        fast = simd.dot(x[None], 0, y[None], 0, d)
        slow = simd.dot.py_func(x[None], 0, y[None], 0, d)
        assert fast == slow  # same float32 operations in the same order
        assert fast == pytest.approx(float(x.astype(np.float64) @ y), rel=1e-5, abs=1e-5)


def test_gradient_and_loss_kernel():
    alpha = np.float32(0.5)
    for f in (-50.0, -6.0, -5.99, -1.0, 0.0, 0.37, 5.999, 6.0, 80.0, np.nan):
        for label in (np.float32(0.0), np.float32(1.0)):
            f32 = np.float32(f)
            g, loss = kernel_steps.gradient_and_loss(f32, label, alpha, w2v.SIGMOID_TABLE,
                                                 w2v.LOG_SIGMOID_TABLE)
            g2, loss2 = kernel_steps.gradient_and_loss.py_func(f32, label, alpha, w2v.SIGMOID_TABLE,
                                                           w2v.LOG_SIGMOID_TABLE)
            assert g == g2 and (loss == loss2 or (np.isnan(loss) and np.isnan(loss2)))
            if np.isnan(f):
                continue
            exact_sigmoid = 1 / (1 + math.exp(-f))
            exact_loss = math.log1p(math.exp(-f)) if label else math.log1p(math.exp(f))
            assert g == pytest.approx(alpha * (float(label) - exact_sigmoid), abs=0.5 * 0.004)
            assert loss == pytest.approx(exact_loss, abs=0.01)


def test_alias_table_samples_the_noise_distribution():
    counts = np.array([1000, 300, 50, 7, 1], dtype=np.int64)
    threshold, alias = w2v.alias_table(counts, 0.75)
    state = np.uint64(12345)
    draws = np.zeros(len(counts), dtype=np.int64)
    with np.errstate(over="ignore"):
        for _ in range(40_000):
            word, state = kernel_steps.noise_word(
                np.uint64(state), np.uint64(len(counts)), w2v.packed_alias_table(threshold, alias))
            draws[word] += 1
    expected = counts**0.75 / (counts**0.75).sum()
    np.testing.assert_allclose(draws / draws.sum(), expected, atol=0.01)
    # exponent 0 is uniform; the table then never needs an alias
    threshold0, _ = w2v.alias_table(counts, 0.0)
    assert (threshold0 == 2**32).all()


def test_keep_thresholds_is_word2vec_c_formula():
    """word2vec.c keeps a token with ``ran = (sqrt(c / (t N)) + 1) * (t N) / c`` (capped at 1).

    Worked by hand for t = 1e-4 and N = 1,000,000 tokens, so t N = 100 and x = c / 100:
    c = 10000: (sqrt(100) + 1) / 100 = 0.11;   c = 2500: (sqrt(25) + 1) / 25 = 0.24;
    c = 400: (sqrt(4) + 1) / 4 = 0.75;         c = 270: (sqrt(2.7) + 1) / 2.7 = 0.978951;
    c = 260: (sqrt(2.6) + 1) / 2.6 = 1.005 -> 1;  c = 100: (1 + 1) / 1 = 2 -> 1.
    (The paper's discard probability 1 - sqrt(t / f) would keep 0.1, 0.2, 0.5, 0.609, 0.620, 1.)
    """
    counts = np.array([10_000, 2500, 400, 270, 260, 100, 986_470])  # N = 1,000,000
    keep = w2v.keep_thresholds(counts, 1e-4) / 2**32  # (7,)
    np.testing.assert_allclose(keep[:6], [0.11, 0.24, 0.75, 0.978951, 1.0, 1.0], atol=1e-6)
    assert (w2v.keep_thresholds(counts, 0) == 2**32).all()  # subsample=0 keeps everything


def test_keep_thresholds_properties():
    """keep = (sqrt(x) + 1) / x with x = f / t: always kept iff x <= golden ratio**2 = 2.618,
    and keep ~ sqrt(t / f) for very frequent words."""
    t, n = 1e-4, 1_000_000  # t N = 100 tokens
    counts = np.arange(50, 501)  # x = counts / 100 from 0.5 to 5
    threshold = w2v.keep_thresholds(np.append(counts, n - counts.sum()), t)[:-1]
    # (sqrt(x) + 1) / x >= 1  <=>  sqrt(x) <= (1 + sqrt(5)) / 2  <=>  x <= 2.618...
    np.testing.assert_array_equal(threshold == 2**32, counts <= 261)
    assert np.all(np.diff(threshold.astype(np.int64)) <= 0)  # more frequent, kept less
    frequent = np.array([500_000, 200_000, 300_000])  # x = 5000, 2000, 3000
    keep = w2v.keep_thresholds(frequent, t) / 2**32
    np.testing.assert_allclose(keep, np.sqrt(t * n / frequent), rtol=0.03)


def test_learning_rate_schedule():
    """One linear schedule: the kernels (jitted), the history and plain Python agree."""
    for progress in (0.0, 0.25, 0.5, 1.0, 1.5):
        rate = learning_rate_at(progress, 0.025, 0.0001)
        assert rate == learning_rate_at.py_func(progress, 0.025, 0.0001)
        assert rate == pytest.approx(0.025 - 0.0249 * min(progress, 1.0), rel=1e-12)
    history = train(TOY[:200], dim=8, min_count=1, epochs=3, learning_rate=0.05,
                    min_learning_rate=0.002).history
    assert history.learning_rate == [learning_rate_at(e / 3, 0.05, 0.002) for e in (1, 2, 3)]
    assert history.learning_rate[-1] == pytest.approx(0.002, rel=1e-12)


# Every jitted function the kernels call, by module (found, not listed, so a new helper is
# covered too): the kernels' own names and those of the steps they are made of.
_KERNEL_HELPERS = [(module, name) for module in (kernels, kernel_steps)
                   for name, f in sorted(vars(module).items())
                   if hasattr(f, "py_func") and name not in ("skipgram_chunk", "cbow_chunk")]


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_kernel_matches_its_python_version(model, monkeypatch):
    """The jitted chunk kernel and the same code run by Python agree."""
    sentences = toy_sentences(40, seed=2)
    vocab = Vocabulary.from_corpus(sentences)
    tokens, starts = w2v.prepare_corpus(sentences, vocab)
    kernel = kernels.KERNELS[model]
    threshold, alias = w2v.alias_table(vocab.counts, 0.75)
    outputs = []
    for fn in (kernel, kernel.py_func):
        if fn is kernel.py_func:  # run every jitted helper as Python too
            for module, helper in _KERNEL_HELPERS:
                monkeypatch.setattr(module, helper, getattr(module, helper).py_func)
        vectors, context = w2v.initial_vectors(len(vocab), 9, seed=1)
        context += np.float32(0.01)  # so that the first dot products are not all zero
        with warnings.catch_warnings(), np.errstate(over="ignore"):
            warnings.simplefilter("ignore")
            result = fn(vectors, context, tokens, starts, 0, len(starts) - 1,
                        w2v.keep_thresholds(vocab.counts, 1e-2),
                        w2v.packed_alias_table(threshold, alias),
                        w2v.SIGMOID_TABLE, w2v.LOG_SIGMOID_TABLE, 3, 4, np.uint64(99),
                        0.05, 0.0001, 0, len(tokens))
        outputs.append((vectors, context, result))
    (v1, c1, r1), (v2, c2, r2) = outputs
    np.testing.assert_array_equal(v1, v2)  # same float32 operations in the same order
    np.testing.assert_array_equal(c1, c2)
    assert r1[1:] == tuple(r2[1:]) and r1[0] == pytest.approx(r2[0], rel=1e-12)
    assert r1[1] > 0 and np.abs(c1 - np.float32(0.01)).max() > 1e-3  # it trained


def test_packed_alias_table_draws_the_same_words_as_the_two_arrays():
    counts = np.array([5000, 1200, 300, 300, 41, 7, 1, 1], dtype=np.int64)
    threshold, alias = w2v.alias_table(counts, 0.75)
    packed = w2v.packed_alias_table(threshold, alias)
    assert packed.dtype == np.uint64
    np.testing.assert_array_equal(packed >> np.uint64(31), threshold)
    np.testing.assert_array_equal(packed & np.uint64(2**31 - 1), alias)
    rng, state = LCG(2024), np.uint64(2024)
    with np.errstate(over="ignore"):
        for _ in range(5000):  # the alias method on the two arrays, step by step
            column = (rng.next() * len(counts)) >> 32
            expected = column if rng.next() < threshold[column] else int(alias[column])
            word, state = kernel_steps.noise_word(np.uint64(state), np.uint64(len(counts)), packed)
            assert word == expected
    with pytest.raises(ValueError, match="alias"):
        w2v.packed_alias_table(threshold, np.full(len(counts), -1, dtype=np.int64))
    with pytest.raises(ValueError, match="threshold"):
        w2v.packed_alias_table(threshold + np.uint64(2**32), alias)


def _train_targets_reference(h, context, targets, alpha):
    """One negative-sampling step in plain numpy, in the definition's order: score a
    target (8 float32 lane sums, combined pairwise, then the tail), update it, next one."""
    context = context.copy()
    d = len(h)
    blocks = d // 8
    grad = np.zeros(d, dtype=np.float32)
    loss = 0.0
    for t, target in enumerate(targets):
        u = context[target]
        lanes = np.zeros(8, dtype=np.float32)
        for b in range(blocks):
            lanes = lanes + h[8 * b:8 * b + 8] * u[8 * b:8 * b + 8]
        f = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5])
                                                               + (lanes[6] + lanes[7]))
        for k in range(8 * blocks, d):
            f = f + h[k] * u[k]
        g, term = kernel_steps.gradient_and_loss.py_func(
            np.float32(f), np.float32(1.0 if t == 0 else 0.0), np.float32(alpha),
            w2v.SIGMOID_TABLE, w2v.LOG_SIGMOID_TABLE)
        loss += term
        grad = grad + g * u
        context[target] = u + g * h
    return context, grad, loss


@pytest.mark.parametrize("d", [13, 100])
@pytest.mark.parametrize("targets", [
    [3, 0, 5, 1, 7, 2],  # all different: scored together, then updated
    [3, 0, 5, 0, 7, 2],  # a repeated noise word must see its first update
    [4, 4],  # the true word drawn again as noise (word2vec.c keeps only that case out)
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 11],  # more than SCORED_TOGETHER targets
])
def test_train_targets_matches_the_one_at_a_time_definition(d, targets):
    """The kernel may compute the scores of different targets first; the vectors, the
    centre's step and the loss are bit for bit those of scoring and updating in turn."""
    rng = np.random.default_rng(d + len(targets))
    h = (rng.standard_normal((1, d)) * 0.8).astype(np.float32)
    context = (rng.standard_normal((12, d)) * 0.3).astype(np.float32)
    before = context.copy()
    expected_context, expected_grad, expected_loss = _train_targets_reference(
        h[0], context, targets, 0.05)
    table = np.array([targets], dtype=np.int64)
    grad = np.full(d, np.nan, dtype=np.float32)  # overwritten, not added to
    loss = kernel_steps.train_targets(h, 0, table, 0, len(targets), context, grad,
                                  np.float32(0.05), w2v.SIGMOID_TABLE, w2v.LOG_SIGMOID_TABLE,
                                  0.0)
    np.testing.assert_array_equal(context, expected_context)
    np.testing.assert_array_equal(grad, expected_grad)
    assert loss == expected_loss
    assert np.abs(context[targets[0]] - before[targets[0]]).max() > 0  # the true word moved


# --- determinism ----------------------------------------------------------------------


def _digest(emb):
    return hashlib.sha256(emb.vectors.tobytes() + emb.context_vectors.tobytes()).hexdigest()


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_one_worker_is_bit_reproducible(model):
    a = train(TOY, model=model, seed=7, **FAST)
    b = train(TOY, model=model, seed=7, **FAST)
    c = train(TOY, model=model, seed=8, **FAST)
    assert _digest(a) == _digest(b)
    assert a.history.loss == b.history.loss
    assert _digest(a) != _digest(c)


def test_two_workers_give_good_vectors():
    emb = train(toy_sentences(4000, seed=0), dim=30, epochs=10, min_count=1, subsample=0,
                workers=2)
    assert np.isfinite(emb.vectors).all()
    assert analogy_accuracy(emb, planted_analogies()) >= 0.9


@pytest.mark.slow
def test_same_vectors_on_a_generic_cpu(tmp_path):
    """Vectors do not depend on the SIMD width the CPU offers (no fast-math)."""
    code = ("import hashlib; from lessons.models.word2vec import train; "
            "from lessons.data.toylang import toy_sentences; "
            "e = train(toy_sentences(2000), dim=37, epochs=2, min_count=1, subsample=1e-3); "
            "print(hashlib.sha256(e.vectors.tobytes() + e.context_vectors.tobytes()).hexdigest())")
    env = dict(os.environ, NUMBA_CPU_NAME="generic", NUMBA_CACHE_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    here = train(toy_sentences(2000), dim=37, epochs=2, min_count=1, subsample=1e-3)
    assert out == _digest(here)


# --- corpus forms, vocabulary, history, hook ------------------------------------------------


def test_corpus_forms_agree():
    stream = [w for s in TOY[:300] for w in s]
    from_list = train([stream], **FAST)
    from_stream = train(stream, **FAST)
    from_iterator = train(iter([stream]), **FAST)
    assert _digest(from_list) == _digest(from_stream) == _digest(from_iterator)


def test_long_sentences_are_cut():
    vocab = Vocabulary.from_corpus(["a", "b"])
    tokens, starts = w2v.prepare_corpus(["a", "b", "zzz"] * 8000, vocab)
    assert len(tokens) == 16000 and (np.diff(starts) <= w2v.MAX_SENTENCE_LENGTH).all()
    assert list(np.diff(starts)) == [10000, 6000]


def test_vocabulary_reuse_and_min_count():
    vocab = Vocabulary.from_corpus(TOY, min_count=1, order="alphabetical")
    emb = train(TOY, vocabulary=vocab, **FAST)
    assert list(emb.words) == list(vocab.words)
    capped = train(TOY, dim=8, epochs=1, min_count=1, max_vocab=20)
    assert len(capped) == 20
    assert train(TOY, dim=8, epochs=1, min_count=100).counts.min() >= 100
    # only "the" is left: no (centre, context) pair
    with pytest.raises(ValueError, match="min_count"):
        train(TOY, dim=8, epochs=1, min_count=200)


def test_history_and_epoch_hook():
    seen = []
    emb = train(TOY, epochs=4, dim=16, min_count=1, subsample=0, learning_rate=0.05,
                on_epoch_end=lambda epoch, e: seen.append((epoch, e.vectors)))
    history = emb.history
    assert isinstance(history, TrainingHistory) and history.epochs == 4
    assert [epoch for epoch, _ in seen] == [1, 2, 3, 4]
    assert not np.array_equal(seen[0][1], seen[1][1])  # snapshots, not the live array
    np.testing.assert_array_equal(seen[-1][1], emb.vectors)
    assert history.mean_loss[-1] < history.mean_loss[0]
    assert np.all(np.diff(history.learning_rate) < 0)
    assert history.learning_rate[-1] == pytest.approx(0.05 * 1e-4)
    d = history.to_dict()
    assert set(d) >= {"loss", "words_per_s", "learning_rate", "elapsed_s"}
    assert len(d["loss"]) == 4 and all(w > 0 for w in d["words_per_s"])
    assert emb.context_vectors.shape == emb.vectors.shape == (len(emb), 16)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_bar_runs(workers, capsys):
    emb = train(TOY[:100], progress=True, workers=workers, **FAST)
    assert np.isfinite(emb.vectors).all()
    bar = capsys.readouterr().err  # tqdm writes to stderr: "skipgram: 100%|...| 688/688 ..."
    planned = FAST["epochs"] * emb.history.words[0]  # every token of both epochs
    assert re.search(rf"skipgram: 100%.*\b{planned}/{planned} .*word/s", bar), bar
    train(TOY[:100], progress=False, workers=workers, **FAST)
    assert "skipgram" not in capsys.readouterr().err  # no bar unless asked


def test_train_s_settings_are_declared_once_in_settings():
    """``Settings`` declares train's settings: its docstring is made from it, its signature
    agrees with it, and ``validate`` knows no others.  The public defaults are pinned here."""
    params = inspect.signature(train).parameters
    assert list(params)[:2] == ["corpus", "corpus_file"] and params["corpus"].default is None
    assert all(p.kind is p.KEYWORD_ONLY for p in list(params.values())[1:])
    declared = {f.name: f.default for f in dataclasses.fields(Settings)}
    assert {name: p.default for name, p in list(params.items())[2:]} == declared == dict(
        model="skipgram", dim=100, window=5, negative=5, noise_exponent=0.75, subsample=1e-3,
        min_count=5, max_vocab=None, epochs=5, learning_rate=None, min_learning_rate=None,
        workers=1, seed=0, progress=False, vocabulary=None, on_epoch_end=None)
    for name in ["corpus", "corpus_file", *declared]:  # every parameter is documented
        assert re.search(rf"^    {name} : \S.*\n        \S", train.__doc__, flags=re.M), name
    assert validate() == Settings(learning_rate=0.025, min_learning_rate=0.025 * 1e-4)
    with pytest.raises(TypeError, match="dims"):
        validate(dims=10)
    with pytest.raises(TypeError, match="positional"):
        train(TOY, "cbow")  # keyword-only


def test_train_checks_the_corpus_once(monkeypatch):
    """One way into a corpus: train, the vocabulary and the encoding share one check."""
    from lessons.data import corpus as corpus_module

    checked = []
    check = corpus_module._require_str_tokens
    monkeypatch.setattr(corpus_module, "_require_str_tokens",
                        lambda tokens, *args: checked.append(len(tokens)) or check(tokens, *args))
    train(TOY, **FAST)
    assert len(checked) == len(TOY) and sum(checked) == sum(map(len, TOY))


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, name", [
    (dict(dim=0), "dim"), (dict(window=0), "window"), (dict(negative=0), "negative"),
    (dict(negative=-1), "negative"), (dict(learning_rate=0.0), "learning_rate"),
    (dict(learning_rate=-0.1), "learning_rate"),
    (dict(learning_rate=float("nan")), "learning_rate"),
    (dict(learning_rate=float("inf")), "learning_rate"), (dict(workers=0), "workers"),
    (dict(epochs=0), "epochs"), (dict(model="glove"), "model"), (dict(subsample=-1), "subsample"),
    (dict(min_count=0), "min_count"), (dict(dim=2.5), "dim"),
    (dict(min_learning_rate=float("nan")), "min_learning_rate"),
    (dict(noise_exponent=float("inf")), "noise_exponent"), (dict(vocabulary=["a"]), "vocabulary"),
    (dict(window=10**30), "window"), (dict(seed=-1), "seed"), (dict(seed=1.5), "seed"),
    (dict(max_vocab=0), "max_vocab"), (dict(on_epoch_end=3), "on_epoch_end"),
])
def test_bad_arguments_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        train(TOY, **kwargs)


@pytest.mark.parametrize("corpus", [[], [[]], [[], []], iter([])])
def test_empty_corpus(corpus):
    with pytest.raises(ValueError, match="corpus"):
        train(corpus)


def test_every_word_below_min_count():
    with pytest.raises(ValueError, match="min_count"):
        train([["a", "b", "c"]], min_count=5)


@pytest.mark.parametrize("corpus", [[[1, 2, 3]] * 3, [[b"a", b"b"]] * 5, [1, 2, 3]])
def test_non_str_tokens(corpus):
    with pytest.raises(ValueError, match="corpus"):
        train(corpus, min_count=1)


def test_vocabulary_too_big_for_memory(monkeypatch):
    monkeypatch.setattr(checks, "available_memory_bytes", lambda: 1000)
    with pytest.raises(ValueError, match="dim=100 .*memory"):
        train(TOY, min_count=1)


def test_divergence_is_reported_not_silent():
    with pytest.raises(ValueError, match="learning_rate"):
        train(TOY, learning_rate=1e38, **FAST)
