"""Maps of word vectors in 2-D, and how much of the space a map keeps.

Chapter: *Maps of real vectors*.

A map squeezes ``d``-dimensional vectors onto a page.  PCA
(:mod:`lessons.geometry.pca`) keeps the two directions of largest variance, a linear
projection; t-SNE (:func:`tsne`) moves points so that each one's *nearest*
neighbours stay near, and gives up on everything else.  Neither keeps everything,
and this module measures what each keeps:

* :func:`neighbour_recall`: of each word's ``k`` nearest neighbours in the full
  space (cosine), how many are among its ``k`` nearest on the map;
* :func:`trustworthiness`: are the map's neighbours true neighbours (Venna and
  Kaski), penalising each intruder by how far it really is;
* :func:`distance_correlation`: do the map's distances follow the true ones
  (Spearman correlation over all pairs);
* :func:`relative_spread`: how large a group of words is, relative to all of them
  (t-SNE's cluster sizes are not the space's).

Everything is exact (``O(n^2)`` memory), fine for the few hundred words of a map.
t-SNE's gradient, the one hot loop, is a numba kernel (:func:`_tsne_gradient_kernel`)
checked against the plain-numpy :func:`tsne_gradient`; its sums run in a fixed order,
so a seed gives the same map on every CPU.

References
----------
* L. van der Maaten, G. Hinton, "Visualizing Data using t-SNE", JMLR 2008.
* J. Venna, S. Kaski, "Neighborhood preservation in nonlinear projection methods:
  an experimental study", ICANN 2001 (trustworthiness).
* M. Wattenberg, F. Viégas, I. Johnson, "How to Use t-SNE Effectively", Distill 2016.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from lessons import checks
from lessons.geometry.pca import pca_2d
from lessons.vectors.linalg import directions

__all__ = ["squared_distances", "nearest_neighbours", "neighbour_recall", "trustworthiness",
           "distance_correlation", "relative_spread", "tsne_affinities", "tsne_gradient",
           "TSNEResult", "tsne", "METRICS"]

#: How points are compared: "cosine" (word vectors: unit rows first) or "euclidean".
METRICS = ("cosine", "euclidean")


def _points(X, metric: str) -> np.ndarray:
    """``X`` as (n, d) float64 (n >= 2 finite rows), scaled to unit rows for ``metric="cosine"``."""
    X = checks.matrix("X", X, min_rows=2)
    if checks.choice("metric", metric, METRICS) == "cosine":
        X = directions("X", X)  # a zero row has no direction
    return X


def squared_distances(X, metric: str = "euclidean") -> np.ndarray:
    """All squared distances between the rows of ``X`` (n, d): (n, n) float64, zero diagonal.

    ``metric="cosine"`` first scales every row to unit length, so the squared distance is
    ``2 - 2 cos``: it orders pairs exactly as the cosine does.  Computed from coordinate
    differences (no BLAS), so the result does not depend on the CPU.
    """
    X = _points(X, metric)
    out = np.zeros((len(X), len(X)))
    for column in X.T:  # one coordinate at a time: (n, n) per step, never (n, n, d)
        diff = column[:, None] - column[None, :]
        out += diff * diff
    np.fill_diagonal(out, 0.0)
    return out


def _ranked(distances: np.ndarray) -> np.ndarray:
    """(n, n - 1) every row's other points, nearest first; ties go to the smaller index."""
    n = len(distances)
    d = distances.copy()
    np.fill_diagonal(d, np.inf)  # a point is not its own neighbour
    return np.argsort(d, axis=1, kind="stable")[:, : n - 1]


def nearest_neighbours(X, k: int, metric: str = "euclidean") -> np.ndarray:
    """The ``k`` nearest other rows of each row of ``X``: (n, k) int, nearest first.

    Ties are broken by the smaller index, so the answer is deterministic.
    """
    distances = squared_distances(X, metric)  # (n, n)
    n = len(distances)
    k = checks.integer("k", k, 1, n - 1, why_high=f" (there are {n} points)")
    return _ranked(distances)[:, :k]


