"""Figures and live panel of the chapter *One-hot vectors*.

Both show the memory bill of one-hot vectors (:func:`lessons.models.onehot.memory_table`)
against word ids and dense vectors, as the vocabulary grows:

* :func:`memory_figure` -- a plotly slider over precomputed vocabulary sizes (static HTML);
* :func:`memory_panel` -- a live panel: vocabulary size and dimension (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider
from lessons.book.widgets import panel
from lessons.models.onehot import memory_table, sparsity

__all__ = ["expected_corpus_gb", "memory_figure", "memory_panel"]


def memory_figure(vocab_sizes, *, n_tokens: int = 1000, dim: int = 300):
    """A plotly slider over vocabulary sizes: bytes per representation, and sparsity.

    Parameters
    ----------
    vocab_sizes : sequence of int
        The slider's positions (precomputed, so the figure works without Python).
    n_tokens : int
        Length of the text being represented (e.g. a 1,000-word article).
    dim : int
        Dimension of the dense vectors it is compared with.
    """
    figures = []
    for vocab_size in vocab_sizes:
        table = memory_table(vocab_size, n_tokens=n_tokens, dim=dim)
        labels = list(table)
        values = [table[k] for k in labels]
        fig = go.Figure(go.Bar(
            x=labels, y=values, marker_color=PALETTE[:3],
            text=[_human_bytes(v) for v in values], textposition="outside",
            hovertemplate="%{x}: %{y:,} bytes<extra></extra>",
        ))
        fig.update_layout(title=dict(text=(
            f"V = {vocab_size:,}: a one-hot vector is {sparsity(vocab_size):.6%} zeros")))
        figures.append(fig)
    fig = slider(figures, [f"{v:,}" for v in vocab_sizes], prefix="vocabulary size V = ",
                 height=460)
    fig.update_yaxes(type="log", title=f"bytes for a {n_tokens:,}-word text", range=[3, 12.5])
    return fig


def _human_bytes(n: float) -> str:
    """``1234567`` -> ``"1.23 MB"`` (decimal units, three significant digits)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000:
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} PB"


def memory_panel(*, n_tokens: int = 1000):
    """Live panel: move the vocabulary size and the dimension, see the memory bill."""

    def update(log10_vocab: float, dim: int) -> None:
        vocab_size = int(round(10 ** log10_vocab))
        table = memory_table(vocab_size, n_tokens=n_tokens, dim=dim)
        fig, ax = plt.subplots(figsize=(6.5, 2.6))
        ax.barh(list(table), list(table.values()), color=PALETTE[:3])
        ax.set_xscale("log")
        ax.set_xlabel(f"bytes for a {n_tokens:,}-word text")
        for y, value in enumerate(table.values()):
            ax.text(value, y, " " + _human_bytes(value), va="center")
        ax.set_title(f"V = {vocab_size:,}   sparsity = {sparsity(vocab_size):.6%}")
        ax.set_xlim(1e3, 1e13)
        fig.tight_layout()

    controls = {
        "log10_vocab": widgets.FloatSlider(value=4, min=1, max=7, step=0.25,
                                           description="log₁₀ V", readout_format=".2f"),
        "dim": widgets.IntSlider(value=300, min=2, max=1000, step=2, description="dim d"),
    }
    return panel(update, controls, title="The memory bill of one-hot vectors")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_corpus_gb(vocab_size: int, n_tokens: int) -> float:
    """Answer to the self-check: GB for ``n_tokens`` dense float32 one-hot vectors of length
    ``vocab_size``."""
    from lessons.models.onehot import dense_bytes

    return dense_bytes(vocab_size, n_tokens) / 1e9
