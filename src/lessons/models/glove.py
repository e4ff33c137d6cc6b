"""GloVe: word vectors as weighted least squares on the co-occurrence matrix.

Chapters: *What came after word2vec* (the toy) and *Counting versus predicting* (text8).

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

Two trainers:

* :func:`train_glove`, the small, readable version: a dense ``(V, V)`` count matrix
  (fine for a few thousand words), full-batch gradients over all nonzero cells and
  AdaGrad steps (full batches make every run bit-reproducible).
* :func:`train_glove_sparse`, the real one (chapter *Counting versus predicting*):
  a sparse matrix of counts (:func:`cooccurrence_sparse`, millions of nonzero
  cells), and AdaGrad updates one cell at a time in a shuffled order, as
  glove.c does, in a numba kernel (:func:`_glove_epoch`), checked against the
  plain-Python loop :func:`glove_epoch_reference`.  One thread and a seeded
  order: every run gives the same vectors.

The word vectors returned are ``W + W~``, as in the paper.

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
import scipy.sparse as sp
from numba import njit

from lessons import checks
from lessons.data.corpus import Vocabulary, check_corpus
from lessons.models.word2vec.simd import dot
from lessons.vectors.embeddings import Embeddings

__all__ = ["cooccurrence_counts", "cooccurrence_sparse", "weighting", "glove_loss_and_gradients",
           "train_glove", "GloveHistory", "glove_epoch_reference", "visiting_order", "ORDERS",
           "train_glove_sparse"]


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
    window = checks.integer("window", window, 1)
    V = len(vocabulary)
    X = np.zeros((V, V), dtype=np.float64)
    for sentence in check_corpus(corpus):
        ids = vocabulary.encode([w for w in sentence if w in vocabulary.index])  # (n,) int32
        for distance in range(1, window + 1):
            if distance >= len(ids):
                break
            weight = 1.0 / distance if distance_weighting else 1.0
            left, right = ids[:-distance], ids[distance:]  # all pairs `distance` apart
            np.add.at(X, (left, right), weight)
            np.add.at(X, (right, left), weight)
    return X


def cooccurrence_sparse(corpus, vocabulary: Vocabulary, *, window: int = 5,
                        distance_weighting: bool = True) -> sp.csr_matrix:
    """The counts of :func:`cooccurrence_counts` as a sparse matrix, for real corpora.

    Same definition (out-of-vocabulary words are dropped *before* windows are taken,
    as glove.c and word2vec do; a pair ``k`` words apart counts ``1 / k``, GloVe's
    harmonic weighting, or 1), vectorised: one array slice per distance, with the
    sentence ends marked so that no window crosses them.

    Returns
    -------
    (V, V) scipy.sparse.csr_matrix of float64, symmetric, indices sorted.
    """
    window = checks.integer("window", window, 1)
    V = len(vocabulary)
    pieces = []
    for sentence in check_corpus(corpus):
        pieces.append(vocabulary.encode(sentence))  # (n,) int32, unknown words dropped
        pieces.append(np.array([-1], dtype=np.int32))  # sentence end
    ids = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)  # (N,)
    ends_before = np.concatenate([[0], np.cumsum(ids < 0)])  # (N + 1,) prefix count of ends
    X = sp.csr_matrix((V, V), dtype=np.float64)
    for distance in range(1, window + 1):
        if distance >= len(ids):
            break
        left, right = ids[:-distance], ids[distance:]  # (N - distance,) all pairs this far apart
        clear = ends_before[distance + 1:] - ends_before[:-distance - 1] == 0  # no end in between
        weight = 1.0 / distance if distance_weighting else 1.0
        data = np.full(int(clear.sum()), weight)
        X = X + sp.csr_matrix((data, (left[clear], right[clear])), shape=(V, V))
    X = (X + X.T).tocsr()  # each pair counts for both words
    X.sort_indices()
    return X


def weighting(x, *, x_max: float = 100.0, alpha: float = 0.75) -> np.ndarray:
    """GloVe's weight ``f(x) = min(1, (x / x_max) ** alpha)`` (0 for ``x = 0``)."""
    checks.number("x_max", x_max, 0, strict=True)
    checks.number("alpha", alpha, 0)
    x = checks.array("x", x, minimum=0, what="an array of co-occurrence counts")
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


