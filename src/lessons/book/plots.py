"""Plotly figures that stay interactive in the static book.

Chapter: all of them (every interactive figure goes through :func:`show`).

Two audiences see a figure:

* a learner running the notebook (Jupyter, Colab, VS Code): :func:`show` calls
  ``fig.show()`` and plotly picks the right renderer;
* the reader of the built HTML: when the notebook is executed for the book
  (environment variable ``LESSONS_BOOK=1``, set by ``make execute`` and by the
  tests) :func:`show` emits a ``<div>`` plus a call to ``Plotly.newPlot``.  The
  page loads plotly.js from the book's own ``_static`` folder, so figures work
  with the network off and notebooks never embed the 4 MB library.

Numbers in the figure are rounded to a few significant digits and the div id is
derived from the content, so re-executing a notebook on another CPU gives the
same bytes (nbval compares them).

Interactive figures for the static page are built from precomputed sweeps:
:func:`slider` turns a list of figures into one figure with a slider that
switches between them, no kernel needed.
"""
from __future__ import annotations

import base64
import hashlib
import re
from html import escape as html_escape
import json
import math
import os
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from lessons import checks

__all__ = ["show", "figure_html", "style", "legend_row", "slider", "heatmap", "word_map", "line",
           "book_mode", "PALETTE", "SEQUENTIAL", "TEMPLATE", "SIGNIFICANT_DIGITS"]

SIGNIFICANT_DIGITS = 4
# A qualitative palette that stays distinguishable in greyscale (varying lightness).
PALETTE = ["#1b3a6b", "#e08a2c", "#4f9d69", "#b8336a", "#7f7f7f", "#56b4e9", "#2b2b2b", "#d9c34a"]
# Sequential colour map that is readable in greyscale (monotone lightness).
SEQUENTIAL = "Viridis"
#: The book's plotly template, set by :func:`style`.
TEMPLATE = "plotly_white"
#: The font of the book's chart functions (:func:`line`, :func:`heatmap`, ...).
FONT = dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=13)


def book_mode() -> bool:
    """True when the notebook is executed to produce the book's committed outputs."""
    return os.environ.get("LESSONS_BOOK", "") not in ("", "0")


def _round_sig(x: np.ndarray, digits: int) -> np.ndarray:
    """Round a float array to ``digits`` significant digits.

    Non-finite values are kept; values below ``1e-9`` of the array's largest
    magnitude, and negative zeros, become ``0.0``.
    """
    x = np.asarray(x, dtype=np.float64)
    out = x.copy()
    finite_abs = np.abs(x[np.isfinite(x)])
    # Numerical zeros (1e-17 in an array of ones is rounding noise whose value and sign
    # depend on the CPU) become exact zeros; so does anything too small to scale safely.
    floor = max(1e-290, 1e-9 * float(finite_abs.max())) if finite_abs.size else 1e-290
    out[np.abs(x) < floor] = 0.0  # also turns -0.0 into 0.0
    finite = np.isfinite(x) & (np.abs(x) >= floor)
    magnitude = np.floor(np.log10(np.abs(x[finite])))
    scale = 10.0 ** (digits - 1 - magnitude)
    out[finite] = np.round(x[finite] * scale) / scale
    return out


