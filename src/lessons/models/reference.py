"""word2vec in plain numpy: the readable reference loop.

Chapter: *The training loop* (word2vec.c's algorithm, readable, except the roles: here the
centre word's input vector predicts each context word, while word2vec.c lets each context
word's input vector predict the centre; the same pairs are trained in expectation), and
*Skip-gram: the softmax and negative sampling* (:func:`negative_sampling_loss_and_grad`).

:func:`train_reference` is the algorithm of :mod:`lessons.models.word2vec`, written for
reading instead of speed.  It draws the *same* random numbers in the *same* order
(word2vec.c's generator, one stream per chunk of sentences) and uses the same
sigmoid table, so on a small corpus it ends with the same vectors as the numba
trainer up to float rounding (the only difference is the summation order inside
dot products).  The tests check this.

References
----------
* T. Mikolov et al., "Distributed Representations of Words and Phrases and their
  Compositionality", NeurIPS 2013 (negative sampling, subsampling).
* word2vec.c, the original implementation.
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.models.word2vec.encoding import sentence_chunks
from lessons.models.word2vec.tables import (CHUNK_WORDS, LCG, LOG_SIGMOID_TABLE, MAX_EXP,
                                            SIGMOID_TABLE, alias_table, chunk_seed,
                                            initial_vectors, keep_thresholds, learning_rate_at,
                                            sigmoid_bin)

__all__ = ["sigmoid", "negative_sampling_loss_and_grad", "train_reference"]


def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))``, elementwise, without overflow."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=np.float64)))


def negative_sampling_loss_and_grad(v_center, u_context, u_negatives):
    """Loss of one skip-gram example with negative sampling, and its gradients.

    ``loss = -log sigmoid(u_o . v) - sum_k log sigmoid(-u_k . v)``

    Parameters
    ----------
    v_center : (d,) input vector of the centre word ``v``
    u_context : (d,) output vector of the true context word ``u_o``
    u_negatives : (k, d) output vectors of the ``k`` noise words ``u_k``

    Returns
    -------
    loss : float
    grad_center : (d,) d loss / d v
    grad_context : (d,) d loss / d u_o
    grad_negatives : (k, d) d loss / d u_k
    """
    v = np.asarray(v_center, dtype=np.float64)
    u_o = np.asarray(u_context, dtype=np.float64)
    u_k = np.asarray(u_negatives, dtype=np.float64).reshape(-1, v.shape[0])
    positive = u_o @ v  # score of the true pair, want it high
    negatives = u_k @ v  # (k,) scores of the noise pairs, want them low
    loss = np.logaddexp(0.0, -positive) + np.logaddexp(0.0, negatives).sum()  # stable -log sigmoid
    error_positive = sigmoid(positive) - 1.0  # d loss / d positive
    error_negatives = sigmoid(negatives)  # (k,) d loss / d negatives
    grad_center = error_positive * u_o + error_negatives @ u_k
    grad_context = error_positive * v
    grad_negatives = error_negatives[:, None] * v[None, :]
    return float(loss), grad_center, grad_context, grad_negatives


def _table_sigmoid(score):
    """sigmoid(score) as the trainer computes it: word2vec.c's table on [-6, 6]."""
    if score >= MAX_EXP:
        return np.float32(1.0)
    if score <= -MAX_EXP or np.isnan(score):
        return np.float32(0.0)
    return SIGMOID_TABLE[sigmoid_bin(score, len(SIGMOID_TABLE))]


def _table_loss(score, label):
    """-log sigmoid(score) (label 1) or -log sigmoid(-score) (label 0), from the same table."""
    if score >= MAX_EXP:
        return 0.0 if label else float(score)
    if score <= -MAX_EXP or np.isnan(score):
        return -float(score) if label else 0.0
    i = sigmoid_bin(score, len(LOG_SIGMOID_TABLE))
    return -LOG_SIGMOID_TABLE[i] if label else -LOG_SIGMOID_TABLE[-1 - i]


