"""Count, weight, factorise: word vectors from a co-occurrence matrix.

Chapter: *Counting co-occurrences* (the article's "Dead End #1"), and *Skip-gram* (the
Levy & Goldberg bridge uses :func:`pmi_matrix`).

The pipeline has three steps:

1. **Count.**  ``X[w, c]`` = how often word ``c`` occurs within ``window``
   positions of word ``w`` (:func:`cooccurrence_matrix`, a ``scipy.sparse``
   matrix built with vectorised numpy, one array slice per distance).
2. **Weight.**  Raw counts are dominated by frequent words ("the").  Pointwise
   mutual information compares a pair's count with what independence predicts,
   ``PMI(w, c) = log( X[w,c] * D / (X[w,:] * X[:,c]) )`` with ``D = sum X``.
   PPMI keeps its positive part; *shifted* PPMI subtracts ``log k`` first
   (:func:`ppmi`).
3. **Factorise.**  A truncated SVD ``M ~ U_d S_d V_d^T`` keeps the ``d``
   strongest directions; the rows of ``U_d S_d^p`` are ``d``-dimensional word
   vectors (:func:`truncated_svd`, :func:`svd_embeddings`).

References
----------
* J. R. Firth, "A synopsis of linguistic theory 1930-1955", 1957.
* K. W. Church, P. Hanks, "Word association norms, mutual information, and
  lexicography", Computational Linguistics 1990 (PMI).
* J. A. Bullinaria, J. P. Levy, "Extracting semantic representations from word
  co-occurrence statistics", Behavior Research Methods 2007 (PPMI + SVD).
* O. Levy, Y. Goldberg, "Neural word embedding as implicit matrix
  factorization", NeurIPS 2014 (shifted PPMI).
* O. Levy, Y. Goldberg, I. Dagan, "Improving distributional similarity with
  lessons learned from word embeddings", TACL 2015 (context smoothing, ``S^p``).
* N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness",
  SIAM Review 2011 (randomized SVD).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from lessons import checks
from lessons.data.corpus import Vocabulary, check_corpus
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.linalg import fix_signs

__all__ = [
    "encode_with_gaps",
    "cooccurrence_matrix",
    "pmi_matrix",
    "ppmi",
    "weight",
    "truncated_svd",
    "svd_embeddings",
    "top_contexts",
    "row_neighbours",
    "WEIGHTINGS",
]

#: The weightings :func:`weight` knows, in the order the chapter shows them.
WEIGHTINGS = ("raw", "PPMI", "shifted PPMI")


def encode_with_gaps(vocabulary: Vocabulary, corpus) -> np.ndarray:
    """Encode ``corpus`` as one id stream; unknown words become ``-1``, sentences end with ``-1``.

    Unlike :meth:`Vocabulary.encode`, out-of-vocabulary words are *kept as gaps*
    so that distances between the remaining words are the true ones, and a
    ``-1`` between sentences stops windows from crossing a sentence boundary.

    Returns
    -------
    (n,) int32
    """
    get = vocabulary.index.get
    ids: list[int] = []
    for sentence in check_corpus(corpus):
        ids.extend(get(t, -1) for t in sentence)
        ids.append(-1)
    return np.array(ids, dtype=np.int32)


def cooccurrence_matrix(ids, vocab_size: int, *, window: int = 2) -> sp.csr_matrix:
    """Symmetric windowed co-occurrence counts.

    ``X[w, c]`` counts the positions ``i != j`` with ``|i - j| <= window``,
    ``ids[i] = w`` and ``ids[j] = c``, where no ``-1`` lies between ``i`` and
    ``j`` (a ``-1`` marks an unknown word or a sentence end, see
    :func:`encode_with_gaps`).  This is the article's double loop, vectorised:
    for each distance ``k`` the pairs are ``(ids[:-k], ids[k:])``.

    Parameters
    ----------
    ids : (n,) int array, values in ``[-1, vocab_size)``
    vocab_size : int
        ``V``.
    window : int >= 1

    Returns
    -------
    (V, V) scipy.sparse.csr_matrix of float64, symmetric, zero diagonal unless
    a word occurs twice within ``window`` of itself.
    """
    window = checks.integer("window", window, 1)
    vocab_size = checks.integer("vocab_size", vocab_size, 1)
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"ids must be a 1-D integer array, got shape {ids.shape} "
                         f"dtype {ids.dtype}")
    if ids.size and (ids.min() < -1 or ids.max() >= vocab_size):
        raise ValueError(f"ids must lie in [-1, {vocab_size}), got values in "
                         f"[{ids.min()}, {ids.max()}]")
    ids = ids.astype(np.int32, copy=False)
    window = min(window, max(ids.size - 1, 1))  # no pair lies further apart: no hang
    # A gap (-1) blocks every window that spans it: count gaps with a prefix sum.
    gaps_before = np.concatenate([[0], np.cumsum(ids < 0)])  # (n + 1,)
    rows, cols = [], []
    for k in range(1, window + 1):
        left, right = ids[:-k], ids[k:]  # (n - k,) each: every pair at distance k
        # no gap at positions i..i+k (the endpoints included)
        clear = gaps_before[k + 1:] - gaps_before[:-k - 1] == 0
        rows.append(left[clear])
        cols.append(right[clear])
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    # Each unordered pair counts once for each word (the article's loop visits both ends).
    both_rows = np.concatenate([rows, cols])
    both_cols = np.concatenate([cols, rows])
    data = np.ones(both_rows.size, dtype=np.float64)
    matrix = sp.coo_matrix((data, (both_rows, both_cols)), shape=(vocab_size, vocab_size))
    matrix = matrix.tocsr()  # sums duplicates
    matrix.sort_indices()
    return matrix


def _as_csr(counts, name: str = "counts") -> sp.csr_matrix:
    """``counts`` (dense or sparse, square, finite, >= 0) as float64 CSR; ``name`` is the
    argument's name in the messages."""
    if not sp.issparse(counts):
        counts = checks.matrix(name, counts, finite=False, what="a (V, V) matrix")
    counts = sp.csr_matrix(counts, dtype=np.float64)
    if not np.isfinite(counts.data).all():
        raise ValueError(f"{name} holds nan or inf: co-occurrence counts must be finite")
    if counts.shape[0] != counts.shape[1]:
        raise ValueError(f"{name} must be square (words x contexts), got shape {counts.shape}")
    if counts.nnz and counts.data.min() < 0:
        raise ValueError(f"{name} must be non-negative")
    return counts


