"""Figures and live panel of the chapter *The geometry of high dimensions*.

* :func:`cosine_histogram_figure` -- a plotly slider over dimensions: simulated cosines
  of random pairs against their exact density (static HTML);
* :func:`trained_vs_random_figure` -- norms and pairwise cosines of trained vectors
  against Gaussian vectors of the same shape (anisotropy);
* :func:`cosine_panel` -- a live panel: random cosines and Gaussian norms in a chosen
  dimension, with the closed forms of :mod:`lessons.geometry.high_dimensions`
  (running notebook).
"""
from __future__ import annotations

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.book.plots import PALETTE, legend_row, slider, style
from lessons.book.widgets import panel
from lessons.geometry.high_dimensions import (cosine_density, cosine_sd, gaussian_norm_mean,
                                              gaussian_norm_sd, mean_abs_cosine, random_cosines,
                                              shell_fraction)
from lessons.vectors.linalg import unit_rows

__all__ = ["expected_outer_fraction", "article_table_figure", "cosine_histogram_figure",
           "trained_vs_random_figure", "cosine_panel"]


def cosine_histogram_figure(dims, *, n_pairs: int = 20_000, seed: int = 0, bins: int = 60):
    """Plotly slider over dimensions: histogram of simulated random cosines and the exact density.

    Two traces per dimension (the histogram as bars, the density as a line),
    so the figure stays small.
    """
    rng = np.random.default_rng(seed)
    edges = np.linspace(-1, 1, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    grid = np.linspace(-0.999, 0.999, 201)
    figures = []
    for d in dims:
        c = random_cosines(n_pairs, d, rng)
        counts, _ = np.histogram(c, bins=edges)
        density = counts / (n_pairs * (edges[1] - edges[0]))
        exact = cosine_density(grid, d)
        fig = go.Figure([
            go.Bar(x=centres, y=density, name=f"simulation ({n_pairs:,} pairs)",
                   marker_color=PALETTE[5], marker_line_width=0),
            # densities below 1e-9 are drawn as 0 (they are invisible, and keep the JSON short)
            go.Scatter(x=grid, y=np.where(exact < 1e-9, 0, exact), name="exact density",
                       line=dict(color=PALETTE[0], width=2)),
        ])
        fig.update_layout(title=dict(text=(f"d = {d}: sd of the cosine = 1/√d = "
                                           f"{cosine_sd(d):.3f}, E|cos| = "
                                           f"{mean_abs_cosine(d):.3f}")))
        figures.append(fig)
    fig = slider(figures, [str(d) for d in dims], prefix="dimension d = ", height=470)
    fig.update_layout(bargap=0, legend=dict(x=0.01, y=0.98))
    fig.update_xaxes(title="cosine of two random vectors", range=[-1, 1])
    fig.update_yaxes(title="probability density", range=[0, 14])
    return fig


def trained_vs_random_figure(vectors, rng: np.random.Generator, *, n_pairs: int = 20_000,
                             bins: int = 50):
    """Two panels comparing trained vectors (n, d) with Gaussian vectors of the same shape and
    overall scale: the norms (divided by their mean) and the cosines of random pairs."""
    X = np.asarray(vectors, dtype=np.float64)
    G = rng.standard_normal(X.shape) * X.std()
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("norm / mean norm", "cosine of random pairs"))
    for k, (name, Y) in enumerate((("trained", X), ("random Gaussian", G))):
        line = dict(color=PALETTE[k], dash=["solid", "dash"][k], shape="hvh")
        norms = np.linalg.norm(Y, axis=1)
        counts, edges = np.histogram(norms / norms.mean(), bins=bins, range=(0, 3))
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Scatter(x=centres, y=counts / len(Y), name=name, mode="lines", line=line),
                      1, 1)
        i, j = rng.integers(0, len(Y), (2, n_pairs))
        U = unit_rows(Y)
        c = np.einsum("ij,ij->i", U[i[i != j]], U[j[i != j]])
        counts, edges = np.histogram(c, bins=bins, range=(-1, 1))
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Scatter(x=centres, y=counts / len(c), name=name, mode="lines",
                                 showlegend=False, line=line), 1, 2)
    fig.update_xaxes(title="‖x‖ / mean ‖x‖", row=1, col=1)
    fig.update_xaxes(title="cosine", row=1, col=2)
    fig.update_yaxes(title="fraction of words", row=1, col=1)
    fig.update_yaxes(title="fraction of pairs", row=1, col=2)
    style(fig, height=420,
          title=f"Trained vectors vs random Gaussian vectors ({X.shape[0]:,} × {X.shape[1]})")
    return fig


