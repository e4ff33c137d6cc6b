"""The parameter explorer chapter: retrain on the planted toy language and look at the geometry.

Chapter: *The parameter explorer* (the precomputed sliders and the live panel); *What
came after* reuses :func:`retrain` for its toy vectors.

* :func:`retrain` trains skip-gram on the planted toy language of
  :mod:`lessons.data.toylang` (3,000 sentences, about 10,000 tokens: a fraction of a
  second) with :data:`DEFAULTS` changed by the given parameters;
* :func:`relation_map_figure` draws the 2-D PCA map with the planted relations as
  arrows, the share of planted analogies answered right
  (:func:`lessons.vectors.analogy.accuracy`) and the histogram of cosine similarities;
* :func:`sweep_figure` is a plotly slider over precomputed settings of one parameter
  (it works in the static HTML); :func:`parameter_panel` is the live ipywidgets panel
  that retrains on every change (running notebook), drawn with matplotlib.

References
----------
* T. Mikolov et al., "Distributed Representations of Words and Phrases and their
  Compositionality", NeurIPS 2013 (the parameters: k, alpha = 3/4, t).
* O. Levy, Y. Goldberg, I. Dagan, "Improving Distributional Similarity with Lessons
  Learned from Word Embeddings", TACL 2015 (how much the parameters matter).
"""
from __future__ import annotations

import functools

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.book.plots import PALETTE, slider, with_takeaway
from lessons.book.widgets import panel
from lessons.data.toylang import (planted_analogies, planted_relations, toy_sentences,
                                   word_family)
from lessons.geometry.pca import pca_2d
from lessons.models.word2vec import TrainingDiverged, train
from lessons.vectors.analogy import accuracy
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.linalg import cosine_matrix

__all__ = ["expected_keep_probability", "DEFAULTS", "SWEEPS", "MAP_RELATIONS", "toy_corpus",
           "retrain", "pair_cosines", "cosine_histogram", "word_families", "cosine_modes",
           "relation_arrows", "axes_for_variance", "analogy_room", "relation_map_figure",
           "sweep_figure", "parameter_panel"]

#: The explorer's starting point: word2vec's usual k and alpha and learning rate, a small d,
#: and subsampling off: on ten thousand tokens every word is "frequent" by word2vec's
#: t = 1e-3, which would discard most of the corpus (the subsampling slider shows it).
#: Five epochs leave room to see the other parameters matter.
DEFAULTS = dict(dim=20, window=3, negative=5, noise_exponent=0.75, subsample=0.0,
                learning_rate=0.025, epochs=5)

#: Values of each parameter on the precomputed sliders (the others at DEFAULTS).
SWEEPS = {
    "dim": [2, 3, 5, 10, 20, 50, 100],
    "window": [1, 2, 3, 5, 8],
    "negative": [1, 2, 5, 10, 20],
    "noise_exponent": [0.0, 0.25, 0.5, 0.75, 1.0],
    "subsample": [0.0, 1e-4, 1e-3, 1e-2],
    "learning_rate": [0.001, 0.005, 0.025, 0.1, 0.4],
    "epochs": [1, 2, 5, 10, 20, 40],
}

#: The relations drawn as arrows on the map (their words are the map's points).
MAP_RELATIONS = ("gender", "royalty", "age")

_LABELS = {"dim": "dimension d", "window": "window", "negative": "negative samples k",
           "noise_exponent": "noise exponent α", "subsample": "subsampling t",
           "learning_rate": "learning rate", "epochs": "epochs"}


@functools.lru_cache(maxsize=4)
def toy_corpus(n_sentences: int = 3000, seed: int = 0) -> tuple:
    """The planted toy language (cached; a tuple of token lists)."""
    return tuple(tuple(s) for s in toy_sentences(n_sentences, seed=seed))


