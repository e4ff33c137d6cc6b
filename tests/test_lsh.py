"""Tests for lessons.vectors.lsh: hashing against Charikar's collision probability,
queries against brute force."""
import numpy as np
import pytest

from lessons.vectors import lsh


def test_one_bit_collision_probability_matches_charikar():
    a = np.zeros(16)
    a[0] = 1
    b = np.zeros(16)
    b[:2] = [np.cos(1.0), np.sin(1.0)]   # angle 1 radian
    index = lsh.HyperplaneLSH(n_bits=1, n_tables=4000, seed=1).build(np.stack([a, b]))
    keys = index._keys(index.data)                        # (T, 2)
    same = np.mean(keys[:, 0] == keys[:, 1])
    assert same == pytest.approx(float(lsh.collision_probability(np.cos(1.0))), abs=0.02)
    assert float(lsh.collision_probability(np.cos(1.0))) == pytest.approx(1 - 1 / np.pi)


def test_collision_probability_combinations():
    p1 = float(lsh.collision_probability(0.5, n_bits=1))
    assert float(lsh.collision_probability(0.5, n_bits=3)) == pytest.approx(p1 ** 3)
    assert (float(lsh.collision_probability(0.5, n_bits=3, n_tables=2))
            == pytest.approx(1 - (1 - p1 ** 3) ** 2))


def test_candidates_are_exactly_the_rows_sharing_a_key():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((500, 10))
    index = lsh.HyperplaneLSH(n_bits=4, n_tables=3, seed=0).build(X)
    keys = index._keys(index.data)  # (T, n)
    q = index.data[7]
    qk = index._keys(q[None])[:, 0]
    brute = np.flatnonzero(np.any(keys == qk[:, None], axis=0))
    assert np.array_equal(index.candidates(q), brute)


def test_exact_top_k_against_sort():
    rng = np.random.default_rng(3)
    U = rng.standard_normal((200, 8))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    top = lsh.exact_top_k(U, U[:5], 4, exclude=np.arange(5))
    for q in range(5):
        s = U @ U[q]
        s[q] = -np.inf
        assert list(top[q]) == list(np.argsort(-s)[:4])


def test_query_recall_one_with_one_table_of_zero_work_and_grows_with_tables():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((2000, 16)).astype(np.float32)
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    queries = np.arange(50)
    truth = lsh.exact_top_k(U, U[queries], 10, exclude=queries)
    few, n1 = lsh.HyperplaneLSH(n_bits=10, n_tables=1, seed=0).build(X).query(
        U[queries], 10, exclude=queries)
    many, n2 = lsh.HyperplaneLSH(n_bits=10, n_tables=16, seed=0).build(X).query(
        U[queries], 10, exclude=queries)
    assert lsh.recall_at_k(many, truth) > lsh.recall_at_k(few, truth)
    assert n2.mean() > n1.mean()
    # exact ranking within candidates: with every row a candidate, recall is 1
    everyone = lsh.HyperplaneLSH(n_bits=1, n_tables=40, seed=0).build(X)
    found, n = everyone.query(U[queries], 10, exclude=queries)
    assert np.all(n == 1999) and lsh.recall_at_k(found, truth) == 1.0


def test_one_bit_splits_the_data_by_one_hyperplane_and_ranks_that_side_exactly():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((2000, 16)).astype(np.float32)
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    queries = np.arange(50)
    one_bit = lsh.HyperplaneLSH(n_bits=1, n_tables=1, seed=0).build(X)
    assert one_bit.planes.shape == (1, 1, 16)
    side = U.astype(np.float64) @ one_bit.planes[0, 0] > 0  # (n,) which side of the one plane
    ids, n = one_bit.query(U[queries], 10, exclude=queries)
    for q in queries:   # the candidates are the other rows on the query's side, ranked exactly
        same = np.flatnonzero(side == side[q])
        same = same[same != q]
        assert n[q] == len(same)
        best = same[np.argsort(-(U[same] @ U[q]), kind="stable")[:10]]
        assert set(ids[q]) == set(best)
    assert 0.4 < n.mean() / len(X) < 0.6   # one hyperplane through the origin halves the data


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_bits"):
        lsh.HyperplaneLSH(n_bits=0)
    with pytest.raises(ValueError, match="n_tables"):
        lsh.HyperplaneLSH(n_tables=0)


def test_centred_hyperplanes_split_a_cone_evenly_and_keep_exact_ranking():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3000, 20)) * 0.3 + 1.0          # a cone around (1, ..., 1)
    plain = lsh.HyperplaneLSH(n_bits=8, n_tables=1, seed=0).build(X)
    centred = lsh.HyperplaneLSH(n_bits=8, n_tables=1, seed=0, center=True).build(X)

    def biggest(index):
        return np.unique(index._keys(index.data)[0], return_counts=True)[1].max()

    assert biggest(centred) < biggest(plain) / 2
    U = centred.data
    ids, n = centred.query(U[:20], 5, exclude=np.arange(20))
    for q in range(20):   # ranked by exact cosine among the candidates
        cand = centred.candidates(U[q])
        cand = cand[cand != q]
        best = cand[np.argsort(-(U[cand] @ U[q]), kind="stable")[:5]]
        assert list(ids[q][:len(best)]) == list(best)


def test_index_and_queries_ignore_length_and_a_zero_row_stays_zero():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((500, 12)).astype(np.float32)
    X[7] = 0
    index = lsh.HyperplaneLSH(n_bits=6, n_tables=4, seed=1, center=True).build(X)
    assert index.data.dtype == np.float32
    norms = np.linalg.norm(index.data, axis=1)
    np.testing.assert_allclose(np.delete(norms, 7), 1, rtol=1e-6)
    assert norms[7] == 0
    scaled = lsh.HyperplaneLSH(n_bits=6, n_tables=4, seed=1, center=True).build(3 * X)
    np.testing.assert_allclose(scaled.data, index.data, rtol=1e-6)
    for q in (0, 1, 2):   # keys are taken on unit queries: centred hyperplanes would see the length
        np.testing.assert_array_equal(index.candidates(X[q]), index.candidates(4 * X[q]))
        np.testing.assert_array_equal(index.query(X[q], 5)[0], index.query(4 * X[q], 5)[0])
