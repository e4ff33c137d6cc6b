"""How sure are the scores? Five seeds, bootstrap intervals, paired differences, analogy baselines.

Chapter: *How sure are the scores?*

The chapter trains one model live (seed 0, the real-text chapter's settings) and reads the
other seeds from ``measurements/seed_spread.json``, written by ``benchmarks/seed_spread.py``
with the same functions (:func:`train_seed`, :func:`evaluate`, :func:`record`), so that the
live run can be checked against the stored one.

* :func:`seed_figure`: the five seeds' scores beside the bootstrap interval of one seed;
* :func:`bootstrap_figure`: a slider over scores, the histogram of each resampled score;
* :func:`differences_figure`: paired differences with their intervals (a forest plot);
* :func:`baselines_figure`: the analogy test's accuracy next to Linzen's baselines.
"""
from __future__ import annotations

import time

import numpy as np
import plotly.graph_objects as go

from lessons.book.chapters import real_text
from lessons.book import measurements
from lessons.book.plots import PALETTE, slider, style
from lessons.models.word2vec import train
from lessons.vectors import evaluation
from lessons.vectors import uncertainty as U

__all__ = ["SETTINGS", "SEEDS", "BASELINES", "train_seed", "evaluate", "baseline_outcomes",
           "record", "load_measurement", "right_answers", "seed_figure", "bootstrap_figure",
           "differences_figure", "baselines_figure", "section_of_questions",
           "expected_simlex_high"]

#: The real-text chapter's settings (its seed is 0): the vectors whose scores we question.
SETTINGS = real_text.SETTINGS   # the real-text chapter's settings, one definition
#: The seeds of the stored measurement.
SEEDS = (0, 1, 2, 3, 4)
#: Linzen's baselines and the no-exclusion variant: label -> arguments of analogy_outcomes.
BASELINES = {
    "3CosAdd": dict(answer="3cosadd"),
    "3CosAdd, question words allowed": dict(answer="3cosadd", exclude=False),
    "only c (nearest neighbour of c)": dict(answer="only-c"),
    "only b (nearest neighbour of b)": dict(answer="only-b"),
    "ignore a (cos b + cos c)": dict(answer="ignore-a"),
}
_DIGITS = 5  # cosines stored in the measurement


def train_seed(words, seed: int):
    """Skip-gram with :data:`SETTINGS`, one worker, ``seed``; returns (Embeddings, seconds)."""
    start = time.perf_counter()
    emb = train(words, workers=1, seed=seed, **SETTINGS)
    return emb, time.perf_counter() - start


def evaluate(emb) -> dict:
    """The scores the book reports: Google analogies (3CosAdd and 3CosMul, first 30,000 words),
    WordSim-353 and SimLex-999, as the library's result objects."""
    return {"google": evaluation.google_analogies(emb, restrict_vocab=30000),
            "google_3cosmul": evaluation.google_analogies(emb, restrict_vocab=30000,
                                                          method="3cosmul"),
            "wordsim": evaluation.word_similarity(emb, "wordsim353"),
            "simlex": evaluation.word_similarity(emb, "simlex999")}


def baseline_outcomes(emb, google) -> dict:
    """Label of :data:`BASELINES` -> (Q,) bool: right answers to the questions of ``google``."""
    questions = [q[:4] for q in google.answers]
    return {label: U.analogy_outcomes(emb, questions, restrict_vocab=30000, **kwargs)[0]
            for label, kwargs in BASELINES.items()}