def _marginals(counts: sp.csr_matrix, context_smoothing: float):
    word_totals = np.asarray(counts.sum(axis=1)).ravel()  # (V,) #(w)
    context_totals = np.asarray(counts.sum(axis=0)).ravel()  # (V,) #(c)
    total = word_totals.sum()  # D
    if total <= 0:
        raise ValueError("counts is all zeros: nothing co-occurs")
    checks.number("context_smoothing", context_smoothing, 0, strict=True)
    # Context distribution P(c) ~ #(c)^alpha (alpha = 1: plain PMI).
    smoothed = context_totals ** context_smoothing
    context_prob = smoothed / smoothed.sum()  # (V,)
    word_prob = word_totals / total  # (V,)
    return word_prob, context_prob, total


def pmi_matrix(counts, *, context_smoothing: float = 1.0) -> np.ndarray:
    """Dense pointwise mutual information, ``-inf`` where the count is zero.

    ``PMI[w, c] = log( P(w, c) / (P(w) P(c)) )`` with ``P(w, c) = X[w,c] / D``,
    ``P(w) = X[w,:] / D`` and ``P(c) ~ X[:,c] ** context_smoothing``.
    Only for small vocabularies (it returns a dense ``(V, V)`` array).
    """
    counts = _as_csr(counts)
    word_prob, context_prob, total = _marginals(counts, context_smoothing)
    joint = counts.toarray() / total  # (V, V)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(joint) - np.log(word_prob)[:, None] - np.log(context_prob)[None, :]
    out[joint == 0] = -np.inf
    return out


def ppmi(counts, *, shift: float = 1.0, context_smoothing: float = 1.0) -> sp.csr_matrix:
    """(Shifted) positive PMI, sparse: ``max(PMI - log(shift), 0)``.

    Parameters
    ----------
    counts : (V, V) sparse or dense co-occurrence counts
    shift : float >= 1
        ``k``; 1 gives PPMI, ``k > 1`` the shifted PPMI of Levy & Goldberg
        (SGNS with ``k`` negative samples factorises ``PMI - log k``).
    context_smoothing : float > 0
        Exponent ``alpha`` on the context counts (0.75 in Levy et al. 2015;
        1 = plain PMI).

    Returns
    -------
    (V, V) csr_matrix of float64 with only positive entries stored.
    """
    checks.number("shift", shift, 1, why=" (it is k in PMI - log k)")
    counts = _as_csr(counts)
    word_prob, context_prob, total = _marginals(counts, context_smoothing)
    coo = counts.tocoo()
    keep = coo.data > 0
    r, c, x = coo.row[keep], coo.col[keep], coo.data[keep]
    values = np.log(x / total) - np.log(word_prob[r]) - np.log(context_prob[c]) - np.log(shift)
    positive = values > 0
    out = sp.csr_matrix((values[positive], (r[positive], c[positive])), shape=counts.shape)
    out.sort_indices()
    return out


