"""Figures and measurements of the chapter *Counting versus predicting*.

* :func:`evaluate` -- one model's scores on the book's three tests (Google analogies
  by section, WordSim-353, SimLex-999), all with the same settings;
* :func:`scores_table` -- those scores side by side, as printed text;
* :func:`sections_figure` -- analogy accuracy per section, one bar per model (plotly);
* :func:`scores_figure` -- the headline scores as a labelled grid (plotly);
* :func:`standard_error` and ``expected_*`` -- the answer of the self-check exercise.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lessons import checks
from lessons.book.plots import PALETTE, heatmap, legend_row, style
from lessons.vectors import evaluation
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import AnalogyResult, WordSimilarityResult

__all__ = ["Scores", "evaluate", "scores_table", "sections_figure", "scores_figure",
           "standard_error", "expected_standard_error", "HEADLINE"]

#: The columns of :func:`scores_table` and :func:`scores_figure`.
HEADLINE = ("analogies", "semantic", "syntactic", "WordSim-353", "SimLex-999")


@dataclass
class Scores:
    """One model's results: its name, the analogy result and the two similarity results."""

    name: str
    analogies: AnalogyResult
    wordsim: WordSimilarityResult
    simlex: WordSimilarityResult

    def headline(self) -> tuple[float, ...]:
        """The numbers of :data:`HEADLINE`: three accuracies (fractions), two Spearman rhos."""
        a = self.analogies
        return (a.accuracy, a.semantic.accuracy, a.syntactic.accuracy, self.wordsim.spearman,
                self.simlex.spearman)


def evaluate(name: str, emb: Embeddings, *, restrict_vocab: int = 30000) -> Scores:
    """Score ``emb`` on the Google analogies (3CosAdd among the first ``restrict_vocab`` words),
    WordSim-353 and SimLex-999, exactly as the chapter *Word2vec on real text* does."""
    return Scores(name, evaluation.google_analogies(emb, restrict_vocab=restrict_vocab),
                  evaluation.word_similarity(emb, "wordsim353"),
                  evaluation.word_similarity(emb, "simlex999"))


def scores_table(scores) -> str:
    """The headline scores of several models as a fixed-width text table (rounded)."""
    width = max(len(s.name) for s in scores)
    lines = [f"{'':{width}}  {'analogies':>9} {'semantic':>9} {'syntactic':>9} "
             f"{'WordSim-353':>11} {'SimLex-999':>10}"]
    for s in scores:
        acc, sem, syn, ws, sl = s.headline()
        lines.append(f"{s.name:{width}}  {acc:>9.1%} {sem:>9.1%} {syn:>9.1%} {ws:>11.2f} "
                     f"{sl:>10.2f}")
    return "\n".join(lines)


def _short(section: str) -> str:
    """'gram3-comparative' -> 'comparative', 'capital-common-countries' stays."""
    return section.split("-", 1)[1] if section.startswith("gram") else section


def sections_figure(scores, *, title: str = "Google analogies by section (3CosAdd)") -> go.Figure:
    """Grouped bars: accuracy in every section of the analogy test, one colour per model.

    Hovering a bar shows the number of correct answers out of the questions answered.
    """
    fig = go.Figure()
    for k, s in enumerate(scores):
        sections = [sec for sec in s.analogies.sections if sec.total]
        fig.add_trace(go.Bar(
            name=s.name, x=[_short(sec.name) for sec in sections],
            y=[100 * sec.accuracy for sec in sections], marker_color=PALETTE[k % len(PALETTE)],
            customdata=[[sec.n_correct, sec.total] for sec in sections],
            hovertemplate=f"{s.name}<br>%{{x}}: %{{y:.1f}}% (%{{customdata[0]}} of "
                          "%{customdata[1]})<extra></extra>"))
    style(fig, barmode="group", title=title, height=460, margin=dict(l=60, r=30, t=60, b=120),
          legend=legend_row(1.08))
    fig.update_xaxes(tickangle=-40)
    fig.update_yaxes(title="accuracy (%)")
    return fig


def scores_figure(scores, *, title: str = "The same tests, the same vocabulary") -> go.Figure:
    """The headline scores as a grid of labelled cells (rows: models; columns: tests)."""
    matrix = np.array([[100 * v if i < 3 else v for i, v in enumerate(s.headline())]
                       for s in scores])
    fig = heatmap(matrix, [s.name for s in scores],
                  ["analogies %", "semantic %", "syntactic %", "WordSim-353 ρ", "SimLex-999 ρ"],
                  title=title, text_format=".3g")
    # Each column has its own scale: colour by rank within the column, label with the value.
    ranks = np.argsort(np.argsort(matrix, axis=0), axis=0) / max(len(scores) - 1, 1)
    fig.data[0].z = ranks
    fig.data[0].text = [[f"{v:.1f}" if j < 3 else f"{v:.2f}" for j, v in enumerate(row)]
                        for row in matrix]
    fig.data[0].texttemplate = "%{text}"
    fig.data[0].hovertemplate = "%{y} · %{x}: %{text}<extra></extra>"
    fig.data[0].showscale = False
    return fig


def standard_error(accuracy: float, questions: int) -> float:
    """Binomial standard error ``sqrt(p (1 - p) / n)`` of an accuracy ``p`` on ``n`` questions."""
    questions = checks.integer("questions", questions, 1)
    return float(np.sqrt(accuracy * (1.0 - accuracy) / questions))


def expected_standard_error(scores: Scores) -> float:
    """The self-check's answer: the standard error of ``scores``' overall analogy accuracy."""
    return standard_error(scores.analogies.accuracy, scores.analogies.total.total)
