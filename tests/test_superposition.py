"""Tests for lessons.geometry.superposition: blocked max |cos| vs the full Gram matrix, the
extreme-value prediction vs simulation, and the toy model's hand-written gradients vs finite
differences."""
import math

import numpy as np
import pytest

from lessons.geometry import superposition as sp


def test_blocked_max_matches_full_matrix():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((333, 7))
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    C = np.abs(U @ U.T)
    np.fill_diagonal(C, 0)
    for block in (1, 10, 64, 1000):
        assert sp.max_abs_cosine(X, block=block) == pytest.approx(C.max(), abs=1e-12)
    with pytest.raises(ValueError):
        sp.max_abs_cosine(X[:1])
    assert sp.max_abs_cosine(5 * X) == pytest.approx(C.max(), abs=1e-12)   # cosines ignore length
    with pytest.raises(ValueError, match=r"X row \d+ is a zero vector"):
        sp.max_abs_cosine(np.vstack([X, np.zeros(7)]))


def test_expected_max_against_simulation():
    rng = np.random.default_rng(1)
    for n, d in [(50, 20), (300, 100)]:
        sims = [sp.max_abs_cosine(rng.standard_normal((n, d))) for _ in range(40)]
        assert np.mean(sims) == pytest.approx(sp.expected_max_abs_cosine(n, d), rel=0.06)


def test_expected_max_article_claim():
    # 10,000 random vectors in 300-d: max |cos| is about 0.32, not "well under 0.2"
    assert 0.3 < sp.expected_max_abs_cosine(10_000, 300) < 0.34
    assert sp.gaussian_max_approximation(10_000, 300) == pytest.approx(
        math.sqrt(2 * math.log(10_000 * 9_999 / 2) / 300))


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    W = rng.standard_normal((3, 6)) * 0.5
    b = rng.standard_normal(6) * 0.1
    x = sp.sample_features(64, 6, 0.5, rng)
    importance = 0.8 ** np.arange(6)
    loss, dW, db = sp.toy_loss_and_gradients(W, b, x, importance)
    h = 1e-6
    for (i, j) in [(0, 0), (1, 3), (2, 5)]:
        Wp, Wm = W.copy(), W.copy()
        Wp[i, j] += h
        Wm[i, j] -= h
        num = (sp.toy_loss_and_gradients(Wp, b, x, importance)[0]
               - sp.toy_loss_and_gradients(Wm, b, x, importance)[0]) / (2 * h)
        assert dW[i, j] == pytest.approx(num, rel=1e-5, abs=1e-9)
    for j in range(6):
        bp, bm = b.copy(), b.copy()
        bp[j] += h
        bm[j] -= h
        num = (sp.toy_loss_and_gradients(W, bp, x, importance)[0]
               - sp.toy_loss_and_gradients(W, bm, x, importance)[0]) / (2 * h)
        assert db[j] == pytest.approx(num, rel=1e-5, abs=1e-9)
    # loss against an explicit loop
    ref = 0.0
    for row in x:
        out = np.maximum(W.T @ (W @ row) + b, 0)
        ref += np.sum(importance * (row - out) ** 2)
    assert loss == pytest.approx(ref / len(x))


def test_sample_features_sparsity():
    x = sp.sample_features(20_000, 10, 0.9, np.random.default_rng(3))
    assert np.mean(x == 0) == pytest.approx(0.9, abs=0.005)
    assert x.max() <= 1 and x.min() >= 0
    with pytest.raises(ValueError, match="sparsity"):
        sp.sample_features(5, 5, 1.0, np.random.default_rng(0))


def test_toy_model_dense_keeps_m_features_sparse_packs_more():
    dense = sp.train_toy_model(10, 3, sparsity=0.0, steps=1500, batch=512, seed=0)
    sparse = sp.train_toy_model(10, 3, sparsity=0.97, steps=1500, batch=512, seed=0)
    assert dense.n_represented() == 3
    assert list(np.flatnonzero(dense.feature_norms > 0.5)) == [0, 1, 2]   # the most important
    assert sparse.n_represented() > 3
    assert sparse.dimensions_per_feature() < 1
    assert dense.losses[-100:].mean() < dense.losses[:10].mean()
    again = sp.train_toy_model(10, 3, sparsity=0.97, steps=1500, batch=512, seed=0)
    assert np.array_equal(again.W, sparse.W)   # fixed seed, same result


def test_sgd_option_reduces_loss():
    m = sp.train_toy_model(6, 2, sparsity=0.5, steps=400, batch=256, learning_rate=0.05,
                           optimizer="sgd", seed=1)
    assert m.losses[-50:].mean() < m.losses[:10].mean()
    with pytest.raises(ValueError, match="optimizer"):
        sp.train_toy_model(optimizer="rmsprop")


def test_welch_bound_attained_by_the_simplex():
    d = 5
    # d+1 vertices of a regular simplex, centred: all pairwise cosines are -1/d
    E = np.eye(d + 1) - 1 / (d + 1)                 # (d+1, d+1), rank d
    U, S, Vt = np.linalg.svd(E)
    simplex = U[:, :d] * S[:d]                        # (d+1, d) coordinates in R^d
    assert sp.max_abs_cosine(simplex) == pytest.approx(1 / d)
    assert sp.welch_bound(d + 1, d) == pytest.approx(1 / d)
    assert sp.welch_bound(d, d) == 0.0
    rng = np.random.default_rng(5)
    assert sp.max_abs_cosine(rng.standard_normal((40, d))) >= sp.welch_bound(40, d)


def test_random_capacity_against_simulation():
    d, t = 50, 0.4
    n = sp.random_capacity(d, t)
    rng = np.random.default_rng(6)
    below = np.mean([sp.max_abs_cosine(rng.standard_normal((n, d))) <= t for _ in range(200)])
    assert below == pytest.approx(0.5, abs=0.12)
    assert sp.random_capacity(d, t, 0.9) < n


def test_arguments_are_checked_and_rng_may_be_a_seed():
    np.testing.assert_array_equal(sp.sample_features(4, 3, 0.5, 2),
                                  sp.sample_features(4, 3, 0.5, np.random.default_rng(2)))
    with pytest.raises(ValueError, match=r"n_vectors must be an integer >= 2, got 1"):
        sp.expected_max_abs_cosine(1, 10)
    with pytest.raises(ValueError, match=r"n_hidden must be an integer >= 1, got 0"):
        sp.train_toy_model(5, 0)
    with pytest.raises(ValueError, match=r"block must be an integer >= 1"):
        sp.max_abs_cosine(np.eye(3), block=0)
