"""GloVe: word vectors as weighted least squares on the co-occurrence matrix.

Chapter: *What came after word2vec*.

GloVe (Pennington, Socher and Manning 2014) fits, for every pair of words ``i, j``
that co-occur ``X_ij > 0`` times,

    w_i . w~_j + b_i + b~_j  ~  log X_ij

by minimising the weighted squared error

    J = sum_{X_ij > 0} f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2,
    f(x) = min(1, (x / x_max) ** alpha)        (x_max = 100, alpha = 3/4).

So it is the "count" approach of the co-occurrence chapter (a matrix of counts,
factorised) with a loss that makes the dot product of two vectors a log count, as
word2vec's does implicitly (Levy and Goldberg 2014).  The weight ``f`` keeps rare,
noisy pairs from counting as much as frequent ones and caps the very frequent.

This module is the small, readable version: a dense ``(V, V)`` count matrix
(fine for a few thousand words), full-batch gradients over all nonzero cells and
AdaGrad steps, as the reference implementation uses (it updates one cell at a
time in shuffled order; full batches make every run bit-reproducible).  The word
vectors returned are ``W + W~``, as in the paper.

References
----------
* J. Pennington, R. Socher, C. D. Manning, "GloVe: Global Vectors for Word
  Representation", EMNLP 2014 (equations 8 and 9; ``W + W~`` in section 4.2).
* J. Duchi, E. Hazan, Y. Singer, "Adaptive Subgradient Methods", JMLR 2011 (AdaGrad).
* O. Levy, Y. Goldberg, "Neural Word Embedding as Implicit Matrix Factorization", NeurIPS 2014.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lessons.data.corpus import Vocabulary, iter_sentences
from lessons.vectors.embeddings import Embeddings

__all__ = ["cooccurrence_counts", "weighting", "glove_loss_and_gradients", "train_glove",
           "GloveHistory"]


def cooccurrence_counts(corpus, vocabulary: Vocabulary, *, window: int = 5,
                        distance_weighting: bool = True) -> np.ndarray:
    """Symmetric co-occurrence counts ``X`` within ``window`` words, GloVe style.

    Parameters
    ----------
    corpus : list of token lists (or one token stream)
    vocabulary : Vocabulary
        Words outside it are dropped before windows are taken.
    window : int >= 1
    distance_weighting : bool
        GloVe counts a pair ``k`` words apart as ``1 / k`` (nearer words count more);
        False counts every pair as 1.

    Returns
    -------
    (V, V) float64, symmetric, zero diagonal unless a word occurs next to itself.
    """
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be an integer >= 1, got {window!r}")
    V = len(vocabulary)
    X = np.zeros((V, V), dtype=np.float64)
    for sentence in iter_sentences(corpus):
        ids = vocabulary.encode([w for w in sentence if w in vocabulary.index])  # (n,) int32
        for distance in range(1, window + 1):
            if distance >= len(ids):
                break
            weight = 1.0 / distance if distance_weighting else 1.0
            left, right = ids[:-distance], ids[distance:]  # all pairs `distance` apart
            np.add.at(X, (left, right), weight)
            np.add.at(X, (right, left), weight)
    return X


def weighting(x, *, x_max: float = 100.0, alpha: float = 0.75) -> np.ndarray:
    """GloVe's weight ``f(x) = min(1, (x / x_max) ** alpha)`` (0 for ``x = 0``)."""
    if x_max <= 0:
        raise ValueError(f"x_max must be > 0, got {x_max!r}")
    x = np.asarray(x, dtype=np.float64)
    return np.minimum(1.0, (np.maximum(x, 0.0) / x_max) ** alpha)


