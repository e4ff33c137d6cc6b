"""Random projections and the Johnson–Lindenstrauss lemma.

Chapter: *Johnson–Lindenstrauss*.

The lemma: for any ``n`` points in R^d and ``0 < ε < 1`` there is a linear map
to R^k, ``k = O(log n / ε²)``, that keeps every squared pairwise distance within
a factor ``1 ± ε``; a random projection does it with high probability.  The
constant in front depends on the proof; :func:`jl_min_dim` gives the common
ones (all with ``ln`` the natural logarithm):

=====================  =========================================================
``"article"``          ``⌈8 ln n / ε²⌉`` (the article; a textbook Gaussian bound)
``"dasgupta-gupta"``   ``⌈4 ln n / (ε²/2 - ε³/3)⌉`` (Dasgupta & Gupta 2003)
``"sklearn"``          the same formula truncated to an integer
                       (``sklearn.random_projection.johnson_lindenstrauss_min_dim``)
``"achlioptas"``       ``⌈(4 + 2β) ln n / (ε²/2 - ε³/3)⌉``: success probability
                       ``>= 1 - n^-β`` (Achlioptas 2003; ``β = 1`` by default)
``"frankl-maehara"``   ``⌈9 ln n / (ε² - 2ε³/3)⌉ + 1`` (Frankl & Maehara 1988)
=====================  =========================================================

Projection matrices ``R`` (k, d), applied as ``Y = X Rᵀ``, are scaled so that
``E‖R x‖² = ‖x‖²``:

* Gaussian: entries ``N(0, 1/k)``; then ``k ‖Rx‖²/‖x‖²`` is exactly χ²_k, so the
  squared-distance ratio has mean 1 and variance ``2/k``.
* Achlioptas (sparse): ``√(3/k) × {+1, 0, -1}`` with probabilities ``1/6, 2/3, 1/6``.
* Very sparse (Li, Hastie & Church 2006): ``√(s/k) × {+1, 0, -1}`` with
  probabilities ``1/(2s), 1 - 1/s, 1/(2s)``, ``s = √d``.

References
----------
* W. B. Johnson, J. Lindenstrauss (1984).  Extensions of Lipschitz mappings into a Hilbert space.
* P. Frankl, H. Maehara (1988).  The Johnson–Lindenstrauss lemma and the sphericity of some graphs.
* S. Dasgupta, A. Gupta (2003).  An elementary proof of a theorem of Johnson and Lindenstrauss.
* D. Achlioptas (2003).  Database-friendly random projections.
* P. Li, T. Hastie, K. Church (2006).  Very sparse random projections.
* K. G. Larsen, J. Nelson (2017).  Optimality of the Johnson–Lindenstrauss lemma (k = Θ(ε⁻² log n)).
"""
from __future__ import annotations

import math

import numpy as np

from lessons import checks
from lessons.geometry.pca import pca_project
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import google_analogies
from lessons.vectors.linalg import unit_rows

__all__ = ["JL_VARIANTS", "PROJECTION_KINDS", "jl_min_dim", "jl_epsilon", "projection_matrix",
           "project", "distance_ratios", "knn_overlap", "analogy_survival"]

JL_VARIANTS = ("article", "dasgupta-gupta", "sklearn", "achlioptas", "frankl-maehara")
#: The kinds of random projection matrix (see the module docstring).
PROJECTION_KINDS = ("gaussian", "achlioptas", "very-sparse")


def _k_float(n, epsilon, variant: str, beta: float) -> np.ndarray:
    """The real-valued bound before rounding."""
    log_n = np.log(np.asarray(n, dtype=np.float64))
    if variant == "article":
        return 8 * log_n / epsilon ** 2
    if variant in ("dasgupta-gupta", "sklearn"):
        return 4 * log_n / (epsilon ** 2 / 2 - epsilon ** 3 / 3)
    if variant == "achlioptas":
        return (4 + 2 * beta) * log_n / (epsilon ** 2 / 2 - epsilon ** 3 / 3)
    if variant == "frankl-maehara":
        return 9 * log_n / (epsilon ** 2 - 2 * epsilon ** 3 / 3)
    raise ValueError(f"variant must be one of {JL_VARIANTS}, got {variant!r}")


