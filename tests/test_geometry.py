"""Tests for lessons.geometry.high_dimensions: closed forms against simulation and quadrature
(fixed seeds)."""
import math

import numpy as np
import pytest
from scipy import integrate, stats

from lessons.geometry import high_dimensions as g
from lessons.vectors.linalg import cosine, cosine_matrix


def test_article_cosines_recomputed():
    v = {k: np.array(x) for k, x in g.ARTICLE_VECTORS_4D.items()}
    # independent reference: explicit sums
    def ref(a, b):
        dot = sum(x * y for x, y in zip(a, b))
        return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    assert cosine(v["cat"], v["dog"]) == pytest.approx(ref(v["cat"], v["dog"]), abs=1e-12)
    assert round(cosine(v["cat"], v["dog"]), 3) == 0.982      # the article prints 0.981
    assert round(cosine(v["cat"], v["tiger"]), 3) == 0.805    # the article prints 0.793
    assert round(cosine(v["cat"], v["car"]), 3) == -0.559     # the article prints -0.476


def test_cosine_of_a_zero_vector_is_zero_and_bad_input_is_refused():
    assert cosine([0, 0], [1, 0]) == 0.0    # linalg's zero-vector rule
    assert cosine([1, 0], [0.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="equal length"):
        cosine([1, 0], [1, 0, 0])


def test_cosine_matrix_matches_pairwise():
    rng = np.random.default_rng(1)
    A, B = rng.standard_normal((4, 6)), rng.standard_normal((3, 6))
    M = cosine_matrix(A, B)
    for i in range(4):
        for j in range(3):
            assert M[i, j] == pytest.approx(cosine(A[i], B[j]))


def test_pairwise_distances_2d():
    pairs = {(a, b): d for a, b, d in g.pairwise_distances(g.ARTICLE_VECTORS_2D)}
    assert len(pairs) == 10 and all(a < b for a, b in pairs)
    assert pairs[("cat", "dog")] == pytest.approx(math.hypot(0.1, 0.8))
    assert pairs[("cat", "tiger")] == pytest.approx(math.hypot(0.7, 0.05))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_random_unit_vectors_are_unit_and_keep_their_dtype(dtype):
    X = g.random_unit_vectors(500, 7, np.random.default_rng(9), dtype=dtype)
    assert X.shape == (500, 7) and X.dtype == dtype
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1, rtol=1e-6)
    # uniform on the sphere: each coordinate has mean 0 and mean square 1/d
    assert np.abs(X.mean(axis=0)).max() < 0.1
    np.testing.assert_allclose((X ** 2).mean(axis=0), 1 / 7, atol=0.03)


@pytest.mark.parametrize("d", [2, 3, 5, 10, 50, 300])
def test_density_integrates_to_one_and_has_variance_one_over_d(d):
    mass = integrate.quad(g.cosine_density, -1, 1, args=(d,), limit=200)[0]
    second = integrate.quad(lambda c: c * c * g.cosine_density(c, d), -1, 1, limit=200)[0]
    absmean = 2 * integrate.quad(lambda c: c * g.cosine_density(c, d), 0, 1, limit=200)[0]
    assert mass == pytest.approx(1, abs=1e-6)
    assert second == pytest.approx(1 / d, rel=1e-5)
    assert absmean == pytest.approx(g.mean_abs_cosine(d), rel=1e-5)


def test_density_special_cases():
    c = np.array([-0.5, 0.0, 0.3])
    assert np.allclose(g.cosine_density(c, 2), 1 / (math.pi * np.sqrt(1 - c ** 2)))
    assert np.allclose(g.cosine_density(c, 3), 0.5)
    # Beta((d-1)/2, (d-1)/2) on (c+1)/2
    d = 7
    assert np.allclose(g.cosine_density(c, d), stats.beta.pdf((c + 1) / 2, 3, 3) / 2)


@pytest.mark.parametrize("d", [2, 10, 300])
def test_simulated_cosines_match_closed_forms(d):
    c = g.random_cosines(200_000, d, np.random.default_rng(0))
    assert c.mean() == pytest.approx(0, abs=4 / math.sqrt(200_000 * d))
    assert c.std() == pytest.approx(1 / math.sqrt(d), rel=0.01)
    assert np.abs(c).mean() == pytest.approx(g.mean_abs_cosine(d), rel=0.01)
    assert np.abs(c).std() == pytest.approx(g.sd_abs_cosine(d), rel=0.015)
    # distribution: Kolmogorov–Smirnov against the exact Beta law
    ks = stats.kstest((c + 1) / 2, stats.beta((d - 1) / 2, (d - 1) / 2).cdf)
    assert ks.pvalue > 1e-3


def test_mean_abs_cosine_values_and_limit():
    assert g.mean_abs_cosine(2) == pytest.approx(2 / math.pi)
    assert g.mean_abs_cosine(3) == pytest.approx(0.5)
    assert g.mean_abs_cosine(10_000) == pytest.approx(math.sqrt(2 / (math.pi * 10_000)), rel=1e-3)
    assert g.cosine_sd(300) == pytest.approx(0.057735, rel=1e-5)


