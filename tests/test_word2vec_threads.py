"""The trainer with several workers: each thread's own copy of the hot output rows."""
import warnings
from pathlib import Path

import numpy as np
import pytest

from lessons.data.corpus import Vocabulary
from lessons.data.toylang import toy_sentences
from lessons.models import word2vec as w2v
from lessons.models.word2vec import kernel_steps, kernels, runner, train

_HELPERS = [(module, name) for module in (kernels, kernel_steps)
            for name, f in sorted(vars(module).items())
            if hasattr(f, "py_func") and name not in ("skipgram_chunk", "cbow_chunk")]


def _run(fn, model_inputs, context, hot=None, hot_base=None, hot_in_base=None):
    vocab, tokens, starts, threshold, alias = model_inputs
    vectors, _ = w2v.initial_vectors(len(vocab), 9, seed=1)
    if hot is not None:  # the same room below the input vectors
        vectors = np.concatenate([vectors, np.zeros((len(context) - len(vocab), 9),
                                                    dtype=np.float32)])
        kernel_steps.hot_rows_in(vectors, hot, hot_in_base)  # the runner's copy, once
    with warnings.catch_warnings(), np.errstate(over="ignore"):
        warnings.simplefilter("ignore")
        result = fn(vectors, context, tokens, starts, 0, len(starts) - 1,
                    w2v.keep_thresholds(vocab.counts, 1e-2),
                    w2v.packed_alias_table(threshold, alias),
                    w2v.SIGMOID_TABLE, w2v.LOG_SIGMOID_TABLE, 3, 4, np.uint64(99),
                    0.05, 0.0001, 0, len(tokens), None, hot, hot_base, hot_in_base)
    return vectors, result


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_hot_rows_on_one_thread_compute_the_same_vectors(model, monkeypatch):
    """With no other thread writing, a thread's own hot rows, copied in before the chunk
    and merged at its end, give exactly the vectors of the shared rows (jitted and as
    plain Python)."""
    sentences = toy_sentences(40, seed=2)
    vocab = Vocabulary.from_corpus(sentences)
    tokens, starts = w2v.prepare_corpus(sentences, vocab)
    inputs = (vocab, tokens, starts, *w2v.alias_table(vocab.counts, 0.75))
    kernel = kernels.KERNELS[model]
    V, n_hot = len(vocab), 6
    _, context = w2v.initial_vectors(V, 9, seed=1)
    context += np.float32(0.01)
    plain_context = context.copy()
    plain_vectors, plain_result = _run(kernel, inputs, plain_context)
    for fn in (kernel, kernel.py_func):
        if fn is kernel.py_func:
            for module, helper in _HELPERS:
                monkeypatch.setattr(module, helper, getattr(module, helper).py_func)
        trained = np.zeros((V + 2 * n_hot, 9), dtype=np.float32)
        trained[:V] = context
        hot_base, hot_in_base = np.empty((2, n_hot, 9), dtype=np.float32)
        kernel_steps.hot_rows_in(trained, (V + n_hot, n_hot, 1), hot_base)  # the runner's
        vectors, result = _run(fn, inputs, trained, (V + n_hot, n_hot, 1), hot_base,
                               hot_in_base)
        np.testing.assert_array_equal(vectors[:V], plain_vectors)
        np.testing.assert_array_equal(vectors[V + n_hot:], plain_vectors[:n_hot])
        np.testing.assert_array_equal(trained[:V], plain_context)
        np.testing.assert_array_equal(trained[V + n_hot:], plain_context[:n_hot])  # merged
        assert not trained[V:V + n_hot].any()  # the other slot is untouched
        assert result[1:] == tuple(plain_result[1:])
        assert result[0] == pytest.approx(plain_result[0], rel=1e-12)
    assert np.abs(plain_context[:n_hot] - np.float32(0.01)).max() > 1e-3  # hot rows trained


