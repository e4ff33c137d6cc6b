"""Tests for lessons.models.skipgram: softmax, finite differences, noise, subsampling and the
Levy-Goldberg shifted-PMI optimum."""
import math

import numpy as np
import pytest

from lessons.models import cooccurrence as co
from lessons.models import skipgram as sg
from lessons.data.corpus import Vocabulary
from lessons.models.word2vec import keep_thresholds


def test_softmax_probability_and_distribution_agree():
    rng = np.random.default_rng(0)
    W_center, W_context = rng.standard_normal((2, 6, 3))
    dist = sg.softmax_distribution(W_center[1], W_context)
    assert dist.sum() == pytest.approx(1.0)
    for o in range(6):
        direct = (math.exp(W_context[o] @ W_center[1])
                  / sum(math.exp(u @ W_center[1]) for u in W_context))
        assert sg.softmax_probability(W_center[1], W_context[o], W_context) == pytest.approx(direct)
        assert dist[o] == pytest.approx(direct)
    # huge scores: no overflow
    big = sg.softmax_distribution(np.array([1000.0]), np.array([[1.0], [0.999], [-1.0]]))
    assert np.all(np.isfinite(big)) and big[0] == pytest.approx(1 / (1 + math.exp(-1)))


def test_numerical_gradient_of_a_quadratic_is_exact():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.3, -0.7])
    grad = sg.numerical_gradient(lambda z: 0.5 * z @ A @ z, x, eps=1e-3)
    np.testing.assert_allclose(grad, A @ x, atol=1e-9)
    np.testing.assert_array_equal(x, [0.3, -0.7])  # input untouched
    with pytest.raises(ValueError, match="eps"):
        sg.numerical_gradient(lambda z: 0.0, x, eps=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_negative_sampling_gradient_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    v, u_o = rng.standard_normal((2, 5))
    u_k = rng.standard_normal((3, 5))
    errors = sg.gradient_check(v, u_o, u_k)
    assert set(errors) == {"center", "context", "negatives"}
    assert max(errors.values()) < 1e-7
    # a wrong gradient would be caught: the check is sensitive
    _, g_v, _, _ = sg.negative_sampling_loss_and_grad(v, u_o, u_k)
    numeric = sg.numerical_gradient(lambda x: sg.negative_sampling_loss_and_grad(x, u_o, u_k)[0], v)
    assert np.max(np.abs(-g_v - numeric)) > 1e-3


def test_noise_distribution():
    counts = np.array([100, 10, 1])
    np.testing.assert_allclose(sg.noise_distribution(counts, 1.0), counts / 111)
    np.testing.assert_allclose(sg.noise_distribution(counts, 0.0), 1 / 3)
    p = sg.noise_distribution(counts, 0.75)
    np.testing.assert_allclose(p, counts**0.75 / np.sum(counts**0.75))
    assert p[0] < 100 / 111 and p[2] > 1 / 111  # frequent words lose, rare words gain
    with pytest.raises(ValueError, match="alpha"):
        sg.noise_distribution(counts, -1)
    with pytest.raises(ValueError, match="counts"):
        sg.noise_distribution([3, 0], 0.75)


def test_keep_probability_matches_the_trainer_and_the_paper():
    counts = np.array([50_000, 5_000, 800, 100, 10, 1], dtype=np.int64)
    for t in (1e-1, 1e-2, 1e-3):
        keep = sg.keep_probability(counts, t)
        np.testing.assert_allclose(keep, keep_thresholds(counts, t) / 2.0**32, atol=2.0**-31)
        f = counts / counts.sum()
        np.testing.assert_allclose(sg.keep_probability(counts, t, formula="paper"),
                                   np.minimum(np.sqrt(t / f), 1))
        # word2vec.c keeps every word with f <= t * golden_ratio**2, the paper every one with f <= t
        golden2 = ((1 + 5**0.5) / 2) ** 2
        assert np.all(keep[f <= t * golden2 * (1 - 1e-9)] == 1)
        assert np.all(keep[f > t * golden2 * (1 + 1e-9)] < 1)
        assert np.all(keep >= sg.keep_probability(counts, t, formula="paper"))
    np.testing.assert_array_equal(sg.keep_probability(counts, 0.0), 1.0)
    with pytest.raises(ValueError, match="formula"):
        sg.keep_probability(counts, 1e-3, formula="gensim")


def test_dynamic_window_counts_against_a_loop():
    sentences = [["a", "b", "c", "a", "d"], ["d", "c", "b"], ["a"]]
    vocab = Vocabulary.from_corpus(sentences)
    window = 3
    ids = co.encode_with_gaps(vocab, sentences)
    got = sg.dynamic_window_counts(ids, len(vocab), window).toarray()
    ref = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for i, w in enumerate(s):
            for j, c in enumerate(s):
                if 0 < abs(i - j) <= window:
                    ref[vocab[w], vocab[c]] += (window - abs(i - j) + 1) / window
    np.testing.assert_allclose(got, ref)


def test_shifted_pmi_is_pmi_minus_log_k_for_unigram_noise():
    rng = np.random.default_rng(2)
    X = rng.poisson(2.0, size=(6, 6)).astype(float)
    X = X + X.T
    noise = X.sum(axis=0) / X.sum()  # the context marginal: PMI's P(c)
    for k in (1, 5):
        np.testing.assert_allclose(sg.shifted_pmi(X, noise, k), co.pmi_matrix(X) - np.log(k))


def test_shifted_pmi_minimises_the_expected_loss():
    # one pair seen n_wc times; its word seen n_w times; k noise words from P_n each time
    n_wc, n_w, k, p_c = 7.0, 40.0, 5, 0.02
    expected_loss = lambda x: n_wc * np.logaddexp(0, -x) + k * n_w * p_c * np.logaddexp(0, x)  # noqa: E731
    xs = np.linspace(-5, 5, 200_001)
    best = xs[np.argmin(expected_loss(xs))]
    X = np.array([[n_w - n_wc, n_wc], [1.0, 1.0]])  # row 0 sums to n_w
    target = sg.shifted_pmi(X, np.array([0.5, p_c]), k)[0, 1]
    assert target == pytest.approx(math.log(n_wc / (n_w * p_c)) - math.log(k))
    assert best == pytest.approx(target, abs=1e-4)


def test_factorisation_check_exact_factorisation():
    rng = np.random.default_rng(3)
    X = rng.poisson(1.0, size=(8, 8)).astype(float) + np.eye(8)
    noise = sg.noise_distribution(X.sum(axis=0), 0.75)
    target = sg.shifted_pmi(X, noise, 5)
    M = np.where(np.isfinite(target), target, -3.0)
    u, s, vt = np.linalg.svd(M)
    result = sg.factorisation_check(u * s, vt.T, X, noise, 5)
    assert result.correlation == pytest.approx(1.0)
    assert result.mean_abs_error < 1e-10
    assert len(result.dots) == np.count_nonzero(X)
    # random vectors do not correlate
    W, C = rng.standard_normal((8, 4)), rng.standard_normal((8, 4))
    bad = sg.factorisation_check(W, C, X, noise, 5)
    assert abs(bad.correlation) < 0.6


def test_trained_sgns_factorises_shifted_pmi():
    from lessons.data.toylang import toy_sentences
    from lessons.models.word2vec import train

    sentences = toy_sentences(1500, seed=1)
    emb = train(sentences, dim=60, window=2, negative=5, subsample=0, min_count=1, epochs=40,
                workers=1, seed=0)
    vocab = Vocabulary.from_corpus(sentences)
    assert list(vocab.words) == list(emb.words)
    counts = sg.dynamic_window_counts(co.encode_with_gaps(vocab, sentences), len(vocab), 2)
    result = sg.factorisation_check(emb.vectors, emb.context_vectors, counts,
                                    sg.noise_distribution(vocab.counts, 0.75), 5)
    assert result.correlation > 0.95


def test_more_bad_arguments_are_named():
    U = np.eye(3)
    with pytest.raises(ValueError, match="^context_vec must"):
        sg.softmax_probability(U[0], [1.0, 0.0], U)
    with pytest.raises(ValueError, match="^counts holds nan"):
        sg.keep_probability([3.0, np.nan], 1e-3)
    with pytest.raises(ValueError, match="^threshold must"):
        sg.keep_probability([3.0, 1.0], -1e-3)
    with pytest.raises(ValueError, match="^eps must"):
        sg.numerical_gradient(lambda x: float(x @ x), np.ones(2), eps=0.0)
