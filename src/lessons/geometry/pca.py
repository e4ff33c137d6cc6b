"""Principal component analysis: the data-dependent projection.

Chapters: every 2-D map of word vectors (*The training loop*, *The parameter
explorer*, *What came after*) and *Johnson–Lindenstrauss* (PCA against random
projections).

The rows are centred (optionally), the principal axes are the top right singular
vectors of the centred matrix (SVD in float64), and each axis is flipped so that its
largest-magnitude loading is positive (:func:`lessons.vectors.linalg.fix_signs`):
an SVD fixes the axes only up to sign, and this makes every picture reproducible.
"""
from __future__ import annotations

import numpy as np

from lessons.vectors.linalg import fix_signs

__all__ = ["pca_project", "pca_2d"]


def pca_project(X, k: int, *, center: bool = True) -> np.ndarray:
    """Project the rows of ``X`` (n, d) on their top ``k`` principal axes: (n, k) float64.

    With ``center=False`` the axes are the top right singular vectors of ``X`` itself
    (a truncated SVD), so ``k = d`` is a pure rotation and keeps every cosine.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1:
        raise ValueError(f"X must be a non-empty (n, d) matrix, got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X holds nan or inf: PCA needs finite numbers")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= X.shape[1]:
        raise ValueError(f"k must be an integer in 1..{X.shape[1]}, got {k!r}")
    centred = X - X.mean(axis=0) if center else X
    u, _, axes = np.linalg.svd(centred, full_matrices=False)  # axes: (min(n, d), d)
    axes, _ = fix_signs(axes[:k].T, u[:, :k].T)  # (d, k): largest loading of each axis > 0
    return centred @ axes


def pca_2d(vectors) -> np.ndarray:
    """The rows of ``vectors`` (n, d) on their first two principal axes: (n, 2) float64.

    The second column is zero when there is only one axis (``d == 1`` or ``n == 1``).
    """
    X = np.asarray(vectors, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1:
        raise ValueError(f"vectors must be a non-empty (n, d) matrix, got shape {X.shape}")
    k = min(2, X.shape[0], X.shape[1])
    out = np.zeros((X.shape[0], 2))
    out[:, :k] = pca_project(X, k)
    return out
