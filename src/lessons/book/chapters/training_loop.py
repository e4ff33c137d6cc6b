"""The training-loop chapter: how the vectors move, epoch by epoch.

Chapter: *The training loop*.  The snapshots come from
:func:`lessons.models.word2vec.snapshots.train_with_snapshots`;
this module draws them:

* :func:`epoch_maps_figure`: a plotly slider over epochs, the 2-D PCA map after each
  (works in the static HTML);
* :func:`similarity_panel`: a live panel that retrains the mini corpus and plots
  the similarities of chosen word pairs over the epochs (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from lessons import checks
from lessons.book.plots import PALETTE, legend_row, slider, style, word_map
from lessons.book.widgets import panel
from lessons.geometry.pca import pca_2d
from lessons.models.word2vec.snapshots import similarity_traces, train_with_snapshots

__all__ = ["expected_first_epoch", "norm_growth_figure", "epoch_maps_figure", "similarity_panel",
           "window_pairs"]


def epoch_maps_figure(snapshots: dict, words, *, groups=None, epochs=None, title: str = ""):
    """A plotly slider over epochs: the 2-D PCA map of ``words`` after each epoch.

    Each frame is projected on its own principal axes (:func:`lessons.geometry.pca.pca_2d`)
    and scaled to fit ``[-1, 1]``, so the frames show the shape of the cloud, not its
    growing size.
    """
    epochs = sorted(snapshots) if epochs is None else list(epochs)
    words = list(words)
    figures = []
    for e in epochs:
        points = pca_2d(np.stack([snapshots[e][w] for w in words]))  # (n, 2)
        points /= max(np.abs(points).max(), 1e-12)
        fig = word_map(points, words, groups=groups, axis_range=1.3,
                       title=f"{title}after epoch {e}" if e else f"{title}before training")
        fig.update_xaxes(title="principal axis 1")
        fig.update_yaxes(title="principal axis 2")
        figures.append(fig)
    return slider(figures, [str(e) for e in epochs], prefix="epoch ", height=560)


def _plot_traces(snapshots: dict, traces: dict, title: str) -> None:
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for k, (name, values) in enumerate(traces.items()):
        ax.plot(sorted(snapshots), values, label=name, color=PALETTE[k % len(PALETTE)],
                linestyle=["-", "--", ":"][k % 3])
    ax.set(xlabel="epoch", ylabel="cosine similarity", ylim=(-1, 1), title=title)
    ax.axhline(0, color="#ccc", lw=0.8)
    ax.legend(loc="lower right")
    fig.tight_layout()


def similarity_panel(corpus, pairs, *, seed: int = 0, **fixed):
    """Live panel: similarities of ``pairs`` over the epochs, retrained on every change.

    Sliders: dimension, learning rate, epochs and seed; ``fixed`` holds the other
    ``train`` arguments (e.g. ``window=2, negative=3, subsample=0, min_count=1``).
    """
    def update(dim, learning_rate, epochs, seed):
        _, snapshots = train_with_snapshots(corpus, dim=dim, learning_rate=learning_rate,
                                            epochs=epochs, seed=seed, **fixed)
        traces = similarity_traces(snapshots, pairs)
        _plot_traces(snapshots, traces, f"d = {dim}, learning rate {learning_rate:g}, seed {seed}")
        print("  ".join(f"{name} = {values[-1]:.3f}" for name, values in traces.items()))

    controls = {
        "dim": widgets.IntSlider(value=fixed.pop("dim", 10), min=2, max=50,
                                 description="dimension d"),
        "learning_rate": widgets.FloatLogSlider(value=fixed.pop("learning_rate", 0.05), base=10,
                                                min=-3, max=-0.5, step=0.1,
                                                description="learning rate", readout_format=".4f"),
        "epochs": widgets.IntSlider(value=fixed.pop("epochs", 200), min=1, max=500,
                                    description="epochs"),
        # the slider reaches the seed it starts at (an IntSlider clamps a value above its max)
        "seed": widgets.IntSlider(value=seed, min=0, max=max(50, seed), description="seed"),
    }
    return panel(update, controls, title="The mini training loop: similarities over the epochs")


def window_pairs(sentences, window: int) -> list[tuple[str, str]]:
    """Every (centre, context) pair of words within a fixed ``window``, in corpus order.

    Skip-gram's training pairs without the dynamic window or subsampling: position ``i``
    pairs with every position ``j != i`` with ``|i - j| <= window`` in its sentence.
    """
    window = checks.integer("window", window, 1)
    return [(sentence[i], sentence[j]) for sentence in sentences for i in range(len(sentence))
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)) if j != i]


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_first_epoch(traces) -> int:
    """Answer to the self-check: the first epoch at which sim(cat, dog) exceeds 0.9."""
    return int(np.argmax(np.asarray(traces["sim(cat, dog)"]) > 0.9))


def norm_growth_figure(runs: dict):
    """The longest output vector after every epoch, for each run (log scale), and sim(cat, dog).

    Parameters
    ----------
    runs : dict
        Label -> :class:`lessons.models.article_loop.LoopRun` (with ``("cat", "dog")`` among its
        pairs).
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=("longest row of W_out (log scale)", "sim(cat, dog)"))
    for colour, (label, run) in zip(PALETTE, runs.items()):
        epochs = np.arange(len(run.max_norm))
        fig.add_trace(go.Scatter(x=epochs, y=run.max_norm[:, 1], name=label, mode="lines",
                                 line=dict(color=colour), legendgroup=label), row=1, col=1)
        fig.add_trace(go.Scatter(x=epochs, y=run.similarity["cat", "dog"], name=label, mode="lines",
                                 line=dict(color=colour), legendgroup=label, showlegend=False),
                      row=1, col=2)
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_yaxes(range=[-1.05, 1.05], row=1, col=2)
    fig.update_xaxes(title_text="epoch")
    style(fig, template=None,
          title="The article's loop as printed blows up; with the one-line fix it does not",
          height=420, legend=legend_row(-0.2))
    return fig
