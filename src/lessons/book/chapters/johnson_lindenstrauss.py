"""Figure and live panel of the chapter *Johnson–Lindenstrauss*.

Both project points to ``k`` dimensions with a random matrix
(:mod:`lessons.geometry.projections`) and show how the squared pairwise distances
change, against the ``1 ± ε`` of the Dasgupta–Gupta bound (which holds for every pair
at once only with probability at least ``1/n``):

* :func:`distortion_figure` -- a plotly slider over target dimensions (static HTML);
* :func:`distortion_panel` -- a live panel: target dimension and kind of matrix
  (running notebook).
"""
from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider
from lessons.book.widgets import panel
from lessons.geometry.projections import distance_ratios, jl_epsilon, project

__all__ = ["expected_k_sklearn", "distortion_figure", "distortion_panel"]


def distortion_figure(X, ks, *, kind: str = "gaussian", n_pairs: int | None = None, seed: int = 0,
                      epsilon: float = 0.1, bins: int = 60):
    """Slider over target dimensions: histogram of squared-distance ratios, with ``1 ± ε`` marked
    and the Dasgupta–Gupta ``ε`` of the bound for ``len(X)`` points at that ``k`` (all pairs
    within it with probability at least ``1/len(X)``).
    ``n_pairs=None`` uses every pair (fast, through Gram matrices); else that many random pairs.
    """
    edges = np.linspace(0, 2.5, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    figures = []
    for k in ks:
        rng = np.random.default_rng(seed)
        Y = project(X, k, kind, rng=rng)
        ratios = distance_ratios(X, Y, n_pairs=n_pairs, rng=rng)
        counts, _ = np.histogram(ratios, bins=edges)
        counts = counts / len(ratios)
        inside = np.mean(np.abs(ratios - 1) <= epsilon)
        eps_k = jl_epsilon(len(X), k)
        fig = go.Figure([
            go.Bar(x=centres, y=counts, name="pairs", marker_color=PALETTE[5],
                   marker_line_width=0),
            go.Scatter(x=[1 - epsilon, 1 - epsilon, None, 1 + epsilon, 1 + epsilon],
                       y=[0, 1, None, 0, 1], mode="lines", name=f"1 ± {epsilon}",
                       line=dict(color=PALETTE[1], dash="dash")),
        ])
        bound = f"bound's ε = {eps_k:.2f}" if math.isfinite(eps_k) else "the bound promises nothing"
        fig.update_layout(title=dict(text=(
            f"k = {k}: {inside:.1%} of pairs within 1 ± {epsilon}, "
            f"worst ratio {ratios.min():.2f}–{ratios.max():.2f}; {bound}")))
        figures.append(fig)
    fig = slider(figures, [str(k) for k in ks], prefix="target dimension k = ", height=460)
    fig.update_xaxes(title="squared distance after / before projection", range=[0, 2.5])
    fig.update_yaxes(title="fraction of pairs", range=[0, 0.5])
    fig.update_layout(bargap=0)
    return fig


def distortion_panel(X, *, n_pairs: int = 5000, seed: int = 0):
    """Live panel: project ``X`` to ``k`` dimensions with a chosen kind of matrix and see the
    squared-distance ratios of ``n_pairs`` random pairs, against the ``1 ± ε`` of the
    Dasgupta–Gupta bound for ``len(X)`` points (all pairs within it with probability at
    least ``1/len(X)``)."""
    X = np.asarray(X, dtype=np.float64)

    def update(k, kind):
        rng = np.random.default_rng(seed)
        Y = project(X, k, kind, rng=rng)
        ratios = distance_ratios(X, Y, n_pairs=n_pairs, rng=rng)
        eps_k = jl_epsilon(len(X), k)
        fig, ax = plt.subplots(figsize=(7, 3.2))
        ax.hist(ratios, bins=80, range=(0, 2.5), color="#56b4e9")
        if math.isfinite(eps_k):
            for x in (1 - eps_k, 1 + eps_k):
                ax.axvline(x, color="#e08a2c", ls="--")
        ax.set(title=f"{kind} projection {X.shape[1]} → {k} dimensions",
               xlabel="squared distance after / before", ylabel="pairs")
        print(f"{n_pairs:,} pairs: ratios from {ratios.min():.3f} to {ratios.max():.3f}, "
              f"sd {ratios.std():.3f} (Gaussian theory √(2/k) = {math.sqrt(2 / k):.3f})")
        print(f"Dasgupta–Gupta bound for {len(X)} points (all pairs, probability ≥ 1/{len(X)}):",
              f"ε = {eps_k:.3f}" if math.isfinite(eps_k) else "none (k too small)")

    controls = {
        "k": widgets.IntSlider(value=50, min=2, max=min(1000, 4 * X.shape[1]), description="k"),
        "kind": widgets.Dropdown(options=["gaussian", "achlioptas", "very-sparse"],
                                 description="matrix"),
    }
    return panel(update, controls, title="Random projection")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_k_sklearn() -> int:
    """Answer to the self-check: scikit-learn's JL dimension for n = 13,495 points at ε = 0.2."""
    from lessons.geometry.projections import jl_min_dim

    return int(jl_min_dim(13_495, 0.2, "sklearn"))