def retrain(*, seed: int = 0, n_sentences: int = 3000, **params) -> Embeddings:
    """Train skip-gram on the toy language with ``DEFAULTS`` updated by ``params``.

    One thread and a fixed ``seed``, so the result is reproducible bit for bit.
    """
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; choose from {sorted(DEFAULTS)}")
    settings = {**DEFAULTS, **params}
    return train([list(s) for s in toy_corpus(n_sentences)], min_count=1, workers=1, seed=seed,
                 **settings)


def pair_cosines(emb: Embeddings, *, remove_common_direction: bool = False) -> np.ndarray:
    """The cosine similarity of every pair of distinct words, shape (V (V - 1) / 2,) float64.

    Trained vectors share a common direction (every word is pushed towards the same
    frequent contexts), which lifts every cosine. ``remove_common_direction=True``
    subtracts the mean vector first, so the cosines show how the words differ.
    """
    vectors = emb.vectors.astype(np.float64)                           # (V, d)
    if remove_common_direction:
        vectors = vectors - vectors.mean(axis=0)
    cosines = cosine_matrix(vectors)                                   # (V, V)
    return np.clip(cosines[np.triu_indices(len(vectors), k=1)], -1, 1)


def cosine_histogram(emb: Embeddings, bins: int = 40, *,
                     remove_common_direction: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of :func:`pair_cosines` on [-1, 1].

    Returns
    -------
    counts : (bins,) int64, edges : (bins + 1,) float64 on [-1, 1]
    """
    return np.histogram(pair_cosines(emb, remove_common_direction=remove_common_direction),
                        bins=bins, range=(-1.0, 1.0))


def word_families(words) -> list[str]:
    """The family of each word ("people", "places", "nouns", "verbs"; "filler" for *the*).

    A topic word's family is planted (:func:`lessons.data.toylang.word_family`); a cue
    word takes the family of the topic words it appears with in :func:`toy_corpus` (each
    cue serves one family).
    """
    family = {}
    for sentence in toy_corpus():
        topics = [w for w in sentence if word_family(w) not in ("cue", "filler")]
        for w in sentence:
            if word_family(w) == "cue":
                family.setdefault(w, set()).update(word_family(t) for t in topics)
    out = []
    for w in words:
        kind = word_family(w)
        if kind == "cue":
            if len(family.get(w, ())) != 1:
                raise ValueError(f"cue word {w!r} does not belong to exactly one family")
            kind = next(iter(family[w]))
        out.append(kind)
    return out


def cosine_modes(emb: Embeddings, *, low: float = -0.1, high: float = 0.6) -> dict:
    """How the centred cosines (:func:`pair_cosines` with the common direction removed) split.

    Returns
    -------
    dict with ``below``, ``between`` and ``above``: the shares of word pairs with a cosine
    below ``low``, in [low, high] and above ``high``; ``below_mean`` and ``above_mean``:
    the mean cosine of the first and last group; ``same_family``: the share of pairs whose
    two words are of one family (:func:`word_families`), ``same_family_above``: the share
    of those pairs above ``high``, ``other_family_below``: the share of the other pairs
    below ``low``.
    """
    cosines = pair_cosines(emb, remove_common_direction=True)
    families = np.array(word_families(emb.words), dtype=object)
    i, j = np.triu_indices(len(emb.words), k=1)                        # pair_cosines' order
    same = families[i] == families[j]
    return dict(below=float((cosines < low).mean()),
                between=float(((cosines >= low) & (cosines <= high)).mean()),
                above=float((cosines > high).mean()),
                below_mean=float(cosines[cosines < low].mean()),
                above_mean=float(cosines[cosines > high].mean()),
                same_family=float(same.mean()),
                same_family_above=float((cosines[same] > high).mean()),
                other_family_below=float((cosines[~same] < low).mean()))


def relation_arrows(emb: Embeddings, relation: str = "gender") -> dict:
    """The arrows of one planted relation, on the chapter's map and in the space.

    Returns
    -------
    dict with ``directions`` (degrees, on the map of :func:`relation_map_figure`),
    ``lengths`` (on that map, whose coordinates fit [-1, 1]), ``widest``: the largest
    angle in degrees between two arrows on the map (0 when they are parallel), and
    ``cosines``: the cosine of every pair of the relation's offsets ``b - a`` in the
    full d-dimensional space (1 when they are parallel).
    """
    m = _measure(emb, computed=False)
    pos = dict(zip(m["words"], m["points"]))
    pairs = planted_relations()[relation]
    arrows = np.array([pos[b] - pos[a] for a, b in pairs])            # (n, 2)
    lengths = np.linalg.norm(arrows, axis=1)
    units = arrows / lengths[:, None]
    widest = np.degrees(np.arccos(np.clip(units @ units.T, -1, 1))).max()
    offsets = np.array([emb[b] - emb[a] for a, b in pairs], dtype=np.float64)
    between = cosine_matrix(offsets)[np.triu_indices(len(pairs), k=1)]
    return dict(directions=np.degrees(np.arctan2(arrows[:, 1], arrows[:, 0])), lengths=lengths,
                widest=float(widest), cosines=between)


def axes_for_variance(emb: Embeddings, share: float = 0.9) -> tuple[int, float]:
    """How many principal axes carry ``share`` of the variance of the (centred) vectors.

    Returns ``(axes, top10)``: that number of axes, and the share the first ten carry.
    """
    X = emb.vectors.astype(np.float64)
    variances = np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2
    cumulative = np.cumsum(variances) / variances.sum()
    return int(np.searchsorted(cumulative, share) + 1), float(cumulative[min(9, len(X) - 1,
                                                                             X.shape[1] - 1)])


def analogy_room(emb: Embeddings, questions=None) -> tuple[float, float]:
    """How exact the parallelograms are, next to how far apart the words are.

    Returns ``(error, gap)``: the median over ``questions`` (default: the planted
    analogies) of the distance from ``b - a + c`` to ``d``, and the median distance from a
    word to its nearest other word (both on the raw vectors). A question can be answered by
    the nearest word only while its error is below the gaps around ``d``.
    """
    questions = planted_analogies() if questions is None else questions
    X = emb.vectors.astype(np.float64)
    rows = np.array([[emb.index_of(w) for w in q] for q in questions])   # (Q, 4): a, b, c, d
    errors = np.linalg.norm(X[rows[:, 1]] - X[rows[:, 0]] + X[rows[:, 2]] - X[rows[:, 3]],
                            axis=1)
    squared = (X ** 2).sum(axis=1)
    distances = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * X @ X.T, 0))
    np.fill_diagonal(distances, np.inf)
    return float(np.median(errors)), float(np.median(distances.min(axis=1)))


def _map_words(relations=MAP_RELATIONS) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Words on the map, the arrows, and each word's relation group."""
    planted = planted_relations()
    arrows = [pair for name in relations for pair in planted[name]]
    words, groups = [], []
    for a, b in arrows:
        for w in (a, b):
            if w not in words:
                words.append(w)
                groups.append("people" if w in {p for pair in planted["gender"] for p in pair}
                              else "places")
    return words, arrows, groups


def _measure(emb: Embeddings, relations=MAP_RELATIONS, *, computed: bool = True) -> dict:
    words, arrows, groups = _map_words(relations)
    points = pca_2d(np.stack([emb[w] for w in words]))
    points /= max(np.abs(points).max(), 1e-12)                         # fit into [-1, 1]
    if not computed:  # the map only
        return dict(words=words, arrows=arrows, groups=groups, points=points)
    counts, edges = cosine_histogram(emb, remove_common_direction=True)
    raw_counts, _ = cosine_histogram(emb)
    raw_mean = float(((edges[:-1] + edges[1:]) / 2 * raw_counts).sum() / raw_counts.sum())
    right = accuracy(emb, planted_analogies())
    return dict(words=words, arrows=arrows, groups=groups, points=points, accuracy=right,
                counts=counts, edges=edges, raw_counts=raw_counts, raw_mean=raw_mean,
                caption=f"planted analogies right: {right:.0%}; mean cosine as trained "
                        f"{raw_mean:.2f}")


def relation_map_figure(emb: Embeddings, *, title: str | None = None, relations=MAP_RELATIONS):
    """Plotly figure: the 2-D map with relation arrows (left) and the cosine histogram (right).

    Arrows are drawn as traces (not annotations) so that :func:`lessons.book.plots.slider`
    can switch them; every figure has the same three traces.
    """
    m = _measure(emb, relations)
    pos = dict(zip(m["words"], m["points"]))
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.1,
                        subplot_titles=("the people, PCA to 2-D; arrows: relations",
                                        "cosines of all word pairs: bars with the common<br>"
                                        "direction removed, grey line as trained"))
    xs, ys, sizes = [], [], []
    for a, b in m["arrows"]:
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
        sizes += [0, 9, 0]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name="planted relation",
                             line=dict(color="#999", width=1.2),
                             marker=dict(symbol="arrow", angleref="previous", size=sizes,
                                         color="#999"),
                             hoverinfo="skip"), row=1, col=1)
    colours = [PALETTE[0] if g == "people" else PALETTE[1] for g in m["groups"]]
    fig.add_trace(go.Scatter(x=m["points"][:, 0], y=m["points"][:, 1], mode="markers+text",
                             text=m["words"], textposition="top center", name="words",
                             marker=dict(size=8, color=colours,
                                         symbol=[0 if g == "people" else 1 for g in m["groups"]]),
                             hovertemplate="%{text}<extra></extra>"), row=1, col=1)
    centres = (m["edges"][:-1] + m["edges"][1:]) / 2
    fig.add_trace(go.Bar(x=centres, y=m["counts"], name="word pairs", marker_color=PALETTE[2],
                         width=m["edges"][1] - m["edges"][0],
                         hovertemplate="cos ≈ %{x:.2f}: %{y} pairs<extra></extra>"), row=1, col=2)
    fig.add_trace(go.Scatter(x=centres, y=m["raw_counts"], mode="lines", line_shape="hvh",
                             name="as trained", line=dict(color="#888", width=1.5),
                             hovertemplate="as trained, cos ≈ %{x:.2f}: %{y} pairs<extra></extra>"),
                  row=1, col=2)
    fig.update_xaxes(title="principal axis 1", range=[-1.25, 1.25], row=1, col=1)
    fig.update_yaxes(title="principal axis 2", range=[-1.25, 1.25], row=1, col=1)
    fig.update_xaxes(title="cosine similarity", range=[-1, 1], row=1, col=2)
    fig.update_yaxes(title="word pairs", row=1, col=2)
    caption = m["caption"]
    fig.update_layout(title=dict(text=f"{title}: {caption}" if title else caption),
                      showlegend=False, height=470)
    return with_takeaway(fig, _map_takeaway)


