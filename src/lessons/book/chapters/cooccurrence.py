"""Figures and live panel of the chapter *Co-occurrence* (count, weight, factorise).

Both run the whole pipeline of :mod:`lessons.models.cooccurrence` on a tiny corpus
(the article's four sentences) and draw the weighted matrix next to its rows
projected to 2-D by SVD:

* :func:`tiny_pipeline` -- count, weight and factorise a tiny corpus;
* :func:`merge_coincident` -- words whose points coincide become one labelled point;
* :func:`matrix_and_map` and :func:`sweep_figure` -- a plotly slider over the
  weighting and the window (static HTML);
* :func:`weighting_panel` -- a live panel: window, weighting and shift ``k``
  (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.book.plots import PALETTE, SEQUENTIAL, slider
from lessons.book.widgets import panel
from lessons.data.corpus import Vocabulary, article_corpus
from lessons.models.cooccurrence import (WEIGHTINGS, cooccurrence_matrix, encode_with_gaps,
                                         truncated_svd, weight)

__all__ = ["expected_pmi", "tiny_pipeline", "merge_coincident", "matrix_and_map", "sweep_figure",
           "weighting_panel"]


def tiny_pipeline(corpus, *, window: int, weighting: str, shift: float = 2.0):
    """Vocabulary (alphabetical), weighted matrix (dense) and 2-D SVD points of a tiny corpus.

    Returns ``(words, matrix (V, V), points (V, 2))`` with points ``U_2 S_2``.
    """
    vocab = Vocabulary.from_corpus(corpus, order="alphabetical")
    counts = cooccurrence_matrix(encode_with_gaps(vocab, corpus), len(vocab), window=window)
    matrix = weight(counts, weighting, shift=shift)
    u, s, _ = truncated_svd(matrix, 2)
    return list(vocab.words), matrix.toarray(), u * s


def merge_coincident(points, words, *, decimals: int = 6):
    """Points that coincide (to ``decimals``) merged into one, labelled ``"cat = dog"``.

    Identical rows give identical points, and overlapping labels are unreadable.

    Returns ``(unique_points (m, 2), labels list of m str)``, in order of first appearance.
    """
    points = np.asarray(points, dtype=float)
    groups: dict[tuple, list[int]] = {}
    for i, p in enumerate(np.round(points, decimals) + 0.0):  # + 0.0 turns -0.0 into 0.0
        groups.setdefault(tuple(p), []).append(i)
    merged = np.array([points[idx[0]] for idx in groups.values()]).reshape(-1, points.shape[1])
    labels = [" = ".join(words[i] for i in idx) for idx in groups.values()]
    return merged, labels


def matrix_and_map(matrix, points, words, *, title: str, text_format: str = ".2~g"):
    """One figure: the matrix as a heatmap (left) and the words at their 2-D points (right)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.12,
                        subplot_titles=("matrix (row = word, column = context)",
                                        "rows projected to 2-D by SVD"))
    fig.add_trace(go.Heatmap(z=np.round(matrix, 2), x=words, y=words, colorscale=SEQUENTIAL,
                             texttemplate="%{z:" + text_format + "}", showscale=False,
                             hovertemplate="%{y} · %{x}: %{z}<extra></extra>"), row=1, col=1)
    merged, labels = merge_coincident(points, words)
    fig.add_trace(go.Scatter(x=merged[:, 0], y=merged[:, 1], mode="markers+text", text=labels,
                             textposition="top center", marker=dict(size=9, color=PALETTE[0]),
                             hovertemplate="%{text}<extra></extra>", showlegend=False),
                  row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_xaxes(title="SVD component 1", row=1, col=2)
    fig.update_yaxes(title="SVD component 2", row=1, col=2)
    fig.update_layout(title=dict(text=title))
    return fig


def sweep_figure(corpus, windows=(1, 2, 3, 4), weightings=WEIGHTINGS, *, shift: float = 2.0):
    """A plotly slider over (weighting, window): the matrix and the 2-D map of a tiny corpus."""
    figures, labels = [], []
    for weighting in weightings:
        for window in windows:
            words, matrix, points = tiny_pipeline(corpus, window=window, weighting=weighting,
                                                  shift=shift)
            name = weighting + (f" (k = {shift:g})" if weighting == "shifted PPMI" else "")
            figures.append(matrix_and_map(matrix, points, words,
                                          title=f"{name}, window = {window}"))
            labels.append(f"{weighting}, w={window}")
    return slider(figures, labels, prefix="weighting, window: ", height=560)


def weighting_panel(corpus=None):
    """Live panel: window, weighting and shift k for a small corpus → matrix and 2-D map.

    ``corpus`` defaults to the article's (:func:`lessons.data.corpus.article_corpus`).
    """
    corpus = article_corpus("cooccurrence") if corpus is None else corpus

    def update(window: int, weighting: str, shift: float) -> None:
        words, matrix, points = tiny_pipeline(corpus, window=window, weighting=weighting,
                                              shift=shift)
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
        left.imshow(matrix, cmap="viridis")
        left.set_xticks(range(len(words)), words, rotation=90)
        left.set_yticks(range(len(words)), words)
        left.set_title(f"{weighting} matrix, window {window}")
        merged, labels = merge_coincident(points, words)
        right.scatter(merged[:, 0], merged[:, 1], color=PALETTE[0])
        for word, (x, y) in zip(labels, merged):
            right.annotate(word, (x, y), textcoords="offset points", xytext=(3, 3))
        right.set_xlabel("SVD component 1")
        right.set_ylabel("SVD component 2")
        right.set_title("rows in 2-D")
        fig.tight_layout()

    controls = {
        "window": widgets.IntSlider(value=2, min=1, max=5, description="window"),
        "weighting": widgets.Dropdown(options=list(WEIGHTINGS), value="PPMI",
                                      description="weighting"),
        "shift": widgets.FloatSlider(value=2.0, min=1.0, max=10.0, step=0.5,
                                     description="shift k"),
    }
    return panel(update, controls, title="Count, weight, factorise")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_pmi(counts, vocab, word: str, context: str) -> float:
    """Answer to the self-check: PMI(word, context) from the co-occurrence ``counts``."""
    from lessons.models.cooccurrence import pmi_matrix

    return float(pmi_matrix(counts)[vocab[word], vocab[context]])
