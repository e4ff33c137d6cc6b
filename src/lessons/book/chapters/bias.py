"""What else the geometry learns: bias. Word lists, measurements and figures of the chapter.

Chapter: *What else the geometry learns: bias*.

* :data:`HELD_OUT_PAIRS`, :data:`OCCUPATIONS`, :data:`GENDER_SPECIFIC`: the chapter's word lists;
* :func:`random_pair_explained`: the principal-axis shares of random word pairs (a baseline);
* :func:`explained_figure`, :func:`projection_figure`, :func:`weat_figure`,
  :func:`recovery_figure`: the chapter's plotly figures;
* :func:`leave_one_out`: each WEAT's effect size with one target word left out;
* :func:`most_biased`: Gonen & Goldberg's set of the words that lean furthest each way.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider, style
from lessons.geometry.pca import pca_2d
from lessons.vectors import bias
from lessons.vectors.linalg import unit_rows

__all__ = ["HELD_OUT_PAIRS", "OCCUPATIONS", "GENDER_SPECIFIC", "random_pair_explained",
           "explained_figure", "pair_out_projections", "projection_figure", "weat_figure",
           "leave_one_out", "most_biased", "recovery_figure", "expected_she_he_accuracy"]

#: (female, male) pairs that are *not* among the definitional pairs: a test of a direction.
HELD_OUT_PAIRS = (("queen", "king"), ("sister", "brother"), ("aunt", "uncle"), ("wife", "husband"),
                  ("actress", "actor"), ("princess", "prince"), ("girls", "boys"),
                  ("women", "men"), ("mrs", "mr"), ("lady", "lord"), ("niece", "nephew"),
                  ("grandmother", "grandfather"), ("daughters", "sons"), ("mothers", "fathers"),
                  ("females", "males"), ("empress", "emperor"), ("duchess", "duke"),
                  ("bride", "groom"))

#: Occupations, many from Bolukbasi et al.'s list (those missing from the vocabulary are reported).
OCCUPATIONS = ("nurse homemaker receptionist librarian secretary housekeeper dancer singer "
               "teacher designer artist photographer journalist writer poet painter cook chef "
               "student doctor lawyer judge professor scientist mathematician physicist chemist "
               "engineer programmer architect carpenter farmer soldier pilot officer police "
               "manager banker economist philosopher composer surgeon priest "
               "minister president senator").split()

#: Words whose gender is part of their meaning: hard debiasing leaves them alone.
GENDER_SPECIFIC = frozenset(
    [w for pair in bias.DEFINITIONAL_PAIRS + HELD_OUT_PAIRS for w in pair]
    + ("him hers mr mrs ms miss sir madam wives husbands widow widower kings queens princes "
       "princesses brothers sisters father's mother's uncles aunts lords ladies gentleman "
       "gentlemen businessman businesswoman").split())


def random_pair_explained(emb, n_pairs: int, *, n_sets: int = 200, top: int = 5000,
                          seed: int = 0) -> np.ndarray:
    """Principal-axis shares of ``n_sets`` sets of ``n_pairs`` random pairs of distinct words
    among the ``top`` most frequent: (n_sets, 2 n_pairs) float64 (zero-padded past the rank).

    The baseline for "the first axis explains X %": what it explains for pairs that share
    nothing by construction.
    """
    rng = np.random.default_rng(seed)
    top = min(int(top), len(emb))
    out = np.zeros((int(n_sets), 2 * int(n_pairs)))
    for k in range(int(n_sets)):
        rows = rng.choice(top, size=2 * int(n_pairs), replace=False).reshape(-1, 2)  # (n, 2)
        _, explained = bias.pair_direction(emb.vectors[rows[:, 0]], emb.vectors[rows[:, 1]])
        out[k, :len(explained)] = explained
    return out


def explained_figure(explained, random_explained, *, axes: int = 6):
    """Bars: the definitional pairs' share of variance per principal axis, beside the middle
    95 % of the random sets' shares."""
    axes = min(axes, len(explained))
    labels = [f"axis {i + 1}" for i in range(axes)]
    low, mid, high = np.percentile(random_explained[:, :axes], [2.5, 50, 97.5], axis=0)
    fig = go.Figure([
        go.Bar(x=labels, y=explained[:axes], name="definitional pairs (she/he, ...)",
               marker_color=PALETTE[0], hovertemplate="%{x}: %{y:.1%}<extra></extra>"),
        go.Bar(x=labels, y=mid, name="random pairs: median, middle 95 %", marker_color=PALETTE[4],
               error_y=dict(type="data", symmetric=False, array=high - mid, arrayminus=mid - low),
               hovertemplate="%{x}: %{y:.1%}<extra></extra>")])
    style(fig, title=dict(text="Share of the pairs' variance along each principal axis"),
          barmode="group", height=420)
    fig.update_yaxes(title="share of variance", tickformat=".0%")
    return fig


def pair_out_projections(emb, pairs, words) -> np.ndarray:
    """Projections of ``words`` on the mean direction of ``pairs`` with each pair left out in
    turn: (len(pairs), len(words)). How much the picture depends on any one pair."""
    vectors = emb.vectors[[emb.index_of(w) for w in words]]
    out = []
    for i in range(len(pairs)):
        kept = [p for j, p in enumerate(pairs) if j != i]
        direction = bias.gender_direction(emb, kept, method="mean").vector
        out.append(bias.projections(vectors, direction))
    return np.array(out)