def jl_min_dim(n, epsilon, variant: str = "dasgupta-gupta", *, beta: float = 1.0):
    """Target dimension ``k`` that a JL bound guarantees for ``n`` points and distortion ``ε``.

    Parameters
    ----------
    n : int or array of int
        Number of points (>= 2).
    epsilon : float or array
        Allowed relative change of squared distances, ``0 < ε < 1``.
    variant : str
        One of :data:`JL_VARIANTS` (see the module docstring for the formulas).
    beta : float
        Only for ``"achlioptas"``: failure probability at most ``n^-β``.

    Returns
    -------
    int or array of int64
    """
    epsilon = checks.array("epsilon", epsilon, minimum=0, maximum=1, strict=True, strict_max=True)
    checks.array("n", n, dtype=None, minimum=2)
    k = _k_float(n, epsilon, variant, beta)
    if variant == "sklearn":
        out = k.astype(np.int64)
    elif variant == "frankl-maehara":
        out = np.ceil(k).astype(np.int64) + 1
    else:
        out = np.ceil(k).astype(np.int64)
    return int(out) if np.ndim(out) == 0 else out


def jl_epsilon(n: int, k: int, variant: str = "dasgupta-gupta", *, beta: float = 1.0) -> float:
    """The smallest ``ε`` for which a bound allows ``k`` dimensions for ``n`` points (bisection).

    Returns ``nan`` when even ``ε → 1`` would need more than ``k`` dimensions.
    """
    n, k = checks.integer("n", n, 2), checks.integer("k", k, 1)
    lo, hi = 1e-9, 1 - 1e-9
    if _k_float(n, np.float64(hi), variant, beta) > k:
        return float("nan")
    for _ in range(100):  # _k_float decreases in ε on (0, 1)
        mid = (lo + hi) / 2
        if _k_float(n, np.float64(mid), variant, beta) > k:
            lo = mid
        else:
            hi = mid
    return hi


def projection_matrix(d: int, k: int, kind: str = "gaussian", *, rng,
                      density: float | None = None) -> np.ndarray:
    """A random ``(k, d)`` projection matrix with ``E‖Rx‖² = ‖x‖²``.

    Parameters
    ----------
    d, k : int
        Source and target dimension.
    kind : {"gaussian", "achlioptas", "very-sparse"}
    rng : numpy.random.Generator, int seed or None
    density : float or None
        Only for ``"very-sparse"``: fraction of non-zero entries ``1/s`` (default ``1/√d``).
    """
    d, k = checks.integer("d", d, 1), checks.integer("k", k, 1)
    checks.choice("kind", kind, PROJECTION_KINDS)
    rng = checks.random_state("rng", rng)
    if kind == "gaussian":
        return rng.standard_normal((k, d)) / math.sqrt(k)
    if kind == "achlioptas":
        s = 3.0
    elif density is None:
        s = math.sqrt(d)
    else:
        s = 1 / checks.number("density", density, 0, 1, strict=True)
    u = rng.random((k, d))
    signs = np.where(u < 1 / (2 * s), 1.0, np.where(u < 1 / s, -1.0, 0.0))  # (k, d)
    return signs * math.sqrt(s / k)


def project(X, k: int, kind: str = "gaussian", *, rng) -> np.ndarray:
    """Project the rows of ``X`` (n, d) to ``k`` dimensions: ``X Rᵀ``, (n, k) float64.

    ``rng``: a Generator, a seed or None.
    """
    X = checks.matrix("X", X)
    R = projection_matrix(X.shape[1], k, kind, rng=rng)
    return X @ R.T


