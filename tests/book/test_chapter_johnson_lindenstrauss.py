"""Tests for lessons.book.chapters.johnson_lindenstrauss: the distortion slider and the live
panel (its ratios recomputed here from the projection matrices' definitions)."""
import math

import numpy as np
import pytest
from scipy import optimize

from lessons.book.chapters import johnson_lindenstrauss as chapter
from tests.book.panels import png, printed


def dasgupta_gupta_epsilon(n, k):
    """The ε with 4 ln n / (ε²/2 - ε³/3) = k, or None when no ε < 1 works."""
    def excess(eps):
        return 4 * math.log(n) / (eps ** 2 / 2 - eps ** 3 / 3) - k

    return optimize.brentq(excess, 1e-6, 1 - 1e-9) if excess(1 - 1e-9) < 0 else None


def projected_ratios(X, k, kind, n_pairs, seed):
    """Squared-distance ratios of random pairs after ``X Rᵀ``,
    with R drawn as the panel draws it."""
    rng = np.random.default_rng(seed)
    n, d = X.shape
    if kind == "gaussian":
        R = rng.standard_normal((k, d)) / math.sqrt(k)
    else:  # achlioptas: √(3/k) × {+1, -1, 0} with probabilities 1/6, 1/6, 2/3
        u = rng.random((k, d))
        R = np.where(u < 1 / 6, 1.0, np.where(u < 1 / 3, -1.0, 0.0)) * math.sqrt(3 / k)
    Y = X @ R.T
    i = rng.integers(0, n, n_pairs)
    j = rng.integers(0, n - 1, n_pairs)
    j = j + (j >= i)
    return ((Y[i] - Y[j]) ** 2).sum(axis=1) / ((X[i] - X[j]) ** 2).sum(axis=1)


def panel_text(X, k, kind, n_pairs, seed):
    r = projected_ratios(X, k, kind, n_pairs, seed)
    eps = dasgupta_gupta_epsilon(len(X), k)
    return (f"{n_pairs:,} pairs: ratios from {r.min():.3f} to {r.max():.3f}, "
            f"sd {r.std():.3f} (Gaussian theory √(2/k) = {math.sqrt(2 / k):.3f})\n"
            f"Dasgupta–Gupta bound for {len(X)} points (all pairs, probability ≥ 1/{len(X)}): "
            + (f"ε = {eps:.3f}\n" if eps is not None else "none (k too small)\n"))


def test_distortion_figure_has_one_histogram_per_target_dimension():
    X = np.random.default_rng(0).standard_normal((80, 200))
    fig = chapter.distortion_figure(X, [20, 150], seed=1, epsilon=0.2, bins=50)
    assert [s.label for s in fig.layout.sliders[0].steps] == ["20", "150"]
    assert len(fig.data) == 4                        # per k: the histogram and the 1 ± ε lines
    assert list(fig.data[3].x) == [0.8, 0.8, None, 1.2, 1.2]
    # every pair, projected here with the same Gaussian matrix (seed 1) for k = 150
    R = np.random.default_rng(1).standard_normal((150, 200)) / math.sqrt(150)
    i, j = np.triu_indices(80, k=1)
    ratios = ((X @ R.T)[i] - (X @ R.T)[j]) ** 2 / ((X[i] - X[j]) ** 2).sum(axis=1, keepdims=True)
    ratios = ratios.sum(axis=1)
    assert sum(fig.data[2].y) == pytest.approx(np.mean(ratios < 2.5))
    assert fig.layout.sliders[0].steps[1].args[1]["title.text"] == (
        f"k = 150: {np.mean(np.abs(ratios - 1) <= 0.2):.1%} of pairs within 1 ± 0.2, "
        f"worst ratio {ratios.min():.2f}–{ratios.max():.2f}; "
        f"bound's ε = {dasgupta_gupta_epsilon(80, 150):.2f}")


def test_distortion_panel_redraws_for_the_new_dimension_and_matrix(drawn_figures):
    X = np.random.default_rng(0).standard_normal((120, 300))
    box = chapter.distortion_panel(X, n_pairs=400, seed=0)
    assert repr(box) == "<live panel: Random projection>"
    assert printed(box) == panel_text(X, 50, "gaussian", 400, 0)
    first = png(box)

    box.controls["k"].value = 800
    assert printed(box) == panel_text(X, 800, "gaussian", 400, 0)   # a guarantee now: ε ≈ 0.2
    assert png(box) != first
    assert drawn_figures[-1].axes[0].get_title() == "gaussian projection 300 → 800 dimensions"

    box.controls["kind"].value = "achlioptas"
    assert printed(box) == panel_text(X, 800, "achlioptas", 400, 0)
    assert drawn_figures[-1].axes[0].get_title() == "achlioptas projection 300 → 800 dimensions"