def test_merge_adds_every_threads_steps():
    """Two threads' steps on the same hot rows both reach the shared rows."""
    rng = np.random.default_rng(0)
    V, n_hot, d = 10, 3, 4
    start = rng.normal(size=(V, d)).astype(np.float32)
    step_a = rng.normal(size=(n_hot, d)).astype(np.float32)
    step_b = rng.normal(size=(n_hot, d)).astype(np.float32)
    m = np.zeros((V + 2 * n_hot, d), dtype=np.float32)
    m[:V] = start
    base_a, base_b = np.empty((n_hot, d), np.float32), np.empty((n_hot, d), np.float32)
    kernel_steps.hot_rows_in(m, (V, n_hot, 1), base_a)
    kernel_steps.hot_rows_in(m, (V + n_hot, n_hot, 1), base_b)
    np.testing.assert_array_equal(base_a, start[:n_hot])
    m[V:V + n_hot] += step_a  # each thread trains its own copy
    m[V + n_hot:] += step_b
    own_a, own_b = m[V:V + n_hot].copy(), m[V + n_hot:].copy()
    kernel_steps.merge_hot_rows(m, (V, n_hot, 1), base_a)
    np.testing.assert_array_equal(m[:n_hot], own_a)  # nobody else wrote: A's rows exactly
    kernel_steps.merge_hot_rows(m, (V + n_hot, n_hot, 1), base_b)
    expected = own_a + (own_b - start[:n_hot])  # float32, the merge's own order
    np.testing.assert_array_equal(m[:n_hot], expected)
    np.testing.assert_allclose(m[:n_hot], start[:n_hot] + step_a + step_b, atol=1e-5)
    np.testing.assert_array_equal(m[V + n_hot:], expected)  # B starts again from the sum
    np.testing.assert_array_equal(base_b, expected)
    np.testing.assert_array_equal(m[n_hot:V], start[n_hot:])  # cold rows untouched


@pytest.mark.parametrize("merge_chunks", [1, 3, 10**9])
def test_two_workers_return_the_vocabulary_sized_matrices(monkeypatch, merge_chunks):
    """The hot rows reach the model by the end of every epoch, however rarely the threads
    merge them while they train (10**9: only the runner's end-of-epoch merge)."""
    monkeypatch.setattr(runner, "HOT_ROWS", 5)
    monkeypatch.setattr(runner, "HOT_MERGE_CHUNKS", merge_chunks)
    monkeypatch.setattr(runner, "CHUNK_WORDS", 500)  # several chunks per thread
    seen = []
    emb = train(toy_sentences(600, seed=1), dim=8, min_count=1, epochs=2, workers=2,
                on_epoch_end=lambda epoch, e: seen.append((e.vectors.shape,
                                                           e.context_vectors.shape,
                                                           np.abs(e.context_vectors[:5]).min())))
    V = len(emb)
    assert emb.vectors.shape == emb.context_vectors.shape == (V, 8)
    assert [s[:2] for s in seen] == [((V, 8), (V, 8))] * 2
    assert np.isfinite(emb.context_vectors).all()
    assert all(s[2] > 0 for s in seen)  # output rows start at 0: every hot row was merged back


def test_one_worker_makes_no_hot_rows(monkeypatch):
    calls = []
    original = runner._chunk_trainer

    def spy(*args):
        calls.append(args[-1])  # n_hot
        return original(*args)
    monkeypatch.setattr(runner, "_chunk_trainer", spy)
    train(toy_sentences(200, seed=1), dim=8, min_count=1, epochs=1, workers=1)
    train(toy_sentences(200, seed=1), dim=8, min_count=1, epochs=1, workers=2)
    assert calls == [0, min(runner.HOT_ROWS, len(Vocabulary.from_corpus(
        toy_sentences(200, seed=1))))]