def record(seed: int, seconds: float, emb, scores: dict, baselines: dict) -> dict:
    """One seed's entry of the measurement (JSON-able): scores, the indices of the questions
    answered right (so paired comparisons can be redone), the WordSim-353 cosines."""
    right = {m: np.flatnonzero(U.analogy_correct(scores[k])).tolist()
             for m, k in (("3cosadd", "google"), ("3cosmul", "google_3cosmul"))}
    return {
        "seed": seed,
        "seconds": round(seconds, 1),
        "vocabulary": len(emb),
        "google_questions": scores["google"].total.total,
        "google_3cosadd": scores["google"].accuracy,
        "google_3cosmul": scores["google_3cosmul"].accuracy,
        "right_3cosadd": right["3cosadd"],
        "right_3cosmul": right["3cosmul"],
        "wordsim353": scores["wordsim"].spearman,
        "simlex999": scores["simlex"].spearman,
        "wordsim353_cosines": np.round(scores["wordsim"].model, _DIGITS).tolist(),
        "baselines": {label: float(np.mean(right)) for label, right in baselines.items()},
    }


def load_measurement() -> dict:
    """The stored five-seed measurement (``benchmarks/seed_spread.py``)."""
    return measurements.load("seed_spread")


def right_answers(run: dict, method: str = "3cosadd") -> np.ndarray:
    """(Q,) bool: which analogy questions a stored run answered right."""
    out = np.zeros(run["google_questions"], dtype=bool)
    out[run[f"right_{method}"]] = True
    return out


def section_of_questions(google) -> np.ndarray:
    """(Q,) int: the section of each answered question (answers are in file order)."""
    return np.repeat(np.arange(len(google.sections)), [s.total for s in google.sections])


# --------------------------------------------------------------------------- figures

def seed_figure(scores_by_seed: dict, intervals: dict):
    """A slider over scores: each seed's score (dots) and one seed's bootstrap interval.

    Parameters
    ----------
    scores_by_seed : score name -> (seeds,) values
    intervals : score name -> :class:`lessons.vectors.uncertainty.Interval` of seed 0
    """
    figures = []
    for name, values in scores_by_seed.items():
        ci = intervals[name]
        labels = [f"seed {s}" for s in SEEDS[:len(values)]]
        fig = go.Figure([
            go.Scatter(x=labels, y=list(values), mode="markers", name="five seeds",
                       marker=dict(size=11, color=PALETTE[0]),
                       hovertemplate="%{x}: %{y:.4f}<extra></extra>"),
            go.Scatter(x=["seed 0, questions resampled"], y=[ci.estimate], mode="markers",
                       name="95 % bootstrap interval", marker=dict(size=11, color=PALETTE[1],
                                                                   symbol="diamond"),
                       error_y=dict(type="data", symmetric=False, array=[ci.high - ci.estimate],
                                    arrayminus=[ci.estimate - ci.low], thickness=2, width=8),
                       hovertemplate=f"{ci.low:.4f} to {ci.high:.4f}<extra></extra>")])
        fig.update_layout(title=dict(text=f"{name}: seed spread against question resampling"))
        figures.append(fig)
    fig = slider(figures, list(scores_by_seed), prefix="score: ", height=440)
    fig.update_yaxes(title="score")
    return fig


def bootstrap_figure(intervals: dict, *, bins: int = 40):
    """A slider over scores: histogram of the resampled score, the interval's ends marked."""
    figures = []
    for name, ci in intervals.items():
        counts, edges = np.histogram(ci.distribution, bins=bins)
        centres = (edges[:-1] + edges[1:]) / 2
        top = counts.max()
        fig = go.Figure([
            go.Bar(x=centres, y=counts, width=np.diff(edges), marker_color=PALETTE[0],
                   name="resamples", hovertemplate="%{x:.4f}: %{y}<extra></extra>"),
            go.Scatter(x=[ci.low, ci.low, None, ci.high, ci.high], y=[0, top, None, 0, top],
                       mode="lines", line=dict(color=PALETTE[1], dash="dash"),
                       name=f"{ci.confidence:.0%} interval", hoverinfo="skip"),
            go.Scatter(x=[ci.estimate, ci.estimate], y=[0, top], mode="lines",
                       line=dict(color=PALETTE[3]), name="on all questions", hoverinfo="skip")])
        fig.update_layout(title=dict(text=f"{name}: {len(ci.distribution):,} bootstrap resamples"),
                          bargap=0)
        figures.append(fig)
    fig = slider(figures, list(intervals), prefix="score: ", height=420)
    fig.update_xaxes(title="score on a resampled set of questions (or pairs)")
    fig.update_yaxes(title="resamples")
    return fig


