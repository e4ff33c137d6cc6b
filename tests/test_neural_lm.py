"""Tests for lessons.models.neural_lm: forward pass against a per-example loop, gradients against
finite differences, exact multiply-add counts."""
import numpy as np
import pytest

from lessons.models import neural_lm as lm
from lessons.data.corpus import Vocabulary


def small_params(seed=0):
    return lm.init_params(7, context_size=3, embedding_dim=4, hidden_dim=5, seed=seed, scale=0.5)


def test_forward_matches_a_per_example_loop():
    params = small_params()
    contexts = np.array([[0, 1, 2], [6, 6, 3], [5, 0, 0]])
    out = lm.forward(params, contexts)
    for row, context in enumerate(contexts):
        x = np.concatenate([params["C"][w] for w in context])  # the article's flatten()
        hidden = np.tanh(x @ params["H"] + params["d"])
        logits = hidden @ params["U"] + params["b"]
        probs = np.exp(logits) / np.exp(logits).sum()
        np.testing.assert_allclose(out["probs"][row], probs, rtol=1e-12)
    np.testing.assert_allclose(out["probs"].sum(axis=1), 1.0)
    # a single context (1-D) is a batch of one
    np.testing.assert_allclose(lm.forward(params, contexts[0])["probs"][0], out["probs"][0])


def test_gradients_match_finite_differences():
    params = small_params(1)
    contexts = np.array([[0, 1, 2], [2, 2, 3], [5, 0, 6], [1, 4, 4]])  # repeated words in a row
    targets = np.array([3, 0, 6, 2])
    loss, grads = lm.loss_and_grads(params, contexts, targets)
    eps = 1e-6
    for name, value in params.items():
        numeric = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            old = value[idx]
            value[idx] = old + eps
            up, _ = lm.loss_and_grads(params, contexts, targets)
            value[idx] = old - eps
            down, _ = lm.loss_and_grads(params, contexts, targets)
            value[idx] = old
            numeric[idx] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-8, err_msg=name)
    # the loss is the mean negative log-probability of the targets
    probs = lm.forward(params, contexts)["probs"]
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(4), targets])))


def test_ngram_examples_pad_and_slide():
    sentences = [["a", "b", "c"], ["c"]]
    vocab = Vocabulary.from_corpus(sentences + [[lm.BOUNDARY]], order="alphabetical")
    contexts, targets = lm.ngram_examples(sentences, vocab, 2)
    s, a, b, c = (vocab[w] for w in (lm.BOUNDARY, "a", "b", "c"))
    np.testing.assert_array_equal(contexts, [[s, s], [s, a], [a, b], [s, s]])
    np.testing.assert_array_equal(targets, [a, b, c, c])
    with pytest.raises(ValueError, match="boundary"):
        lm.ngram_examples(sentences, Vocabulary.from_corpus(sentences), 2)


def test_training_lowers_the_loss_and_is_deterministic():
    sentences = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "king", "ruled"],
                 ["a", "queen", "ruled"]] * 20
    emb, params, history = lm.train(sentences, context_size=2, embedding_dim=6, hidden_dim=8,
                                    epochs=15, learning_rate=0.5, batch_size=16, seed=3)
    assert history.loss[-1] < 0.6 * history.loss[0]
    np.testing.assert_allclose(history.perplexity, np.exp(history.loss))
    emb2, _, history2 = lm.train(sentences, context_size=2, embedding_dim=6, hidden_dim=8,
                                 epochs=15, learning_rate=0.5, batch_size=16, seed=3)
    np.testing.assert_array_equal(emb.vectors, emb2.vectors)
    assert emb.vectors.shape == (len(emb.words), 6) and lm.BOUNDARY in emb.words
    # after "the", cat and dog are equally likely and nothing else is
    probs = lm.forward(params, [[emb.index_of(lm.BOUNDARY), emb.index_of("the")]])["probs"][0]
    assert probs[emb.index_of("cat")] + probs[emb.index_of("dog")] > 0.8


def test_multiply_adds_article_sizes_and_matrix_shapes():
    counts = lm.multiply_adds(10_000, context_size=4, embedding_dim=300, hidden_dim=500)
    assert counts == {"lookup": 0, "hidden layer": 600_000, "output layer": 5_000_000,
                      "softmax": 10_000, "total": 5_610_000}
    # independent check: the multiply-adds of x @ H and hidden @ U are the weight counts
    params = lm.init_params(50, context_size=3, embedding_dim=4, hidden_dim=6)
    small = lm.multiply_adds(50, context_size=3, embedding_dim=4, hidden_dim=6)
    assert small["hidden layer"] == params["H"].size
    assert small["output layer"] == params["U"].size
    with pytest.raises(ValueError, match="hidden_dim"):
        lm.multiply_adds(10, hidden_dim=0)
    with pytest.raises(ValueError, match="vocab_size"):
        lm.init_params(0)


def test_time_per_example_is_positive():
    assert 0 < lm.time_per_example(1000, batch_size=4, repeats=1) < 1


def test_timing_and_shapes_name_the_bad_argument():
    with pytest.raises(ValueError, match="^batch_size must"):
        lm.time_per_example(10, context_size=2, embedding_dim=3, hidden_dim=4, batch_size=0)
    with pytest.raises(ValueError, match="^repeats must"):
        lm.time_per_example(10, context_size=2, embedding_dim=3, hidden_dim=4, repeats=0)
    seconds = lm.time_per_example(10, context_size=2, embedding_dim=3, hidden_dim=4, repeats=1)
    assert np.isfinite(seconds) and seconds > 0
    with pytest.raises(ValueError, match="^targets must"):
        lm.loss_and_grads(small_params(), [[0, 1, 2]], [1, 2])
    with pytest.raises(ValueError, match="^contexts must"):
        lm.loss_and_grads(small_params(), [0, 1, 2], [1])