def distance_ratios(X, Y, *, n_pairs: int | None = None, rng=None) -> np.ndarray:
    """Ratios ``‖y_i - y_j‖² / ‖x_i - x_j‖²`` of squared distances after/before a projection.

    All ``n(n-1)/2`` pairs when ``n_pairs`` is None, else ``n_pairs`` random pairs
    (``i != j``, drawn with ``rng``: a Generator, a seed or None).  A projection has
    distortion ``ε`` on these pairs when every ratio lies in ``[1 - ε, 1 + ε]``.
    """
    X = checks.matrix("X", X, min_rows=2)
    Y = checks.matrix("Y", Y)
    if len(X) != len(Y):
        raise ValueError(f"X and Y must have the same number of rows, got {len(X)} and {len(Y)}")
    if n_pairs is None:
        # all pairs through Gram matrices: ‖x_i - x_j‖² = ‖x_i‖² + ‖x_j‖² - 2 x_i·x_j,
        # no (P, d) copies
        i, j = np.triu_indices(len(X), k=1)
        before = _squared_distances(X)[i, j]
        after = _squared_distances(Y)[i, j]
    else:
        n_pairs = checks.integer("n_pairs", n_pairs, 1)
        rng = checks.random_state("rng", rng)
        i = rng.integers(0, len(X), n_pairs)
        j = rng.integers(0, len(X) - 1, n_pairs)
        j = j + (j >= i)  # uniform over j != i
        before = np.einsum("ij,ij->i", X[i] - X[j], X[i] - X[j])
        after = np.einsum("ij,ij->i", Y[i] - Y[j], Y[i] - Y[j])
    if np.any(before <= 0):
        raise ValueError("X has duplicate rows: a distance ratio is undefined")
    return after / before


def _squared_distances(X: np.ndarray) -> np.ndarray:
    """(n, d) -> (n, n) squared Euclidean distances (float64)."""
    sq = np.einsum("ij,ij->i", X, X)
    D = sq[:, None] + sq[None, :] - 2 * (X @ X.T)
    return np.maximum(D, 0)


def knn_overlap(X, Y, queries, k: int = 10) -> float:
    """Mean fraction of each query's ``k`` nearest neighbours (cosine) in ``X`` that are also its
    ``k`` nearest in ``Y``.  The query itself is excluded.  ``queries`` are row indices.
    """
    X = checks.matrix("X", X, dtype=None, min_rows=2)
    Y = checks.matrix("Y", Y, dtype=None, min_rows=len(X))
    k = checks.integer("k", k, 1, len(X) - 1)
    queries = checks.array("queries", queries, ndim=1, dtype=np.int64, minimum=0,
                           maximum=len(X) - 1, what="a 1-d array of row ids")
    UX, UY = unit_rows(X), unit_rows(Y)
    overlaps = []
    for rows in np.array_split(queries, max(1, len(queries) // 256)):
        sx = UX[rows] @ UX.T  # (q, n)
        sy = UY[rows] @ UY.T
        sx[np.arange(len(rows)), rows] = -np.inf
        sy[np.arange(len(rows)), rows] = -np.inf
        top_x = np.argpartition(-sx, k, axis=1)[:, :k]
        top_y = np.argpartition(-sy, k, axis=1)[:, :k]
        overlaps += [len(np.intersect1d(a, b)) / k for a, b in zip(top_x, top_y)]
    return float(np.mean(overlaps))


def analogy_survival(emb, k: int, kinds=("gaussian",), *, seed: int = 0,
                     restrict_vocab: int = 30000):
    """Google-analogy accuracy (3CosAdd) after projecting ``emb`` to ``k`` dimensions.

    ``kinds`` may include ``"pca"`` (uncentred truncated SVD,
    :func:`lessons.geometry.pca.pca_project`, the data-dependent alternative) besides the
    random kinds.  Returns a dict
    ``kind -> AnalogyResult``.
    """
    out = {}
    for kind in kinds:
        if kind == "pca":
            Y = pca_project(emb.vectors, k, center=False).astype(np.float32)
        else:
            Y = project(emb.vectors, k, kind, rng=np.random.default_rng(seed)).astype(np.float32)
        out[kind] = google_analogies(Embeddings(emb.words, Y, counts=emb.counts),
                                     restrict_vocab=restrict_vocab)
    return out