def _pair(high, low):
    high, low = checks.matrix("high", high, min_rows=2), checks.matrix("low", low, min_rows=2)
    if len(high) != len(low):
        raise ValueError(f"high and low must have the same points, got {len(high)} and "
                         f"{len(low)} rows")
    return high, low


def neighbour_recall(high, low, k: int = 10, *, high_metric: str = "cosine",
                     low_metric: str = "euclidean") -> np.ndarray:
    """For each point, the fraction of its ``k`` nearest neighbours in ``high`` that are among
    its ``k`` nearest in ``low``.

    Parameters
    ----------
    high : (n, d) array, e.g. word vectors
    low : (n, 2) array, their map (any dimension works)
    k : int, 1 <= k < n
    high_metric, low_metric : {"cosine", "euclidean"}

    Returns
    -------
    (n,) float64 in [0, 1]; its mean is the map's neighbour recall.  A random map keeps
    about ``k / (n - 1)`` of them.
    """
    high, low = _pair(high, low)
    true = nearest_neighbours(high, k, high_metric)  # (n, k)
    shown = nearest_neighbours(low, k, low_metric)  # (n, k)
    n = len(high)
    member = np.zeros((n, n), dtype=bool)
    member[np.arange(n)[:, None], shown] = True
    return member[np.arange(n)[:, None], true].mean(axis=1)


def trustworthiness(high, low, k: int = 10, *, high_metric: str = "cosine",
                    low_metric: str = "euclidean") -> float:
    """Venna and Kaski's trustworthiness: are the map's neighbours true neighbours?

    ``T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k)``, where
    ``U_k(i)`` are the points among ``i``'s ``k`` nearest on the map but not in the full
    space, and ``r(i, j)`` is ``j``'s rank among ``i``'s neighbours in the full space
    (1 = nearest).  1 means no intruders; a random map scores about 0.5.  Needs
    ``k < n / 2`` (the normalisation).  Same definition as scikit-learn's
    ``sklearn.manifold.trustworthiness``.
    """
    high, low = _pair(high, low)
    n = len(high)
    k = checks.integer("k", k, 1, n - 1, why_high=f" (there are {n} points)")
    if not k < n / 2:
        raise ValueError(f"trustworthiness needs k < n / 2 = {n / 2}, got k = {k}")
    ranks = np.empty((n, n), dtype=np.int64)  # ranks[i, j]: j's rank among i's true neighbours
    order = _ranked(squared_distances(high, high_metric))  # (n, n - 1)
    ranks[np.arange(n)[:, None], order] = np.arange(1, n)[None, :]
    shown = nearest_neighbours(low, k, low_metric)  # (n, k)
    excess = ranks[np.arange(n)[:, None], shown] - k  # > 0 exactly for the intruders
    penalty = np.maximum(excess, 0).sum()
    return float(1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty)


def distance_correlation(high, low, *, high_metric: str = "cosine",
                         low_metric: str = "euclidean") -> float:
    """Spearman rank correlation between the distances of all pairs in ``high`` and in ``low``.

    1 when the map orders every pair's distance as the full space does; near 0 when the
    map's distances say nothing about the true ones.
    """
    high, low = _pair(high, low)
    from scipy import stats  # imported here: only this function needs it

    upper = np.triu_indices(len(high), k=1)
    rho = stats.spearmanr(squared_distances(high, high_metric)[upper],
                          squared_distances(low, low_metric)[upper])[0]
    return float(rho)


