"""Figures and measurements of the chapter *Maps of real vectors*.

* :data:`GROUPS` and :func:`group_of` -- a few groups of frequent text8 words, coloured
  on every map (every other word is grey; hovering any point shows its word);
* :func:`map_figure` -- one 2-D map as a plotly scatter;
* :func:`maps_slider` -- several maps of the same words, a slider between them
  (t-SNE at several perplexities, or with several seeds);
* :func:`recall_figure` -- neighbour recall against ``k`` for several maps;
* :func:`measure` -- a map's neighbour recall, trustworthiness and distance correlation;
* :func:`spreads` -- each group's size relative to all words, in the space and on maps;
* ``expected_*`` -- the answer of the self-check exercise.
"""
from __future__ import annotations

import plotly.graph_objects as go

from lessons import checks
from lessons.book.plots import PALETTE, legend_row, line, slider, style
from lessons.geometry import maps

__all__ = ["GROUPS", "group_of", "map_figure", "maps_slider", "recall_figure", "measure",
           "spreads", "expected_random_recall"]

#: Groups of words among text8's most frequent, coloured on the maps.
GROUPS = {
    "numbers": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "nationalities": ("american", "english", "british", "french", "german", "greek", "roman",
                      "australian", "european", "jewish", "christian", "arabic"),
    "single letters": ("b", "c", "d", "e", "f", "g", "h", "k", "l", "m", "n", "p", "r", "t", "u",
                       "v", "x"),
    "compass": ("north", "south", "east", "west", "western", "central"),
}
_OTHER = "other words"


def group_of(words) -> list[str]:
    """The group of each word (:data:`GROUPS`), or "other words"."""
    lookup = {w: g for g, members in GROUPS.items() for w in members}
    return [lookup.get(w, _OTHER) for w in words]


def map_figure(points, words, *, title: str | None = None, height: int = 560) -> go.Figure:
    """A scatter of ``points`` (n, 2): one trace per group of :data:`GROUPS` (coloured) and
    one for the other words (grey); hovering a point shows its word.

    Always the same traces in the same order, so maps can share a slider.
    """
    points = checks.matrix("points", points, columns=2, what="an (n, 2) matrix")
    words = list(words)
    if len(points) != len(words):
        raise ValueError(f"points must have shape ({len(words)}, 2), got {points.shape}")
    groups = group_of(words)
    fig = go.Figure()
    for k, group in enumerate([_OTHER, *GROUPS]):
        idx = [i for i, g in enumerate(groups) if g == group]
        other = group == _OTHER
        fig.add_trace(go.Scatter(
            x=points[idx, 0], y=points[idx, 1], mode="markers" if other else "markers+text",
            name=group, text=[words[i] for i in idx], textposition="top center",
            textfont=dict(size=10, color=PALETTE[(k - 1) % len(PALETTE)]),
            marker=dict(size=6 if other else 9,
                        color="#c7c7c7" if other else PALETTE[(k - 1) % len(PALETTE)],
                        symbol=0 if other else k, line=dict(width=0)),
            hovertemplate="%{text}<extra></extra>"))
    style(fig, title=title, height=height, margin=dict(l=40, r=20, t=60, b=40),
          legend=legend_row(-0.05))
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False, scaleanchor="x", scaleratio=1)
    return fig


def maps_slider(maps_by_label: dict, words, *, prefix: str, titles=None,
                height: int = 600) -> go.Figure:
    """Several maps of the same words with a slider between them (works in the static page).

    ``maps_by_label`` maps each slider label to an (n, 2) array; ``titles`` (optional) gives
    each position's title.
    """
    labels = list(maps_by_label)
    titles = titles or [str(label) for label in labels]
    figures = [map_figure(maps_by_label[label], words, title=title)
               for label, title in zip(labels, titles)]
    return slider(figures, labels, prefix=prefix, height=height)


def measure(high, low, k: int = 10) -> dict:
    """Neighbour recall (mean over words), trustworthiness at ``k`` and distance correlation
    of the map ``low`` of the vectors ``high`` (cosine in the space, Euclidean on the map)."""
    return {"recall": float(maps.neighbour_recall(high, low, k).mean()),
            "trustworthiness": maps.trustworthiness(high, low, k),
            "distance correlation": maps.distance_correlation(high, low)}


def recall_figure(high, maps_by_name: dict, ks=(1, 2, 5, 10, 20, 50, 100), *,
                  title: str = "How many of its true neighbours a word keeps on the map",
                  ) -> go.Figure:
    """Mean neighbour recall against ``k`` (log axis), one line per map, and a random map's
    ``k / (n - 1)`` for comparison."""
    n = len(high)
    series = {name: [float(maps.neighbour_recall(high, points, k).mean()) for k in ks]
              for name, points in maps_by_name.items()}
    series["random map"] = [expected_random_recall(n, k) for k in ks]
    fig = line(list(ks), series, title=title, x_title="k (neighbours compared)",
               y_title="neighbour recall", log_x=True)
    fig.update_yaxes(range=[0, 1])
    return fig


def spreads(spaces: dict, words) -> dict:
    """Each group's relative spread (:func:`lessons.geometry.maps.relative_spread`) in each space.

    ``spaces`` maps a name to ``(points, metric)``; returns ``{group: {name: spread}}``.
    """
    index = {w: i for i, w in enumerate(words)}
    out = {}
    for group, members in GROUPS.items():
        rows = [index[w] for w in members if w in index]
        out[group] = {name: maps.relative_spread(points, rows, metric)
                      for name, (points, metric) in spaces.items()}
    return out


def expected_random_recall(n: int, k: int) -> float:
    """The self-check's answer: a random map keeps ``k / (n - 1)`` of ``k`` neighbours (mean)."""
    return k / (n - 1)
