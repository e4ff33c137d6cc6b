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

Every figure on the page carries a text alternative built from its own rounded
data, so it cannot drift from what is drawn: a one-sentence takeaway (the plot's
``aria-label`` and caption) and a folded "Data behind this figure" table, one per
slider step (``book/_static/a11y.js`` switches them with the keyboard slider). A
chapter whose figure has a point the generated sentence misses gives its own
takeaway (:func:`with_takeaway`, ``style(takeaway=...)``, ``slider(takeaway=...)``),
computed from data. Long titles are wrapped and given room (:func:`fitted`), and a
figure carries a narrow layout (titles for a phone, side-by-side panels stacked)
that the page applies under :data:`NARROW_PX`.
"""
from __future__ import annotations

import base64
import hashlib
import re
from html import escape as html_escape, unescape as html_unescape
import json
import math
import os
from typing import Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from lessons import checks

__all__ = ["show", "figure_html", "takeaways", "with_takeaway", "fitted", "style", "legend_row",
           "slider", "heatmap", "word_map", "line", "book_mode", "PALETTE", "SEQUENTIAL",
           "TEMPLATE", "SIGNIFICANT_DIGITS"]

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


# --------------------------------------------------------------------------------------------
# Text alternatives: a takeaway sentence and a data table per slider step, from the figure's
# own rounded data (so they cannot drift from what is drawn).
# --------------------------------------------------------------------------------------------

#: The attribute of a figure that holds its takeaway (set by :func:`style`, :func:`slider` or
#: :func:`with_takeaway`): a str, a callable of the step's figure, or a list with one per step.
TAKEAWAY_ATTRIBUTE = "_lessons_takeaway"
#: Rows of a data table shown in full; a longer one shows its first and last rows.
MAX_TABLE_ROWS = 30
#: Columns of a heatmap's table shown in full.
MAX_TABLE_COLUMNS = 24
#: Series named in a panel's takeaway; the others are counted.
MAX_DESCRIBED_SERIES = 4
MINUS = "\u2212"
DASH = "\u2013"


def with_takeaway(fig: go.Figure, takeaway) -> go.Figure:
    """Attach a takeaway to ``fig`` (returns ``fig``): what its text alternative says.

    ``takeaway`` is a sentence (build it from data with an f-string; never type a number), a
    callable that gets the figure of one slider step (its visible traces, rounded as drawn,
    and the step's title) and returns the sentence, a list with one of these (or None: the
    generic sentence) per slider step, or None (the generic sentence).
    """
    setattr(fig, TAKEAWAY_ATTRIBUTE, _checked_takeaway(takeaway))
    return fig


def _checked_takeaway(takeaway):
    if takeaway is None or isinstance(takeaway, str) or callable(takeaway):
        return takeaway
    if isinstance(takeaway, (list, tuple)) and all(
            t is None or isinstance(t, str) or callable(t) for t in takeaway):
        return list(takeaway)
    raise checks.ArgumentTypeError(
        f"takeaway must be a str, a callable of the step's figure, a list of those (one per "
        f"slider step) or None, got {checks.describe(takeaway)}")


def _plain(text) -> str:
    """Visible text of a plotly label: tags dropped, ``<br>`` a space, entities decoded."""
    if text is None:
        return ""
    text = re.sub(r"<br\s*/?>", " ", str(text), flags=re.IGNORECASE)
    return " ".join(html_unescape(re.sub(r"<[^>]+>", "", text)).split())


def _title_text(title) -> str:
    """The raw text of a plotly ``title`` value (a dict, a str or None)."""
    if isinstance(title, dict):
        return title.get("text") or ""
    return title or ""


def _number(value) -> str:
    """A rounded number as the book prints it: thousands separators, a true minus sign."""
    if value is None:
        return "no value"
    if isinstance(value, str):
        return _plain(value)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    value = float(value)
    if math.isnan(value):
        return "no value"
    if math.isinf(value):
        text = "∞" if value > 0 else "-∞"
    elif value == int(value) and abs(value) < 1e15:
        text = f"{int(value):,}"
    elif 1e-4 <= abs(value) < 1e15:
        text = np.format_float_positional(value, trim="-")
    else:
        text = f"{value:.{SIGNIFICANT_DIGITS}g}"
    return text.replace("-", MINUS)


class _Axis:
    """The title and number format of one axis (percent ticks, prefix, suffix)."""

    def __init__(self, layout: dict, ref: str | None, letter: str, digits: int):
        ref = ref or letter
        spec = layout.get(letter + "axis" + ref[1:], {}) or {}
        self.title = _plain(_title_text(spec.get("title")))
        self.percent = "%" in str(spec.get("tickformat") or "")
        self.prefix = _plain(spec.get("tickprefix") or "")
        self.suffix = _plain(spec.get("ticksuffix") or "")
        self.digits = digits
        self.letter = letter
        self.name = self.title or letter
        self.domain = list(spec.get("domain") or [0.0, 1.0])
        self.ticks = {value: _plain(text) for value, text in zip(
            spec.get("tickvals") or [], spec.get("ticktext") or []) if _is_number(value)}

    def label(self, value) -> str:
        """A category as the axis shows it (its tick text where it has one)."""
        if _is_number(value) and value in self.ticks:
            return self.ticks[value]
        return self.format(value)

    def format(self, value) -> str:
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
                value, bool):
            if self.percent and math.isfinite(float(value)):
                value = float(_round_sig(np.array([100.0 * float(value)]), self.digits)[0])
                return f"{self.prefix}{_number(value)}%{self.suffix}"
            return f"{self.prefix}{_number(value)}{self.suffix}"
        return _number(value)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool) and math.isfinite(float(value))


def _to_number(text: str):
    """``text`` as a float when it is one (``"45%"`` too), else None."""
    try:
        return float(text.strip().rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _values(trace: dict, key: str) -> list:
    """A trace's data array as a list (plotly's shorthand of a missing ``x``: 0, 1, ...)."""
    value = trace.get(key)
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class _Series:
    """One trace, read for its text alternative."""

    def __init__(self, trace: dict, index: int, layout: dict, digits: int):
        kind = trace.get("type", "scatter")
        self.name = _plain(trace.get("name"))
        self.index = index
        self.xaxis = _Axis(layout, trace.get("xaxis"), "x", digits)
        self.yaxis = _Axis(layout, trace.get("yaxis"), "y", digits)
        self.labels: list = []
        self.z: list = []
        if kind in ("scatter", "scattergl"):
            mode = trace.get("mode") or "lines+markers"
            y = _values(trace, "y")
            x = _values(trace, "x") or list(range(len(y)))
            text = _values(trace, "text")
            if "text" in mode and len(text) == len(x) == len(y):
                self.kind, self.labels = "map", [_plain(t) for t in text]
            elif "lines" in mode:
                self.kind = "line"
            else:
                self.kind = "scatter"
            self.cats, self.vals = x, y
            self.cat_axis, self.val_axis = self.xaxis, self.yaxis
            if (self.kind != "map" and any(_is_number(v) for v in x)
                    and not any(_is_number(v) for v in y)):   # categories on the y axis
                self.cats, self.vals = y, x
                self.cat_axis, self.val_axis = self.yaxis, self.xaxis
            self._error_bars(trace, "x" if self.val_axis is self.xaxis else "y")
        elif kind == "bar":
            horizontal = trace.get("orientation") == "h"
            vals = _values(trace, "x" if horizontal else "y")
            cats = _values(trace, "y" if horizontal else "x") or list(range(len(vals)))
            self.kind, self.cats, self.vals = "bar", cats, vals
            self.cat_axis, self.val_axis = ((self.yaxis, self.xaxis) if horizontal
                                            else (self.xaxis, self.yaxis))
            self._error_bars(trace, "x" if horizontal else "y")
            text = _values(trace, "text")
            if len(text) == len(cats) and any(
                    isinstance(t, str) and t and not _is_number(_to_number(t)) for t in text):
                self.labels = [_plain(t) for t in text]   # words written on the bars
        elif kind == "heatmap":
            self.kind = "heatmap"
            self.z = [list(row) if isinstance(row, (list, tuple)) else [row]
                      for row in _values(trace, "z")]
            n_rows = len(self.z)
            n_cols = max((len(r) for r in self.z), default=0)
            self.cats = _values(trace, "x") or list(range(n_cols))
            self.rows = _values(trace, "y") or list(range(n_rows))
            self.vals = [v for row in self.z for v in row]
            self.cat_axis, self.val_axis = self.xaxis, self.yaxis
            bar = (trace.get("colorbar") or {}).get("title")
            self.z_title = _plain(_title_text(bar))
        elif kind == "histogram":
            horizontal = "x" not in trace and "y" in trace
            self.kind = "histogram"
            self.vals = _values(trace, "y" if horizontal else "x")
            self.cats = []
            self.cat_axis, self.val_axis = ((self.yaxis, self.xaxis) if horizontal
                                            else (self.xaxis, self.yaxis))
        else:
            self.kind = "other"
            self.type = kind
            self.vals = (_values(trace, "y") or _values(trace, "x") or _values(trace, "z")
                         or _values(trace, "values"))
            self.cats = list(range(len(self.vals)))
            self.cat_axis, self.val_axis = self.xaxis, self.yaxis

    errors: list | None = None

    def _error_bars(self, trace: dict, letter: str) -> None:
        """Error bars given as data (``error_y=dict(array=..., arrayminus=...)``) as
        (low, high) per point, for the data table."""
        spec = trace.get(f"error_{letter}") or {}
        if spec.get("visible") is False or spec.get("type", "data") != "data":
            return
        plus = _values(spec, "array")
        minus = plus if spec.get("symmetric", not spec.get("arrayminus")) else _values(
            spec, "arrayminus")
        if len(plus) == len(minus) == len(self.vals):
            self.errors = [tuple(_round_sig(np.array([v - m, v + p]), self.xaxis.digits))
                           if _is_number(v) and _is_number(m) and _is_number(p)
                           else (None, None) for v, m, p in zip(self.vals, minus, plus)]

    def name_of(self, i: int) -> str:
        """Point ``i`` as the figure names it: its label, else its category."""
        if self.labels and i < len(self.labels) and self.labels[i]:
            return self.labels[i]
        return self.cat_axis.label(self.cats[i])

    def points(self) -> list[tuple]:
        """(category, value) pairs where both are present (gaps dropped)."""
        return [(c, v) for c, v in zip(self.cats, self.vals)
                if c is not None and _is_number(v)]

    def title(self, fallback: str = "") -> str:
        return self.name or fallback


def _trend(series: _Series) -> str:
    """How a line goes: rises, falls, peaks or dips, with its first, last and extreme values."""
    points = series.points()
    fmt, at = series.val_axis.format, series.cat_axis.format
    if not points:
        return "has no values"
    if any(c is None for c in series.cats) and len(points) < len(series.cats):
        return _segments(series)
    ys = [v for _, v in points]
    first, last = ys[0], ys[-1]
    if len(ys) == 1:
        return f"is {fmt(first)} at {at(points[0][0])}"
    if len({c for c, _ in points}) == 1:
        return f"is a vertical line at {at(points[0][0])}, from {fmt(min(ys))} to {fmt(max(ys))}"
    hi, lo = int(np.argmax(ys)), int(np.argmin(ys))
    diffs = np.diff(ys)
    if np.all(diffs == 0):
        return f"stays at {fmt(first)}"
    if np.all(diffs >= 0):
        return f"rises from {fmt(first)} to {fmt(last)}"
    if np.all(diffs <= 0):
        return f"falls from {fmt(first)} to {fmt(last)}"
    if 0 < hi < len(ys) - 1 and ys[hi] > max(first, last) and not (
            0 < lo < len(ys) - 1 and ys[lo] < min(first, last)):
        return (f"rises from {fmt(first)} to a peak of {fmt(ys[hi])} at {at(points[hi][0])}, "
                f"then falls to {fmt(last)}")
    if 0 < lo < len(ys) - 1 and ys[lo] < min(first, last) and not (
            0 < hi < len(ys) - 1 and ys[hi] > max(first, last)):
        return (f"falls from {fmt(first)} to a low of {fmt(ys[lo])} at {at(points[lo][0])}, "
                f"then rises to {fmt(last)}")
    return (f"goes from {fmt(first)} to {fmt(last)}, between {fmt(ys[lo])} and "
            f"{fmt(ys[hi])}")


def _segments(series: _Series) -> str:
    """A line broken by gaps: its pieces (vertical or horizontal lines by position)."""
    pieces, current = [], []
    for c, v in zip(series.cats, series.vals):
        if c is None or not _is_number(v):
            if current:
                pieces.append(current)
            current = []
        else:
            current.append((c, v))
    if current:
        pieces.append(current)
    n = len(pieces)
    if all(len({c for c, _ in p}) == 1 for p in pieces):
        at = ", ".join(series.cat_axis.format(p[0][0]) for p in pieces[:6])
        return f"is {'a vertical line' if n == 1 else f'{n} vertical lines'} at {at}"
    if all(len({v for _, v in p}) == 1 for p in pieces):
        at = ", ".join(series.val_axis.format(p[0][1]) for p in pieces[:6])
        return f"is {'a horizontal line' if n == 1 else f'{n} horizontal lines'} at {at}"
    return f"is {n} line segments"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _span(values, axis: _Axis) -> str:
    numbers = [v for v in values if _is_number(v)]
    if not numbers:
        shown = [v for v in values if v is not None]
        if not shown:
            return ""
        first, last = axis.label(shown[0]), axis.label(shown[-1])
        return first if len(shown) == 1 else f"from {first} to {last}"
    lo, hi = min(numbers), max(numbers)
    return axis.format(lo) if lo == hi else f"{axis.format(lo)}{DASH}{axis.format(hi)}"


def _more(items: list[str], total: int, what: str = "series") -> str:
    text = "; ".join(items)
    if total > len(items):
        text += f"; and {total - len(items)} more {what}"
    return text


def _of(axis: _Axis, word: str = "of") -> str:
    return f" {word} {axis.title}" if axis.title else ""


def _describe_lines(group: list[_Series]) -> str:
    first = group[0]
    kind = "Line chart" if first.kind == "line" else "Scatter plot"
    same_x = all(s.cats == first.cats for s in group)
    head = f"{kind}{_of(first.val_axis)}"
    if same_x:
        over = first.cat_axis.name
        head += f" over {over} {_span(first.cats, first.cat_axis)}"
    if first.kind == "scatter":
        parts = [f"{s.title('points')}: {_plural(len(s.points()), 'point')}, "
                 f"{first.val_axis.name} {_span(s.vals, s.val_axis)}"
                 + ("" if same_x else f" at {first.cat_axis.name} "
                    f"{_span(s.cats, s.cat_axis)}")
                 for s in group[:MAX_DESCRIBED_SERIES]]
    else:
        parts = [f"{s.title('the line' if len(group) == 1 else f'series {k + 1}')} {_trend(s)}"
                 for k, s in enumerate(group[:MAX_DESCRIBED_SERIES])]
    count = f", {len(group)} series" if len(group) > 1 else ""
    return f"{head}{count}: {_more(parts, len(group))}"


def _describe_bars(group: list[_Series]) -> str:
    first = group[0]
    cats = first.cats
    n = len(cats)
    what = first.cat_axis.title or "categories"
    head = f"Bar chart{_of(first.val_axis)}, {n} bars" if len(group) == 1 else (
        f"Bar chart{_of(first.val_axis)}, {len(group)} series over {n} {what}")
    parts = []
    for s in group[:MAX_DESCRIBED_SERIES]:
        points = s.points()
        fmt = s.val_axis.format
        if not points:
            parts.append(f"{s.title('bars')}: no values")
            continue
        name = f"{s.name}: " if len(group) > 1 and s.name else ""
        where = {c: i for i, c in reversed(list(enumerate(s.cats)))}
        numeric = not s.labels and not s.cat_axis.ticks and all(_is_number(c) for c, _ in points)
        at = s.cat_axis.title if 0 < len(s.cat_axis.title) <= 24 else f"{s.cat_axis.letter} ="

        def bar(point):
            if numeric:
                return f"{fmt(point[1])} at {at} {s.cat_axis.format(point[0])}"
            return f"{s.name_of(where[point[0]])} ({fmt(point[1])})"

        hi = max(points, key=lambda p: p[1])
        lo = min(points, key=lambda p: p[1])
        if hi[1] == lo[1]:
            parts.append(f"{name}all {len(points)} at {fmt(hi[1])}")
        elif len(points) <= 4:
            parts.append(name + ", ".join(
                f"{s.name_of(where[c])} {fmt(v)}" if not numeric else bar((c, v))
                for c, v in points))
        else:
            parts.append(f"{name}highest {bar(hi)}, lowest {bar(lo)}")
    text = f"{head}: {_more(parts, len(group))}"
    if len(group) == 2 and group[0].cats == group[1].cats and group[0].name and group[1].name:
        pairs = [(a, b) for a, b in zip(group[0].vals, group[1].vals)
                 if _is_number(a) and _is_number(b)]
        higher = sum(a > b for a, b in pairs)
        text += f"; {group[0].name} is higher than {group[1].name} in {higher} of {len(pairs)}"
    return text


def _extremes(points, labels, axis: _Axis, name: str) -> str:
    if not points:
        return ""
    lo = min(range(len(points)), key=lambda i: points[i])
    hi = max(range(len(points)), key=lambda i: points[i])
    return (f"{name} from {labels[lo]} ({axis.format(points[lo])}) to {labels[hi]} "
            f"({axis.format(points[hi])})")


def _describe_map(group: list[_Series], arrows: list[str]) -> str:
    first = group[0]
    labels, xs, ys = [], [], []
    for s in group:
        for label, x, y in zip(s.labels, s.cats, s.vals):
            if _is_number(x) and _is_number(y):
                labels.append(label)
                xs.append(x)
                ys.append(y)
    groups = [s.name for s in group if s.name]
    head = f"Map of {len(labels)} labelled points"
    if len(group) > 1:
        head += f" in {len(group)} groups ({', '.join(groups[:6])}"
        head += ", …)" if len(groups) > 6 else ")"
    parts = [_extremes(xs, labels, first.xaxis, first.xaxis.title or "left to right"),
             _extremes(ys, labels, first.yaxis, first.yaxis.title or "bottom to top")]
    text = f"{head}: {'; '.join(p for p in parts if p)}"
    if arrows:
        text += f"; arrows: {', '.join(arrows[:5])}" + (", …" if len(arrows) > 5 else "")
    return text


def _describe_heatmap(s: _Series) -> str:
    cells = [(v, i, j) for i, row in enumerate(s.z) for j, v in enumerate(row) if _is_number(v)]
    head = f"Heatmap of {len(s.rows)} × {len(s.cats)} values"
    if s.z_title:
        head += f" of {s.z_title}"
    if s.yaxis.title or s.xaxis.title:
        head += f" ({s.yaxis.title or 'rows'} by {s.xaxis.title or 'columns'})"
    if not cells:
        return head + ": no values"
    lo, hi = min(cells), max(cells)

    def where(cell):
        _, i, j = cell
        row = _number(s.rows[i]) if i < len(s.rows) else str(i)
        col = _number(s.cats[j]) if j < len(s.cats) else str(j)
        return f"{row} · {col}"

    return (f"{head}: from {_number(lo[0])} ({where(lo)}) to {_number(hi[0])} "
            f"({where(hi)})")


def _describe_histogram(s: _Series) -> str:
    numbers = sorted(v for v in s.vals if _is_number(v))
    head = f"Histogram of {len(numbers)} values{_of(s.cat_axis)}"
    if not numbers:
        return head
    median = float(_round_sig(np.array([np.median(numbers)]), SIGNIFICANT_DIGITS)[0])
    return (f"{head}: from {s.cat_axis.format(numbers[0])} to {s.cat_axis.format(numbers[-1])}, "
            f"median {s.cat_axis.format(median)}")


def _describe_panel(series: list[_Series], arrows: list[str]) -> str:
    """The takeaway of one panel: each kind of trace in it, in the order first drawn."""
    kinds = list(dict.fromkeys(s.kind for s in series))
    parts = []
    for kind in kinds:
        group = [s for s in series if s.kind == kind]
        if kind in ("line", "scatter"):
            parts.append(_describe_lines(group))
        elif kind == "bar":
            parts.append(_describe_bars(group))
        elif kind == "map":
            parts.append(_describe_map(group, arrows))
        elif kind == "heatmap":
            parts.extend(_describe_heatmap(s) for s in group)
        elif kind == "histogram":
            parts.extend(_describe_histogram(s) for s in group)
        else:
            parts.append(f"{len(group)} {group[0].type} trace" + ("s" if len(group) > 1 else "")
                         + f" of {sum(len(s.vals) for s in group)} values")
    parts = [p[:1].lower() + p[1:] for p in parts]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _subplot_title(layout: dict, xaxis: _Axis, yaxis: _Axis) -> tuple[int, str] | None:
    """The subplot title (``make_subplots``' annotation) over the panel on these axes."""
    x = (xaxis.domain[0] + xaxis.domain[1]) / 2
    for k, a in enumerate(layout.get("annotations") or []):
        if (a.get("xref") == "paper" and a.get("yref") == "paper" and not a.get("showarrow")
                and a.get("yanchor") == "bottom" and _is_number(a.get("x"))
                and _is_number(a.get("y")) and abs(a["x"] - x) < 1e-3
                and abs(a["y"] - yaxis.domain[1]) < 1e-3):
            return k, a.get("text") or ""
    return None


def _arrows(layout: dict, series: list[_Series]) -> list[str]:
    """Annotation arrows between labelled points, as "from → to"."""
    where = {}
    for s in series:
        for label, x, y in zip(s.labels, s.cats, s.vals):
            where[(x, y)] = label
    out = []
    for a in layout.get("annotations") or []:
        if a.get("showarrow") and a.get("axref") not in (None, "pixel"):
            start, end = where.get((a.get("ax"), a.get("ay"))), where.get((a.get("x"), a.get("y")))
            if start and end:
                out.append(f"{start} → {end}")
    return out


class _Step:
    """One slider step (or the whole figure): its visible traces and its title."""

    def __init__(self, label, prefix: str, traces: list[int], title: str, own_title: bool):
        self.label, self.prefix, self.traces = label, prefix, traces
        self.title, self.own_title = title, own_title

    @property
    def name(self) -> str:
        if self.label is None:
            return ""
        return " ".join(p for p in (_plain(self.prefix), _plain(self.label)) if p)


def _steps(spec: dict) -> list[_Step]:
    layout = spec.get("layout") or {}
    traces = spec.get("data") or []
    shown = [i for i, t in enumerate(traces) if t.get("visible", True) is not False]
    title = _title_text(layout.get("title"))
    sliders = layout.get("sliders") or []
    if not sliders or not sliders[0].get("steps"):
        return [_Step(None, "", shown, title, False)]
    prefix = ((sliders[0].get("currentvalue") or {}).get("prefix")) or ""
    out = []
    for step in sliders[0]["steps"]:
        visible, step_title = None, None
        for arg in step.get("args") or []:
            if isinstance(arg, dict):
                visible = arg.get("visible", visible)
                step_title = arg.get("title.text", step_title)
        if isinstance(visible, (list, tuple)):
            indices = [i for i, v in enumerate(visible) if v is not False and i < len(traces)]
        else:
            indices = shown
        out.append(_Step(step.get("label"), prefix, indices,
                         title if step_title is None else step_title, step_title is not None))
    return out


def _panels(spec: dict, step: _Step, digits: int) -> list[tuple[str, list[_Series]]]:
    """The step's traces by panel (shared axes), each with its subplot title, top-left first."""
    layout = spec.get("layout") or {}
    traces = spec.get("data") or []
    panels: dict[tuple, list[_Series]] = {}
    for i in step.traces:
        t = traces[i]
        panels.setdefault((t.get("xaxis") or "x", t.get("yaxis") or "y"), []).append(
            _Series(t, i, layout, digits))
    out = []
    for series in panels.values():
        found = _subplot_title(layout, series[0].xaxis, series[0].yaxis)
        order = (-series[0].yaxis.domain[1], series[0].xaxis.domain[0])
        out.append((order, _plain(found[1]) if found else "", series))
    out.sort(key=lambda p: p[0])
    return [(title, series) for _, title, series in out]


def _generic_takeaway(spec: dict, step: _Step, digits: int) -> str:
    layout = spec.get("layout") or {}
    panels = _panels(spec, step, digits)
    if not panels:
        text = "An empty figure"
    elif len(panels) == 1:
        text = _describe_panel(panels[0][1], _arrows(layout, panels[0][1]))
    else:
        places = (["left", "right"] if len(panels) == 2 and
                  panels[0][1][0].yaxis.domain == panels[1][1][0].yaxis.domain
                  else [f"panel {k + 1}" for k in range(len(panels))])
        parts = []
        for place, (title, series) in zip(places, panels):
            body = _describe_panel(series, _arrows(layout, series))
            body = body[:1].lower() + body[1:]
            parts.append(f"{place}, “{title}”: {body}" if title else f"{place}: {body}")
        text = f"{len(panels)} panels; " + "; ".join(parts)
    if step.label is not None and not step.own_title:
        text = f"{step.name or 'step'}: {text[:1].lower()}{text[1:]}"
    return text + "."


def _step_figure(spec: dict, step: _Step) -> go.Figure:
    """The figure one slider step shows (its visible traces, its title), for a takeaway callable."""
    layout = {k: v for k, v in (spec.get("layout") or {}).items() if k != "sliders"}
    layout["title"] = {**(layout.get("title") or {}), "text": step.title}
    data = [{**spec["data"][i], "visible": True} for i in step.traces]
    return go.Figure({"data": data, "layout": layout})


def _takeaways(spec: dict, steps: list[_Step], takeaway, digits: int) -> list[str]:
    takeaway = _checked_takeaway(takeaway)
    if isinstance(takeaway, list) and len(takeaway) != len(steps):
        raise ValueError(f"takeaway has {len(takeaway)} entries for a figure with {len(steps)} "
                         f"slider steps")
    out = []
    for k, step in enumerate(steps):
        given = takeaway[k] if isinstance(takeaway, list) else takeaway
        if callable(given):
            given = given(_step_figure(spec, step))
            if not isinstance(given, str):
                raise checks.ArgumentTypeError(
                    f"takeaway must return a str, got {checks.describe(given)}")
        out.append(" ".join(given.split()) if given else _generic_takeaway(spec, step, digits))
    return out


def _cell(tag: str, text: str, attributes: str = "") -> str:
    return f"<{tag}{attributes}>{html_escape(text, quote=False)}</{tag}>"


def _table(frame: int, caption: str, header: list[str], rows: list[list[str]],
           hidden: bool, note: str = "") -> str:
    """An accessible table: column headers, each row's first cell a row header, long data cut."""
    width = len(header)
    body = []
    if len(rows) > MAX_TABLE_ROWS:
        half = MAX_TABLE_ROWS // 2 - 3
        gap = f"… {len(rows) - 2 * half:,} more rows ({len(rows):,} rows in all)"
        shown = rows[:half] + [None] + rows[-half:]
    else:
        shown = rows
    for row in shown:
        if row is None:
            body.append(f'<tr><td colspan="{width}">{html_escape(gap, quote=False)}</td></tr>')
            continue
        cells = [_cell("th", row[0], ' scope="row"')] + [_cell("td", c) for c in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(_cell("th", h, ' scope="col"') for h in header)
    caption = caption + (f" ({note})" if note else "")
    return (f'<table data-frame="{frame}"{" hidden" if hidden else ""}>'
            f"{_cell('caption', caption)}<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _panel_tables(frame: int, caption: str, series: list[_Series], hidden: bool) -> list[str]:
    tables = []
    for s in series:
        if s.kind == "heatmap":
            cols = s.cats[:MAX_TABLE_COLUMNS]
            note = (f"first {len(cols)} of {len(s.cats)} columns"
                    if len(s.cats) > len(cols) else "")
            corner = s.yaxis.title or "row"
            header = [corner] + [_number(c) for c in cols]
            rows = [[_number(label)] + [_number(v) for v in row[:len(cols)]]
                    for label, row in zip(s.rows, s.z)]
            tables.append(_table(frame, caption, header, rows, hidden, note))
    maps = [s for s in series if s.kind == "map"]
    if maps:
        grouped = len(maps) > 1
        header = ["label"] + (["group"] if grouped else []) + [
            maps[0].xaxis.title or "x", maps[0].yaxis.title or "y"]
        rows = [[label] + ([s.name] if grouped else []) + [s.xaxis.format(x), s.yaxis.format(y)]
                for s in maps for label, x, y in zip(s.labels, s.cats, s.vals)]
        tables.append(_table(frame, caption, header, rows, hidden))
    for s in series:
        if s.kind == "histogram":
            rows = [[str(k + 1), s.cat_axis.format(v)] for k, v in enumerate(s.vals)]
            tables.append(_table(frame, caption, ["value number", s.cat_axis.title or "value"],
                                 rows, hidden))
    plain = [s for s in series if s.kind in ("line", "scatter", "bar", "other")]
    if plain:
        first = plain[0]
        cat, value = first.cat_axis.name, first.val_axis.name
        if all(s.cats == first.cats for s in plain) and None not in first.cats:
            header = [cat] + [s.title(value if len(plain) == 1 else f"series {k + 1}")
                              for k, s in enumerate(plain)]
            if first.val_axis.title and first.val_axis.title not in header:
                caption += f" ({first.val_axis.title})"
            rows = [[first.cat_axis.format(c)]
                    + [s.val_axis.format(s.vals[i]) if i < len(s.vals) else "no value"
                       for s in plain]
                    for i, c in enumerate(first.cats)]
        else:
            header = ["series", cat, value]
            rows = [[s.title(f"series {k + 1}"), s.cat_axis.format(c), s.val_axis.format(v)]
                    for k, s in enumerate(plain) for c, v in zip(s.cats, s.vals)
                    if c is not None]
        if any(s.errors for s in plain) and (len(plain) == 1 or header[0] == "series"):
            # one column of values: their error bars after it
            header += ["from", "to"]
            bars = [b for s in plain for c, b in zip(s.cats, s.errors or [(None, None)] * len(
                s.cats)) if c is not None]
            rows = [row + [_number(lo) if lo is None else first.val_axis.format(lo),
                           _number(hi) if hi is None else first.val_axis.format(hi)]
                    for row, (lo, hi) in zip(rows, bars)]
        tables.append(_table(frame, caption, header, rows, hidden))
    return tables


def _tables(spec: dict, steps: list[_Step], active: int, digits: int) -> list[str]:
    out = []
    for k, step in enumerate(steps):
        title = _plain(step.title) or "Figure"
        if step.label is not None and not step.own_title and step.name:
            title += f" ({step.name})"
        panels = _panels(spec, step, digits)
        for panel_title, series in panels:
            caption = f"{title}: {panel_title}" if panel_title else title
            out += _panel_tables(k, caption, series, hidden=k != active)
    return out


# --------------------------------------------------------------------------------------------
# Titles that wrap instead of clipping, subplot titles that never collide, and panels that
# stack on a narrow screen.
# --------------------------------------------------------------------------------------------

#: Characters per line of a figure title in the book's column (about 700 px wide).
TITLE_CHARS = 60
#: Characters per line of a figure title on a phone (under NARROW_PX).
NARROW_TITLE_CHARS = 26
#: Characters per line of a subplot title that spans the whole plot width.
SUBPLOT_TITLE_CHARS = 62
#: Characters per line of a subplot title on a phone (panels stacked: the whole width).
NARROW_SUBPLOT_TITLE_CHARS = 30
#: Below this width (px) of the figure, a11y.js applies the figure's narrow layout.
NARROW_PX = 600
_DEFAULT_MARGIN = dict(l=80, r=80, t=100, b=80)


def _wrap(text: str, width: int, *, reflow: bool = False) -> str:
    """``text`` broken with ``<br>`` into lines of at most ``width`` visible characters.

    The author's own ``<br>`` stay (``reflow``: they become spaces); a word longer than
    ``width`` gets a line of its own.
    """
    if reflow:
        text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    lines = []
    for line in re.split(r"<br\s*/?>", text, flags=re.IGNORECASE):
        current, length = "", 0
        for word in line.split():
            size = len(_plain(word))
            if current and length + 1 + size > width:
                lines.append(current)
                current, length = word, size
            else:
                current, length = (f"{current} {word}", length + 1 + size) if current else (
                    word, size)
        lines.append(current)
    return "<br>".join(lines)


def _lines(text: str) -> int:
    return len(re.split(r"<br\s*/?>", text, flags=re.IGNORECASE)) if text else 0


def _font_size(layout: dict) -> float:
    return float(((layout.get("font") or {}).get("size")) or 12)


def _legend_entries(spec: dict) -> list[str]:
    names, seen = [], set()
    for t in spec.get("data") or []:
        if t.get("showlegend") is False or not t.get("name"):
            continue
        key = t.get("legendgroup") or t.get("name")
        if key not in seen:
            seen.add(key)
            names.append(_plain(t["name"]))
    return names


def _legend_rows(names: list[str], width_px: float, font: float) -> int:
    if not names:
        return 0
    rows, used = 1, 0.0
    for name in names:
        size = 50 + 0.62 * font * len(name)
        if used and used + size > width_px:
            rows, used = rows + 1, 0.0
        used += size
    return rows


def _layout_plan(spec: dict, narrow: bool) -> dict:
    """Relayout updates (dotted plotly keys) that make the titles fit the width.

    Wide: titles wrapped at :data:`TITLE_CHARS`, subplot titles at their panel's width,
    the title at the top of the figure and the top margin (and height) grown to hold the
    title, a legend row above the plot and the subplot titles. Narrow: the same for a phone,
    and side-by-side panels stacked.
    """
    layout = spec.get("layout") or {}
    font = _font_size(layout)
    margin = {**_DEFAULT_MARGIN, **(layout.get("margin") or {})}
    height = float(layout.get("height") or 450)
    updates: dict = {}
    title = _title_text(layout.get("title"))
    chars = NARROW_TITLE_CHARS if narrow else TITLE_CHARS
    title_font = float((((layout.get("title") or {}).get("font") or {}).get("size"))
                       or 1.4 * font)
    title_lines = 0
    if title:
        updates["title.text"] = _wrap(title, chars)
        title_lines = _lines(updates["title.text"])
    sliders = layout.get("sliders") or []
    if sliders and sliders[0].get("steps") and any(
            isinstance(a, dict) and "title.text" in a
            for s in sliders[0]["steps"] for a in s.get("args") or []):
        steps = json.loads(json.dumps(sliders[0]["steps"]))
        for s in steps:
            for a in s.get("args") or []:
                if isinstance(a, dict) and isinstance(a.get("title.text"), str):
                    a["title.text"] = _wrap(a["title.text"], chars)
                    title_lines = max(title_lines, _lines(a["title.text"]))
        updates["sliders[0].steps"] = steps
    if title_lines:
        # plotly.js draws a title of several lines anchored at its top about 0.8 em too
        # high (measured in Chromium): pad it down by as much.
        pad = 10 + (round(0.8 * title_font) if title_lines > 1 else 0)
        updates.update({"title.yref": "container", "title.y": 1, "title.yanchor": "top",
                        "title.pad": {"t": pad}})

    # Panels: the axis pairs that carry traces, and their subplot titles.
    pairs = list(dict.fromkeys((t.get("xaxis") or "x", t.get("yaxis") or "y")
                               for t in spec.get("data") or []))
    panels = []
    for xref, yref in pairs:
        xa, ya = _Axis(layout, xref, "x", 4), _Axis(layout, yref, "y", 4)
        panels.append((xref, yref, xa, ya, _subplot_title(layout, xa, ya)))
    side_by_side = (len(panels) > 1 and len({tuple(p[3].domain) for p in panels}) == 1
                    and len({tuple(p[2].domain) for p in panels}) == len(panels))
    stack = narrow and side_by_side
    sub_px = 0.0
    for xref, yref, xa, ya, found in panels:
        if found is None:
            continue
        k, text = found
        annotation = layout["annotations"][k]
        width = 1.0 if stack else xa.domain[1] - xa.domain[0]
        full = NARROW_SUBPLOT_TITLE_CHARS if narrow else SUBPLOT_TITLE_CHARS
        wrapped = _wrap(text, max(14, int(full * width)), reflow=True)
        updates[f"annotations[{k}].text"] = wrapped
        size = float(((annotation.get("font") or {}).get("size")) or font)
        sub_px = max(sub_px, 1.3 * size * _lines(wrapped))

    # The legend: above the plot (a row that grows upwards) when it was, or on a phone.
    legend = layout.get("legend") or {}
    names = _legend_entries(spec)
    shows_legend = layout.get("showlegend", len(names) > 1) and len(names) > 0
    above = (legend.get("orientation") == "h" and _is_number(legend.get("y"))
             and legend["y"] >= 1)
    move_legend = narrow and shows_legend and not (legend.get("orientation") == "h"
                                                   and not above)
    legend_px = 0.0
    # the legend row spans the plot area: on a phone about 340 px less the side margins
    plot_width = (340 if narrow else 700) - margin["l"] - margin["r"]
    if above or move_legend:
        rows = _legend_rows(names, max(plot_width, 120), float(
            ((legend.get("font") or {}).get("size")) or font))
        legend_px = 24.0 * rows + 4
    top = 0.0
    if title_lines:
        top += 10 + 1.3 * title_font * title_lines + 0.3 * title_font + 8
    top += legend_px + (sub_px + 6 if sub_px else 0)
    t = max(float(margin["t"]), math.ceil(top + 4)) if (title_lines or sub_px or legend_px) \
        else float(margin["t"])
    b = float(margin["b"])

    new_height = height + (t - float(margin["t"]))
    if stack:
        n = len(panels)
        plot_px = height - float(margin["t"]) - b
        panel_px = min(320.0, max(220.0, 0.8 * plot_px))
        gap_px = 70.0 + sub_px
        total = n * panel_px + (n - 1) * gap_px
        order = sorted(range(n), key=lambda i: panels[i][2].domain[0])
        for rank, i in enumerate(order):
            xref, yref, xa, ya, found = panels[i]
            top_frac = 1 - rank * (panel_px + gap_px) / total
            bottom_frac = top_frac - panel_px / total
            updates[f"xaxis{xref[1:]}.domain"] = [0, 1]
            updates[f"yaxis{yref[1:]}.domain"] = [round(max(bottom_frac, 0.0), 4),
                                                  round(top_frac, 4)]
            if found is not None:
                updates[f"annotations[{found[0]}].x"] = 0.5
                updates[f"annotations[{found[0]}].y"] = round(top_frac, 4)
        new_height = t + total + b
        plot_px = total
    else:
        plot_px = new_height - t - b
    if (above or move_legend) and shows_legend:
        y = 1 + (sub_px + 6) / max(plot_px, 1.0) if sub_px else 1.0
        updates.update({"legend.orientation": "h", "legend.yanchor": "bottom",
                        "legend.y": round(y, 4), "legend.x": 0, "legend.xanchor": "left"})
    if t != float(margin["t"]):
        updates["margin.t"] = int(t)
    if new_height != height or "height" in layout or stack:
        updates["height"] = int(round(new_height))
    return updates


def _get(layout: dict, key: str):
    """The value at a dotted plotly key (``annotations[0].text``) of ``layout``, or None."""
    node = layout
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _set(layout: dict, key: str, value) -> None:
    """Set a dotted plotly key of ``layout`` (creating dicts on the way), as relayout does."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", key)
    node = layout
    for part, following in zip(parts[:-1], parts[1:]):
        if part.startswith("["):
            node = node[int(part[1:-1])]
        else:
            if not isinstance(node.get(part), (dict, list)):
                node[part] = [] if following.startswith("[") else {}
            node = node[part]
    last = parts[-1]
    if last.startswith("["):
        node[int(last[1:-1])] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _fitted(spec: dict) -> tuple[dict, dict, dict]:
    """``spec`` with its wide layout applied, and the narrow and wide relayout objects."""
    original = json.loads(json.dumps(spec.get("layout") or {}))
    wide = _layout_plan(spec, narrow=False)
    narrow = _layout_plan(spec, narrow=True)
    layout = json.loads(json.dumps(original))
    for key, value in wide.items():
        _set(layout, key, value)
    fitted = {**spec, "layout": layout}
    back = {key: _get(layout, key) for key in narrow}
    if all(back[key] == narrow[key] for key in narrow):
        narrow, back = {}, {}
    return fitted, narrow, back


def _attribute(value) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return html_escape(text, quote=True)


def figure_html(fig: go.Figure, *, digits: int = SIGNIFICANT_DIGITS, takeaway=None) -> str:
    """The ``<figure>`` that draws ``fig`` on a page where plotly.js is loaded.

    It holds the plot's ``<div>`` (``role="img"``, named by its title and takeaway), the
    takeaway as a caption, the folded "Data behind this figure" (one table per slider step
    and panel) and the ``Plotly.newPlot`` script; see ``book/_static/a11y.js`` for the
    keyboard slider that switches them.

    Parameters
    ----------
    takeaway : the figure's one-sentence point (see :func:`with_takeaway`); None: the one
        attached to ``fig``, else a sentence generated from its data.
    """
    spec = _rounded(fig.to_plotly_json(), digits)
    if takeaway is None:
        takeaway = getattr(fig, TAKEAWAY_ATTRIBUTE, None)
    steps = _steps(spec)
    sliders = (spec.get("layout") or {}).get("sliders") or []
    active = int(sliders[0].get("active") or 0) if sliders and sliders[0].get("steps") else 0
    active = min(max(active, 0), len(steps) - 1)
    sentences = _takeaways(spec, steps, takeaway, digits)
    labels = [". ".join(p for p in (_plain(s.title).rstrip("."), sentence) if p)
              for s, sentence in zip(steps, sentences)]
    tables = _tables(spec, steps, active, digits)
    fitted, narrow, wide = _fitted(spec)
    text = json.dumps(fitted, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1((text + json.dumps(sentences)).encode()).hexdigest()[:12]
    div_id = "fig-" + digest
    html = pio.to_html(fitted, include_plotlyjs=False, full_html=False, div_id=div_id,
                       validate=False, config={"displaylogo": False, "responsive": True})
    div = re.search(r'<div id="' + div_id + r'"[^>]*></div>', html)
    script = re.search(r"<script[^>]*>.*</script>", html, flags=re.DOTALL)
    if div is None or script is None:  # pragma: no cover - plotly changed its HTML
        raise RuntimeError("plotly.io.to_html returned HTML without the plot's div or script")
    plot_div = div.group(0).replace(
        "<div ", f'<div role="img" aria-label="{html_escape(labels[active], quote=True)}" ', 1)
    layouts = (f" data-layout-narrow=\"{_attribute(narrow)}\" "
               f"data-layout-wide=\"{_attribute(wide)}\"" if narrow else "")
    return (f'<figure class="lessons-figure" id="{div_id}-figure" '
            f'data-takeaways="{_attribute(sentences)}" data-labels="{_attribute(labels)}"'
            f"{layouts}>"
            f"{plot_div}"
            f'<figcaption class="lessons-takeaway">'
            f"{html_escape(sentences[active], quote=False)}</figcaption>"
            f'<details class="lessons-figure-data"><summary>Data behind this figure</summary>'
            f"{''.join(tables)}</details>"
            f"{script.group(0)}</figure>")


def takeaways(fig: go.Figure, *, digits: int = SIGNIFICANT_DIGITS, takeaway=None) -> list[str]:
    """The takeaway sentence of each slider step of ``fig`` (one for a figure without one)."""
    spec = _rounded(fig.to_plotly_json(), digits)
    if takeaway is None:
        takeaway = getattr(fig, TAKEAWAY_ATTRIBUTE, None)
    return _takeaways(spec, _steps(spec), takeaway, digits)


def fitted(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` with its titles wrapped and room made for them (the wide layout of
    :func:`figure_html`); its data untouched."""
    copy = go.Figure(fig)
    plan = _layout_plan(_rounded(copy.to_plotly_json(), SIGNIFICANT_DIGITS), narrow=False)
    if plan:
        copy.plotly_relayout(plan)
    return copy


def show(fig: go.Figure, *, digits: int = SIGNIFICANT_DIGITS, takeaway=None) -> None:
    """Display a plotly figure in a notebook or, in book mode, for the static HTML.

    Either way its long titles are wrapped (:func:`fitted`). In book mode the figure also
    carries its text alternative: a takeaway sentence and its data as tables (see
    :func:`figure_html`; ``takeaway`` as there).
    """
    from IPython.display import display

    if not book_mode():
        (fitted(fig) if type(fig) is go.Figure else fig).show()
        return
    if takeaway is None:
        takeaway = getattr(fig, TAKEAWAY_ATTRIBUTE, None)
    title = _plain(fig.layout.title.text) or "figure"
    spec = _rounded(fig.to_plotly_json(), digits)
    sentences = _takeaways(spec, _steps(spec), takeaway, digits)
    # Three forms of one figure: the HTML book draws the <figure> with its offline plotly.js;
    # JupyterLab and VS Code draw the plotly JSON before the notebook is run (no script,
    # so no trust needed); anything else shows the text.
    display(
        {"text/html": figure_html(fig, digits=digits, takeaway=takeaway),
         "application/vnd.plotly.v1+json": _strict_json(_fitted(spec)[0]),
         "text/plain": f"<interactive figure: {title}>\n{sentences[0]}"},
        raw=True,
    )


def style(fig: go.Figure, *, template: str | None = TEMPLATE, frame: bool = False,
          takeaway=None, **layout) -> go.Figure:
    """The book's look for ``fig``: its template, then ``layout``; returns ``fig``.

    Parameters
    ----------
    template : the plotly template (None: keep the figure's own, plotly's default).
    frame : also set the margins (room for a title when there is one) and the font of
        the book's chart functions, after ``layout``.
    takeaway : the figure's one-sentence point for its text alternative (see
        :func:`with_takeaway`); None keeps the one it has (or the generated sentence).
    layout : plotly layout properties (``title``, ``height``, ``barmode``, ``legend`` from
        :func:`legend_row`, ...), set in the order given.
    """
    if takeaway is not None:
        with_takeaway(fig, takeaway)
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
           legend_above: bool = False, slider_pad: int = 40, takeaway=None) -> go.Figure:
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
    takeaway : str, callable or list
        The point of each step for the text alternative (see :func:`with_takeaway`); a
        callable gets each step's figure. None: the takeaways attached to ``figures``, where
        they have one, else the sentence generated from each step's data.
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
    if takeaway is None:
        own = [getattr(f, TAKEAWAY_ATTRIBUTE, None) for f in figures]
        takeaway = None if all(t is None for t in own) else own
    return with_takeaway(out, takeaway)


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
