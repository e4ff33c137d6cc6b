"""What else the geometry learns: bias. Word lists, measurements and figures of the chapter.

Chapter: *What else the geometry learns: bias*.

* :data:`HELD_OUT_PAIRS`, :data:`OCCUPATIONS`, :data:`GENDER_SPECIFIC`: the chapter's word lists;
* :func:`random_pair_explained`: the principal-axis shares of random word pairs (a baseline);
* :func:`explained_figure`, :func:`projection_figure`, :func:`weat_figure`,
  :func:`recovery_figure`: the chapter's plotly figures;
* :func:`leave_one_out`: each WEAT's effect size with one target word left out;
* :func:`most_biased`: Gonen & Goldberg's set of the words that lean furthest each way;
* :func:`centre`: the vectors with their common direction (the mean unit vector) removed;
* :func:`projection_test`: do two word lists (Bolukbasi et al.'s most extreme occupations)
  fall on the expected sides of a direction? An exact permutation test;
* :func:`measure`: every measurement of the chapter on one set of vectors, as plain numbers
  (``benchmarks/bias_books.py`` runs it on vectors trained on books);
  :func:`comparison_table` prints two such results side by side.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from itertools import combinations
from math import comb

from scipy.stats import binomtest

from lessons.book.plots import PALETTE, slider, style
from lessons.geometry.pca import pca_2d
from lessons.vectors import bias
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.linalg import unit_rows

__all__ = ["HELD_OUT_PAIRS", "OCCUPATIONS", "GENDER_SPECIFIC", "random_pair_explained",
           "explained_figure", "pair_out_projections", "projection_figure", "weat_figure",
           "leave_one_out", "most_biased", "recovery_figure", "expected_she_he_accuracy",
           "EXTREME_OCCUPATIONS", "centre", "projection_test", "measure", "comparison_table"]

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

#: Bolukbasi et al.'s (2016, figure 1) ten most extreme occupations on the *she - he* axis of
#: vectors trained on Google News: (the *she* end, the *he* end).
EXTREME_OCCUPATIONS = (("homemaker nurse receptionist librarian socialite hairdresser nanny "
                        "bookkeeper stylist housekeeper").split(),
                       ("maestro skipper protege philosopher captain architect financier "
                        "warrior broadcaster magician").split())

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


def centre(emb) -> Embeddings:
    """``emb`` with its common direction removed: each unit vector minus the mean unit vector.

    Trained vectors share a direction (every cosine carries it); a difference of two words
    cancels it only when both carry it equally. The rows of the result are not unit length;
    every function of :mod:`lessons.vectors.bias` normalises them. ``counts`` are kept.
    """
    unit = unit_rows(emb.vectors)  # (V, d) float64
    return Embeddings(emb.words, unit - unit.mean(axis=0), counts=emb.counts)


def projection_test(emb, direction, first, second, *, exact_limit: int = 200_000):
    """Do the words of ``first`` project higher on ``direction`` than those of ``second``?

    The statistic is the mean cosine of ``first`` minus that of ``second`` (words outside the
    vocabulary are dropped); the one-sided p-value is the share of the re-splits of the
    pooled words into groups of the same sizes whose statistic is at least the observed one,
    all of them enumerated (at most ``exact_limit``).

    Returns
    -------
    dict: ``difference``, ``p_value``, ``first`` and ``second`` (the words found),
    ``missing`` (the words not found).
    """
    found = [bias.present(emb, words)[0] for words in (first, second)]
    missing = [w for words in (first, second) for w in bias.present(emb, words)[1]]
    if not found[0] or not found[1]:
        raise ValueError("each list needs at least one word in the vocabulary")
    words = found[0] + found[1]
    values = bias.projections(emb.vectors[[emb.index_of(w) for w in words]], direction)  # (n,)
    n, k = len(values), len(found[0])
    if comb(n, k) > exact_limit:
        raise ValueError(f"{comb(n, k):,} re-splits are more than exact_limit={exact_limit:,}")
    groups = np.array(list(combinations(range(n), k)))  # (C(n, k), k)
    sums = values[groups].sum(axis=1)  # (C,) the first group's sum for every re-split
    null = sums / k - (values.sum() - sums) / (n - k)
    observed = values[:k].mean() - values[k:].mean()
    p = float(np.mean(null >= observed - 1e-12))
    return {"difference": float(observed), "p_value": p, "first": found[0],
            "second": found[1], "missing": missing}


def _held_out(emb, direction) -> dict:
    accuracy, used = bias.pair_accuracy(emb, HELD_OUT_PAIRS, direction)
    right = round(accuracy * len(used))
    return {"right": right, "of": len(used),
            "p_coin": float(binomtest(right, len(used), 0.5, alternative="greater").pvalue)}


def measure(emb, *, seed: int = 0) -> dict:
    """The chapter's measurements on ``emb``, as plain numbers (JSON-ready).

    The direction is the mean of the unit differences of the definitional pairs on the
    centred vectors (:func:`centre`), as in the chapter; the uncentred values are kept where
    the chapter compares them (``raw``).

    Returns
    -------
    dict with ``vocabulary``; ``raw`` and ``centred`` (each: ``median_word``, the median
    cosine of all words with the mean direction, and ``held_out``); ``pairs``, ``pc1``,
    ``random_pc1_median``, ``random_at_least``; ``held_out_pca``; ``occupations`` (word:
    cosine), ``above_median``, ``pair_out_width``; ``extreme_occupations``
    (:func:`projection_test` of :data:`EXTREME_OCCUPATIONS`); ``weat`` (name: effect size,
    p-value, exact, the words found and missing, leave-one-out range, effect size after
    neutralising, and on the uncentred vectors); ``recovery`` (before and after neutralising).
    """
    centred = centre(emb)
    out = {"vocabulary": len(emb)}
    for name, vectors in (("raw", emb), ("centred", centred)):
        direction = bias.gender_direction(vectors, method="mean")
        everything = bias.projections(vectors.vectors, direction.vector)
        out[name] = {"median_word": float(np.median(everything)),
                     "held_out": _held_out(vectors, direction.vector)}
    pca = bias.gender_direction(centred)
    mean = bias.gender_direction(centred, method="mean")
    first_axis = random_pair_explained(centred, len(pca.pairs), n_sets=200, seed=seed)[:, 0]
    out.update(pairs=len(pca.pairs), pc1=float(pca.explained[0]),
               random_pc1_median=float(np.median(first_axis)),
               random_at_least=float(np.mean(first_axis >= pca.explained[0])),
               held_out_pca=_held_out(centred, pca.vector))
    everything = bias.projections(centred.vectors, mean.vector)
    occupations, _ = bias.present(centred, OCCUPATIONS)
    values = bias.projections(centred.vectors[[centred.index_of(w) for w in occupations]],
                              mean.vector)
    pair_out = pair_out_projections(centred, mean.pairs, occupations)
    out.update(occupations=dict(zip(occupations, map(float, values))),
               above_median=float(np.mean(values > np.median(everything))),
               pair_out_width=float(np.median(pair_out.max(axis=0) - pair_out.min(axis=0))),
               extreme_occupations=projection_test(centred, mean.vector, *EXTREME_OCCUPATIONS))
    neutral = np.array([w not in GENDER_SPECIFIC for w in centred.words])
    debiased = unit_rows(centred.vectors)
    debiased[neutral] = bias.neutralize(centred.vectors[neutral], mean.vector)
    debiased = Embeddings(centred.words, debiased)
    out["weat"] = {}
    for name, lists in bias.WEAT_TESTS.items():
        result = bias.weat(centred, *lists, name=name, seed=seed)
        sizes = leave_one_out(centred, result)
        out["weat"][name] = {
            "effect_size": result.effect_size, "p_value": result.p_value,
            "exact": result.test.exact, "found": {k: len(v) for k, v in result.words.items()},
            "missing": result.missing,
            "leave_one_out": [float(sizes.min()), float(sizes.max())],
            "after_neutralising": bias.weat(debiased, *lists, name=name).effect_size,
            "uncentred": bias.weat(emb, *lists, name=name, seed=seed).effect_size}
    rows, labels = most_biased(centred, mean.vector, per_side=300, top=5000)
    out["recovery"] = {
        name: {"clusters": bias.cluster_recovery(vectors[rows], labels, seed=seed),
               "neighbours": bias.neighbour_recovery(vectors[rows], labels, k=11)}
        for name, vectors in (("before", centred.vectors), ("after", debiased.vectors))}
    return out


def comparison_table(results: dict) -> str:
    """``results`` (label: :func:`measure`'s dict) as a text table, one column per label."""
    labels = list(results)
    first = results[labels[0]]
    rows = [("held-out pairs right (mean direction)",
             lambda m: f"{m['centred']['held_out']['right']} of {m['centred']['held_out']['of']}"),
            ("  a coin does as well with probability",
             lambda m: f"{m['centred']['held_out']['p_coin']:.3f}"),
            ("Bolukbasi's extreme occupations: difference",
             lambda m: f"{m['extreme_occupations']['difference']:+.3f}"),
            ("  words found (she end, he end)",
             lambda m: f"{len(m['extreme_occupations']['first'])}, "
                       f"{len(m['extreme_occupations']['second'])}"),
            ("  permutation p", lambda m: f"{m['extreme_occupations']['p_value']:.3f}")]
    for name in first["weat"]:
        short = name.split(":")[0]
        rows.append((f"{short}: effect size (p)",
                     lambda m, n=name: f"{m['weat'][n]['effect_size']:+.2f} "
                                       f"({m['weat'][n]['p_value']:.3f})"))
    width = max(len(r[0]) for r in rows) + 2
    lines = [" " * width + "".join(f"{label:>22}" for label in labels)]
    for title, cell in rows:
        lines.append(f"{title:<{width}}" + "".join(f"{cell(results[k]):>22}" for k in labels))
    return "\n".join(lines)
