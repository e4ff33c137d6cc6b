"""The small pieces of linear algebra every layer above uses, each written once.

* :func:`unit_rows` scales rows to length 1: the one normalisation behind every
  cosine in the library.  **The zero-vector rule**: a zero row stays zero, so a zero
  vector has cosine 0.0 with every vector (gensim's convention), in :func:`cosine`,
  :func:`cosine_matrix`, :class:`~lessons.vectors.embeddings.Embeddings` and fastText
  alike.  Where a *direction* is needed (a bias direction, a feature direction),
  :func:`directions` refuses a zero row instead, naming the argument and the row.
* :func:`row_norms` is the length of each row, at any finite scale (the same care).
* :func:`cosine` and :func:`cosine_matrix` are cosines of vectors and of rows.
* :func:`principal_axes` is the one centred PCA (an SVD in float64, signs fixed).
* :func:`fix_signs` is the one sign convention for an SVD (and so for PCA): a
  singular pair ``(u_k, v_k)`` is defined only up to a common sign, so each is
  flipped until the largest-magnitude entry of ``u_k`` is positive.  The same
  vectors then give the same picture and numbers on every CPU and LAPACK build.
"""
from __future__ import annotations

import numpy as np

from lessons import checks

__all__ = ["unit_rows", "row_norms", "directions", "cosine", "cosine_matrix", "principal_axes",
           "fix_signs"]


def unit_rows(X) -> np.ndarray:
    """Rows of ``X`` scaled to length 1; zero rows stay zero.  ``(n, d) -> (n, d)``.

    Floating-point input keeps its dtype (float32 stays float32, as gensim divides);
    integer input becomes float64.  Rows whose squared length overflows or underflows
    (entries near 1e19 or 1e-16 in float32) are first divided by their largest entry,
    so vectors of any finite scale get unit rows; every other row is divided exactly as
    before, bit for bit.
    """
    X = _floating(X)
    with np.errstate(over="ignore", under="ignore"):
        norms = np.linalg.norm(X, axis=-1, keepdims=True)  # (n, 1)
    out = X / np.where(norms > 0, norms, X.dtype.type(1))
    risky = _unsafe_norms(norms, X)  # (n, 1) bool
    if risky.any():
        rows = risky[..., 0]
        out[rows] = _rescaled_unit(X[rows])
    return out


def row_norms(X) -> np.ndarray:
    """Euclidean length of each row of ``X``: ``(n, d) -> (n,)``, at any finite scale.

    Floating-point input keeps its dtype, integer input becomes float64.  Each norm is
    ``np.linalg.norm`` along the row, bit for bit, except for the rows whose squares
    overflow or underflow (see :func:`unit_rows`): those are computed in float64 after
    dividing by their largest entry.
    """
    X = _floating(X)
    with np.errstate(over="ignore", under="ignore"):
        norms = np.linalg.norm(X, axis=-1)  # (n,)
    risky = _unsafe_norms(norms[..., None], X)[..., 0]  # (n,) bool
    if risky.any():
        rows = X[risky].astype(np.float64)  # (k, d)
        peak = np.max(np.abs(rows), axis=-1)  # (k,) > 0
        norms[risky] = peak * np.linalg.norm(rows / peak[:, None], axis=-1)
    return norms


def _floating(X) -> np.ndarray:
    """``X`` as an array of floats: a float dtype is kept, anything else becomes float64."""
    X = checks.array("X", X, dtype=None, what="an array of vectors")  # numbers, finite
    return X.astype(np.float64) if X.dtype.kind != "f" else X


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
    """Cosine similarity ``a·b / (‖a‖ ‖b‖)`` of two vectors (float64), at any finite scale.

    0.0 when either is a zero vector (the module's zero-vector rule).
    """
    a = checks.array("a", a, ndim=1, min_rows=1, what="a 1-d vector")
    b = checks.array("b", b, ndim=1, what="a 1-d vector")
    if b.shape != a.shape:
        raise ValueError(f"a and b must be vectors of equal length, got {a.size} and {b.size} "
                         "entries")
    if not (np.any(a != 0) and np.any(b != 0)):
        return 0.0
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        norm = np.linalg.norm(a) * np.linalg.norm(b)
        value = a @ b / norm if norm > 0 else np.nan
    if not (np.isfinite(value) and norm > 1e-250):  # overflow or underflow: rescale first
        a, b = a / np.max(np.abs(a)), b / np.max(np.abs(b))
        value = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    return float(value)


def directions(name: str, X) -> np.ndarray:
    """Unit rows of ``X`` ((d,) or (n, d); returned (n, d) float64), refusing a zero row.

    For the places that need a direction, which a zero vector does not have.
    """
    X = checks.array(name, X, min_rows=1, what="a non-empty (n, d) array of vectors")
    X = X[None, :] if X.ndim == 1 else X
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty (n, d) array of vectors, got shape {X.shape}")
    zero = np.flatnonzero(~np.any(X != 0, axis=1))
    if zero.size:
        raise ValueError(f"{name} row {zero[0]} is a zero vector: its direction (and cosine) "
                         "is undefined")
    return unit_rows(X)


def cosine_matrix(A, B=None) -> np.ndarray:
    """All cosines between the rows of ``A`` (n, d) and of ``B`` (m, d; default ``A``): (n, m)."""
    UA = unit_rows(checks.matrix("A", A, dtype=None))
    if B is None:
        return UA @ UA.T
    return UA @ unit_rows(checks.matrix("B", B, dtype=None, columns=UA.shape[1])).T


def principal_axes(X, k: int | None = None, *, center: bool = True):
    """The top ``k`` principal axes of the rows of ``X`` (n, d): the one centred PCA.

    Returns ``(centred, axes, singular)``: the rows (centred if ``center``) as float64
    (n, d), the axes (k, d) with each one's largest loading positive
    (:func:`fix_signs`), and all the singular values (min(n, d),).  ``center=False``
    takes the SVD of ``X`` itself.
    """
    X = checks.matrix("X", X, min_rows=1, what="a non-empty (n, d) matrix")
    k = min(X.shape) if k is None else checks.integer("k", k, 1, min(X.shape))
    centred = X - X.mean(axis=0) if center else X
    u, singular, axes = np.linalg.svd(centred, full_matrices=False)  # axes: (min(n, d), d)
    axes, _ = fix_signs(axes[:k].T, u[:, :k].T)  # (d, k): largest loading of each axis > 0
    return centred, axes.T, singular


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
    u = checks.matrix("u", u, dtype=None, min_rows=1, what="an (n, k) matrix")
    vt = checks.matrix("vt", vt, dtype=None, what="a (k, m) matrix")
    if vt.shape[0] != u.shape[1]:
        raise ValueError(f"vt must have one row per column of u ({u.shape[1]}), got shape "
                         f"{vt.shape}")
    pivots = np.argmax(np.abs(u), axis=0)  # (k,)
    signs = np.sign(u[pivots, np.arange(u.shape[1])])
    signs[signs == 0] = 1.0
    return u * signs, vt * signs[:, None]