def projection_figure(words, values, *, ranges=None, band=None, title: str):
    """A dot per word, sorted by its projection. ``ranges`` = (low, high) arrays draw an
    error bar per word; ``band`` = (low, high) shades the range of most words of the
    vocabulary for comparison."""
    order = np.argsort(values)
    words = [words[i] for i in order]
    values = np.asarray(values, dtype=float)[order]
    error = None
    if ranges is not None:
        low, high = (np.asarray(r, dtype=float)[order] for r in ranges)
        error = dict(type="data", symmetric=False, array=high - values, arrayminus=values - low,
                     thickness=1.5, width=0)
    fig = go.Figure(go.Scatter(x=values, y=words, mode="markers",
                               marker=dict(size=9, color=PALETTE[0]),
                               error_x=error, name="word",
                               hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    if band is not None:
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor=PALETTE[4], opacity=0.15, line_width=0)
    style(fig, title=dict(text=title), height=160 + 17 * len(words),
          margin=dict(l=120, r=30, t=60, b=50))
    fig.update_xaxes(title="cosine with the direction (male side ← → female side)")
    return fig


def weat_figure(results, *, bins: int = 40):
    """A slider over tests: the permutation null distribution of the statistic and the
    observed value."""
    figures = []
    for result in results:
        null = result.test.null
        counts, edges = np.histogram(null, bins=bins)
        top = counts.max()
        fig = go.Figure([
            go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=counts, width=np.diff(edges),
                   marker_color=PALETTE[0], name="re-partitions of the targets",
                   hovertemplate="%{x:.3f}: %{y}<extra></extra>"),
            go.Scatter(x=[result.test.statistic] * 2, y=[0, top], mode="lines",
                       line=dict(color=PALETTE[1], width=3), name="the real partition",
                       hoverinfo="skip")])
        fig.update_layout(title=dict(text=f"{result.name.split(':')[0]}: effect size "
                                          f"{result.effect_size:+.2f}, p = {result.p_value:.3f}"),
                          bargap=0)
        figures.append(fig)
    fig = slider(figures, [r.name.split(":")[0] for r in results], prefix="", height=420)
    fig.update_xaxes(title="test statistic: sum of s(x) minus sum of s(y)")
    fig.update_yaxes(title="re-partitions")
    return fig


def leave_one_out(emb, result) -> np.ndarray:
    """The effect size of a :class:`lessons.vectors.bias.WeatResult` recomputed with each
    target word of X and of Y left out in turn: (|X| + |Y|,) float64."""
    names = list(result.words)
    vectors = {k: emb.vectors[[emb.index_of(w) for w in result.words[k]]] for k in names}
    X, Y, A, B = (vectors[k] for k in names)
    sizes = []
    for which, group in ((0, X), (1, Y)):
        for i in range(len(group)):
            kept = np.delete(group, i, axis=0)
            sizes.append(bias.weat_effect_size(kept, Y, A, B) if which == 0
                         else bias.weat_effect_size(X, kept, A, B))
    return np.array(sizes)


def most_biased(emb, direction, *, per_side: int = 300, top: int = 5000):
    """Gonen & Goldberg's word set: among the ``top`` most frequent words that are not
    :data:`GENDER_SPECIFIC`, the ``per_side`` projecting furthest to each side.

    Returns
    -------
    (rows (2 per_side,) int, labels (2 per_side,) int: 1 for the female side, 0 for the male)
    """
    top = min(int(top), len(emb))
    scores = bias.projections(emb.vectors[:top], direction)  # (top,)
    allowed = np.array([w not in GENDER_SPECIFIC for w in emb.words[:top]])
    order = np.argsort(scores, kind="stable")
    order = order[allowed[order]]
    male, female = order[:per_side], order[::-1][:per_side]
    return np.concatenate([female, male]), np.repeat([1, 0], per_side)


def recovery_figure(before, after, labels, words):
    """A slider "before / after neutralising": the biased words on their first two principal
    axes, coloured by the side they were on before."""
    figures = []
    for name, vectors in (("before", before), ("after neutralising", after)):
        points = pca_2d(vectors)
        fig = go.Figure()
        for k, (side, value) in enumerate((("female side before", 1), ("male side before", 0))):
            idx = np.flatnonzero(np.asarray(labels) == value)
            fig.add_trace(go.Scatter(x=points[idx, 0], y=points[idx, 1], mode="markers", name=side,
                                     text=[words[i] for i in idx],
                                     marker=dict(size=6, color=PALETTE[k], symbol=k),
                                     hovertemplate="%{text}<extra></extra>"))
        fig.update_layout(
            title=dict(text=f"The most biased words, {name} (first two principal axes)"))
        figures.append(fig)
    fig = slider(figures, ["before", "after neutralising"], prefix="", height=520)
    fig.update_xaxes(title="principal axis 1")
    fig.update_yaxes(title="principal axis 2")
    return fig


def expected_she_he_accuracy(emb) -> float:
    """Share of :data:`HELD_OUT_PAIRS` that the direction ``she - he`` alone orders correctly."""
    she, he = unit_rows(emb.vectors[[emb.index_of("she"), emb.index_of("he")]])
    return bias.pair_accuracy(emb, HELD_OUT_PAIRS, she - he)[0]
