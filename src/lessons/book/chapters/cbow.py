"""Figures and measurements of the chapter *CBOW and hierarchical softmax*.

* :func:`cbow_kernel_sentence` -- the book's CBOW kernel run on one sentence with a
  fixed noise word (so that a few lines of numpy can replay it exactly);
* :func:`frequency_band`, :func:`band_labels`, :func:`accuracy_by_band`,
  :func:`median_norm_by_band` -- the rare-word measurements (analogy accuracy by how
  often the answer occurs, vector length by frequency);
* :func:`sections_figure` -- analogy accuracy per section, one bar per model;
* :func:`rare_words_figure` -- the two rare-word measurements side by side;
* :func:`code_length_figure` -- Huffman code length against frequency rank, a plotly
  slider over the vocabulary size ``V`` (with ``log2 V`` and the mean code length);
* :func:`cost_figure` -- dot products and measured time per example against ``V``;
* ``expected_*`` -- the answers of the self-check exercises.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.book.plots import PALETTE, legend_row, slider, style
from lessons.models import hierarchical_softmax as hs
from lessons.models.word2vec import (LOG_SIGMOID_TABLE, SIGMOID_TABLE, keep_thresholds,
                                     packed_alias_table)
from lessons.models.word2vec.kernels import cbow_chunk

__all__ = ["cbow_kernel_sentence", "frequency_band", "band_labels", "accuracy_by_band",
           "median_norm_by_band", "sections_figure", "rare_words_figure", "code_length_figure",
           "cost_figure", "expected_examples", "expected_average_code_length", "BANDS"]

#: Frequency bands of the rare-word measurements: ``[lower, upper)`` corpus counts.
BANDS = ((10, 30), (30, 100), (100, 1000), (1000, None))


def cbow_kernel_sentence(vectors, context_vectors, sentence, noise_word: int,
                         learning_rate: float):
    """Run the trainer's CBOW kernel over one sentence; return the updated copies.

    Subsampling is off, the window is 1 (each word's contexts are its two
    neighbours), the learning rate is constant, and the one noise word of every
    example is ``noise_word`` (its alias table sends every draw there), so nothing
    random is left and numpy can replay the kernel step by step.

    Parameters
    ----------
    vectors, context_vectors : (V, d) float32, not modified
    sentence : sequence of word ids, none equal to ``noise_word``
    noise_word : int in ``0..V-1``
    learning_rate : float

    Returns
    -------
    (vectors, context_vectors) after the sentence, (V, d) float32 each.
    """
    vectors = np.array(vectors, dtype=np.float32)
    context_vectors = np.array(context_vectors, dtype=np.float32)
    V = len(vectors)
    tokens = np.asarray(sentence, dtype=np.int32)
    if (not 0 <= noise_word < V or np.any(tokens == noise_word)
            or np.any((tokens < 0) | (tokens >= V))):
        raise ValueError(f"sentence ids must be in 0..{V - 1} and differ from "
                         f"noise_word={noise_word}")
    keep = keep_thresholds(np.ones(V), 0.0)  # keep every token
    never = np.zeros(V, dtype=np.uint64)  # the first draw never keeps its column ...
    alias = np.full(V, noise_word, dtype=np.int32)  # ... so every noise draw is its alias
    cbow_chunk(vectors, context_vectors, tokens, np.array([0, len(tokens)], dtype=np.int64), 0, 1,
               keep, packed_alias_table(never, alias), SIGMOID_TABLE, LOG_SIGMOID_TABLE, 1, 1,
               np.uint64(1),
               float(learning_rate), float(learning_rate), 0, len(tokens))
    return vectors, context_vectors


def frequency_band(count, bands=BANDS) -> int:
    """Index of the band ``[lower, upper)`` that holds ``count`` (-1 if none)."""
    for i, (lower, upper) in enumerate(bands):
        if count >= lower and (upper is None or count < upper):
            return i
    return -1


def band_labels(bands=BANDS) -> list[str]:
    """The bands as the figures label them: ``"10–29"``, ..., ``"≥ 1,000"``."""
    return [f"{lo:,}–{hi - 1:,}" if hi is not None else f"≥ {lo:,}" for lo, hi in bands]


def accuracy_by_band(result, emb, bands=BANDS):
    """Analogy accuracy grouped by the corpus count of each question's expected answer.

    Parameters
    ----------
    result : lessons.vectors.evaluation.AnalogyResult (with its ``answers``)
    emb : Embeddings with ``counts`` (the model the result scored)

    Returns
    -------
    accuracy : (len(bands),) float64, NaN for an empty band
    questions : (len(bands),) int64
    """
    index = {w.upper(): i for i, w in enumerate(emb.words)}
    right = np.zeros(len(bands))
    asked = np.zeros(len(bands), dtype=np.int64)
    for *_, expected, predicted in result.answers:
        band = frequency_band(emb.counts[index[expected]], bands)
        if band >= 0:
            asked[band] += 1
            right[band] += expected == predicted
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(asked > 0, right / np.maximum(asked, 1), np.nan), asked


def median_norm_by_band(emb, bands=BANDS) -> np.ndarray:
    """Median length of the input vectors of the words in each frequency band, (len(bands),)."""
    norms = np.linalg.norm(emb.vectors, axis=1)
    band = np.array([frequency_band(c, bands) for c in emb.counts])
    return np.array([np.median(norms[band == b]) if np.any(band == b) else np.nan
                     for b in range(len(bands))])


def sections_figure(results: dict):
    """Analogy accuracy per section of the Google test, one bar per model.

    ``results`` maps a model name to its :class:`~lessons.vectors.evaluation.AnalogyResult`;
    hovering a bar shows the counts.
    """
    fig = go.Figure()
    for k, (name, result) in enumerate(results.items()):
        sections = list(result.sections) + [result.semantic, result.syntactic]
        fig.add_trace(go.Bar(
            x=[s.name for s in sections], y=[100 * s.accuracy for s in sections], name=name,
            marker_color=PALETTE[k % len(PALETTE)],
            customdata=[[s.n_correct, s.total] for s in sections],
            hovertemplate="%{x}: %{y:.1f}% (%{customdata[0]} of %{customdata[1]})<extra>" + name
                          + "</extra>"))
    style(fig, barmode="group", height=460, title=dict(text="Google analogies by section"),
          legend=legend_row(1.0, above=True), margin=dict(t=90, b=150))
    fig.update_yaxes(title="accuracy (%)")
    fig.update_xaxes(tickangle=-45)
    return fig


def rare_words_figure(accuracy: dict, questions: dict, norms: dict, bands=BANDS):
    """Left: analogy accuracy by the answer's frequency band; right: median vector length by band.

    Each argument maps a model name to one value per band.
    """
    labels = band_labels(bands)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        "analogy accuracy, by how often the answer occurs", "median length of the word vectors"))
    for k, name in enumerate(accuracy):
        colour = PALETTE[k % len(PALETTE)]
        fig.add_trace(go.Bar(x=labels, y=100 * np.asarray(accuracy[name]), name=name,
                             marker_color=colour, legendgroup=name,
                             customdata=np.asarray(questions[name]),
                             hovertemplate="%{x}: %{y:.1f}% of %{customdata} questions<extra>"
                                           + name + "</extra>"), row=1, col=1)
        fig.add_trace(go.Bar(x=labels, y=np.asarray(norms[name]), name=name, marker_color=colour,
                             legendgroup=name, showlegend=False,
                             hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>"),
                      row=1, col=2)
    style(fig, barmode="group", height=440,
          title=dict(text="Rare and frequent words, CBOW against skip-gram"),
          legend=legend_row(1.08, above=True), margin=dict(t=110))
    fig.update_xaxes(title="corpus count of the word")
    fig.update_yaxes(title="accuracy (%)", row=1, col=1)
    fig.update_yaxes(title="|v|", row=1, col=2)
    return fig


def _staircase(lengths):
    """The first and last rank (1-based) of each code length, as a staircase: ``(x, y, i)``.

    ``lengths`` is in rank order; ``i`` are the 0-based ranks of the corner points.
    """
    corners = []
    for length in np.unique(lengths):
        ranks = np.flatnonzero(lengths == length)
        corners += [(ranks[0], length), (ranks[-1], length)]
    corners.sort()
    index = np.array([r for r, _ in corners])
    return index + 1, np.array([length for _, length in corners]), index


def code_length_figure(words, trees: dict):
    """A plotly slider over ``V``: Huffman code length against frequency rank, first ``V`` words.

    ``trees`` maps ``V`` to :func:`~lessons.models.hierarchical_softmax.huffman_tree` of
    the counts of the ``V`` most frequent words; ``words`` are in descending frequency
    order.  Each code length is drawn from the first to the last rank that has it (a
    staircase, so the figure stays small for any ``V``; hovering a corner names its
    word); dashed: ``log2 V``; dotted: the mean code length over tokens.
    """
    figures = []
    for V, tree in trees.items():
        x, y, index = _staircase(tree.lengths)
        mean = tree.average_length()
        fig = go.Figure([
            go.Scatter(x=x, y=y, mode="lines+markers", name="code length of the word at this rank",
                       text=[words[i] for i in index], line=dict(color=PALETTE[0]),
                       marker=dict(size=5),
                       hovertemplate="%{text} (rank %{x:,}): %{y} nodes<extra></extra>"),
            go.Scatter(x=[1, V], y=[np.log2(V)] * 2, mode="lines", name="log₂ V",
                       line=dict(color=PALETTE[1], dash="dash")),
            go.Scatter(x=[1, V], y=[mean] * 2, mode="lines", name="mean over tokens",
                       line=dict(color=PALETTE[2], dash="dot")),
        ])
        fig.update_layout(title=dict(text=f"V = {V:,}: log₂ V = {np.log2(V):.1f}, mean code length "
                                          f"{mean:.2f}, longest {tree.lengths.max()}"))
        figures.append(fig)
    fig = slider(figures, [f"{V:,}" for V in trees], prefix="vocabulary size V = ", height=500,
                 legend_above=True)
    fig.update_xaxes(title="frequency rank of the word", type="log")
    longest = max(tree.lengths.max() for tree in trees.values())
    fig.update_yaxes(title="code length (inner nodes on the path)", range=[0, longest + 1])
    return fig


def cost_figure(sizes, dot_products: dict, seconds: dict):
    """Per example against ``V``: dot products (left) and measured microseconds (right).

    ``dot_products`` and ``seconds`` map a method name to one value per size.
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        "dot products per example", "measured time per example (numpy, one thread)"))
    for k, name in enumerate(dot_products):
        line = dict(color=PALETTE[k % len(PALETTE)], dash=["solid", "dash", "dot"][k % 3])
        fig.add_trace(go.Scatter(x=list(sizes), y=dot_products[name], name=name, legendgroup=name,
                                 mode="lines+markers", line=line, marker=dict(symbol=k)),
                      row=1, col=1)
        fig.add_trace(go.Scatter(x=list(sizes), y=1e6 * np.asarray(seconds[name]), name=name,
                                 legendgroup=name, showlegend=False, mode="lines+markers",
                                 line=line, marker=dict(symbol=k),
                                 hovertemplate="V = %{x:,}: %{y:.1f} µs<extra>" + name
                                               + "</extra>"),
                      row=1, col=2)
    style(fig, height=440, title=dict(text="The cost of one example as the vocabulary grows"),
          legend=legend_row(1.08, above=True), margin=dict(t=110))
    fig.update_xaxes(type="log", title="vocabulary size V")
    fig.update_yaxes(type="log", title="dot products", row=1, col=1)
    fig.update_yaxes(type="log", title="µs", row=1, col=2)
    return fig


def expected_examples(n_words: int, window: int) -> tuple[int, int]:
    """(skip-gram examples, CBOW examples) of one sentence, fixed window, nothing dropped."""
    pairs = sum(min(i, window) + min(n_words - 1 - i, window) for i in range(n_words))
    centres = sum(1 for i in range(n_words) if min(i, window) + min(n_words - 1 - i, window) > 0)
    return pairs, centres


def expected_average_code_length(counts) -> float:
    """Mean Huffman code length over the tokens of a corpus with these word counts."""
    return hs.huffman_tree(counts).average_length()