def relative_spread(X, members, metric: str = "euclidean") -> float:
    """How spread out the rows ``members`` of ``X`` are, relative to all rows.

    The root-mean-square distance of the members to their centroid divided by that of
    all rows to theirs (``metric="cosine"``: of the unit rows).  Below 1: a group
    tighter than the cloud; compare the same group in the space and on a map.
    """
    X = _points(X, metric)
    members = checks.array("members", members, ndim=1, dtype=np.int64, min_rows=2,
                           what="a list of row indices")
    if members.min() < 0 or members.max() >= len(X):
        raise ValueError(f"members must be row indices in [0, {len(X)}), got {members!r}")

    def rms(points):
        return np.sqrt(np.mean(np.sum((points - points.mean(axis=0)) ** 2, axis=1)))

    return float(rms(X[members]) / rms(X))


# --------------------------------------------------------------------------- t-SNE

def tsne_affinities(distances, perplexity: float, *, tol: float = 1e-5,
                    max_steps: int = 100) -> np.ndarray:
    """t-SNE's joint probabilities ``P`` from squared distances ((n, n), zero diagonal).

    Each row gets a Gaussian ``p_{j|i} ~ exp(-beta_i d_ij)`` whose precision ``beta_i`` is
    found by bisection so that its perplexity ``exp(H(p_{.|i}))`` equals ``perplexity``
    (all rows at once); then ``P = (p_{j|i} + p_{i|j}) / 2n``, symmetric, summing to 1.
    """
    D = checks.matrix("distances", distances, min_rows=3)
    n = len(D)
    if D.shape != (n, n):
        raise ValueError(f"distances must be a square (n, n) matrix, got shape {D.shape}")
    checks.number("perplexity", perplexity, 1, n - 1, strict_max=True, why=" (n - 1 is the "
                  "number of neighbours of each point)")
    target = np.log(perplexity)
    off = ~np.eye(n, dtype=bool)
    # Subtracting each row's smallest distance does not change p_{j|i} and avoids underflow.
    shifted = D - np.where(off, D, np.inf).min(axis=1, keepdims=True)  # (n, n)
    beta = np.ones(n)
    low, high = np.zeros(n), np.full(n, np.inf)
    for _ in range(max_steps):
        P = np.where(off, np.exp(-beta[:, None] * shifted), 0.0)  # (n, n)
        total = P.sum(axis=1)
        entropy = np.log(total) + beta * (P * shifted).sum(axis=1) / total  # (n,) nats
        too_flat = entropy > target  # perplexity too large: sharpen (larger beta)
        low = np.where(too_flat, beta, low)
        high = np.where(too_flat, high, beta)
        beta = np.where(np.isinf(high), beta * 2.0, (low + high) / 2.0)
        if np.max(np.abs(entropy - target)) < tol:
            break
    conditional = P / total[:, None]
    joint = (conditional + conditional.T) / (2.0 * n)
    return np.maximum(joint, 1e-12 * off)