def glove_loss_and_gradients(W, W_context, b, b_context, rows, cols, log_x, weights):
    """The GloVe loss over the listed cells, and its gradients.

    Parameters
    ----------
    W, W_context : (V, d) float64, word and context vectors
    b, b_context : (V,) float64, biases
    rows, cols : (m,) int, the nonzero cells ``(i, j)`` of ``X``
    log_x : (m,) float64, ``log X_ij``
    weights : (m,) float64, ``f(X_ij)``

    Returns
    -------
    loss : float, ``sum f (w_i . w~_j + b_i + b~_j - log X_ij)^2``
    grads : tuple ``(dW, dW_context, db, db_context)`` with the shapes of the inputs
    """
    residual = np.einsum("md,md->m", W[rows], W_context[cols]) + b[rows] + b_context[cols] - log_x
    weighted = weights * residual  # (m,)
    loss = float(np.sum(weighted * residual))
    dW = np.zeros_like(W)
    dW_context = np.zeros_like(W_context)
    np.add.at(dW, rows, 2.0 * weighted[:, None] * W_context[cols])
    np.add.at(dW_context, cols, 2.0 * weighted[:, None] * W[rows])
    db = np.bincount(rows, weights=2.0 * weighted, minlength=len(b))
    db_context = np.bincount(cols, weights=2.0 * weighted, minlength=len(b_context))
    return loss, (dW, dW_context, db, db_context)


@dataclass
class GloveHistory:
    """What :func:`train_glove` did: ``loss[e]`` is the weighted squared error, summed over
    the nonzero cells, at the start of epoch ``e + 1`` (just before its step)."""

    loss: list = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)


def train_glove(counts: np.ndarray, words, *, dim: int = 50, epochs: int = 200,
                learning_rate: float = 0.05, x_max: float = 100.0, alpha: float = 0.75,
                seed: int = 0) -> Embeddings:
    """Fit GloVe vectors to a co-occurrence matrix by full-batch AdaGrad.

    Parameters
    ----------
    counts : (V, V) array
        Co-occurrence counts ``X`` (e.g. from :func:`cooccurrence_counts`).
    words : sequence of str, length V
    dim : int
        Vector dimension ``d``.
    epochs : int
        Full passes (one AdaGrad step on all parameters each).
    learning_rate : float
        AdaGrad's initial step (GloVe's default 0.05).
    x_max, alpha : float
        Parameters of the weighting function :func:`weighting`.
    seed : int
        Initial vectors are uniform in ``[-0.5, 0.5) / d`` (as glove.c).

    Returns
    -------
    Embeddings
        ``vectors = W + W~`` (float32), ``context_vectors = W~``, ``history`` a
        :class:`GloveHistory` with the loss after every epoch.
    """
    counts = np.asarray(counts, dtype=np.float64)
    words = list(words)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square (V, V) matrix, got shape {counts.shape}")
    if counts.shape[0] != len(words):
        raise ValueError(f"counts is {counts.shape[0]} x {counts.shape[0]} but there are {len(words)} words")
    if np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError("counts must be finite and >= 0")
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be an integer >= 1, got {dim!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be an integer >= 1, got {epochs!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate!r}")
    rows, cols = np.nonzero(counts)  # (m,) the cells GloVe fits; zeros have f(0) = 0
    if len(rows) == 0:
        raise ValueError("counts has no nonzero cell: nothing to fit")
    log_x = np.log(counts[rows, cols])
    weights = weighting(counts[rows, cols], x_max=x_max, alpha=alpha)

    V = counts.shape[0]
    rng = np.random.default_rng(seed)
    params = [(rng.random((V, dim)) - 0.5) / dim,  # W        (V, d)
              (rng.random((V, dim)) - 0.5) / dim,  # W~       (V, d)
              np.zeros(V), np.zeros(V)]            # b, b~    (V,)
    # AdaGrad: each parameter's step is divided by the root of its summed squared gradients.
    squared_sums = [np.ones_like(p) for p in params]  # glove.c starts the sums at 1
    history = GloveHistory()
    for _ in range(epochs):
        loss, grads = glove_loss_and_gradients(*params, rows, cols, log_x, weights)
        for p, g, s in zip(params, grads, squared_sums):
            s += g * g
            p -= learning_rate * g / np.sqrt(s)
        history.loss.append(loss)
    W, W_context = params[0], params[1]
    return Embeddings(words, (W + W_context).astype(np.float32),
                      context_vectors=W_context.astype(np.float32), history=history)
