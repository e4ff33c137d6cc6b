"""Figures and live panel of the chapter *Skip-gram: the softmax and negative sampling*.

They draw what :mod:`lessons.models.skipgram` computes:

* :func:`noise_figure` -- the noise distribution ``P_n(w) ~ count(w) ** alpha``, a
  plotly slider over ``alpha``;
* :func:`subsampling_figure` -- the keep-probability of frequent-word subsampling
  (word2vec.c's formula and the paper's), a plotly slider over the threshold ``t``;
* :func:`noise_panel` -- a live panel: ``alpha`` and ``t`` (running notebook);
* :func:`expected_grad_context` -- the answer to the chapter's self-check.

What skip-gram computes (the shifted PMI figure) is drawn by
:mod:`lessons.book.chapters.shifted_pmi`.
"""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider
from lessons.book.widgets import panel
from lessons.models.skipgram import keep_probability, noise_distribution

__all__ = ["expected_grad_context", "noise_figure", "subsampling_figure", "noise_panel"]


def _shown(words, counts, shown):
    """``(labels of the shown words, counts as float64, ids of the shown words)``."""
    words = list(words)
    counts = np.asarray(counts, dtype=np.float64)
    if len(words) != len(counts):
        raise ValueError(f"words ({len(words)}) and counts ({len(counts)}) differ in length")
    shown = np.arange(len(words)) if shown is None else np.asarray(shown, dtype=np.int64)
    return [words[i] for i in shown], counts, shown


def noise_figure(words, counts, *, shown=None, alphas=(0.0, 0.25, 0.5, 0.75, 1.0)):
    """A plotly slider over ``alpha``: noise probability of some words, against the unigram one.

    ``counts`` covers the whole vocabulary (the normalisation needs it); ``shown``
    picks the word ids to draw (default: all).
    """
    labels, counts, shown = _shown(words, counts, shown)
    unigram = noise_distribution(counts, 1.0)
    figures = []
    for alpha in alphas:
        probs = noise_distribution(counts, alpha)
        fig = go.Figure([
            go.Bar(x=labels, y=probs[shown], name="P_n(w) ~ count^alpha", marker_color=PALETTE[0]),
            go.Scatter(x=labels, y=unigram[shown], name="unigram (alpha = 1)", mode="lines+markers",
                       line=dict(color=PALETTE[1], dash="dash"), marker=dict(symbol=1)),
        ])
        fig.update_layout(title=dict(text=f"alpha = {alpha:g}: P_n('{labels[0]}') = "
                                          f"{probs[shown[0]]:.2g}, P_n('{labels[-1]}') = "
                                          f"{probs[shown[-1]]:.2g}"))
        figures.append(fig)
    # the legend in a row over the plot, room under the rotated word labels for the slider
    fig = slider(figures, [f"{a:g}" for a in alphas], prefix="noise exponent alpha = ", height=540,
                 legend_above=True, slider_pad=110)
    fig.update_yaxes(type="log", title="probability of being drawn as a noise word")
    fig.update_xaxes(title="word (most frequent first)")
    return fig


def subsampling_figure(words, counts, *, shown=None, thresholds=(1e-2, 1e-3, 1e-4, 1e-5)):
    """A plotly slider over ``t``: keep-probability of some words (both formulas).

    ``counts`` covers the whole vocabulary; ``shown`` picks the word ids to draw.
    """
    labels, counts, shown = _shown(words, counts, shown)
    figures = []
    for t in thresholds:
        code = keep_probability(counts, t, formula="word2vec.c")
        paper = keep_probability(counts, t, formula="paper")
        kept = float(np.sum(counts * code) / np.sum(counts))
        fig = go.Figure([
            go.Bar(x=labels, y=code[shown], name="word2vec.c", marker_color=PALETTE[0]),
            go.Scatter(x=labels, y=paper[shown], name="paper: sqrt(t / f)", mode="lines+markers",
                       line=dict(color=PALETTE[1], dash="dash"), marker=dict(symbol=1)),
        ])
        fig.update_layout(title=dict(text=f"t = {t:g}: word2vec.c keeps {kept:.0%} of all tokens"))
        figures.append(fig)
    fig = slider(figures, [f"{t:g}" for t in thresholds], prefix="threshold t = ", height=540,
                 legend_above=True, slider_pad=110)
    fig.update_yaxes(title="probability a token is kept", range=[0, 1.05])
    fig.update_xaxes(title="word (most frequent first)")
    return fig


def noise_panel(words, counts, *, shown=None):
    """Live panel: noise exponent alpha and subsampling threshold t for a vocabulary.

    ``counts`` covers the whole vocabulary; ``shown`` picks the word ids drawn.
    """
    labels, all_counts, shown = _shown(words, counts, shown)

    def update(alpha: float, log10_t: float) -> None:
        t = 10.0 ** log10_t
        noise = noise_distribution(all_counts, alpha)[shown]
        unigram = noise_distribution(all_counts, 1.0)[shown]
        keep = keep_probability(all_counts, t)
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
        x = np.arange(len(labels))
        left.bar(x, noise, color=PALETTE[0], label=f"alpha = {alpha:.2f}")
        left.plot(x, unigram, "--o", color=PALETTE[1], label="unigram")
        left.set_yscale("log")
        left.set_xticks(x, labels, rotation=90)
        left.set_ylabel("noise probability")
        left.set_title("noise distribution")
        left.legend()
        right.bar(x, keep[shown], color=PALETTE[2])
        right.set_ylim(0, 1.05)
        right.set_xticks(x, labels, rotation=90)
        right.set_ylabel("keep probability")
        right.set_title(f"subsampling, t = {t:.1e}")
        fig.tight_layout()
        kept = float(np.sum(all_counts * keep) / all_counts.sum())
        print(f"tokens kept by subsampling: {kept:.1%}")

    controls = {
        "alpha": widgets.FloatSlider(value=0.75, min=0.0, max=1.0, step=0.05,
                                     description="alpha"),
        "log10_t": widgets.FloatSlider(value=-3.0, min=-6.0, max=-1.0, step=0.25,
                                       description="log₁₀ t", readout_format=".2f"),
    }
    return panel(update, controls, title="Noise and subsampling")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_grad_context(v_centre, u_context, u_negatives):
    """Answer to the self-check: the loss gradient for the context vector, shape (d,)."""
    from lessons.models.skipgram import negative_sampling_loss_and_grad

    return negative_sampling_loss_and_grad(v_centre, u_context, u_negatives)[2]
