"""lessons.vectors.analogy, the one analogy scorer, against plain-numpy loops."""
import numpy as np
import pytest

from lessons.vectors.analogy import accuracy, analogy_scores, exclude_question_words
from lessons.vectors.embeddings import Embeddings
from tests.references import analogy_accuracy


def _emb(seed=0, n=40, d=6):
    rng = np.random.default_rng(seed)
    return Embeddings([f"w{i}" for i in range(n)], rng.normal(size=(n, d)).astype(np.float32))


def _loop_scores(emb, a, b, c, method, epsilon=1e-3):
    unit = emb.vectors.astype(np.float64)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    out = np.empty(len(unit))
    for x in range(len(unit)):
        cos = {k: unit[x] @ unit[i] for k, i in (("a", a), ("b", b), ("c", c))}
        if method == "3cosadd":
            t = unit[b] - unit[a] + unit[c]
            out[x] = unit[x] @ t / np.linalg.norm(t)
        else:
            s = {k: (v + 1) / 2 for k, v in cos.items()}
            out[x] = s["b"] * s["c"] / (s["a"] + epsilon)
    return out


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_scores_match_a_loop_and_the_cosine_shortcut(method):
    emb = _emb()
    a, b, c = np.array([0, 5, 7]), np.array([1, 6, 8]), np.array([2, 9, 3])
    scores = analogy_scores(emb.normalized, a, b, c, method=method)
    for q in range(3):
        np.testing.assert_allclose(scores[q], _loop_scores(emb, a[q], b[q], c[q], method),
                                   rtol=1e-5, atol=1e-6)
    distinct, local = np.unique(np.stack([a, b, c], axis=1), return_inverse=True)
    table = emb.normalized[distinct] @ emb.normalized.T
    shortcut = analogy_scores(emb.normalized, a, b, c, method=method,
                              cosines=(table, local.reshape(-1, 3).T))
    np.testing.assert_allclose(shortcut, scores, rtol=1e-5, atol=1e-6)
    restricted = analogy_scores(emb.normalized, a, b, c, method=method, candidates=10)
    np.testing.assert_allclose(restricted, scores[:, :10], rtol=1e-6)


def test_question_words_are_excluded_only_inside_the_candidates():
    scores = np.zeros((2, 4), dtype=np.float32)
    exclude_question_words(scores, np.array([0, 3]), np.array([1, 9]), np.array([2, 2]))
    assert np.isneginf(scores[0, :3]).all() and scores[0, 3] == 0
    assert np.isneginf(scores[1, [2, 3]]).all() and (scores[1, :2] == 0).all()


def test_accuracy_matches_the_reference_loop_and_embeddings_analogy():
    emb = _emb(seed=1, n=60, d=4)
    quads = [tuple(f"w{i}" for i in row) for row in
             np.random.default_rng(2).choice(60, size=(50, 4), replace=True) if len(set(row)) == 4]
    expected = analogy_accuracy(emb, quads)
    assert accuracy(emb, quads) == pytest.approx(expected)
    loop = np.mean([emb.analogy(a, b, c)[0][0] == d for a, b, c, d in quads])
    assert loop == pytest.approx(expected)


def test_accuracy_on_perfect_vectors_and_errors():
    words = ["man", "woman", "king", "queen", "x"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [-1, -1, -1]], dtype=float)
    emb = Embeddings(words, vectors)
    assert accuracy(emb, [("man", "woman", "king", "queen"),
                          ("woman", "man", "queen", "king")]) == 1.0
    assert accuracy(emb, [("man", "woman", "king", "x")]) == 0.0
    with pytest.raises(ValueError, match="questions"):
        accuracy(emb, [])
    with pytest.raises(ValueError, match="method"):
        accuracy(emb, [("man", "woman", "king", "queen")], method="3cosdiv")
