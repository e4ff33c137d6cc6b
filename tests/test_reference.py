"""The readable numpy loop is the numba trainer's algorithm, and its gradient is right."""
import numpy as np
import pytest

from lessons.data.corpus import Vocabulary
from lessons.models.reference import negative_sampling_loss_and_grad, sigmoid, train_reference
from lessons.data.toylang import toy_sentences
from lessons.models.word2vec import prepare_corpus, train


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    v, u_o, u_k = rng.normal(size=5), rng.normal(size=5), rng.normal(size=(3, 5))
    loss, g_v, g_o, g_k = negative_sampling_loss_and_grad(v, u_o, u_k)
    expected = -np.log(sigmoid(u_o @ v)) - np.log(sigmoid(-(u_k @ v))).sum()
    assert loss == pytest.approx(expected, rel=1e-12)
    eps = 1e-6
    for param, grad, which in ((v, g_v, 0), (u_o, g_o, 1), (u_k, g_k, 2)):
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            plus, minus = [v.copy(), u_o.copy(), u_k.copy()], [v.copy(), u_o.copy(), u_k.copy()]
            plus[which][idx] += eps
            minus[which][idx] -= eps
            numeric[idx] = (negative_sampling_loss_and_grad(*plus)[0]
                            - negative_sampling_loss_and_grad(*minus)[0]) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_loss_is_stable_for_large_scores():
    loss, g_v, _, _ = negative_sampling_loss_and_grad(np.full(2, 100.0), np.full(2, -100.0),
                                                      np.full((1, 2), 100.0))
    assert np.isfinite(loss) and loss == pytest.approx(40000.0)
    assert np.isfinite(g_v).all()


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_reference_loop_gives_the_trainer_vectors(model):
    sentences = toy_sentences(300, seed=1) + [["the"] * 12]  # a repeated word too
    vocab = Vocabulary.from_corpus(sentences, min_count=1)
    settings = dict(model=model, dim=12, window=3, negative=4, subsample=1e-2, epochs=2,
                    learning_rate=0.05, seed=3)
    emb = train(sentences, vocabulary=vocab, **settings)
    tokens, starts = prepare_corpus(sentences, vocab)
    W_in, W_out, losses = train_reference(
        [tokens[a:b] for a, b in zip(starts[:-1], starts[1:])], vocab.counts, **settings)
    assert np.abs(emb.vectors).max() > 0.05  # the vectors really moved
    np.testing.assert_allclose(emb.vectors, W_in, rtol=0, atol=1e-5)
    np.testing.assert_allclose(emb.context_vectors, W_out, rtol=0, atol=1e-5)
    np.testing.assert_allclose(emb.history.loss, losses, rtol=1e-5)
    # a different seed draws different windows and noise words
    other = train(sentences, vocabulary=vocab, **{**settings, "seed": 4})
    assert np.abs(other.context_vectors - W_out).max() > 1e-3