def _scaling_benchmark():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "scaling.py"
    spec = importlib.util.spec_from_file_location("scaling_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scaling_benchmark_pairs_the_runs_of_a_pass():
    bench = _scaling_benchmark()
    assert bench.worker_counts(16) == [1, 2, 4, 8, 16]
    assert bench.worker_counts(6) == [1, 2, 4, 6] and bench.worker_counts(1) == [1]

    class Args:
        models, workers = ["cbow"], [1, 2]
    times = {("lessons", 1): [4.0, 8.0, 6.0], ("lessons", 2): [2.0, 8.0, 4.0],
             ("gensim", 1): [9.0, 9.0, 9.0], ("gensim", 2): [6.0, 3.0, 9.0]}
    runs = [{"pass": p + 1, "model": "cbow", "trainer": t, "workers": w, "e2e_s": s,
             "train_s": s / 2, "analogy": 10.0 + p + w}
            for (t, w), seconds in times.items() for p, s in enumerate(seconds)]
    rows = {(r["trainer"], r["workers"]): r for r in bench.summarize(runs, Args)}
    assert rows["lessons", 2]["speedup_per_pass"] == [2.0, 1.0, 1.5]  # paired by pass
    assert rows["lessons", 2]["speedup"] == 1.5 and rows["gensim", 2]["speedup"] == 1.5
    assert rows["lessons", 2]["vs_gensim"] == 2.25  # 6/2, 3/8, 9/4 -> median 9/4
    assert rows["lessons", 1]["analogy_mean"] == 12.0 and rows["lessons", 1]["analogy_sd"] == 1.0
    keys = bench._keys(list(rows.values()))
    assert keys["cbow_lessons_speedup_2"] == 1.5 and keys["cbow_vs_gensim_2"] == 2.25


def test_scaling_benchmark_orders_and_retries_passes(monkeypatch):
    bench = _scaling_benchmark()
    assert bench.pass_order(0, [1, 2]) == [("lessons-file", 1), ("lessons-file", 2),
                                           ("gensim-file", 1), ("gensim-file", 2)]
    assert bench.pass_order(1, [1, 2]) == bench.pass_order(0, [1, 2])[::-1]
    busy = iter([0.1, 0.9, 0.0, 0.0] + [0.0] * 4 + [0.5] * 4 + [0.6] * 4)  # cores, per run
    monkeypatch.setattr(bench, "timed_child", lambda spec: (
        {"e2e_s": 2.0 / spec["workers"], "train_s": 1.0, "analogy": 5.0}, next(busy)))

    class Args:
        repeat, models, workers, epochs = 2, ["cbow"], [1, 2], 1
        busy_cores, retry_busy = 0.25, 1
    runs, discarded = bench.measure(Args, Path("corpus.txt"))
    # pass 1 was busy (0.9 cores) and measured again; pass 2 was busy twice: kept the last
    assert [r["pass"] for r in runs] == [1] * 4 + [2] * 4
    assert [r["others_cores"] for r in runs] == [0.0] * 4 + [0.6] * 4
    assert [(r["pass"], r["attempt"]) for r in discarded] == [(1, 1)] * 4 + [(2, 1)] * 4
    lines = bench._others_lines(discarded, speedups=True)
    assert lines[0].startswith("- pass 1, attempt 1, cbow: lessons 1w 0.10, lessons 2w 0.90")
    assert "speed-up lessons 2w 2.00, gensim 2w 2.00" in lines[0]


def test_scaling_measurement_has_the_keys_the_book_quotes():
    from lessons.book import measurements
    stored = measurements.load("scaling")
    assert 1 in stored["workers"] and 2 in stored["workers"]
    for model in ("skipgram", "cbow"):
        for trainer in ("lessons", "gensim"):
            assert stored[f"{model}_{trainer}_speedup_1"] == 1.0
            assert stored[f"{model}_{trainer}_speedup_2"] > 0
            for w in (1, 2):
                assert 0 <= stored[f"{model}_{trainer}_analogy_{w}"] <= 100
                assert stored[f"{model}_{trainer}_analogy_sd_{w}"] >= 0
    assert len(stored["runs"]) == stored["repeat"] * 2 * 2 * len(stored["workers"])
