"""Tests for lessons.geometry.projections: JL bounds against published values, projections
against theory."""
import math

import numpy as np
import pytest

from lessons.geometry import projections as p
from lessons.geometry.pca import pca_project


def test_article_bound_and_variants():
    assert p.jl_min_dim(100_000, 0.1, "article") == 9211
    assert p.jl_min_dim(100_000, 0.1, "dasgupta-gupta") == 9869
    # values from scikit-learn's johnson_lindenstrauss_min_dim documentation
    assert p.jl_min_dim(1_000_000, 0.5, "sklearn") == 663
    assert list(p.jl_min_dim(1_000_000, np.array([0.5, 0.1, 0.01]), "sklearn")) == [
        663, 11841, 1112658]
    assert list(p.jl_min_dim(np.array([10_000, 100_000, 1_000_000]), 0.1, "sklearn")) == [
        7894, 9868, 11841]
    # Achlioptas with beta = 0 is Dasgupta–Gupta
    dasgupta_gupta = p.jl_min_dim(1000, 0.2, "dasgupta-gupta")
    assert p.jl_min_dim(1000, 0.2, "achlioptas", beta=0) == dasgupta_gupta
    fm = 9 * math.log(1000) / (0.2 ** 2 - 2 * 0.2 ** 3 / 3)
    assert p.jl_min_dim(1000, 0.2, "frankl-maehara") == math.ceil(fm) + 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="epsilon"):
        p.jl_min_dim(100, 1.5)
    with pytest.raises(ValueError, match="variant"):
        p.jl_min_dim(100, 0.1, "nope")
    with pytest.raises(ValueError, match="kind"):
        p.projection_matrix(10, 5, "nope", rng=np.random.default_rng(0))


@pytest.mark.parametrize("variant", ["article", "dasgupta-gupta", "frankl-maehara"])
def test_jl_epsilon_inverts_the_bound(variant):
    n, k = 100_000, 1000
    eps = p.jl_epsilon(n, k, variant)
    assert p.jl_min_dim(n, eps * 1.0001, variant) <= k + (1 if variant == "frankl-maehara" else 0)
    assert p.jl_min_dim(n, eps * 0.999, variant) > k
    assert math.isnan(p.jl_epsilon(10 ** 9, 5, "article"))
    # Frankl–Maehara never gets below 27 ln n (its denominator is at most 1/3)
    assert math.isnan(p.jl_epsilon(100_000, 300, "frankl-maehara"))


@pytest.mark.parametrize("kind", ["gaussian", "achlioptas", "very-sparse"])
def test_projection_preserves_squared_norms_on_average(kind):
    rng = np.random.default_rng(0)
    d, k = 400, 50
    x = rng.standard_normal(d)
    ratios = []
    for _ in range(400):
        R = p.projection_matrix(d, k, kind, rng=rng)
        ratios.append(np.sum((R @ x) ** 2) / np.sum(x ** 2))
    ratios = np.array(ratios)
    assert ratios.mean() == pytest.approx(1, abs=0.03)
    # Gaussian: k * ratio ~ chi2_k, variance 2/k; the sparse ones are close for dense x
    assert ratios.var() == pytest.approx(2 / k, rel=0.2)


def test_sparse_matrices_have_the_right_density_and_values():
    rng = np.random.default_rng(1)
    R = p.projection_matrix(900, 200, "achlioptas", rng=rng)
    assert np.mean(R != 0) == pytest.approx(1 / 3, abs=0.01)
    assert np.allclose(np.unique(np.abs(R[R != 0])), math.sqrt(3 / 200))
    V = p.projection_matrix(900, 200, "very-sparse", rng=rng)
    assert np.mean(V != 0) == pytest.approx(1 / 30, abs=0.003)
    assert np.mean(V > 0) == pytest.approx(np.mean(V < 0), abs=0.003)


def test_distance_ratios_all_pairs_brute_force():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((12, 30))
    Y = p.project(X, 10, rng=rng)
    r = p.distance_ratios(X, Y)
    brute = [np.sum((Y[i] - Y[j]) ** 2) / np.sum((X[i] - X[j]) ** 2)
             for i in range(12) for j in range(i + 1, 12)]
    assert np.allclose(r, brute)
    sampled = p.distance_ratios(X, Y, n_pairs=500, rng=rng)
    assert set(np.round(sampled, 12)) <= set(np.round(r, 12))


def test_gaussian_distortion_within_dasgupta_gupta_bound():
    rng = np.random.default_rng(3)
    n, eps = 200, 0.3
    k = p.jl_min_dim(n, eps)
    X = rng.standard_normal((n, 1000))
    r = p.distance_ratios(X, p.project(X, k, rng=rng))
    assert np.all(np.abs(r - 1) <= eps)


def test_knn_overlap():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((300, 20))
    assert p.knn_overlap(X, X, np.arange(50), k=5) == 1.0
    assert p.knn_overlap(X, 3 * X, np.arange(50), k=5) == 1.0   # cosine ignores scale
    shuffled = rng.standard_normal((300, 20))
    assert p.knn_overlap(X, shuffled, np.arange(300), k=5) < 0.1


def test_pca_project_against_svd_and_variance():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((200, 6)) @ np.diag([5, 3, 1, 0.5, 0.2, 0.1])
    Y = pca_project(X, 2)
    # the top-2 projection keeps the largest possible share of the centred variance
    centred = X - X.mean(axis=0)
    s = np.linalg.svd(centred, compute_uv=False)
    assert np.sum(Y ** 2) == pytest.approx(np.sum(s[:2] ** 2))
    full = pca_project(X, 6)
    assert np.allclose(p.distance_ratios(X, full), 1)   # a rotation keeps every distance
    with pytest.raises(ValueError):
        pca_project(X, 7)


def test_uncentred_svd_projection_keeps_cosines_at_full_rank():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((100, 5)) + 3
    Y = pca_project(X, 5, center=False)
    assert p.knn_overlap(X, Y, np.arange(100), k=5) == 1.0


def test_projection_arguments_are_checked_and_rng_may_be_a_seed():
    seeded = p.projection_matrix(8, 3, "achlioptas", rng=5)
    np.testing.assert_array_equal(seeded, p.projection_matrix(8, 3, "achlioptas",
                                                              rng=np.random.default_rng(5)))
    with pytest.raises(ValueError, match=r"density must be a finite number in \(0, 1\]"):
        p.projection_matrix(8, 3, "very-sparse", rng=0, density=0.0)
    with pytest.raises(ValueError, match=r"\bk must be an integer >= 1"):
        p.projection_matrix(8, 0, rng=0)
    X = np.random.default_rng(0).standard_normal((6, 4))
    with pytest.raises(ValueError, match=r"\bk must be at most 5"):
        p.knn_overlap(X, X, [0, 1], k=6)
    with pytest.raises(ValueError, match="X and Y must have the same number of rows"):
        p.distance_ratios(X, X[:5])
    assert np.array_equal(p.distance_ratios(X, 2 * X, n_pairs=4, rng=1), np.full(4, 4.0))