def train_reference(sentences, counts, *, model="skipgram", dim=10, window=2, negative=3,
                    noise_exponent=0.75, subsample=1e-3, epochs=1, learning_rate=0.025,
                    min_learning_rate=None, seed=0):
    """Train word2vec with negative sampling, one example at a time, in plain numpy.

    Parameters
    ----------
    sentences : list of (n_s,) int arrays of word ids in ``0..V-1``
    counts : (V,) corpus count of every word
    model : "skipgram" or "cbow"; the other parameters as in :func:`lessons.models.word2vec.train`.

    Returns
    -------
    W_in : (V, dim) float32, the word vectors
    W_out : (V, dim) float32, the context vectors
    losses : list of float, summed loss of every epoch
    """
    checks.choice("model", model, ("skipgram", "cbow"))  # checked, used as given
    for name, value in (("dim", dim), ("window", window), ("epochs", epochs)):
        checks.integer(name, value, 1)
    checks.integer("negative", negative, 0)
    checks.number("learning_rate", learning_rate, 0, strict=True)
    checks.number("noise_exponent", noise_exponent, 0)
    checks.number("subsample", subsample, 0)
    counts = checks.array("counts", counts, ndim=1, dtype=None, min_rows=1,
                          what="a 1-D array of positive counts, one per word")
    if np.any(counts <= 0):
        raise ValueError("counts must be a 1-D array of positive counts, one per word, got "
                         f"{counts.min()} in it")
    for number, ids in enumerate(sentences):
        ids = np.asarray(ids)
        if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= len(counts)):
            raise ValueError(f"sentences[{number}] must hold integer word ids in [0, "
                             f"{len(counts)}), got {ids.dtype} values in [{ids.min()}, "
                             f"{ids.max()}]")
    if min_learning_rate is None:
        min_learning_rate = learning_rate * 1e-4
    V = len(counts)
    W_in, W_out = initial_vectors(V, dim, seed)  # uniform(-0.5, 0.5) / dim and zeros
    keep_threshold = keep_thresholds(counts, subsample)  # subsampling, scaled to 2**32
    noise_threshold, noise_alias = alias_table(counts, noise_exponent)  # P(w) ~ count**0.75

    def noise_word(rng):  # alias method: a fair die over the words, then a biased coin
        column = rng.next() * V >> 32
        return column if rng.next() < noise_threshold[column] else int(noise_alias[column])

    def learn(v, word, rng, lr):
        """One example: ``v`` should predict ``word`` and not `negative` noise words.

        Updates the output vectors; returns the step for ``v`` and the loss.
        """
        step_v, loss = np.zeros(dim, dtype=np.float32), 0.0
        targets = [(word, 1)] + [(noise_word(rng), 0) for _ in range(negative)]
        for target, label in targets:
            if label == 0 and target == word:
                continue  # a noise word equal to the true word is skipped (word2vec.c)
            score = v @ W_out[target]
            g = (np.float32(label) - _table_sigmoid(score)) * lr  # -lr * d loss / d score
            loss += _table_loss(score, label)
            step_v += g * W_out[target]
            W_out[target] += g * v
        return step_v, loss

    starts = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
    words_per_epoch, total_words = starts[-1], epochs * starts[-1]
    losses = []
    for epoch in range(epochs):
        loss = 0.0
        for chunk, (first, last) in enumerate(sentence_chunks(starts, CHUNK_WORDS)):
            rng = LCG(chunk_seed(seed, epoch, chunk))  # every chunk has its own random stream
            for s in range(first, last):
                progress = (epoch * words_per_epoch + starts[s]) / total_words
                lr = np.float32(learning_rate_at(progress, learning_rate, min_learning_rate))
                # 1. subsampling: frequent words are often dropped
                kept = [w for w in sentences[s] if rng.next() < keep_threshold[w]]
                for i, center in enumerate(kept):
                    # 2. dynamic window: b uniform in 1..window
                    b = window - rng.next() % window
                    contexts = [kept[j] for j in range(max(0, i - b), min(len(kept), i + b + 1))
                                if j != i]
                    # 3. learn from the window
                    if model == "skipgram":  # the centre word predicts each context word
                        for context in contexts:
                            step, example_loss = learn(W_in[center], context, rng, lr)
                            W_in[center] += step
                            loss += example_loss
                    elif contexts:  # cbow: the mean of the context words predicts the centre
                        h = W_in[contexts].sum(axis=0) / np.float32(len(contexts))
                        step, example_loss = learn(h, center, rng, lr)
                        for context in contexts:
                            W_in[context] += step
                        loss += example_loss
        losses.append(float(loss))
    return W_in, W_out, losses
