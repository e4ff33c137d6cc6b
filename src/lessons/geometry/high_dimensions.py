"""Random directions, concentration of measure, and how trained vectors differ.

Chapters: *Why vectors?* and *The geometry of high dimensions*.

It holds the article's toy vectors, the closed forms below for random directions
(with simulations to check them), and :func:`anisotropy_report`, which measures how
trained vectors differ from random ones.  Cosines themselves are computed by
:mod:`lessons.vectors.linalg`.

Closed forms used by the chapters (``d`` is the dimension, ``d >= 2``):

* The cosine ``c`` of two independent random directions (e.g. two Gaussian
  vectors) has density ``f(c) = Γ(d/2) / (√π Γ((d-1)/2)) (1 - c²)^((d-3)/2)``
  on ``[-1, 1]``: ``(c + 1) / 2`` is Beta((d-1)/2, (d-1)/2).  Its mean is 0,
  its variance exactly ``1/d``, and ``E|c| = Γ(d/2) / (√π Γ((d+1)/2))``
  (≈ ``√(2/(π d))`` for large ``d``).  The tail is
  ``P(|c| > t) = I_{1-t²}((d-1)/2, 1/2)`` (regularised incomplete beta).
* The fraction of a ball's volume within ``ε`` of its surface (radius 1) is
  ``1 - (1 - ε)^d``.
* The norm of a standard Gaussian vector in R^d is chi-distributed:
  ``E‖x‖ = √2 Γ((d+1)/2) / Γ(d/2)`` and ``Var‖x‖ = d - (E‖x‖)²`` (→ 1/2).
* Two random corners of the cube ``{-1, 1}^d`` have cosine ``1 - 2H/d`` with
  ``H ~ Binomial(d, 1/2)`` the number of coordinates where they differ.

References
----------
* A. Blum, J. Hopcroft, R. Kannan, *Foundations of Data Science* (2020), ch. 2
  (high-dimensional space, concentration of measure).
* K. Ethayarajh, "How Contextual are Contextualized Word Representations?",
  EMNLP 2019, and J. Mu, P. Viswanath, "All-but-the-Top", ICLR 2018
  (anisotropy of trained word vectors).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from lessons import checks
from lessons.vectors.linalg import directions, unit_rows

__all__ = [
    # the article's toy vectors
    "ARTICLE_VECTORS_4D", "ARTICLE_VECTORS_2D", "ARTICLE_NUMBER_LINE", "ARTICLE_ANALOGY_4D",
    "pairwise_distances", "article_cosine_table",
    # random directions and their closed forms
    "random_unit_vectors", "random_cosines", "cosine_density", "cosine_variance", "cosine_sd",
    "mean_abs_cosine", "sd_abs_cosine", "cosine_tail", "shell_fraction",
    "gaussian_norm_mean", "gaussian_norm_sd", "corner_cosine_pmf",
    # trained vectors against random ones
    "mean_pairwise_cosine", "top_components_variance", "anisotropy_report",
]

# --- The article's toy vectors ("Why floating-point vectors?") ---------------------------------

#: Four 4-d "learned" vectors whose cosines the article prints.
ARTICLE_VECTORS_4D = {
    "cat": (0.7, 0.5, -0.1, 0.3),
    "dog": (0.6, 0.6, -0.1, 0.2),
    "tiger": (0.8, 0.2, 0.4, 0.5),
    "car": (-0.3, -0.5, 0.8, 0.1),
}
#: The 2-d [pet-ness, feline-ness] vectors (the article prints no output for them).
ARTICLE_VECTORS_2D = {
    "cat": (0.8, 0.9),
    "dog": (0.9, 0.1),
    "tiger": (0.1, 0.95),
    "goldfish": (0.85, 0.0),
    "lion": (0.05, 0.8),
}
#: The 1-d number line.
ARTICLE_NUMBER_LINE = {"dog": 1.0, "cat": 2.0, "tiger": 3.0, "lion": 4.0, "goldfish": 5.0}
#: The 4-d [royalty, gender, humanness, ...] vectors of the king/queen analogy.
ARTICLE_ANALOGY_4D = {
    "man": (0.0, -0.8, 0.9, 0.1),
    "woman": (0.0, 0.8, 0.9, 0.1),
    "king": (0.9, -0.8, 0.9, 0.2),
    "queen": (0.9, 0.8, 0.9, 0.2),
}


# Above this dimension the closed forms use the asymptotic series of log Γ(x + 1/2) - log Γ(x):
# the difference of two gammaln values near 10^10 keeps only ~6 digits at d = 10^9.  At or
# below it they use gammaln directly (what the chapters print, unchanged).
_SERIES_FROM_D = 10_000


def _half_ratio_correction(x: float) -> float:
    """``δ(x) = log Γ(x + 1/2) - log Γ(x) - (1/2) log x`` for ``x >= 5000``, to full precision.

    The asymptotic series ``-1/(8x) + 1/(192x³) - 1/(640x⁵) + 17/(14336x⁷)`` (checked against
    50-digit arithmetic: relative error below 1e-30 at x = 5000).
    """
    y = 1.0 / x
    y2 = y * y
    return y * (-1 / 8 + y2 * (1 / 192 + y2 * (-1 / 640 + y2 * 17 / 14336)))


# --- Distances and cosines of random directions ----------------------------------------------

def pairwise_distances(vectors: dict) -> list[tuple[str, str, float]]:
    """Euclidean distance of every pair of named vectors, in the article's loop order.

    The article loops over all ordered pairs and keeps ``name_a < name_b``
    (alphabetical), so each unordered pair appears once, alphabetically.
    """
    if not isinstance(vectors, dict):
        raise checks.ArgumentTypeError(f"vectors must be a dict of name -> vector, got "
                                       f"{checks.describe(vectors)}")
    items = [(k, checks.array(f"vectors[{k!r}]", v, ndim=1, what="a 1-d vector"))
             for k, v in vectors.items()]
    for k, v in items[1:]:
        if v.shape != items[0][1].shape:
            raise ValueError(f"vectors[{k!r}] has {len(v)} dimensions, vectors"
                             f"[{items[0][0]!r}] {len(items[0][1])}: all must have the same")
    return [(a, b, float(np.linalg.norm(va - vb)))
            for a, va in items for b, vb in items if a < b]


def random_unit_vectors(n: int, d: int, rng, *, dtype=np.float64) -> np.ndarray:
    """``n`` directions drawn uniformly on the unit sphere of R^d (normalised Gaussians). (n, d).

    ``rng``: a ``numpy.random.Generator``, a seed or None (as every ``rng`` of the library).
    """
    d = checks.integer("d", d, 1)
    n = checks.integer("n", n, 0)
    rng = checks.random_state("rng", rng)
    return unit_rows(rng.standard_normal((n, d)).astype(dtype, copy=False))  # (n, d)


def article_cosine_table(dims=(2, 10, 50, 100, 300, 1000), n_pairs: int = 10_000,
                         seed: int = 42) -> dict[int, tuple[float, float]]:
    """Replay the article's random-cosine loop exactly: ``{d: (mean |cos|, std of cos)}``.

    The article seeds NumPy's legacy global generator once (``np.random.seed(42)``)
    and draws ``a`` then ``b`` with ``np.random.randn(d)`` for each pair; this uses
    the same legacy stream (a private ``RandomState(42)``), so it reproduces what
    the article's code prints — not what the article printed.
    """
    dims = [checks.integer(f"dims[{i}]", d, 1) for i, d in enumerate(
        checks.array("dims", dims, ndim=1, dtype=None, min_rows=1, what="a list of dimensions"))]
    n_pairs = checks.integer("n_pairs", n_pairs, 1)
    state = np.random.RandomState(checks.integer("seed", seed, 0, 2 ** 32 - 1))
    table = {}
    for d in dims:
        cosines = np.empty(n_pairs)
        for i in range(n_pairs):
            a = state.randn(d)
            b = state.randn(d)
            cosines[i] = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
        table[d] = (float(np.mean(np.abs(cosines))), float(np.std(cosines)))
    return table


def random_cosines(n_pairs: int, d: int, rng) -> np.ndarray:
    """Cosines of ``n_pairs`` independent pairs of Gaussian vectors in R^d. (n_pairs,) float64.

    Generated in blocks so that large ``n_pairs × d`` never needs more than ~16 MB.  ``rng``:
    a Generator, a seed or None.
    """
    d = checks.integer("d", d, 1)
    out = np.empty(checks.integer("n_pairs", n_pairs, 0))
    rng = checks.random_state("rng", rng)
    block = max(1, (1 << 20) // d)
    for start in range(0, len(out), block):
        m = min(block, len(out) - start)
        a = rng.standard_normal((m, d))  # (m, d)
        b = rng.standard_normal((m, d))
        out[start:start + m] = np.einsum("ij,ij->i", a, b) / (
            np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return out


def cosine_density(c, d: int) -> np.ndarray:
    """Exact density of the cosine of two random directions in R^d, ``d >= 2``.

    ``f(c) = Γ(d/2) / (√π Γ((d-1)/2)) (1 - c²)^((d-3)/2)`` for ``|c| < 1``, 0 outside.
    (For ``d = 2`` this is the arcsine density ``1 / (π √(1-c²))``; for ``d = 3``
    the uniform density 1/2.)
    """
    d = checks.integer("d", d, 2)
    c = checks.array("c", c, what="a cosine or an array of cosines")
    if d > _SERIES_FROM_D:  # Γ(x + 1/2) / Γ(x) with x = (d - 1) / 2
        x = (d - 1) / 2
        log_const = 0.5 * math.log(x) + _half_ratio_correction(x) - 0.5 * math.log(math.pi)
    else:
        log_const = special.gammaln(d / 2) - 0.5 * math.log(math.pi) - special.gammaln((d - 1) / 2)
    inside = np.abs(c) < 1
    out = np.zeros_like(c)
    out[inside] = np.exp(log_const + (d - 3) / 2 * np.log1p(-c[inside] ** 2))
    return out


def cosine_variance(d: int) -> float:
    """``Var(c) = E[c²] = 1/d``: by symmetry, the d squared coordinates of a unit vector
    average 1/d."""
    return 1.0 / checks.integer("d", d, 1)


def cosine_sd(d: int) -> float:
    """Standard deviation of the cosine of two random directions: ``1/√d``."""
    return math.sqrt(cosine_variance(d))


def mean_abs_cosine(d: int) -> float:
    """``E|c| = Γ(d/2) / (√π Γ((d+1)/2))`` for two random directions in R^d, ``d >= 2``."""
    d = checks.integer("d", d, 2)
    if d > _SERIES_FROM_D:  # 1 / (√π √(d/2) exp(δ(d/2)))
        return math.exp(-_half_ratio_correction(d / 2)) / math.sqrt(math.pi * d / 2)
    return math.exp(special.gammaln(d / 2) - special.gammaln((d + 1) / 2)) / math.sqrt(math.pi)


def sd_abs_cosine(d: int) -> float:
    """Standard deviation of ``|c|``: ``√(1/d - E|c|²)``."""
    if checks.integer("d", d, 2) > _SERIES_FROM_D:  # E|c|² = 2 exp(-2δ) / (π d): no digits lost
        return math.sqrt((1 - 2 / math.pi * math.exp(-2 * _half_ratio_correction(d / 2))) / d)
    return math.sqrt(cosine_variance(d) - mean_abs_cosine(d) ** 2)


def cosine_tail(t, d: int) -> np.ndarray:
    """``P(|c| > t)`` for the cosine of two random directions in R^d, ``0 <= t <= 1``.

    Since ``c²`` is Beta(1/2, (d-1)/2), ``P(|c| > t) = P(c² > t²) = I_{1-t²}((d-1)/2, 1/2)``.
    """
    d = checks.integer("d", d, 2)
    t = checks.array("t", t, minimum=0, maximum=1)
    return special.betainc((d - 1) / 2, 0.5, 1 - t ** 2)


def shell_fraction(epsilon, d) -> np.ndarray:
    """Fraction of the volume of a unit ball in R^d within ``epsilon`` of its surface.

    It is ``1 - (1-ε)^d``, computed as ``-expm1(d log1p(-ε))`` so that values near 1 keep
    their digits.
    """
    epsilon = checks.array("epsilon", epsilon, minimum=0, maximum=1)
    d = checks.array("d", d, minimum=1)
    with np.errstate(divide="ignore"):
        return -np.expm1(d * np.log1p(-epsilon))


def gaussian_norm_mean(d: int) -> float:
    """``E‖x‖`` for ``x ~ N(0, I_d)`` (the chi distribution's mean): ``√2 Γ((d+1)/2) / Γ(d/2)``."""
    d = checks.integer("d", d, 1)
    if d > _SERIES_FROM_D:  # √2 Γ(x + 1/2) / Γ(x) = √d exp(δ(x)) with x = d/2
        return math.sqrt(d) * math.exp(_half_ratio_correction(d / 2))
    return math.sqrt(2) * math.exp(special.gammaln((d + 1) / 2) - special.gammaln(d / 2))


def gaussian_norm_sd(d: int) -> float:
    """Standard deviation of ``‖x‖`` for ``x ~ N(0, I_d)``: ``√(d - (E‖x‖)²)``, tending to ``1/√2``.

    For large d, ``d - (E‖x‖)² = -d expm1(2 δ(d/2))`` avoids subtracting two numbers near d
    (which left 0 at d = 10^8 and 40.3 at d = 10^9).
    """
    d = checks.integer("d", d, 1)
    if d > _SERIES_FROM_D:
        return math.sqrt(-d * math.expm1(2 * _half_ratio_correction(d / 2)))
    return math.sqrt(max(d - gaussian_norm_mean(d) ** 2, 0.0))


def corner_cosine_pmf(d: int) -> tuple[np.ndarray, np.ndarray]:
    """Distribution of the cosine between two independent random corners of ``{-1, 1}^d``.

    Returns ``(cosines, probabilities)``, each ``(d + 1,)``: ``cos = 1 - 2h/d`` with
    probability ``C(d, h) / 2^d``, ``h = 0..d`` coordinates that differ.
    """
    d = checks.integer("d", d, 1)
    h = np.arange(d + 1)
    return 1 - 2 * h / d, stats.binom.pmf(h, d, 0.5)


# --- Anisotropy: how trained vectors differ from random ones -----------------------------------

def mean_pairwise_cosine(X) -> float:
    """Average cosine over all pairs ``i != j`` of rows of ``X``, without an n×n matrix.

    With unit rows ``u_i`` and ``s = Σ u_i``: ``Σ_{i≠j} u_i·u_j = ‖s‖² - n``, so the
    mean is ``(‖s‖² - n) / (n (n - 1))``.  Random directions give ≈ 0; a positive
    value means the vectors share a common direction (anisotropy).
    """
    U = directions("X", checks.matrix("X", X, min_rows=2))  # (n, d) unit rows; no zero row
    n = len(U)
    s = U.sum(axis=0)
    return float((s @ s - n) / (n * (n - 1)))


def top_components_variance(X, k: int = 1) -> np.ndarray:
    """Fraction of the total variance along each of the top ``k`` principal directions. (k,).

    Isotropic Gaussian vectors in R^d give about ``1/d`` each.  Only the singular values of
    the centred rows are needed, so this skips the axes of
    :func:`lessons.vectors.linalg.principal_axes` (``compute_uv=False``).
    """
    X = checks.matrix("X", X, min_rows=2)
    k = checks.integer("k", k, 1, min(X.shape))
    singular = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    variance = singular ** 2
    if not variance.sum() > 0:
        raise ValueError("X: all rows are equal, so there is no variance to share out")
    return variance[:k] / variance.sum()


def anisotropy_report(X, rng, *, n_pairs: int = 20_000) -> dict[str, float]:
    """Summary numbers comparing a set of vectors with random directions.

    Keys: ``"norm cv"`` (sd/mean of the row norms), ``"mean cosine"``
    (:func:`mean_pairwise_cosine`), ``"cosine sd"`` (sd of the cosine over
    ``n_pairs`` random pairs of rows), ``"top PC share"`` (variance share of the
    first principal direction), ``"mean-vector share"`` (``‖mean‖² / mean ‖x‖²``:
    how much of the average squared length is the common mean vector).  ``rng`` (a
    Generator, a seed or None) draws the pairs.
    """
    X = checks.matrix("X", X, min_rows=2)
    n_pairs = checks.integer("n_pairs", n_pairs, 1)
    rng = checks.random_state("rng", rng)
    norms = np.linalg.norm(X, axis=1)
    i = rng.integers(0, len(X), n_pairs)
    j = rng.integers(0, len(X), n_pairs)
    keep = i != j
    U = unit_rows(X)
    pair_cos = np.einsum("ij,ij->i", U[i[keep]], U[j[keep]])
    if pair_cos.size == 0:
        raise ValueError(f"n_pairs={n_pairs}: every pair drawn was one row twice, so there is "
                         "no cosine to take the sd of; draw more pairs")
    mean = X.mean(axis=0)
    return {
        "norm cv": float(norms.std() / norms.mean()),
        "mean cosine": mean_pairwise_cosine(X),
        "cosine sd": float(pair_cos.std()),
        "top PC share": float(top_components_variance(X, 1)[0]),
        "mean-vector share": float(mean @ mean / np.mean(norms ** 2)),
    }