def weight(counts, weighting: str, *, shift: float = 5.0) -> sp.csr_matrix:
    """Apply one of :data:`WEIGHTINGS` ("raw", "PPMI", "shifted PPMI" with ``shift``)."""
    if checks.choice("weighting", weighting, WEIGHTINGS) == "raw":
        return _as_csr(counts)
    return ppmi(counts, shift=shift if weighting == "shifted PPMI" else 1.0)


def _canonical_ties(u: np.ndarray, s: np.ndarray, vt: np.ndarray, dim: int, *, rtol: float = 1e-6):
    """The first ``dim`` singular triplets, with a canonical basis inside tied singular values.

    When singular values are equal (small symmetric corpora have exact ties), any
    rotation of the tied left/right vectors is an equally valid SVD, and LAPACK
    picks a different one on different CPUs.  The projector onto the tied
    subspace is unique, so Gram–Schmidt on its columns, taken in order, gives a
    basis that depends only on the matrix.  Rotating ``vt`` by the same ``R``
    keeps ``u diag(s) vt`` unchanged.
    """
    u, vt = u.copy(), vt.copy()
    scale = max(float(s[0]), 1e-300) if s.size else 1.0
    start = 0
    while start < dim:
        stop = start + 1
        while stop < len(s) and s[start] - s[stop] <= rtol * scale:
            stop += 1
        if stop - start > 1:
            group = u[:, start:stop]  # (n, k)
            projector = group @ group.T  # (n, n), the same for every basis of the subspace
            basis = []
            for column in projector.T:
                residual = column - sum((b @ column) * b for b in basis) if basis else column.copy()
                norm = np.linalg.norm(residual)
                if norm > 1e-6:
                    basis.append(residual / norm)
                if len(basis) == stop - start:
                    break
            canonical = np.stack(basis, axis=1)  # (n, k)
            rotation = group.T @ canonical  # (k, k) orthogonal
            u[:, start:stop] = canonical
            vt[start:stop] = rotation.T @ vt[start:stop]
        start = stop
    return u[:, :dim], s[:dim], vt[:dim]


