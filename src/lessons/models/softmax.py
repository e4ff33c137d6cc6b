"""Skip-gram with the full softmax: the objective negative sampling approximates.

Chapter: *What skip-gram computes: a shifted PMI matrix* (comparing the two objectives on a
small vocabulary).

For every (centre ``c``, context ``o``) pair within ``window`` words of each other,
the model scores every word ``w`` of the vocabulary, ``z_w = u_w . v_c``, and
maximises the softmax probability of the true context:

    loss = -log softmax(z)_o = log sum_w exp(z_w) - z_o

Its gradient touches *all* ``V`` output vectors (``dz = softmax(z) - onehot(o)``),
so one example costs ``O(V d)``: fine for the toy language, hopeless for a real
vocabulary, which is why word2vec replaces it by negative sampling
(:mod:`lessons.models.word2vec`).  Plain SGD with a constant learning rate, pairs
shuffled every epoch; the inner loops are numba-compiled (plain loops, no BLAS, so
the result is the same on every CPU).

References
----------
* T. Mikolov et al., "Efficient Estimation of Word Representations in Vector
  Space", 2013 (the skip-gram objective).
"""
from __future__ import annotations

import math
import time

import numpy as np
from numba import njit

from lessons import checks
from lessons.data.corpus import Vocabulary, check_corpus
from lessons.vectors.embeddings import Embeddings
from lessons.models.word2vec import TrainingHistory, initial_vectors, prepare_corpus

__all__ = ["train_softmax", "skipgram_pairs", "MAX_SOFTMAX_VOCAB"]

#: Largest vocabulary :func:`train_softmax` accepts (each example costs O(V d)).
MAX_SOFTMAX_VOCAB = 5000


def skipgram_pairs(sentences, window: int) -> np.ndarray:
    """All (centre, context) id pairs at distance ``1..window`` within each sentence.

    Returns
    -------
    (n_pairs, 2) int64
    """
    window = checks.integer("window", window, 1)
    if sentences is None or isinstance(sentences, (str, bytes)) or not hasattr(sentences,
                                                                             "__iter__"):
        raise checks.ArgumentTypeError(f"sentences must be a list of id arrays, got "
                                       f"{checks.describe(sentences)}")
    pairs = []
    for s, ids in enumerate(sentences):
        ids = checks.array(f"sentences[{s}]", ids, ndim=1, dtype=None, minimum=0,
                           what="a 1-d array of word ids").tolist()
        if ids and not all(isinstance(i, int) for i in ids):
            raise checks.ArgumentTypeError(f"sentences[{s}] must hold integer word ids")
        n = len(ids)
        for i in range(n):
            for j in range(max(0, i - window), min(n, i + window + 1)):
                if j != i:
                    pairs.append((ids[i], ids[j]))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


@njit(cache=True, nogil=True)
def _softmax_epoch(vectors, context_vectors, pairs, order, learning_rate):
    """One SGD pass over ``pairs[order]``; returns the summed loss (float64)."""
    vocab_size, d = context_vectors.shape
    scores = np.empty(vocab_size, dtype=np.float64)
    grad = np.empty(d, dtype=np.float64)
    total = 0.0
    for idx in order:
        center = pairs[idx, 0]
        context = pairs[idx, 1]
        v = vectors[center]
        top = -np.inf
        for w in range(vocab_size):  # z_w = u_w . v
            s = 0.0
            for k in range(d):
                s += np.float64(context_vectors[w, k]) * np.float64(v[k])
            scores[w] = s
            top = max(top, s)
        norm = 0.0
        for w in range(vocab_size):
            scores[w] = math.exp(scores[w] - top)
            norm += scores[w]
        total += math.log(norm) + top - (math.log(scores[context]) + top)
        for k in range(d):
            grad[k] = 0.0
        for w in range(vocab_size):  # dz_w = p_w - [w == o]
            dz = scores[w] / norm - (1.0 if w == context else 0.0)
            for k in range(d):
                grad[k] += dz * context_vectors[w, k]
                context_vectors[w, k] -= np.float32(learning_rate * dz * v[k])
        for k in range(d):
            v[k] -= np.float32(learning_rate * grad[k])
    return total


def train_softmax(corpus, *, dim: int = 10, window: int = 2, epochs: int = 50,
                  learning_rate: float = 0.05, min_count: int = 1, seed: int = 0,
                  vocabulary: Vocabulary | None = None, on_epoch_end=None) -> Embeddings:
    """Train skip-gram with the full softmax (small vocabularies only).

    Parameters
    ----------
    corpus : as for :func:`lessons.models.word2vec.train`
    dim, window, epochs, min_count, seed, vocabulary, on_epoch_end :
        as for :func:`lessons.models.word2vec.train` (the window is fixed, not dynamic,
        and there is no subsampling).
    learning_rate : float
        Constant SGD step.

    Returns
    -------
    Embeddings with ``history`` (loss per epoch; ``history.mean_loss`` is the mean
    cross-entropy per pair, ``log V`` at the start).
    """
    for name, value in (("dim", dim), ("window", window), ("epochs", epochs),
                        ("min_count", min_count)):
        checks.integer(name, value, 1)
    checks.number("learning_rate", learning_rate, 0, strict=True)
    corpus = check_corpus(corpus)
    if vocabulary is None:
        vocabulary = Vocabulary.from_corpus(corpus, min_count=min_count)
    if len(vocabulary) > MAX_SOFTMAX_VOCAB:
        raise ValueError(
            f"vocabulary has {len(vocabulary):,} words; the full softmax costs O(V) per example "
            f"and is limited to {MAX_SOFTMAX_VOCAB:,}: raise min_count or use "
            "lessons.models.word2vec.train")
    tokens, starts = prepare_corpus(corpus, vocabulary)
    pairs = skipgram_pairs([tokens[a:b] for a, b in zip(starts[:-1], starts[1:])], window)
    if len(pairs) == 0:
        raise ValueError("corpus has no pair of words within the window")
    vectors, context_vectors = initial_vectors(len(vocabulary), dim, seed)
    rng = np.random.default_rng(seed)
    history = TrainingHistory()
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(pairs))
        t0 = time.perf_counter()
        loss = _softmax_epoch(vectors, context_vectors, pairs, order, float(learning_rate))
        elapsed = time.perf_counter() - t0
        history.record(loss=loss, examples=len(pairs), words=len(tokens),
                       learning_rate=learning_rate, elapsed_s=elapsed)
        if not (math.isfinite(loss) and np.isfinite(vectors).all()):
            raise ValueError(f"training diverged in epoch {epoch}: use a lower learning_rate "
                             f"(got {learning_rate})")
        if on_epoch_end is not None:
            on_epoch_end(epoch, Embeddings(vocabulary.words, vectors.copy(),
                                           context_vectors=context_vectors.copy(),
                                           counts=vocabulary.counts, history=history))
    return Embeddings(vocabulary.words, vectors, context_vectors=context_vectors,
                      counts=vocabulary.counts, history=history)
