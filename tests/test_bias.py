"""lessons.vectors.bias against brute-force references and planted biases."""
from itertools import combinations, permutations

import numpy as np
import pytest

from lessons.vectors import bias
from lessons.vectors.embeddings import Embeddings


def _unit(X):
    X = np.asarray(X, dtype=np.float64)
    return X / np.linalg.norm(X, axis=-1, keepdims=True)


def _loop_association(w, A, B):
    """s(w, A, B) for one vector, with plain Python cosines."""
    def cos(u, v):
        return float(np.dot(u, v) / np.sqrt(np.dot(u, u) * np.dot(v, v)))

    return sum(cos(w, a) for a in A) / len(A) - sum(cos(w, b) for b in B) / len(B)


def _loop_p_value(X, Y, A, B):
    """Exact one-sided p over every *ordering* of the pooled targets (each partition appears
    |X|! |Y|! times, so the share is the share over partitions)."""
    s = [_loop_association(w, A, B) for w in list(X) + list(Y)]
    nx = len(X)
    observed = sum(s[:nx]) - sum(s[nx:])
    hits = total = 0
    for order in permutations(range(len(s))):
        stat = sum(s[i] for i in order[:nx]) - sum(s[i] for i in order[nx:])
        hits += stat >= observed - 1e-12
        total += 1
    return hits / total


def _planted(seed=0, n=8, d=20, strength=1.0):
    """Targets X/Y and attributes A/B where X and A share a planted direction g."""
    rng = np.random.default_rng(seed)
    g = _unit(rng.normal(size=d))
    X = rng.normal(size=(n, d)) + strength * 2 * g
    Y = rng.normal(size=(n, d)) - strength * 2 * g
    A = rng.normal(size=(n, d)) + 2 * g
    B = rng.normal(size=(n, d)) - 2 * g
    return X, Y, A, B, g


# --------------------------------------------------------------------------- direction

@pytest.mark.parametrize("method", ["pca", "mean"])
def test_pair_direction_finds_a_planted_difference(method):
    rng = np.random.default_rng(1)
    d, n = 30, 12
    g = _unit(rng.normal(size=d))
    base = rng.normal(size=(n, d)) * 3
    first = base + g + 0.05 * rng.normal(size=(n, d))
    second = base - g + 0.05 * rng.normal(size=(n, d))
    direction, explained = bias.pair_direction(first, second, method=method)
    assert direction @ g > 0.98  # found, and oriented from second to first
    assert np.isclose(np.linalg.norm(direction), 1)
    assert explained[0] > 0.8 and np.isclose(explained.sum(), 1)


def test_pca_direction_is_the_top_eigenvector_of_the_centred_pairs():
    rng = np.random.default_rng(2)
    first, second = rng.normal(size=(6, 10)), rng.normal(size=(6, 10))
    direction, explained = bias.pair_direction(first, second, method="pca")
    rows = []
    for f, s in zip(_unit(first), _unit(second)):
        mid = (f + s) / 2
        rows += [f - mid, s - mid]
    C = np.array(rows).T @ np.array(rows)  # (d, d) scatter of the centred pairs
    values, vectors = np.linalg.eigh(C)
    assert abs(vectors[:, -1] @ direction) == pytest.approx(1, abs=1e-9)
    top = np.sort(values)[::-1][:len(explained)]
    assert np.allclose(explained, top / values.sum(), atol=1e-12)


def test_pca_ignores_signs_but_the_mean_keeps_them():
    # One big difference that the pairs do not share wins PCA; the mean follows the shared one.
    rng = np.random.default_rng(3)
    d = 20
    g, other = np.eye(d)[0], np.eye(d)[1]
    base = rng.normal(size=(5, d)) * 0.1 + 5 * np.eye(d)[2]
    signs = np.array([1, -1, 1, -1, 1])[:, None]
    first = base + 0.3 * g + 3 * signs * other
    second = base - 0.3 * g
    pca, _ = bias.pair_direction(first, second, method="pca")
    mean, _ = bias.pair_direction(first, second, method="mean")
    assert abs(pca @ other) > 0.9 and mean @ g > abs(mean @ other)