def _map_takeaway(fig) -> str:
    """The text alternative of :func:`relation_map_figure`, from the figure's own data."""
    arrows, words, bars, raw = fig.data
    centres = np.asarray(bars.x, dtype=float)
    peak = centres[int(np.argmax(bars.y))]
    raw_peak = centres[int(np.argmax(raw.y))]
    return (f"Left: the {len(words.x)} words on the first two principal axes, "
            f"{sum(x is None for x in arrows.x)} planted relations drawn as arrows; right: "
            f"with the common direction removed, most word pairs have a cosine near {peak:.2f}; "
            f"as trained, near {raw_peak:.2f}.")


def sweep_figure(parameter: str, values=None, *, seed: int = 0):
    """A plotly slider over ``values`` of one parameter, the others at :data:`DEFAULTS`.

    Every position was trained in advance (this is what the static page shows).
    """
    if parameter not in DEFAULTS:
        raise ValueError(f"parameter must be one of {sorted(DEFAULTS)}, got {parameter!r}")
    values = SWEEPS[parameter] if values is None else list(values)
    figures = [relation_map_figure(retrain(seed=seed, **{parameter: v}),
                                   title=f"{_LABELS[parameter]} = {v:g}") for v in values]
    default = DEFAULTS[parameter]
    active = values.index(default) if default in values else 0
    return slider(figures, [f"{v:g}" for v in values], prefix=f"{_LABELS[parameter]} = ",
                  active=active, height=500)