def _rounded(obj, digits: int):
    """Copy of a plotly JSON-able structure with every float rounded."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:  # plotly's base64 typed array
            array = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            if "shape" in obj:
                array = array.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return _rounded(array, digits)
        return {k: _rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if obj and all(isinstance(v, float) for v in obj):
            return _round_sig(np.array(obj), digits).tolist()
        return [_rounded(v, digits) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f":
            return _round_sig(obj, digits).tolist()
        return obj.tolist()
    if isinstance(obj, (float, np.floating)):
        return float(_round_sig(np.array([obj]), digits)[0])
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def figure_html(fig: go.Figure, *, digits: int = SIGNIFICANT_DIGITS) -> str:
    """The ``<div>`` + script that draws ``fig`` on a page where plotly.js is loaded."""
    spec = _rounded(fig.to_plotly_json(), digits)
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    div_id = "fig-" + hashlib.sha1(text.encode()).hexdigest()[:12]
    html = pio.to_html(spec, include_plotlyjs=False, full_html=False, div_id=div_id,
                       validate=False, config={"displaylogo": False, "responsive": True})
    # A text alternative for screen readers: the figure's title.
    title = (spec.get("layout", {}).get("title") or {}).get("text") or "interactive figure"
    label = html_escape(re.sub(r"<[^>]+>", " ", title), quote=True)
    return f'<figure class="lessons-figure" aria-label="{label}">{html}</figure>'


def _strict_json(obj):
    """``obj`` with every NaN or infinity replaced by None (JSON has no such numbers; plotly
    draws None as a gap, as it draws NaN)."""
    if isinstance(obj, dict):
        return {k: _strict_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strict_json(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def show(fig: go.Figure, *, digits: int = SIGNIFICANT_DIGITS) -> None:
    """Display a plotly figure in a notebook or, in book mode, for the static HTML."""
    from IPython.display import display

    if not book_mode():
        fig.show()
        return
    title = fig.layout.title.text or "figure"
    # Three forms of one figure: the HTML book draws the <div> with its offline plotly.js;
    # JupyterLab and VS Code draw the plotly JSON before the notebook is run (no script,
    # so no trust needed); anything else shows the text.
    display(
        {"text/html": figure_html(fig, digits=digits),
         "application/vnd.plotly.v1+json": _strict_json(_rounded(fig.to_plotly_json(), digits)),
         "text/plain": f"<interactive figure: {title}>"},
        raw=True,
    )


def style(fig: go.Figure, *, template: str | None = TEMPLATE, frame: bool = False,
          **layout) -> go.Figure:
    """The book's look for ``fig``: its template, then ``layout``; returns ``fig``.

    Parameters
    ----------
    template : the plotly template (None: keep the figure's own, plotly's default).
    frame : also set the margins (room for a title when there is one) and the font of
        the book's chart functions, after ``layout``.
    layout : plotly layout properties (``title``, ``height``, ``barmode``, ``legend`` from
        :func:`legend_row`, ...), set in the order given.
    """
    if frame:
        top = 60 if layout.get("title") else 30
        layout.update(margin=dict(l=60, r=30, t=top, b=50), font=FONT)
    if template is not None:
        layout = {"template": template, **layout}
    fig.update_layout(**layout)
    return fig


def legend_row(y: float, *, above: bool = False) -> dict:
    """A legend in one horizontal row at height ``y`` of the plot area (below it if negative).

    ``above=True`` sets the row's bottom edge at ``y`` and its left end on the plot's left
    edge: a row over the plot that grows upwards.
    """
    if above:
        return dict(orientation="h", yanchor="bottom", y=y, xanchor="left", x=0)
    return dict(orientation="h", y=y)


def slider(figures: Sequence[go.Figure], labels: Sequence, *, prefix: str = "",
           title: str | None = None, active: int = 0, height: int | None = None,
           legend_above: bool = False, slider_pad: int = 40) -> go.Figure:
    """Combine precomputed figures into one figure with a slider between them.

    Every figure must have the same number of traces.  The traces of all
    figures are stacked and the slider toggles which set is visible, so the
    result works in static HTML with no kernel.  Axis titles and ranges are
    taken from the first figure; give all figures the same axes.

    Parameters
    ----------
    figures : sequence of go.Figure
        One figure per slider position.
    labels : sequence
        The slider label of each position (e.g. the parameter value).
    prefix : str
        Text shown before the current label, e.g. ``"dimension = "``.
    legend_above : bool
        The legend in a row over the plot (with room for it) instead of at its right.
    slider_pad : int
        Pixels between the plot and the slider (more for rotated tick labels).
    """
    if len(figures) == 0 or len(figures) != len(labels):
        raise ValueError(f"figures and labels must be non-empty and of equal length, "
                         f"got {len(figures)} and {len(labels)}")
    per = len(figures[0].data)
    if any(len(f.data) != per for f in figures):
        raise ValueError("every figure passed to slider() must have the same number of traces")
    checks.integer("active", active, 0, len(figures) - 1)
    out = go.Figure(layout=figures[0].layout)
    for i, f in enumerate(figures):
        for trace in f.data:
            trace = trace.to_plotly_json()
            trace["visible"] = i == active
            if i != 0:  # one legend entry per trace of the first figure
                trace["showlegend"] = False
            out.add_trace(trace)
    steps = []
    for i, (f, label) in enumerate(zip(figures, labels)):
        visible = [j // per == i for j in range(per * len(figures))]
        args = [{"visible": visible}]
        step_title = f.layout.title.text
        if step_title:
            args.append({"title.text": step_title})
        steps.append(dict(method="update", label=str(label), args=args))
    out.update_layout(sliders=[dict(active=active, steps=steps, currentvalue=dict(prefix=prefix),
                                    pad=dict(t=slider_pad))])
    style(out, title=title or figures[active].layout.title.text, height=height, frame=True)
    if legend_above:
        out.update_layout(legend=legend_row(1.0, above=True), margin=dict(t=100))
    return out


def heatmap(matrix, row_labels: Sequence[str], col_labels: Sequence[str] | None = None, *,
            title: str | None = None, text_format: str = ".2g", colorscale: str = SEQUENTIAL,
            zmin=None, zmax=None, height: int | None = None) -> go.Figure:
    """A labelled matrix with its values written in the cells (for small tables)."""
    matrix = np.asarray(matrix, dtype=float)
    col_labels = row_labels if col_labels is None else col_labels
    if matrix.shape != (len(row_labels), len(col_labels)):
        raise ValueError(f"matrix has shape {matrix.shape} but there are {len(row_labels)} row "
                         f"and {len(col_labels)} column labels")
    fig = go.Figure(go.Heatmap(z=matrix, x=list(col_labels), y=list(row_labels),
                               colorscale=colorscale, zmin=zmin, zmax=zmax,
                               texttemplate="%{z:" + text_format + "}",
                               hovertemplate="%{y} · %{x}: %{z}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return style(fig, title=title, height=height or 120 + 32 * len(row_labels), frame=True)


def word_map(points, words: Sequence[str], *, groups: Sequence[str] | None = None,
             arrows: Sequence[tuple[str, str]] = (), title: str | None = None,
             height: int | None = 520, axis_range: float | None = None) -> go.Figure:
    """Words as labelled points in 2-D, optionally coloured by group and joined by arrows.

    Parameters
    ----------
    points : (n, 2) array
        Coordinates, e.g. from PCA or SVD.
    words : sequence of str, length n
    groups : sequence of str or None
        A group name per word; one colour (and legend entry) per group.
    arrows : sequence of (word_from, word_to)
        Relations to draw as arrows, e.g. ``[("man", "woman"), ("king", "queen")]``.
    axis_range : float or None
        Fix both axes to ``[-axis_range, axis_range]`` (keeps slider frames comparable).
    """
    points = checks.matrix("points", points, columns=2, what="an (n, 2) matrix")
    if len(points) != len(words):
        raise ValueError(f"points must have shape ({len(words)}, 2), got {points.shape}")
    groups = ["words"] * len(words) if groups is None else list(groups)
    if len(groups) != len(words):
        raise ValueError(f"groups has {len(groups)} entries for {len(words)} words")
    fig = go.Figure()
    position = {w: p for w, p in zip(words, points)}
    for a, b in arrows:
        if a not in position or b not in position:
            raise ValueError(f"arrow ({a!r}, {b!r}) names a word that is not plotted")
        fig.add_annotation(x=position[b][0], y=position[b][1], ax=position[a][0],
                           ay=position[a][1], xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=1.2,
                           arrowcolor="#888", text="")
    order = list(dict.fromkeys(groups))
    for k, group in enumerate(order):
        idx = [i for i, g in enumerate(groups) if g == group]
        fig.add_trace(go.Scatter(
            x=points[idx, 0], y=points[idx, 1], mode="markers+text", name=group,
            text=[words[i] for i in idx], textposition="top center",
            marker=dict(size=9, color=PALETTE[k % len(PALETTE)], symbol=k % 20),
            hovertemplate="%{text}<extra></extra>", showlegend=len(order) > 1))
    if axis_range is not None:
        fig.update_xaxes(range=[-axis_range, axis_range])
        fig.update_yaxes(range=[-axis_range, axis_range])
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return style(fig, title=title, height=height, frame=True)


def line(x, series: dict[str, Sequence[float]], *, title: str | None = None, x_title: str = "",
         y_title: str = "", log_x: bool = False, log_y: bool = False, height: int | None = 420,
         mode: str = "lines+markers") -> go.Figure:
    """One or more named series against a shared x (the book's line chart)."""
    fig = go.Figure()
    for k, (name, y) in enumerate(series.items()):
        y = np.asarray(y, dtype=float)
        if y.shape != np.shape(x):
            raise ValueError(f"series {name!r} has shape {y.shape}, x has shape {np.shape(x)}")
        dash = ["solid", "dash", "dot", "dashdot"][k % 4]
        fig.add_trace(go.Scatter(x=np.asarray(x), y=y, name=name, mode=mode,
                                 line=dict(color=PALETTE[k % len(PALETTE)], dash=dash),
                                 marker=dict(symbol=k % 20)))
    fig.update_xaxes(title=x_title, type="log" if log_x else None)
    fig.update_yaxes(title=y_title, type="log" if log_y else None)
    return style(fig, title=title, height=height, frame=True)