def _checked_cells(counts, words, dim, epochs, learning_rate):
    """Check the arguments both trainers share; return ``(words, rows, cols, x)``.

    ``rows, cols`` (m,) int64 are the cells of ``counts`` that GloVe fits, those with
    ``X_ij > 0`` (a zero has no log count, and ``f(0) = 0``), in row-major order, and
    ``x`` (m,) float64 their counts.
    """
    if not sp.issparse(counts):
        counts = checks.matrix("counts", counts, what="a square (V, V) matrix of counts")
    X = sp.coo_matrix(counts, dtype=np.float64)
    if X.shape[0] != X.shape[1]:
        raise ValueError(f"counts must be a square (V, V) matrix, got shape {X.shape}")
    words = checks.words("words", words)
    if X.shape[0] != len(words):
        raise ValueError(f"counts is {X.shape[0]} x {X.shape[0]} but there are "
                         f"{len(words)} words")
    if X.nnz and (np.any(X.data < 0) or not np.all(np.isfinite(X.data))):
        raise ValueError("counts must be finite and >= 0")
    checks.integer("dim", dim, 1)
    checks.integer("epochs", epochs, 1)
    checks.number("learning_rate", learning_rate, 0, strict=True)
    X.sum_duplicates()
    keep = X.data > 0  # explicit zeros are not fitted either
    if not keep.any():
        raise ValueError("counts has no nonzero cell: nothing to fit")
    return words, X.row[keep].astype(np.int64), X.col[keep].astype(np.int64), X.data[keep]


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
    words, rows, cols, x = _checked_cells(counts, words, dim, epochs, learning_rate)  # X_ij > 0
    log_x, weights = np.log(x), weighting(x, x_max=x_max, alpha=alpha)  # (m,) each
    V = len(words)
    rng = checks.random_state("seed", seed)
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


# --------------------------------------------------------------------------- the real trainer

@njit(cache=True, nogil=True, error_model="numpy")
def _glove_epoch(W, W_context, b, b_context, sq_W, sq_W_context, sq_b, sq_b_context,
                 rows, cols, log_x, weights, order, learning_rate):
    """One pass of glove.c's AdaGrad over the cells ``order`` (in that order), in place.

    Same arithmetic as :func:`glove_epoch_reference` (which documents it), in float32
    except ``diff`` and the cost; returns the sum of ``f * diff**2`` over the cells,
    each taken just before its update.  ``error_model="numpy"`` lets LLVM turn the
    element loop into vector instructions (numba's default checks every division for
    zero, which keeps it scalar; the sums are >= 1, so no division is by zero).  The
    dot product is word2vec's fixed-order 8-lane one and no other operation is a
    reduction, so the result is the same on every CPU.
    """
    d = W.shape[1]
    cost = 0.0
    for m in order:
        i = rows[m]
        j = cols[m]
        diff = np.float64(dot(W, i, W_context, j, d)) + b[i] + b_context[j] - log_x[m]
        cost += weights[m] * diff * diff
        step = np.float32(learning_rate * weights[m] * diff)  # eta * f * diff
        for k in range(d):
            g_word = step * W_context[j, k]  # both computed from the old values
            g_context = step * W[i, k]
            W[i, k] -= g_word / np.sqrt(sq_W[i, k])
            W_context[j, k] -= g_context / np.sqrt(sq_W_context[j, k])
            sq_W[i, k] += g_word * g_word
            sq_W_context[j, k] += g_context * g_context
        b[i] -= step / np.sqrt(sq_b[i])
        b_context[j] -= step / np.sqrt(sq_b_context[j])
        sq_b[i] += step * step
        sq_b_context[j] += step * step
    return cost


def glove_epoch_reference(params, squared_sums, rows, cols, log_x, weights, order,
                          learning_rate) -> float:
    """One pass of GloVe's AdaGrad, cell by cell, in plain Python: the definition.

    For each cell ``m = (i, j)`` in ``order``::

        diff  = w_i . w~_j + b_i + b~_j - log X_ij
        step  = eta * f(X_ij) * diff                  (eta: learning_rate)
        w_i  -= step * w~_j / sqrt(G_w_i)             (old w~_j)
        w~_j -= step * w_i  / sqrt(G_w~_j)            (old w_i)
        b_i  -= step / sqrt(G_b_i);   b~_j -= step / sqrt(G_b~_j)
        G    += (the step just taken before the division)**2, elementwise

    exactly glove.c's update: the gradient of ``1/2 f diff**2``; every accumulator
    ``G`` starts at 1, holds squared *scaled* gradients and is updated after its
    step.  The numba kernel :func:`_glove_epoch` must agree with this loop.

    Parameters
    ----------
    params : list ``[W (V, d), W~ (V, d), b (V,), b~ (V,)]`` of float32, updated in place
    squared_sums : list of four arrays shaped like ``params``, updated in place
    rows, cols : (m,) int, the cells
    log_x, weights : (m,) float64, ``log X_ij`` and ``f(X_ij)``
    order : (m,) int, the visiting order
    learning_rate : float

    Returns
    -------
    float, the sum of ``f * diff**2`` over the cells, each just before its update.
    """
    W, W_context, b, b_context = params
    sq_W, sq_W_context, sq_b, sq_b_context = squared_sums
    cost = 0.0
    for m in order:
        i, j = rows[m], cols[m]
        diff = float(W[i] @ W_context[j]) + float(b[i]) + float(b_context[j]) - log_x[m]
        cost += weights[m] * diff * diff
        step = np.float32(learning_rate * weights[m] * diff)  # in the dtype of the parameters
        g_word, g_context = step * W_context[j], step * W[i]  # (d,) each, new arrays
        W[i] -= g_word / np.sqrt(sq_W[i])
        W_context[j] -= g_context / np.sqrt(sq_W_context[j])
        sq_W[i] += g_word * g_word
        sq_W_context[j] += g_context * g_context
        b[i] -= step / np.sqrt(sq_b[i])
        b_context[j] -= step / np.sqrt(sq_b_context[j])
        sq_b[i] += step * step
        sq_b_context[j] += step * step
    return cost


