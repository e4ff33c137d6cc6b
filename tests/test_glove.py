"""Tests for lessons.models.glove: counts against a brute-force loop, gradients against finite
differences, and training that actually fits."""
import numpy as np
import pytest

from lessons.models import glove
from lessons.data.corpus import Vocabulary
from lessons.data.toylang import planted_analogies, toy_sentences
from lessons.vectors.analogy import accuracy


def brute_force_counts(sentences, vocab, window, distance_weighting):
    X = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        ids = [vocab.index[w] for w in s if w in vocab.index]
        for i in range(len(ids)):
            for j in range(len(ids)):
                if i != j and abs(i - j) <= window:
                    X[ids[i], ids[j]] += 1.0 / abs(i - j) if distance_weighting else 1.0
    return X


@pytest.mark.parametrize("window", [1, 2, 5])
@pytest.mark.parametrize("distance_weighting", [True, False])
def test_cooccurrence_counts_match_brute_force(window, distance_weighting):
    sentences = [["a", "b", "c", "a", "d"], ["b", "b", "a"], ["c"], ["d", "rare", "a"]]
    vocab = Vocabulary.from_corpus(sentences, min_count=2)  # drops "rare"
    X = glove.cooccurrence_counts(sentences, vocab, window=window,
                                  distance_weighting=distance_weighting)
    np.testing.assert_allclose(X, brute_force_counts(sentences, vocab, window, distance_weighting))
    np.testing.assert_array_equal(X, X.T)


def test_cooccurrence_window_must_be_positive():
    vocab = Vocabulary.from_corpus([["a", "b"]])
    with pytest.raises(ValueError, match="window"):
        glove.cooccurrence_counts([["a", "b"]], vocab, window=0)


def test_weighting_function():
    f = glove.weighting(np.array([0.0, 1.0, 50.0, 100.0, 1e4]), x_max=100, alpha=0.75)
    np.testing.assert_allclose(f, [0.0, 0.01 ** 0.75, 0.5 ** 0.75, 1.0, 1.0])
    with pytest.raises(ValueError, match="x_max"):
        glove.weighting(1.0, x_max=0)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    V, d = 5, 3
    params = [rng.normal(size=(V, d)), rng.normal(size=(V, d)), rng.normal(size=V), rng.normal(size=V)]
    X = rng.integers(0, 4, size=(V, V)).astype(float)
    rows, cols = np.nonzero(X)
    log_x, weights = np.log(X[rows, cols]), glove.weighting(X[rows, cols], x_max=3)

    def loss_of(ps):
        return glove.glove_loss_and_gradients(*ps, rows, cols, log_x, weights)[0]

    # the loss is the sum written out cell by cell
    W, Wc, b, bc = params
    direct = sum(weights[m] * (W[i] @ Wc[j] + b[i] + bc[j] - log_x[m]) ** 2
                 for m, (i, j) in enumerate(zip(rows, cols)))
    assert loss_of(params) == pytest.approx(direct, rel=1e-12)
    _, grads = glove.glove_loss_and_gradients(*params, rows, cols, log_x, weights)
    eps = 1e-6
    for p, g in zip(params, grads):
        numeric = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = loss_of(params)
            p[idx] = old - eps
            down = loss_of(params)
            p[idx] = old
            numeric[idx] = (up - down) / (2 * eps)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-7)


def test_training_fits_and_learns_planted_structure():
    sentences = toy_sentences(3000, seed=0)
    vocab = Vocabulary.from_corpus(sentences)
    X = glove.cooccurrence_counts(sentences, vocab, window=5)
    emb = glove.train_glove(X, vocab.words, dim=10, epochs=300, learning_rate=0.2, x_max=10, seed=0)
    loss = emb.history.loss
    assert len(loss) == 300 and loss[-1] < 0.01 * loss[0]
    assert emb.vectors.shape == (len(vocab), 10) and emb.vectors.dtype == np.float32
    # words that share every cue but one are closer than words of different families
    assert emb.similarity("king", "queen") > emb.similarity("king", "cats") + 0.3
    assert accuracy(emb, planted_analogies()) > 0.2  # chance is about 1 in 100
    # deterministic given the seed
    again = glove.train_glove(X, vocab.words, dim=10, epochs=300, learning_rate=0.2, x_max=10, seed=0)
    np.testing.assert_array_equal(emb.vectors, again.vectors)


@pytest.mark.parametrize("kwargs, match", [
    (dict(counts=np.ones((2, 3))), "square"),
    (dict(counts=-np.ones((2, 2))), ">= 0"),
    (dict(counts=np.zeros((2, 2))), "nonzero"),
    (dict(counts=np.ones((2, 2)), dim=0), "dim"),
    (dict(counts=np.ones((2, 2)), epochs=0), "epochs"),
    (dict(counts=np.ones((2, 2)), learning_rate=0), "learning_rate"),
])
def test_bad_arguments(kwargs, match):
    counts = kwargs.pop("counts")
    words = [f"w{i}" for i in range(counts.shape[0])]
    with pytest.raises(ValueError, match=match):
        glove.train_glove(counts, words, **kwargs)


def test_words_must_match_counts():
    with pytest.raises(ValueError, match="words"):
        glove.train_glove(np.ones((3, 3)), ["a", "b"])
