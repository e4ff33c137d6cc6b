"""Tests for lessons.vectors.linalg: the zero-vector rule, directions, norms and the one PCA."""
import numpy as np
import pytest

from lessons.vectors import linalg
from lessons.vectors.embeddings import Embeddings


def test_a_zero_vector_has_cosine_zero_everywhere():
    X = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    U = linalg.unit_rows(X)
    assert np.array_equal(U[1], [0.0, 0.0])
    assert U[0] == pytest.approx([0.6, 0.8])
    assert linalg.cosine(X[1], X[0]) == 0.0 and linalg.cosine(X[0], X[1]) == 0.0
    assert linalg.cosine([0.0, 0.0], [0.0, 0.0]) == 0.0
    M = linalg.cosine_matrix(X)
    assert np.array_equal(M[1], [0.0, 0.0, 0.0]) and np.array_equal(M[:, 1], [0.0, 0.0, 0.0])
    emb = Embeddings(["a", "zero", "b"], X)   # Embeddings follows the same rule
    assert emb.similarity("a", "zero") == 0.0 and emb.similarity("zero", X[2]) == 0.0
    assert emb.similarity([0.0, 0.0], "b") == 0.0


def test_directions_are_unit_rows_and_refuse_a_zero_row_by_name():
    X = np.array([[3.0, 4.0], [1.0, 0.0]])
    assert np.array_equal(linalg.directions("X", X), linalg.unit_rows(X))
    assert linalg.directions("v", [0.0, 2.0]).tolist() == [[0.0, 1.0]]   # (d,) -> (1, d)
    with pytest.raises(ValueError, match=r"^pairs row 1 is a zero vector"):
        linalg.directions("pairs", [[1.0, 2.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"^W holds nan"):
        linalg.directions("W", [[1.0, np.nan]])
    with pytest.raises(ValueError, match=r"^W must be a non-empty"):
        linalg.directions("W", np.zeros((0, 3)))


def test_row_norms_are_numpy_norms_and_survive_extreme_scales():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 7)).astype(np.float32)
    norms = linalg.row_norms(X)
    assert norms.dtype == np.float32
    assert norms.tobytes() == np.linalg.norm(X, axis=1).tobytes()   # bit for bit
    exact = np.linalg.norm(X.astype(np.float64), axis=1)
    for scale in (np.float32(1e36), np.float32(1e-30)):   # squares overflow / underflow float32
        np.testing.assert_allclose(linalg.row_norms(X * scale) / scale, exact, rtol=1e-6)
    assert linalg.row_norms(np.zeros((2, 3))).tolist() == [0.0, 0.0]
    assert linalg.row_norms([[3, 4]]).dtype == np.float64


def test_principal_axes_match_a_plain_numpy_pca():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 5)) @ np.diag([5.0, 3.0, 2.0, 1.0, 0.5]) + 7.0
    centred, axes, singular = linalg.principal_axes(X, 3)
    reference = X - X.mean(axis=0)
    _, s, vt = np.linalg.svd(reference, full_matrices=False)
    assert np.array_equal(centred, reference)
    assert np.array_equal(singular, s)
    assert axes.shape == (3, 5)
    for axis, ref in zip(axes, vt[:3]):   # the same axis, up to sign; its largest loading > 0
        assert np.array_equal(axis, ref) or np.array_equal(axis, -ref)
        assert axis[np.argmax(np.abs(axis))] > 0
    raw, axes_raw, s_raw = linalg.principal_axes(X, center=False)
    assert raw is X or np.array_equal(raw, X)   # center=False: the SVD of X itself
    assert np.array_equal(s_raw, np.linalg.svd(X, full_matrices=False)[1])
    assert axes_raw.shape == (5, 5)
    with pytest.raises(ValueError, match="k"):
        linalg.principal_axes(X, 6)