def tsne_gradient(P, Y) -> tuple[float, np.ndarray]:
    """KL(P || Q) and its gradient with respect to the map ``Y`` (n, 2).

    ``q_ij ~ (1 + |y_i - y_j|^2)^-1`` (Student t, one degree of freedom), normalised over
    all pairs; ``dKL/dy_i = 4 sum_j (p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2)``.
    """
    P = np.asarray(P, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    kernel = 1.0 / (1.0 + squared_distances(Y))  # (n, n)
    np.fill_diagonal(kernel, 0.0)
    Q = np.maximum(kernel / kernel.sum(), 1e-12)
    weights = (P - Q) * kernel  # (n, n)
    grad = 4.0 * (weights.sum(axis=1)[:, None] * Y - weights @ Y)  # (n, 2)
    off = ~np.eye(len(P), dtype=bool)
    kl = float(np.sum(P[off] * np.log(np.maximum(P[off], 1e-12) / Q[off])))
    return kl, grad


@njit(cache=True, nogil=True)
def _tsne_gradient_kernel(P, Y, exaggeration, kernel, grad):
    """:func:`tsne_gradient`'s gradient for ``exaggeration * P``, written into ``grad`` (n, 2).

    Two passes over the pairs: the Student-t kernel and its total ``Z`` (``kernel`` is
    an (n, n) work buffer), then each point's gradient.  No BLAS, sums in a fixed order.
    """
    n = Y.shape[0]
    total = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = Y[i, 0] - Y[j, 0]
            dy = Y[i, 1] - Y[j, 1]
            q = 1.0 / (1.0 + dx * dx + dy * dy)
            kernel[i, j] = q
            kernel[j, i] = q
            total += 2.0 * q
    for i in range(n):
        gx = 0.0
        gy = 0.0
        for j in range(n):
            if j != i:
                q = kernel[i, j]
                w = (exaggeration * P[i, j] - max(q / total, 1e-12)) * q
                gx += w * (Y[i, 0] - Y[j, 0])
                gy += w * (Y[i, 1] - Y[j, 1])
        grad[i, 0] = 4.0 * gx
        grad[i, 1] = 4.0 * gy


@dataclass(frozen=True)
class TSNEResult:
    """A t-SNE map: ``points`` (n, 2) and the final ``kl`` divergence, with its settings."""

    points: np.ndarray
    kl: float
    perplexity: float
    seed: int
    init: str


def tsne(X, *, perplexity: float = 30.0, metric: str = "cosine", iterations: int = 1000,
         init: str = "pca", seed: int = 0, early_exaggeration: float = 12.0,
         exaggerated_iterations: int = 250) -> TSNEResult:
    """Exact t-SNE of the rows of ``X`` into 2-D, with scikit-learn's optimiser settings.

    Gradient descent with momentum (0.5, then 0.8 after the exaggerated phase), per-
    coordinate gains (delta-bar-delta, minimum 0.01) and the "auto" learning rate
    ``max(n / early_exaggeration / 4, 50)``; ``P`` is multiplied by
    ``early_exaggeration`` for the first ``exaggerated_iterations`` steps.

    Parameters
    ----------
    X : (n, d) array
    perplexity : float
        Roughly how many neighbours each point attends to; ``1 <= perplexity < n - 1``.
    metric : {"cosine", "euclidean"}
    iterations : int
    init : {"pca", "random"}
        Start from the first two principal components (scaled to a standard deviation of
        1e-4, as scikit-learn) or from Gaussian noise drawn with ``seed``.
    seed : int

    Returns
    -------
    TSNEResult
    """
    X = _points(X, metric)  # cosine: the unit rows, whose squared distances are 2 - 2 cos
    checks.choice("init", init, ("pca", "random"))
    iterations = checks.integer("iterations", iterations, 1)
    seed = checks.integer("seed", seed, 0)
    n = len(X)
    P = tsne_affinities(squared_distances(X), perplexity)  # (n, n)
    if init == "pca":
        Y = pca_2d(X)
        Y = Y / np.std(Y[:, 0]) * 1e-4
    else:
        Y = np.random.default_rng(seed).normal(scale=1e-4, size=(n, 2))
    learning_rate = max(n / early_exaggeration / 4.0, 50.0)
    update = np.zeros_like(Y)  # (n, 2)
    gains = np.ones_like(Y)  # (n, 2)
    grad = np.zeros_like(Y)  # (n, 2)
    kernel = np.zeros((n, n))  # work buffer of the gradient kernel
    for step in range(iterations):
        exaggerated = step < exaggerated_iterations
        momentum = 0.5 if exaggerated else 0.8
        _tsne_gradient_kernel(P, Y, early_exaggeration if exaggerated else 1.0, kernel, grad)
        # a coordinate still moving against its gradient speeds up; one that overshot slows
        gains = np.maximum(np.where(update * grad < 0.0, gains + 0.2, gains * 0.8), 0.01)
        update = momentum * update - learning_rate * gains * grad
        Y = Y + update
    kl, _ = tsne_gradient(P, Y)
    return TSNEResult(Y - Y.mean(axis=0), kl, float(perplexity), seed, init)