def cosine_panel(*, n_pairs: int = 5000, seed: int = 0):
    """Live panel: random cosines and Gaussian norms in a chosen dimension.

    Left: histogram of the cosines of ``2 ** log2_pairs`` random pairs with the exact
    density; right: histogram of ``‖x‖/√d`` for Gaussian ``x``.  Prints the simulated
    standard deviation and mean ``|cos|`` against the closed forms, the mean and
    standard deviation of ``‖x‖`` against the chi distribution's, and the share of a
    ball's volume in its outer 10% shell.  ``n_pairs`` sets the starting position of
    the pairs slider (rounded down to a power of 2).
    """
    def update(d, log2_pairs):
        rng = np.random.default_rng(seed)
        pairs = 2 ** log2_pairs
        c = random_cosines(pairs, d, rng)
        norms = np.linalg.norm(rng.standard_normal((pairs, d)), axis=1) / math.sqrt(d)
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
        left.hist(c, bins=60, range=(-1, 1), density=True, color="#56b4e9", label="simulation")
        grid = np.linspace(-0.999, 0.999, 400)
        left.plot(grid, cosine_density(grid, d), color="#1b3a6b", label="exact density")
        left.set(title=f"cosines in d = {d}", xlabel="cosine", ylabel="density")
        left.legend(loc="upper left", fontsize=8)
        right.hist(norms, bins=60, density=True, color="#e08a2c")
        right.set(title="norms of Gaussian vectors", xlabel="‖x‖ / √d", ylabel="density")
        fig.tight_layout()
        print(f"d = {d}: simulated sd of the cosine {c.std():.4f} vs 1/√d = {cosine_sd(d):.4f}; "
              f"mean |cos| {np.abs(c).mean():.4f} vs exact {mean_abs_cosine(d):.4f}")
        print(f"‖x‖: mean {norms.mean() * math.sqrt(d):.3f} (exact {gaussian_norm_mean(d):.3f}), "
              f"sd {norms.std() * math.sqrt(d):.3f} (exact {gaussian_norm_sd(d):.3f}); "
              f"outer 10% shell holds {shell_fraction(0.1, d):.4%} of a ball's volume")

    controls = {
        "d": widgets.IntSlider(value=300, min=2, max=1000, step=1, description="dimension d"),
        "log2_pairs": widgets.IntSlider(value=int(math.log2(n_pairs)), min=8, max=16,
                                        description="log₂ pairs"),
    }
    return panel(update, controls, title="Random vectors in d dimensions")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_outer_fraction() -> float:
    """Answer to the self-check: the share of a 300-d ball's volume in its outer 1 % shell."""
    return float(shell_fraction(0.01, 300))


def article_table_figure(printed: dict, replayed: dict):
    """The article's cosine table against its own code and the exact values, as two log-log panels.

    Parameters
    ----------
    printed, replayed : dict
        d -> (mean |cos|, sd of cos): what the article printed, and what its code gives.
    """
    dims = np.array(sorted(printed))
    # integer dimensions
    grid = np.unique(np.geomspace(dims.min(), dims.max(), 200).round().astype(int))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("mean |cos| of two random vectors",
                                        "standard deviation of cos"))
    curves = [(1, [mean_abs_cosine(int(d)) for d in grid], "exact", "solid", PALETTE[0]),
              (2, [cosine_sd(int(d)) for d in grid], "exact: 1/√d", "solid", PALETTE[0]),
              (2, 1 / np.sqrt(2 * grid), "1/√(2d): the true sd / √2", "dash", PALETTE[3])]
    for col, y, name, dash, colour in curves:
        fig.add_trace(go.Scatter(x=grid, y=y, mode="lines", name=name,
                                 line=dict(color=colour, dash=dash),
                                 showlegend=col == 2 or name == "exact"), row=1, col=col)
    points = [("printed in the article", printed, "x"),
              ("the article's code, run", replayed, "circle-open")]
    for k, (label, table, symbol) in enumerate(points):
        for col in (1, 2):
            fig.add_trace(go.Scatter(x=dims, y=[table[d][col - 1] for d in dims], mode="markers",
                                     name=label,
                                     marker=dict(symbol=symbol, size=10, color=PALETTE[1 + k]),
                                     legendgroup=label, showlegend=col == 1), row=1, col=col)
    fig.update_xaxes(type="log", title_text="dimension d")
    fig.update_yaxes(type="log")
    style(fig, template=None, title="The article's table of random cosines", height=440,
          legend=legend_row(-0.25))
    return fig