def _draw(emb: Embeddings) -> None:
    """The live panel's picture (matplotlib): map with arrows, histogram, accuracy."""
    m = _measure(emb)
    pos = dict(zip(m["words"], m["points"]))
    fig, (ax_map, ax_hist) = plt.subplots(1, 2, figsize=(11, 4.6),
                                          gridspec_kw=dict(width_ratios=[1.3, 1]))
    for a, b in m["arrows"]:
        ax_map.annotate("", xy=pos[b], xytext=pos[a],
                        arrowprops=dict(arrowstyle="->", color="#999", lw=1))
    for (x, y), w, g in zip(m["points"], m["words"], m["groups"]):
        ax_map.plot(x, y, "o" if g == "people" else "s",
                    color=PALETTE[0] if g == "people" else PALETTE[1])
        ax_map.annotate(w, (x, y), textcoords="offset points", xytext=(0, 5), ha="center",
                        fontsize=8)
    ax_map.set(xlim=(-1.25, 1.25), ylim=(-1.25, 1.25), aspect="equal",
               xlabel="principal axis 1", ylabel="principal axis 2",
               title="2-D PCA map, planted relations as arrows")
    centres = (m["edges"][:-1] + m["edges"][1:]) / 2
    ax_hist.bar(centres, m["counts"], width=m["edges"][1] - m["edges"][0], color=PALETTE[2],
                label="common direction removed")
    ax_hist.step(centres, m["raw_counts"], where="mid", color="#888", label="as trained")
    ax_hist.legend(fontsize=8, loc="upper left")
    ax_hist.set(xlim=(-1, 1), xlabel="cosine similarity", ylabel="word pairs",
                title="cosine similarity of all word pairs")
    fig.suptitle(m["caption"])
    fig.tight_layout()