#: The visiting orders :func:`train_glove_sparse` knows.
ORDERS = ("by word", "shuffled")


def visiting_order(rows, vocab_size: int, order: str, rng) -> np.ndarray:
    """The order in which an epoch visits the cells whose word ids are ``rows`` ((m,) int).

    ``"shuffled"``: a random permutation of all cells (glove.c shuffles its file of counts).
    ``"by word"``: the words in a random order, each word's cells together and in a random
    order, as skip-gram visits a centre word with all its contexts.  The word's vector
    and AdaGrad sums then stay in the CPU cache while its cells are visited, which on
    text8's 2 M words makes an epoch about four times faster.  ``rng``: a numpy
    Generator or a seed.

    Returns
    -------
    (m,) int64, a permutation of ``range(m)``.
    """
    checks.choice("order", order, ORDERS)
    vocab_size = checks.integer("vocab_size", vocab_size, 1)
    rows = checks.array("rows", rows, ndim=1, dtype=None, what="a (m,) array of word ids")
    if rows.size and (rows.dtype.kind not in "iu" or rows.min() < 0 or rows.max() >= vocab_size):
        raise ValueError(f"rows must be integer word ids in 0..{vocab_size - 1}, got dtype "
                         f"{rows.dtype} and values in {rows.min()}..{rows.max()}")
    rng = checks.random_state("rng", rng)
    shuffled = rng.permutation(len(rows)).astype(np.int64)  # (m,)
    if order == "shuffled":
        return shuffled
    word_rank = rng.permutation(vocab_size)  # (V,) the random order of the words
    # a stable sort by word keeps each word's cells in their shuffled order
    return shuffled[np.argsort(word_rank[rows[shuffled]], kind="stable")]


def train_glove_sparse(counts, words, *, dim: int = 100, epochs: int = 15,
                       learning_rate: float = 0.05, x_max: float = 10.0, alpha: float = 0.75,
                       order: str = "by word", seed: int = 0) -> Embeddings:
    """Fit GloVe to a sparse co-occurrence matrix, one cell at a time (glove.c's AdaGrad).

    The nonzero cells are put in a random order once (:func:`visiting_order`; glove.c
    also shuffles its file of counts once) and visited in that order every epoch by a
    single-threaded numba kernel, so a seed gives the same vectors on every run.

    Parameters
    ----------
    counts : (V, V) scipy.sparse matrix or array
        Co-occurrence counts ``X``, e.g. from :func:`cooccurrence_sparse`.
    words : sequence of str, length V
    dim : int
        ``d``.
    epochs : int
        Passes over the nonzero cells.
    learning_rate : float
        ``eta`` (glove.c: 0.05).
    x_max, alpha : float
        The weighting ``f`` (:func:`weighting`); the defaults are glove.c's text8 demo
        (``x_max = 10``; the paper's 100 suits corpora of billions of words).
    order : {"by word", "shuffled"}
        See :func:`visiting_order`.  "by word" is faster, and was as good on text8's first
        2 M words in a check made when this trainer was written (``d = 100``, 15 epochs:
        final loss within 0.1 %, Google analogy accuracy 6.1 % against 5.9 % shuffled).
    seed : int
        Initial values uniform in ``[-0.5, 0.5) / d``, biases too (as glove.c), and the order.

    Returns
    -------
    Embeddings
        ``vectors = W + W~`` (float32), ``context_vectors = W~``, ``history`` a
        :class:`GloveHistory` whose ``loss[e]`` is the sum of ``f * diff**2`` met while
        epoch ``e + 1`` visited the cells.
    """
    words, rows, cols, x = _checked_cells(counts, words, dim, epochs, learning_rate)  # X_ij > 0
    log_x, weights = np.log(x), weighting(x, x_max=x_max, alpha=alpha)  # (m,) each
    V = len(words)
    rng = checks.random_state("seed", seed)
    params = [((rng.random(shape) - 0.5) / dim).astype(np.float32)  # W, W~ (V, d); b, b~ (V,)
              for shape in ((V, dim), (V, dim), V, V)]
    squared_sums = [np.ones_like(p) for p in params]
    visits = visiting_order(rows, V, order, rng)  # (m,) drawn once, reused every epoch
    history = GloveHistory()
    for _ in range(epochs):
        history.loss.append(float(_glove_epoch(*params, *squared_sums, rows, cols, log_x, weights,
                                               visits, float(learning_rate))))
    W, W_context = params[0], params[1]
    return Embeddings(words, (W + W_context).astype(np.float32),
                      context_vectors=W_context.astype(np.float32), history=history)