def test_gender_direction_and_pair_accuracy_on_a_tiny_vocabulary():
    rng = np.random.default_rng(4)
    words = ["she", "he", "woman", "man", "queen", "king", "aunt", "uncle", "table"]
    g = np.eye(8)[0]
    base = {w: rng.normal(size=8) for w in ("she", "woman", "queen", "aunt", "table")}
    vec = {"table": base["table"]}
    for f, m in [("she", "he"), ("woman", "man"), ("queen", "king"), ("aunt", "uncle")]:
        vec[f], vec[m] = base[f] + g, base[f] - g
    emb = Embeddings(words, np.array([vec[w] for w in words]))
    direction = bias.gender_direction(emb, [("she", "he"), ("woman", "man"), ("gal", "guy")],
                                      method="mean")
    assert direction.missing == [("gal", "guy")] and len(direction.pairs) == 2
    accuracy, used = bias.pair_accuracy(emb, [("queen", "king"), ("aunt", "uncle"),
                                              ("nope", "king")], direction.vector)
    assert accuracy == 1.0 and used == [("queen", "king"), ("aunt", "uncle")]
    assert bias.projections(vec["table"], direction.vector).shape == (1,)


# --------------------------------------------------------------------------- WEAT

def test_association_and_effect_size_match_a_loop():
    X, Y, A, B, _ = _planted(seed=5, n=5, d=7)
    assert np.allclose(bias.association(X, A, B), [_loop_association(x, A, B) for x in X])
    sx = [_loop_association(x, A, B) for x in X]
    sy = [_loop_association(y, A, B) for y in Y]
    expected = (np.mean(sx) - np.mean(sy)) / np.std(sx + sy, ddof=1)
    assert bias.weat_effect_size(X, Y, A, B) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("nx, ny", [(4, 4), (3, 5)])
def test_exact_p_value_equals_the_brute_force_over_all_orderings(nx, ny):
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(nx, 6)), rng.normal(size=(ny, 6))
    A, B = rng.normal(size=(3, 6)), rng.normal(size=(4, 6))
    test = bias.weat_p_value(X, Y, A, B)
    assert test.exact and test.partitions == len(list(combinations(range(nx + ny), nx)))
    assert test.p_value == pytest.approx(_loop_p_value(X, Y, A, B), abs=1e-12)
    assert len(test.null) == test.partitions


def test_sampled_p_value_estimates_the_exact_one():
    X, Y, A, B, _ = _planted(seed=7, n=8, d=10, strength=0.15)
    exact = bias.weat_p_value(X, Y, A, B)
    sampled = bias.weat_p_value(X, Y, A, B, n_permutations=20_000, seed=1, exact_limit=0)
    assert exact.exact and not sampled.exact and len(sampled.null) == 20_000
    assert 0.02 < exact.p_value < 0.98  # a case where the estimate has something to estimate
    assert sampled.p_value == pytest.approx(exact.p_value, abs=0.015)
    again = bias.weat_p_value(X, Y, A, B, n_permutations=20_000, seed=1, exact_limit=0)
    assert again.p_value == sampled.p_value  # the seed fixes the draws


def test_planted_bias_is_found_and_neutralising_removes_it():
    X, Y, A, B, g = _planted(seed=8, n=8, d=20)
    assert bias.weat_effect_size(X, Y, A, B) > 1.5
    assert bias.weat_p_value(X, Y, A, B).p_value < 0.01
    Xn, Yn = bias.neutralize(X, g), bias.neutralize(Y, g)
    assert abs(bias.weat_effect_size(Xn, Yn, A, B)) < 0.8
    assert bias.weat_p_value(Xn, Yn, A, B).p_value > 0.05


def test_no_planted_bias_gives_no_small_p_value():
    rng = np.random.default_rng(9)
    p = [bias.weat_p_value(*rng.normal(size=(4, 8, 12))).p_value for _ in range(20)]
    assert np.mean(np.array(p) < 0.05) <= 0.15 and max(p) > 0.5


def test_weat_reports_missing_words():
    rng = np.random.default_rng(10)
    words = "x1 x2 y1 y2 a1 a2 b1 b2".split()
    emb = Embeddings(words, rng.normal(size=(8, 5)))
    result = bias.weat(emb, ("X", "x1 x2 x3"), ("Y", ["y1", "y2"]), ("A", "a1 a2"),
                       ("B", "b1 b2 zz"), name="tiny")
    assert result.missing == {"X": ["x3"], "Y": [], "A": [], "B": ["zz"]}
    assert result.words["X"] == ["x1", "x2"] and "tiny: effect size" in str(result)
    with pytest.raises(ValueError, match="set 'Q'"):
        bias.weat(emb, ("Q", "q1"), ("Y", "y1"), ("A", "a1"), ("B", "b1"))