def _orthonormalize(block: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the columns of a tall ``(n, k)`` block (Gram/eigh, "Cholesky QR").

    Only ``k x k`` LAPACK work, which stays fast when the CPU is shared; the
    blocks it sees (after a multiplication by the matrix) are well conditioned.
    """
    if block.shape[1] == 0:
        return block
    eigenvalues, vectors = np.linalg.eigh(block.T @ block)  # (k,), (k, k)
    keep = eigenvalues > eigenvalues.max() * 1e-12  # drop directions that are numerically zero
    return block @ (vectors[:, keep] / np.sqrt(eigenvalues[keep]))


def truncated_svd(matrix, dim: int, *, seed: int = 0, oversample: int = 10,
                  power_iterations: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``dim`` largest singular triplets of ``matrix``, signs fixed.

    Small matrices (at most 500 rows or columns) use LAPACK's full SVD; bigger
    (sparse) ones the randomized SVD of Halko et al. with a seeded Gaussian test
    matrix and ``power_iterations`` subspace iterations, which costs a few sparse
    matrix products.

    Returns
    -------
    u : (V, dim) float64, s : (dim,) float64 descending, vt : (dim, V') float64.
    The sign of each component is chosen so that ``u``'s largest-magnitude entry
    in that column is positive (:func:`lessons.vectors.linalg.fix_signs`), and tied
    singular values get a canonical basis (:func:`_canonical_ties`), so the result
    does not depend on the CPU.  A matrix of rank ``r < dim`` still gives ``dim`` components:
    the last ``dim - r`` singular values are 0 and their vectors complete ``u`` and ``vt`` to
    orthonormal sets.
    """
    if not sp.issparse(matrix):
        matrix = checks.matrix("matrix", matrix)  # (V, V') float64, finite
    elif not np.isfinite(matrix.data).all():
        raise ValueError("matrix holds nan or inf: an SVD needs finite numbers "
                         "(check the weighting)")
    shape = matrix.shape
    dim = checks.integer("dim", dim, 1, min(shape), why_high=" (the smaller side of matrix)")
    if min(shape) <= 500:
        dense = matrix.toarray() if sp.issparse(matrix) else matrix
        u, s, vt = np.linalg.svd(dense, full_matrices=False)
        u, s, vt = _canonical_ties(u, s, vt, dim)
    else:
        matrix = sp.csr_matrix(matrix, dtype=np.float64)
        rng = checks.random_state("seed", seed)
        k = min(dim + oversample, min(shape))
        test = rng.standard_normal((shape[1], k))  # (V', k)
        basis = _orthonormalize(matrix @ test)  # (V, k) spans A's top directions
        for _ in range(power_iterations):  # sharpen the spectrum: (A A^T)^q A
            basis = _orthonormalize(matrix.T @ basis)  # (V', k)
            basis = _orthonormalize(matrix @ basis)  # (V, k)
        small = (matrix.T @ basis).T  # (k, V') = basis^T A
        # SVD of the small matrix through its k x k Gram matrix (cheap and thread-light).
        eigenvalues, u_small = np.linalg.eigh(small @ small.T)  # ascending
        order = np.argsort(eigenvalues)[::-1][:dim]
        s = np.sqrt(np.maximum(eigenvalues[order], 0.0))  # (dim,)
        u_small = u_small[:, order]  # (k, dim)
        u = basis @ u_small  # (V, dim)
        vt = (u_small.T @ small) / np.where(s > 0, s, 1.0)[:, None]  # (dim, V')
        if len(s) < dim:  # rank below dim: the randomized basis lost the null directions
            u, s, vt = _pad_rank(u, s, vt, dim, checks.random_state("seed", seed))
    u, vt = fix_signs(u, vt)
    return u, s, vt


def _pad_rank(u, s, vt, dim: int, rng: np.random.Generator):
    """Complete ``r < dim`` singular triplets to ``dim``: zero singular values, and seeded
    random directions orthogonalised against the others for the missing columns of ``u``
    (V, dim) and rows of ``vt`` (dim, V')."""
    def complete(basis, count):  # basis (n, r) orthonormal -> (n, r + count) orthonormal
        extra = rng.standard_normal((basis.shape[0], count))  # (n, count)
        for _ in range(2):  # twice: one Gram-Schmidt pass loses orthogonality in floating point
            extra -= basis @ (basis.T @ extra)
        q, _ = np.linalg.qr(extra)
        return np.hstack([basis, q])

    missing = dim - len(s)
    return (complete(u, missing), np.concatenate([s, np.zeros(missing)]),
            complete(vt.T, missing).T)


def svd_embeddings(matrix, words, dim: int, *, power: float = 0.5, seed: int = 0) -> Embeddings:
    """Word vectors ``U_d S_d^power`` from a truncated SVD of ``matrix``.

    ``power = 1`` is the textbook ``U S``; 0.5 (symmetric split, as in
    Levy et al. 2015) usually gives better similarities.
    """
    power = checks.number("power", power)
    words = checks.words("words", words)
    u, s, _ = truncated_svd(matrix, dim, seed=seed)
    if len(words) != len(u):
        raise ValueError(f"words must name every row of matrix: {len(words)} words for "
                         f"{len(u)} rows")
    vectors = (u * s ** power).astype(np.float32)  # (V, dim)
    return Embeddings(words, vectors)


def top_contexts(matrix, words, word: str, topn: int = 5) -> list[tuple[str, float]]:
    """The ``topn`` largest entries of ``word``'s row: ``[(context, value), ...]``.

    Ties are broken by context id, so the list is deterministic.
    """
    matrix, words, i = _rows_of(matrix, words, word)
    topn = checks.integer("topn", topn, 0)
    row = matrix[i]
    order = np.lexsort((row.indices, -row.data))[:topn]
    return [(words[row.indices[i]], float(row.data[i])) for i in order]


def row_neighbours(matrix, words, word: str, topn: int = 5) -> list[tuple[str, float]]:
    """Nearest words by cosine between *rows* of a sparse matrix (no factorisation).

    The query row is compared with every row by one sparse matrix-vector product;
    the word itself is excluded and ties are broken by id.
    """
    matrix, words, i = _rows_of(matrix, words, word)
    topn = checks.integer("topn", topn, 0)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())  # (V,)
    if norms[i] == 0:
        raise ValueError(f"word {word!r} has an empty row: it co-occurs with nothing")
    scores = np.asarray((matrix @ matrix[i].T).todense()).ravel()  # (V,) dot products
    scores = scores / (np.where(norms > 0, norms, 1.0) * norms[i])
    scores[i] = -np.inf
    order = np.lexsort((np.arange(len(words)), -scores))[:topn]
    return [(words[j], float(scores[j])) for j in order]


def _rows_of(matrix, words, word: str) -> tuple[sp.csr_matrix, list, int]:
    """``matrix`` as float64 CSR (finite), ``words`` checked (one per row) and ``word``'s row."""
    if not sp.issparse(matrix):
        matrix = checks.matrix("matrix", matrix)
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    if not np.isfinite(matrix.data).all():
        raise ValueError("matrix holds nan or inf: it must hold finite numbers")
    words = checks.words("words", words)
    if len(words) != matrix.shape[0]:
        raise ValueError(f"words must name every row of matrix: {len(words)} words for "
                         f"{matrix.shape[0]} rows")
    if not isinstance(word, str):
        raise checks.ArgumentTypeError(f"word must be a str, got {checks.describe(word)}")
    try:
        return matrix, words, words.index(word)
    except ValueError:
        raise KeyError(f"word {word!r} is not in words") from None
