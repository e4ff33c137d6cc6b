"""Full-softmax skip-gram: one SGD step is the textbook gradient, and training learns."""
import math

import numpy as np
import pytest

from lessons.data.corpus import article_corpus
from lessons.models.softmax import MAX_SOFTMAX_VOCAB, _softmax_epoch, skipgram_pairs, train_softmax
from lessons.data.toylang import toy_sentences


def test_pairs():
    pairs = skipgram_pairs([np.array([0, 1, 2])], window=1)
    assert pairs.tolist() == [[0, 1], [1, 0], [1, 2], [2, 1]]


def test_one_step_is_the_softmax_gradient():
    rng = np.random.default_rng(0)
    V, d, lr = 6, 4, 0.3
    W_in = rng.normal(size=(V, d)).astype(np.float32)
    W_out = rng.normal(size=(V, d)).astype(np.float32)
    pairs, order = np.array([[2, 4]]), np.array([0])
    # independent numpy computation in float64
    v, U = W_in[2].astype(np.float64), W_out.astype(np.float64)
    z = U @ v
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    expected_loss = -math.log(p[4])
    dz = p - np.eye(V)[4]
    expected_in, expected_out = v - lr * (U.T @ dz), U - lr * np.outer(dz, v)
    for fn in (_softmax_epoch, _softmax_epoch.py_func):
        a, b = W_in.copy(), W_out.copy()
        loss = fn(a, b, pairs, order, lr)
        assert loss == pytest.approx(expected_loss, rel=1e-12)
        np.testing.assert_allclose(a[2], expected_in, rtol=1e-6)
        np.testing.assert_allclose(b, expected_out, rtol=1e-6, atol=1e-7)
        np.testing.assert_array_equal(np.delete(a, 2, axis=0), np.delete(W_in, 2, axis=0))


def test_training_lowers_the_loss():
    emb = train_softmax(article_corpus("training"), dim=8, epochs=30, seed=0)
    loss = emb.history.mean_loss
    V = len(emb)
    assert loss[0] < math.log(V) + 0.01 and loss[-1] < 0.8 * loss[0]
    assert emb.history.epochs == 30 and emb.vectors.shape == (V, 8)
    again = train_softmax(article_corpus("training"), dim=8, epochs=30, seed=0)
    np.testing.assert_array_equal(emb.vectors, again.vectors)


def test_toy_language_neighbours():
    emb = train_softmax(toy_sentences(1500, seed=0), dim=20, epochs=5, learning_rate=0.05)
    unit = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    i = {w: k for k, w in enumerate(emb.words)}
    # king shares its royal and male cues with prince, not with cats
    assert unit[i["king"]] @ unit[i["prince"]] > unit[i["king"]] @ unit[i["cats"]] + 0.2


@pytest.mark.parametrize("kwargs, name", [(dict(dim=0), "dim"), (dict(window=0), "window"),
                                          (dict(epochs=0), "epochs"),
                                          (dict(learning_rate=float("nan")), "learning_rate")])
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        train_softmax(article_corpus("training"), **kwargs)


def test_vocabulary_too_big():
    corpus = [[f"w{i}" for i in range(MAX_SOFTMAX_VOCAB + 1)]]
    with pytest.raises(ValueError, match="vocabulary"):
        train_softmax(corpus)
    with pytest.raises(ValueError, match="corpus"):
        train_softmax([])
