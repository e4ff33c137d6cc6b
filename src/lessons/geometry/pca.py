"""Principal component analysis: the data-dependent projection.

Chapters: every 2-D map of word vectors (*The training loop*, *The parameter
explorer*, *What came after*) and *Johnson–Lindenstrauss* (PCA against random
projections).

The axes come from :func:`lessons.vectors.linalg.principal_axes`, the library's one
centred PCA: the rows are centred (optionally), the principal axes are the top right
singular vectors of the centred matrix (SVD in float64), and each axis is flipped so
that its largest-magnitude loading is positive: an SVD fixes the axes only up to
sign, and this makes every picture reproducible.
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.vectors.linalg import principal_axes

__all__ = ["pca_project", "pca_2d"]


def pca_project(X, k: int, *, center: bool = True) -> np.ndarray:
    """Project the rows of ``X`` (n, d) on their top ``k`` principal axes: (n, k) float64.

    ``1 <= k <= min(n, d)``.  With ``center=False`` the axes are the top right singular
    vectors of ``X`` itself (a truncated SVD), so ``k = d`` is a pure rotation and keeps
    every cosine.
    """
    centred, axes, _ = principal_axes(X, k, center=center)  # (n, d), (k, d)
    return centred @ axes.T


def pca_2d(vectors) -> np.ndarray:
    """The rows of ``vectors`` (n, d) on their first two principal axes: (n, 2) float64.

    The second column is zero when there is only one axis (``d == 1`` or ``n == 1``).
    """
    X = checks.matrix("vectors", vectors, min_rows=1, what="a non-empty (n, d) matrix")
    k = min(2, X.shape[0], X.shape[1])
    out = np.zeros((X.shape[0], 2))
    out[:, :k] = pca_project(X, k)
    return out