def test_cosine_tail_against_simulation_and_density():
    d, t = 20, 0.3
    by_density = 2 * integrate.quad(g.cosine_density, t, 1, args=(d,))[0]
    assert float(g.cosine_tail(t, d)) == pytest.approx(by_density, rel=1e-8)
    c = g.random_cosines(100_000, d, np.random.default_rng(2))
    assert np.mean(np.abs(c) > t) == pytest.approx(by_density, rel=0.03)
    assert float(g.cosine_tail(0.0, d)) == pytest.approx(1)
    with pytest.raises(ValueError):
        g.cosine_tail(1.5, d)


def test_shell_fraction_article_table():
    assert g.shell_fraction(0.1, 2) == pytest.approx(0.19)
    assert g.shell_fraction(0.1, 3) == pytest.approx(0.271)
    assert g.shell_fraction(0.1, 50) == pytest.approx(1 - 0.9 ** 50, rel=1e-14)
    assert f"{g.shell_fraction(0.1, 50) * 100:.6f}" == "99.484622"     # article: 99.515298
    assert f"{g.shell_fraction(0.1, 100) * 100:.6f}" == "99.997344"    # article: 99.997347
    assert 1 - g.shell_fraction(0.1, 300) == pytest.approx(0.9 ** 300, rel=1e-6)
    # Monte Carlo: uniform points in the 5-ball (Gaussian direction, radius U^(1/d))
    rng = np.random.default_rng(3)
    r = rng.random(100_000) ** (1 / 5)
    assert np.mean(r > 0.9) == pytest.approx(g.shell_fraction(0.1, 5), abs=0.005)


def test_gaussian_norms():
    rng = np.random.default_rng(4)
    for d in (1, 3, 100):
        norms = np.linalg.norm(rng.standard_normal((100_000, d)), axis=1)
        assert norms.mean() == pytest.approx(g.gaussian_norm_mean(d), rel=0.005)
        assert norms.std() == pytest.approx(g.gaussian_norm_sd(d), rel=0.01)
        assert g.gaussian_norm_mean(d) == pytest.approx(stats.chi(d).mean())
    assert g.gaussian_norm_sd(10_000) == pytest.approx(1 / math.sqrt(2), rel=1e-3)


def test_corner_cosines():
    d = 6
    cos, p = g.corner_cosine_pmf(d)
    assert p.sum() == pytest.approx(1)
    rng = np.random.default_rng(5)
    a, b = rng.choice([-1, 1], (2, 50_000, d))
    sim = np.einsum("ij,ij->i", a, b) / d
    for c, q in zip(cos, p):
        assert np.mean(np.isclose(sim, c)) == pytest.approx(q, abs=0.01)
    assert (cos * cos * p).sum() == pytest.approx(1 / d)  # same variance as random directions


def test_mean_pairwise_cosine_brute_force():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((50, 8)) + 0.7
    C = cosine_matrix(X)
    brute = (C.sum() - np.trace(C)) / (50 * 49)
    assert g.mean_pairwise_cosine(X) == pytest.approx(brute, rel=1e-10)
    assert g.mean_pairwise_cosine(X) > 0.2


def test_anisotropy_report_isotropic_vs_shifted():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((3000, 50))
    iso = g.anisotropy_report(X, np.random.default_rng(0))
    assert abs(iso["mean cosine"]) < 0.01
    assert iso["cosine sd"] == pytest.approx(1 / math.sqrt(50), rel=0.05)
    assert iso["top PC share"] < 2.5 / 50
    shifted = g.anisotropy_report(X + 2.0, np.random.default_rng(0))
    assert shifted["mean cosine"] > 0.5 and shifted["mean-vector share"] > 0.5
    top = g.top_components_variance(X, 3)
    assert np.all(np.diff(top) <= 0)


def test_article_cosine_table_replay_is_close_to_exact():
    table = g.article_cosine_table((2, 50), n_pairs=2000, seed=42)
    for d, (mean_abs, std) in table.items():
        assert mean_abs == pytest.approx(g.mean_abs_cosine(d), rel=0.06)
        assert std == pytest.approx(g.cosine_sd(d), rel=0.06)
    # same legacy stream as np.random.seed(42); np.random.randn(...)
    state = np.random.RandomState(42)
    a, b = state.randn(2), state.randn(2)
    first = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    again = g.article_cosine_table((2,), n_pairs=1, seed=42)[2]
    assert again[0] == pytest.approx(abs(first))


def test_rng_may_be_a_generator_a_seed_or_none():
    same = g.random_unit_vectors(5, 3, np.random.default_rng(3))
    np.testing.assert_array_equal(g.random_unit_vectors(5, 3, 3), same)
    np.testing.assert_array_equal(g.random_cosines(10, 4, 7),
                                  g.random_cosines(10, 4, np.random.default_rng(7)))
    assert np.allclose(np.linalg.norm(g.random_unit_vectors(5, 3, None), axis=1), 1)
    assert g.anisotropy_report(np.eye(4) + 1, 0) == g.anisotropy_report(np.eye(4) + 1, 0)
    with pytest.raises(ValueError, match=r"rng must be a numpy\.random\.Generator, a seed"):
        g.random_unit_vectors(5, 3, "three")
    with pytest.raises(ValueError, match=r"\bd must be an integer >= 2, got 1"):
        g.mean_abs_cosine(1)
    with pytest.raises(ValueError, match=r"\bk must be at most 3"):
        g.top_components_variance(np.eye(3), 4)
