"""The small pieces of linear algebra every layer above uses, each written once.

* :func:`unit_rows` scales rows to length 1 (zero rows stay zero): the one
  normalisation behind every cosine in the library.
* :func:`cosine` and :func:`cosine_matrix` are cosines of vectors and of rows.
* :func:`fix_signs` is the one sign convention for an SVD (and so for PCA): a
  singular pair ``(u_k, v_k)`` is defined only up to a common sign, so each is
  flipped until the largest-magnitude entry of ``u_k`` is positive.  The same
  vectors then give the same picture and numbers on every CPU and LAPACK build.
"""
from __future__ import annotations

import numpy as np

__all__ = ["unit_rows", "cosine", "cosine_matrix", "fix_signs"]


def unit_rows(X) -> np.ndarray:
    """Rows of ``X`` scaled to length 1; zero rows stay zero.  ``(n, d) -> (n, d)``.

    Floating-point input keeps its dtype (float32 stays float32, as gensim divides);
    integer input becomes float64.
    """
    X = np.asarray(X)
    X = X.astype(np.float64) if X.dtype.kind != "f" else X
    norms = np.linalg.norm(X, axis=-1, keepdims=True)  # (n, 1)
    return X / np.where(norms > 0, norms, X.dtype.type(1))


def cosine(a, b) -> float:
    """Cosine similarity ``a·b / (‖a‖ ‖b‖)`` of two vectors (float64)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be 1-d vectors of equal length, got shapes {a.shape} and {b.shape}")
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    if norm == 0:
        raise ValueError("cosine is undefined for a zero vector")
    return float(a @ b / norm)


def cosine_matrix(A, B=None) -> np.ndarray:
    """All cosines between the rows of ``A`` (n, d) and of ``B`` (m, d; default ``A``): (n, m)."""
    UA = unit_rows(A)
    UB = UA if B is None else unit_rows(B)
    return UA @ UB.T


def fix_signs(u: np.ndarray, vt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flip each singular pair so that the largest-magnitude entry of ``u[:, k]`` is positive.

    Parameters
    ----------
    u : (n, k) left singular vectors (columns); vt : (k, m) right singular vectors (rows).

    Returns
    -------
    ``(u, vt)`` with column ``k`` of ``u`` and row ``k`` of ``vt`` multiplied by the same
    sign, so ``u diag(s) vt`` is unchanged.  For PCA, where the principal axes are the
    rows of ``vt``, call ``fix_signs(vt.T, u.T)`` to make each axis's largest loading
    positive.  Ties go to the first largest entry.
    """
    pivots = np.argmax(np.abs(u), axis=0)  # (k,)
    signs = np.sign(u[pivots, np.arange(u.shape[1])])
    signs[signs == 0] = 1.0
    return u * signs, vt * signs[:, None]