def parameter_panel(*, seed: int = 0):
    """Live panel: move any parameter, the toy language is retrained and redrawn."""
    def update(log10_subsample, **params):  # params: the other parameters of DEFAULTS
        subsample = 0.0 if log10_subsample <= -6 else 10.0 ** log10_subsample
        try:
            emb = retrain(seed=seed, subsample=subsample, **params)
        except TrainingDiverged as err:   # a setting the sliders can reach: say so, draw nothing
            print(f"training diverged at these settings: {err}")
            return
        _draw(emb)

    d = DEFAULTS
    controls = {
        "dim": widgets.IntSlider(value=d["dim"], min=2, max=100, description="dimension d"),
        "window": widgets.IntSlider(value=d["window"], min=1, max=10, description="window"),
        "negative": widgets.IntSlider(value=d["negative"], min=1, max=25,
                                      description="negatives k"),
        "noise_exponent": widgets.FloatSlider(value=d["noise_exponent"], min=0, max=1.5, step=0.05,
                                              description="noise exp. α"),
        "log10_subsample": widgets.FloatSlider(
            value=np.log10(d["subsample"]) if d["subsample"] > 0 else -6, min=-6, max=-1,
            step=0.25, description="log₁₀ t", readout_format=".2f"),
        "learning_rate": widgets.FloatLogSlider(
            value=d["learning_rate"], base=10, min=-3.5, max=-0.3, step=0.05,
            description="learning rate", readout_format=".4f"),
        "epochs": widgets.IntSlider(value=d["epochs"], min=1, max=60, description="epochs"),
    }
    # The caption times the whole redraw: retraining, measuring, drawing and the PNG.
    return panel(update, controls, title="word2vec on the planted toy language "
                 "(log₁₀ t = -6 switches subsampling off)",
                 timing="retrained and redrawn in {seconds:.2f} s")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_keep_probability(vocab, word: str, threshold: float) -> float:
    """Answer to the self-check: the trainer's probability of keeping one occurrence of ``word``."""
    from lessons.models.word2vec import keep_thresholds

    return float(keep_thresholds(vocab.counts, threshold)[vocab[word]] / 2**32)