def differences_figure(rows, *, title: str, x_title: str):
    """A forest plot: one row per comparison, its difference and interval, a line at 0.

    ``rows`` is a list of ``(label, Difference)``.
    """
    labels = [label for label, _ in rows][::-1]
    d = [diff for _, diff in rows][::-1]
    significant = ["interval excludes 0" if x.low > 0 or x.high < 0 else "interval contains 0"
                   for x in d]
    fig = go.Figure()
    for k, kind in enumerate(("interval contains 0", "interval excludes 0")):
        idx = [i for i, s in enumerate(significant) if s == kind]
        fig.add_trace(go.Scatter(
            x=[d[i].estimate for i in idx], y=[labels[i] for i in idx], mode="markers", name=kind,
            marker=dict(size=10, color=PALETTE[k], symbol=["circle", "square"][k]),
            error_x=dict(type="data", symmetric=False,
                         array=[d[i].high - d[i].estimate for i in idx],
                         arrayminus=[d[i].estimate - d[i].low for i in idx], thickness=2),
            customdata=[[d[i].low, d[i].high, d[i].p_value] for i in idx],
            hovertemplate="%{y}: %{x:.4f} (%{customdata[0]:.4f} to %{customdata[1]:.4f}, "
                          "p = %{customdata[2]:.3f})<extra></extra>"))
    fig.add_vline(x=0, line=dict(color="#888", dash="dot"))
    excluded = [labels[i] for i, s in enumerate(significant) if s == "interval excludes 0"]
    takeaway = (f"{len(excluded)} of {len(d)} differences have an interval that excludes 0"
                + (f": {'; '.join(excluded[::-1])}." if excluded else "."))
    style(fig, title=dict(text=title), height=140 + 34 * len(rows),
          margin=dict(l=260, r=30, t=60, b=50), takeaway=takeaway)
    fig.update_xaxes(title=x_title)
    return fig


def baselines_figure(outcomes: dict, sections: np.ndarray, section_names, *, seed: int = 0,
                     n_resamples: int = 2000):
    """Accuracy of each way of answering, overall (with a bootstrap interval) and per section.

    A slider switches between "all sections" and each section, so one sees where the
    nearest neighbour of ``c`` alone already gets the answer (the grammatical sections).
    """
    names = list(outcomes)
    figures, labels = [], []
    for part in ["all sections"] + list(section_names):
        mask = np.ones(len(sections), bool) if part == "all sections" else \
            sections == list(section_names).index(part)
        accuracies = [float(outcomes[n][mask].mean()) if mask.any() else 0.0 for n in names]
        fig = go.Figure(go.Bar(x=names, y=accuracies, marker_color=PALETTE[:len(names)],
                               text=[f"{a:.1%}" for a in accuracies], textposition="outside",
                               hovertemplate="%{x}: %{y:.2%}<extra></extra>"))
        if part == "all sections":
            cis = [U.bootstrap_ci(outcomes[n], n_resamples=n_resamples, seed=seed) for n in names]
            fig.data[0].error_y = dict(type="data", symmetric=False,
                                       array=[c.high - c.estimate for c in cis],
                                       arrayminus=[c.estimate - c.low for c in cis])
        fig.update_layout(
            title=dict(text=f"Google analogies, {part}: {int(mask.sum()):,} questions"))
        figures.append(fig)
        labels.append(part)
    fig = slider(figures, labels, prefix="", height=460)
    fig.update_yaxes(title="accuracy", tickformat=".0%")
    return fig


# --------------------------------------------------------------------------- self-check

def expected_simlex_high(simlex) -> float:
    """The upper end of the 95 % bootstrap interval of SimLex-999 (2,000 resamples, seed 0)."""
    return U.bootstrap_ci((simlex.human, simlex.model), U.spearman, n_resamples=2000, seed=0).high
