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
    integer input becomes float64.  Rows whose squared length overflows or underflows
    (entries near 1e19 or 1e-16 in float32) are first divided by their largest entry,
    so vectors of any finite scale get unit rows; every other row is divided exactly as
    before, bit for bit.
    """
    X = np.asarray(X)
    X = X.astype(np.float64) if X.dtype.kind != "f" else X
    with np.errstate(over="ignore", under="ignore"):
        norms = np.linalg.norm(X, axis=-1, keepdims=True)  # (n, 1)
    out = X / np.where(norms > 0, norms, X.dtype.type(1))
    risky = _unsafe_norms(norms, X)  # (n, 1) bool
    if risky.any():
        rows = risky[..., 0]
        out[rows] = _rescaled_unit(X[rows])
    return out


def _unsafe_norms(norms: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Norms that overflowed to inf, or so small that the squares lost digits (but not 0 rows)."""
    info = np.finfo(X.dtype)
    small = np.sqrt(info.tiny / info.eps)  # below this, squared entries are subnormal
    risky = np.isinf(norms) | (norms < small)
    if risky.any():  # an all-zero row stays zero; a row holding inf or nan stays as it was
        risky &= np.any(X != 0, axis=-1, keepdims=True) & np.isfinite(X).all(axis=-1, keepdims=True)
    return risky


def _rescaled_unit(rows: np.ndarray) -> np.ndarray:
    """Unit rows of ``rows`` (k, d), computed after dividing each by its largest |entry|."""
    peak = np.max(np.abs(rows), axis=-1, keepdims=True)  # (k, 1) > 0
    scaled = rows / peak  # entries in [-1, 1]: no overflow, no total underflow
    return scaled / np.linalg.norm(scaled, axis=-1, keepdims=True)


def cosine(a, b) -> float:
    """Cosine similarity ``a·b / (‖a‖ ‖b‖)`` of two vectors (float64), at any finite scale."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(f"a and b must be 1-d vectors of equal length, got shapes {a.shape} and {b.shape}")
    for name, vector in (("a", a), ("b", b)):
        if not np.isfinite(vector).all():
            raise ValueError(f"{name} holds nan or inf: a cosine needs finite numbers")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        norm = np.linalg.norm(a) * np.linalg.norm(b)
        value = a @ b / norm if norm > 0 else np.nan
    if not (np.isfinite(value) and norm > 1e-250):  # overflow or underflow: rescale first
        a, b = a / max(np.max(np.abs(a)), 1e-320), b / max(np.max(np.abs(b)), 1e-320)
        norm = np.linalg.norm(a) * np.linalg.norm(b)
        value = a @ b / norm if norm > 0 else np.nan
    if norm == 0 or not np.isfinite(value):
        raise ValueError("cosine is undefined for a zero vector")
    return float(value)


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
