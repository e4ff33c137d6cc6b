"""Tests for lessons.geometry.maps: every measure against a brute-force loop over the
definition, t-SNE's affinities and gradient against their definitions (finite differences),
the numba gradient against the numpy one, and t-SNE on clusters it must keep apart."""
import itertools
import math

import numpy as np
import pytest

from lessons.geometry import maps


def brute_distances(X, metric):
    X = np.asarray(X, dtype=float)
    if metric == "cosine":
        X = X / np.linalg.norm(X, axis=1, keepdims=True)
    n = len(X)
    return np.array([[sum((X[i, c] - X[j, c]) ** 2 for c in range(X.shape[1])) for j in range(n)]
                     for i in range(n)])


def brute_neighbours(X, k, metric):
    D = brute_distances(X, metric)
    return [sorted((j for j in range(len(X)) if j != i), key=lambda j: (D[i, j], j))[:k]
            for i in range(len(X))]


@pytest.fixture
def cloud():
    rng = np.random.default_rng(0)
    return rng.normal(size=(25, 6)), rng.normal(size=(25, 2))


@pytest.mark.parametrize("metric", maps.METRICS)
def test_distances_and_neighbours_match_brute_force(cloud, metric):
    X, _ = cloud
    np.testing.assert_allclose(maps.squared_distances(X, metric), brute_distances(X, metric),
                               atol=1e-12)
    assert maps.nearest_neighbours(X, 4, metric).tolist() == brute_neighbours(X, 4, metric)
    if metric == "cosine":
        unit = X / np.linalg.norm(X, axis=1, keepdims=True)
        np.testing.assert_allclose(maps.squared_distances(X, metric), 2 - 2 * unit @ unit.T,
                                   atol=1e-12)


def test_neighbour_ties_go_to_the_smaller_index():
    X = np.array([[0.0], [1.0], [-1.0], [2.0]])
    assert maps.nearest_neighbours(X, 2).tolist() == [[1, 2], [0, 3], [0, 1], [1, 0]]


@pytest.mark.parametrize("k", [1, 3, 7])
def test_neighbour_recall_matches_brute_force(cloud, k):
    high, low = cloud
    true, shown = brute_neighbours(high, k, "cosine"), brute_neighbours(low, k, "euclidean")
    expected = [len(set(t) & set(s)) / k for t, s in zip(true, shown)]
    np.testing.assert_allclose(maps.neighbour_recall(high, low, k), expected)
    np.testing.assert_allclose(maps.neighbour_recall(high, high, k, low_metric="cosine"), 1.0)


def brute_trustworthiness(high, low, k):
    n = len(high)
    D = brute_distances(high, "cosine")
    total = 0
    for i, shown in enumerate(brute_neighbours(low, k, "euclidean")):
        ranked = sorted((j for j in range(n) if j != i), key=lambda j: (D[i, j], j))
        rank = {j: r + 1 for r, j in enumerate(ranked)}
        total += sum(rank[j] - k for j in shown if rank[j] > k)
    return 1 - 2 / (n * k * (2 * n - 3 * k - 1)) * total


@pytest.mark.parametrize("k", [1, 5, 12])
def test_trustworthiness_matches_brute_force(cloud, k):
    high, low = cloud
    assert maps.trustworthiness(high, low, k) == pytest.approx(brute_trustworthiness(high, low, k))
    assert maps.trustworthiness(high, high, k, low_metric="cosine") == pytest.approx(1.0)


def test_trustworthiness_of_a_random_map_is_about_one_half():
    rng = np.random.default_rng(1)
    high, low = rng.normal(size=(300, 20)), rng.normal(size=(300, 2))
    assert maps.trustworthiness(high, low, 10) == pytest.approx(0.5, abs=0.05)
    assert maps.neighbour_recall(high, low, 10).mean() == pytest.approx(10 / 299, abs=0.03)


def test_distance_correlation_and_spread(cloud):
    high, low = cloud
    # a monotone function of the distances keeps every rank
    assert maps.distance_correlation(low, 3 * low, high_metric="euclidean") == pytest.approx(1.0)
    assert abs(maps.distance_correlation(high, low)) < 0.3  # unrelated points
    members = [0, 3, 5, 9]
    rms = lambda P: math.sqrt(np.mean([np.sum((p - P.mean(axis=0)) ** 2) for p in P]))  # noqa: E731
    assert maps.relative_spread(low, members) == pytest.approx(rms(low[members]) / rms(low))
    unit = high / np.linalg.norm(high, axis=1, keepdims=True)
    assert maps.relative_spread(high, members, "cosine") == pytest.approx(
        rms(unit[members]) / rms(unit))


