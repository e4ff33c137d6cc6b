"""lessons.geometry.pca and the SVD sign convention (lessons.vectors.linalg.fix_signs):
the axes against an eigendecomposition of the covariance, and the sign rule itself."""
import numpy as np
import pytest

from lessons.geometry.pca import pca_2d, pca_project
from lessons.vectors.linalg import fix_signs


def test_pca_2d_matches_covariance_eigenvectors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6)) @ np.diag([5, 3, 1, 0.5, 0.2, 0.1])
    points = pca_2d(X)
    centred = X - X.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    top = vectors[:, ::-1][:, :2]                      # (d, 2) largest eigenvalues first
    for k in range(2):
        axis = top[:, k] * np.sign(top[np.abs(top[:, k]).argmax(), k])  # largest loading > 0
        np.testing.assert_allclose(points[:, k], centred @ axis, atol=1e-10)


@pytest.mark.parametrize("flip", [1.0, -1.0])
def test_each_axis_points_along_its_largest_loading(flip):
    # Axes close to e1 and e2: the convention makes them +e1 and +e2, whatever the sign of
    # the data, so coordinate k of the picture grows with column k of the data.  (LAPACK
    # returns the same right singular vectors for X and -X, so without the sign rule one of
    # the two pictures would be mirrored.)
    rng = np.random.default_rng(3)
    X = flip * rng.normal(size=(200, 4)) * [10.0, 4.0, 1.0, 0.5]
    points = pca_2d(X)
    for k in range(2):
        assert np.corrcoef(points[:, k], X[:, k])[0, 1] > 0.99


def test_pca_is_translation_invariant_and_handles_one_axis():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 4)) * [4, 2, 1, 0.5]
    np.testing.assert_allclose(pca_2d(X), pca_2d(X + 7.0), atol=1e-10)
    np.testing.assert_allclose(pca_2d(np.ones((3, 1))), np.zeros((3, 2)))
    np.testing.assert_allclose(pca_2d(np.arange(3.0)[:, None])[:, 1], 0)
    with pytest.raises(ValueError, match="vectors"):
        pca_2d(np.zeros(3))
    with pytest.raises(ValueError, match="k must be at most 4"):
        pca_project(X, 5)
    with pytest.raises(ValueError, match="k must be at most 3"):   # at most n axes
        pca_project(X[:3], 4)


def test_uncentred_full_rank_pca_is_a_rotation():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20, 5))
    Y = pca_project(X, 5, center=False)
    np.testing.assert_allclose(Y @ Y.T, X @ X.T, atol=1e-10)   # every dot product kept


def test_fix_signs_keeps_the_product_and_makes_the_pivot_positive():
    rng = np.random.default_rng(4)
    u, s, vt = np.linalg.svd(rng.normal(size=(8, 5)), full_matrices=False)
    flips = np.array([1, -1, -1, 1, -1.0])
    u2, vt2 = fix_signs(u * flips, vt * flips[:, None])
    np.testing.assert_allclose(u2 @ np.diag(s) @ vt2, u @ np.diag(s) @ vt, atol=1e-12)
    pivots = np.abs(u2).argmax(axis=0)
    assert (u2[pivots, np.arange(5)] > 0).all()
    u3, _ = fix_signs(u, vt)
    np.testing.assert_array_equal(u2, u3)          # the same answer from any starting signs
