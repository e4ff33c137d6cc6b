"""Figures and live panel of the chapter *The neural language model*.

Both draw what one training example costs, layer by layer
(:func:`lessons.models.neural_lm.multiply_adds`), as the vocabulary grows:

* :func:`cost_figure` -- a plotly slider over precomputed vocabulary sizes (static HTML);
* :func:`cost_panel` -- a live panel: vocabulary, hidden and embedding sizes and the
  context length (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider
from lessons.book.widgets import panel
from lessons.models.neural_lm import multiply_adds

__all__ = ["expected_multiply_adds", "LAYERS", "cost_figure", "cost_panel"]

#: The layers drawn (the lookup costs no multiply-add).
LAYERS = ["hidden layer", "output layer", "softmax"]


def cost_figure(vocab_sizes, *, context_size: int = 4, embedding_dim: int = 300,
                hidden_dim: int = 500):
    """A plotly slider over vocabulary sizes: multiply-adds per layer (log scale)."""
    figures = []
    for V in vocab_sizes:
        counts = multiply_adds(V, context_size=context_size, embedding_dim=embedding_dim,
                               hidden_dim=hidden_dim)
        values = [counts[k] for k in LAYERS]
        share = counts["output layer"] / counts["total"]
        fig = go.Figure(go.Bar(x=LAYERS, y=values, marker_color=PALETTE[:3],
                               text=[f"{v:,}" for v in values], textposition="outside",
                               hovertemplate="%{x}: %{y:,} multiply-adds<extra></extra>"))
        fig.update_layout(title=dict(text=f"V = {V:,}: the output layer is {share:.1%} of "
                                          f"{counts['total']:,} multiply-adds"))
        figures.append(fig)
    fig = slider(figures, [f"{v:,}" for v in vocab_sizes], prefix="vocabulary size V = ",
                 height=460)
    fig.update_yaxes(type="log", title="multiply-adds per example (forward)", range=[2.5, 10.5])
    fig.update_xaxes(title="layer")
    return fig


def cost_panel():
    """Live panel: vocabulary size, hidden size and context length → cost of one step."""

    def update(log10_vocab: float, hidden_dim: int, embedding_dim: int, context_size: int) -> None:
        V = int(round(10 ** log10_vocab))
        counts = multiply_adds(V, context_size=context_size, embedding_dim=embedding_dim,
                               hidden_dim=hidden_dim)
        fig, ax = plt.subplots(figsize=(6.5, 2.4))
        ax.barh(LAYERS, [counts[k] for k in LAYERS], color=PALETTE[:3])
        ax.set_xscale("log")
        ax.set_xlim(1e3, 1e11)
        ax.set_xlabel("multiply-adds per example (forward)")
        ax.set_title(f"V = {V:,}: {counts['total']:,} in total, "
                     f"{counts['output layer'] / counts['total']:.0%} in the output layer")
        fig.tight_layout()
        print(f"at 1 billion examples: {counts['total'] * 1e9:.2e} multiply-adds per pass "
              f"(forward only; the backward pass costs about twice as much again)")

    controls = {
        "log10_vocab": widgets.FloatSlider(value=4, min=3, max=7, step=0.25,
                                           description="log₁₀ V", readout_format=".2f"),
        "hidden_dim": widgets.IntSlider(value=500, min=50, max=2000, step=50,
                                        description="hidden h"),
        "embedding_dim": widgets.IntSlider(value=300, min=50, max=1000, step=50,
                                           description="embedding m"),
        "context_size": widgets.IntSlider(value=4, min=1, max=10, description="context n"),
    }
    return panel(update, controls, title="The cost of one training example")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_multiply_adds() -> int:
    """Answer to the self-check: multiply-adds of one forward pass (V=50,000, n=3, d=100, h=200)."""
    return multiply_adds(50_000, context_size=3, embedding_dim=100, hidden_dim=200)["total"]