@pytest.mark.parametrize("call, match", [
    (lambda X: maps.nearest_neighbours(X, 0), "k must"),
    (lambda X: maps.nearest_neighbours(X, 25), "k must"),
    (lambda X: maps.nearest_neighbours(X, 2, "manhattan"), "metric"),
    (lambda X: maps.neighbour_recall(X, X[:5], 2), "same points"),
    (lambda X: maps.trustworthiness(X, X, 13), "k < n / 2"),
    (lambda X: maps.nearest_neighbours(X[:, :1] * np.nan, 2), r"X holds nan at index \(0, 0\)"),
    (lambda X: maps.squared_distances(X[:1]), "X must be .* at least 2 rows"),
    (lambda X: maps.squared_distances(np.zeros((3, 2)), "cosine"), "X row 0 is a zero vector"),
    (lambda X: maps.relative_spread(X, [1]), "members"),
    (lambda X: maps.tsne(X, perplexity=30), "perplexity"),
    (lambda X: maps.tsne(X, init="spectral"), "init"),
    (lambda X: maps.tsne(X, perplexity=5, iterations=0), "iterations"),
])
def test_bad_arguments(cloud, call, match):
    with pytest.raises(ValueError, match=match):
        call(cloud[0])


# --------------------------------------------------------------------------- t-SNE

@pytest.mark.parametrize("perplexity", [2.0, 5.0, 10.0])
def test_affinities_have_the_asked_perplexity(cloud, perplexity):
    D = maps.squared_distances(cloud[0])
    P = maps.tsne_affinities(D, perplexity)
    n = len(D)
    assert P.sum() == pytest.approx(1.0) and np.allclose(P, P.T) and np.all(np.diag(P) == 0)
    # Each row's Gaussian, found by a scalar bisection the textbook way, has the target
    # perplexity, and P is their symmetrised average.
    conditional = np.zeros((n, n))
    for i in range(n):
        others = [j for j in range(n) if j != i]
        low, high = 0.0, 1e6
        for _ in range(200):
            beta = (low + high) / 2
            p = np.exp(-beta * (D[i, others] - D[i, others].min()))
            p /= p.sum()
            entropy = -np.sum(p * np.log(np.maximum(p, 1e-300)))
            low, high = (beta, high) if entropy > math.log(perplexity) else (low, beta)
        assert math.exp(entropy) == pytest.approx(perplexity, rel=1e-6)
        conditional[i, others] = p
    expected = np.maximum((conditional + conditional.T) / (2 * n), 1e-12 * (1 - np.eye(n)))
    np.testing.assert_allclose(P, expected, rtol=1e-3, atol=1e-9)


def test_gradient_matches_finite_differences_and_the_numba_kernel(cloud):
    X, Y = cloud
    P = maps.tsne_affinities(maps.squared_distances(X), 5.0)

    def kl(Y):
        n = len(Y)
        kernel = np.array([[0.0 if i == j else 1 / (1 + np.sum((Y[i] - Y[j]) ** 2))
                            for j in range(n)] for i in range(n)])
        Q = kernel / kernel.sum()
        return sum(P[i, j] * math.log(P[i, j] / Q[i, j])
                   for i, j in itertools.permutations(range(n), 2))

    value, grad = maps.tsne_gradient(P, Y)
    assert value == pytest.approx(kl(Y), rel=1e-10)
    eps = 1e-6
    numeric = np.zeros_like(Y)
    for idx in np.ndindex(Y.shape):
        up, down = Y.copy(), Y.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (kl(up) - kl(down)) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)
    for exaggeration in (1.0, 12.0):
        out = np.zeros_like(Y)
        maps._tsne_gradient_kernel(P, Y, exaggeration, np.zeros((len(Y), len(Y))), out)
        np.testing.assert_allclose(out, maps.tsne_gradient(exaggeration * P, Y)[1],
                                   rtol=1e-10, atol=1e-14)


def clusters(n_per=30, d=10, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10.0, size=(3, d))
    X = np.concatenate([c + rng.normal(size=(n_per, d)) for c in centres])
    return X, np.repeat(np.arange(3), n_per)


@pytest.mark.parametrize("init", ["pca", "random"])
def test_tsne_keeps_clusters_apart_and_neighbours_near(init):
    X, labels = clusters()
    result = maps.tsne(X, perplexity=10, metric="euclidean", iterations=400, init=init, seed=0)
    Y = result.points
    assert Y.shape == (90, 2) and result.kl > 0 and result.init == init
    # every point's 5 map neighbours come from its own cluster
    same = labels[maps.nearest_neighbours(Y, 5)] == labels[:, None]
    assert same.all()
    assert maps.trustworthiness(X, Y, 5, high_metric="euclidean") > 0.9
    again = maps.tsne(X, perplexity=10, metric="euclidean", iterations=400, init=init, seed=0)
    np.testing.assert_array_equal(Y, again.points)
    other = maps.tsne(X, perplexity=10, metric="euclidean", iterations=400, init=init, seed=1)
    assert np.array_equal(Y, other.points) == (init == "pca")  # only a random start uses the seed


def test_tsne_lowers_kl_below_the_start():
    X, _ = clusters(n_per=15)
    P = maps.tsne_affinities(maps.squared_distances(X), 8.0)
    start = maps.tsne_gradient(P, np.random.default_rng(0).normal(scale=1e-4, size=(45, 2)))[0]
    result = maps.tsne(X, perplexity=8, metric="euclidean", iterations=1000, init="random")
    assert result.kl < 0.1 * start
    # a minimum: plain gradient steps from the map no longer lower the divergence
    Y = result.points
    for _ in range(200):
        Y = Y - 20.0 * maps.tsne_gradient(P, Y)[1]
    assert maps.tsne_gradient(P, Y)[0] > 0.98 * result.kl