# --------------------------------------------------------------------------- hard debiasing

def test_neutralize_matches_a_loop_and_leaves_nothing_along_the_direction():
    rng = np.random.default_rng(11)
    V, g = rng.normal(size=(7, 9)), rng.normal(size=9)
    out = bias.neutralize(V, g)
    gu = g / np.linalg.norm(g)
    for v, o in zip(V, out):
        u = v / np.linalg.norm(v)
        r = u - (u @ gu) * gu
        assert np.allclose(o, r / np.linalg.norm(r), atol=1e-12)
    assert np.allclose(out @ gu, 0, atol=1e-12) and np.allclose(np.linalg.norm(out, axis=1), 1)


def test_equalize_makes_pairs_symmetric_about_the_direction():
    rng = np.random.default_rng(12)
    F, S, g = rng.normal(size=(3, 10)), rng.normal(size=(3, 10)), np.eye(10)[0]
    F2, S2 = bias.equalize(F, S, g)
    assert np.allclose(np.linalg.norm(F2, axis=1), 1) and np.allclose(np.linalg.norm(S2, axis=1), 1)
    assert np.allclose(F2 @ g, -(S2 @ g))
    assert np.allclose(F2 - np.outer(F2 @ g, g), S2 - np.outer(S2 @ g, g))
    neutral = bias.neutralize(rng.normal(size=(4, 10)), g)
    assert np.allclose(neutral @ F2.T, neutral @ S2.T)  # equally close to both words
    assert np.all(np.sign(F2 @ g) == np.sign((_unit(F) - _unit(S)) @ g))


# --------------------------------------------------------------------------- its limits

def test_kmeans_finds_the_best_two_way_split_of_a_small_set():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(10, 2))
    best = np.inf
    for mask in range(1, 2 ** 9):  # every split with point 0 in the first group
        first = np.array([True] + [bool(mask >> i & 1) for i in range(9)])
        cost = sum(np.sum((X[m] - X[m].mean(axis=0)) ** 2) for m in (first, ~first) if m.any())
        best = min(best, cost)
    labels, centres, inertia = bias.kmeans(X, 2, seed=0, n_init=20)
    assert inertia == pytest.approx(best, rel=1e-9)
    assert np.allclose(centres[labels[0]], X[labels == labels[0]].mean(axis=0))


def test_cluster_recovery_finds_planted_groups_and_not_random_labels():
    rng = np.random.default_rng(14)
    g = np.eye(16)[0]
    V = rng.normal(size=(60, 16)) * 0.3 + np.where(np.arange(60)[:, None] < 30, 2, -2) * g
    labels = (np.arange(60) < 30).astype(int)
    assert bias.cluster_recovery(V + 0.5, labels) == 1.0
    assert bias.cluster_recovery(V + 0.5, rng.permutation(labels)) < 0.75
    with pytest.raises(ValueError, match="labels must be 0/1"):
        bias.cluster_recovery(V, np.arange(60) % 3)


def test_neighbour_recovery_matches_a_loop():
    rng = np.random.default_rng(15)
    V = rng.normal(size=(25, 6))
    labels = (V[:, 0] + 0.5 * rng.normal(size=25) > 0).astype(int)
    U = _unit(V)
    right = 0
    for i in range(25):
        others = [j for j in range(25) if j != i]
        nearest = sorted(others, key=lambda j: -(U[i] @ U[j]))[:5]
        right += (np.mean(labels[nearest]) > 0.5) == (labels[i] == 1)
    assert bias.neighbour_recovery(V, labels, k=5) == pytest.approx(right / 25)


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="zero vector"):
        bias.neutralize(np.ones((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="method must be"):
        bias.pair_direction(np.ones((1, 3)), np.eye(3)[:1], method="svd")
    with pytest.raises(ValueError, match=r"^W holds nan at index \(0, 0\)"):
        bias.association([[np.nan, 1.0]], [[1.0, 0.0]], [[0.0, 1.0]])
    with pytest.raises(ValueError, match="n_permutations"):
        bias.weat_p_value(*np.ones((4, 2, 3)) + np.eye(3)[:2], n_permutations=0)
