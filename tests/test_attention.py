"""Tests for lessons.models.attention against explicit loops."""
import numpy as np
import pytest

from lessons.models import attention
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.linalg import cosine


def loop_attention(X, Wq, Wk, Wv, temperature):
    n = len(X)
    out = np.zeros((n, Wv.shape[1]))
    weights = np.zeros((n, n))
    for i in range(n):
        scores = [float((X[i] @ Wq) @ (X[j] @ Wk)) / temperature for j in range(n)]
        exps = [np.exp(s) for s in scores]
        for j in range(n):
            weights[i, j] = exps[j] / sum(exps)
            out[i] += weights[i, j] * (X[j] @ Wv)
    return out, weights


def test_matches_loop_with_random_projections():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    Wq, Wk, Wv = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    out, weights = attention.self_attention(X, Wq, Wk, Wv)
    ref_out, ref_weights = loop_attention(X, Wq, Wk, Wv, np.sqrt(3))
    np.testing.assert_allclose(out, ref_out, rtol=1e-12)
    np.testing.assert_allclose(weights, ref_weights, rtol=1e-12)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def test_identity_default_and_temperature():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    out, weights = attention.self_attention(X, temperature=1.0)
    ref_out, ref_weights = loop_attention(X, np.eye(2), np.eye(2), np.eye(2), 1.0)
    np.testing.assert_allclose(out, ref_out)
    np.testing.assert_allclose(weights, ref_weights)
    # a huge temperature makes attention uniform: every output is the mean row
    out, weights = attention.self_attention(X, temperature=1e9)
    np.testing.assert_allclose(out, np.tile(X.mean(axis=0), (3, 1)), atol=1e-8)


def test_softmax_is_stable():
    p = attention.softmax(np.array([1000.0, 1000.0, -1000.0]))
    np.testing.assert_allclose(p, [0.5, 0.5, 0.0])


def test_same_word_gets_different_vectors_in_different_contexts():
    emb = Embeddings(["bank", "river", "money", "the"],
                     np.array([[1.0, 1.0, 0.0], [0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.5]]))
    river, _ = attention.contextual_vectors(emb, ["the", "river", "bank"])
    money, _ = attention.contextual_vectors(emb, ["the", "money", "bank"])
    bank_river, bank_money = river[2], money[2]
    assert not np.allclose(bank_river, bank_money)
    river = emb["river"]
    assert cosine(bank_river, river) > cosine(emb["bank"], river) > cosine(bank_money, river)
    assert cosine(bank_money, emb["money"]) > cosine(emb["bank"], emb["money"])


@pytest.mark.parametrize("kwargs, match", [
    (dict(X=np.zeros((0, 3))), "X"),
    (dict(X=np.zeros(3)), "X"),
    (dict(X=np.ones((2, 3)), W_query=np.ones((2, 2))), "W_query"),
    (dict(X=np.ones((2, 3)), W_query=np.ones((3, 2)), W_key=np.ones((3, 4))), "same number"),
    (dict(X=np.ones((2, 3)), temperature=0.0), "temperature"),
])
def test_bad_input(kwargs, match):
    X = kwargs.pop("X")
    with pytest.raises(ValueError, match=match):
        attention.self_attention(X, **kwargs)
