"""Tests for lessons.book.chapters.why_vectors: the neighbours slider and the LSH live panel
(its recall and neighbour lists checked against brute force computed here)."""
import numpy as np
import pytest

from lessons.book.chapters import why_vectors as chapter
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.lsh import HyperplaneLSH
from tests.book.panels import printed


def random_embeddings(n=300, d=16, seed=8):
    rng = np.random.default_rng(seed)
    return Embeddings([f"w{i}" for i in range(n)], rng.standard_normal((n, d)))


def brute_force_top(emb, row, k):
    """Rows of the ``k`` largest cosines with ``row`` (itself excluded), best first."""
    X = emb.vectors.astype(np.float64)
    cos = X @ X[row] / (np.linalg.norm(X, axis=1) * np.linalg.norm(X[row]))
    cos[row] = -np.inf
    return list(np.argsort(-cos, kind="stable")[:k])


def test_neighbours_figure_lists_most_similar():
    emb = random_embeddings(30, 5)
    fig = chapter.neighbours_figure(emb, ["w0", "w1"], topn=4)
    assert len(fig.data) == 2 and [s.label for s in fig.layout.sliders[0].steps] == ["w0", "w1"]
    assert list(fig.data[0].text)[::-1] == [emb.words[i] for i in brute_force_top(emb, 0, 4)]
    assert list(fig.data[1].text)[::-1] == [w for w, _ in emb.most_similar("w1", topn=4)]


def test_lsh_panel_recomputes_recall_and_neighbours_for_the_new_controls():
    emb = random_embeddings()
    k, n_queries, seed = 5, 40, 0
    box = chapter.lsh_panel(emb, n_queries=n_queries, k=k, seed=seed)
    assert repr(box) == "<live panel: Random-hyperplane LSH>"
    assert printed(box).startswith("10 bits × 8 tables: recall@5 = ")
    assert printed(box).endswith("'france' is not in the vocabulary\n")

    # recall and work for new bits and tables, against the true neighbours by brute force
    queries = np.random.default_rng(seed).choice(len(emb), n_queries, replace=False)
    truth = [set(brute_force_top(emb, q, k)) for q in queries]
    for n_bits, n_tables in ((4, 8), (4, 2)):
        box.controls["n_bits"].value = n_bits
        box.controls["n_tables"].value = n_tables
        index = HyperplaneLSH(n_bits, n_tables, seed=seed, center=True).build(emb.vectors)
        found, n_cand = index.query(emb.normalized[queries], k, exclude=queries)
        recall = np.mean([len(t & set(f)) / k for t, f in zip(truth, found)])
        assert printed(box).splitlines()[0] == (
            f"{n_bits} bits × {n_tables} tables: recall@{k} = {recall:.3f}, "
            f"exact cosines per query {n_cand.mean():,.0f} of {len(emb):,} "
            f"({n_cand.mean() / len(emb):.1%})")

    # a word of the vocabulary: its exact neighbours (left) and what LSH found (right)
    box.controls["word"].value = "w3"
    index = HyperplaneLSH(4, 2, seed=seed, center=True).build(emb.vectors)
    ids, _ = index.query(emb.normalized[3], k, exclude=[3])
    rows = printed(box).splitlines()[3:]
    assert ([r.split("|")[0].strip() for r in rows]
            == [emb.words[i] for i in brute_force_top(emb, 3, k)])
    assert ([r.split("|")[1].strip() for r in rows]
            == [emb.words[i] if i >= 0 else "—" for i in ids[0]])


def test_search_timings_reports_every_step_and_consistent_rates():
    import numpy as np

    from lessons.book.chapters import why_vectors

    U = np.random.default_rng(0).standard_normal((2000, 30), dtype=np.float32)
    t = why_vectors.search_timings(U, U[0], loop_rows=500, repeats=2)
    assert set(t) == {"matvec", "python loop", "argsort", "argpartition",
                      "matvec GFLOP/s", "matvec GB/s", "matmul GFLOP/s"}
    assert all(v > 0 for v in t.values())
    # 2 flops per float32 read: GB/s = GFLOP/s * 4 bytes / 2 flops
    assert t["matvec GB/s"] == pytest.approx(2 * t["matvec GFLOP/s"])
    assert t["python loop"] > t["matvec"]  # one np.dot per word is always slower than one product
