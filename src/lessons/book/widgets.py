"""Live controls for running notebooks: sliders that recompute and redraw.

Chapter: all chapters with a live widget.

:func:`panel` is the one way the book builds a live control: some ipywidgets
controls above an output area, and an ``update(**values)`` function that is
called with the current values whenever a control moves.  ``update`` prints or
draws with matplotlib (which renders in Jupyter, Colab and VS Code alike, and
in the static book shows the state the notebook was saved with).

In the static HTML there is no Python kernel: the controls are drawn but moving
them changes nothing.  Every chapter therefore pairs its live panel with a
precomputed plotly slider (:func:`lessons.book.plots.slider`), which does work there.

A saved notebook shows the panel as it was when the notebook was executed: the
widget state (controls and output) is stored in the notebook's metadata, and
JupyterLab draws it from there, but only in a *trusted* notebook (the widget
renderer is not a "safe" one; ``make lab`` trusts the chapters).  Elsewhere (an
untrusted notebook, a viewer without ipywidgets) the cell's output falls back to
a plain image of the panel's first figure, and to its text form otherwise.

A saved panel does not pretend to be live.  When a chapter is executed for the book
(``LESSONS_BOOK=1``, :func:`lessons.book.plots.book_mode`) the panel is saved with its
controls disabled and a note, :data:`SAVED_NOTE`, above them: that is what JupyterLab
and VS Code show before the cells have run (and ``book/_static/a11y.js`` words the note
for the HTML book).  Running the cell in a live kernel builds a fresh panel, without the
note and with its controls enabled.  Every picture in the panel carries an ``alt`` text
that names the panel and the settings it was drawn with.
"""
from __future__ import annotations

import base64
import contextlib
import io
from html import escape
from time import perf_counter
from typing import Callable

import ipywidgets as widgets

__all__ = ["panel", "Panel", "SAVED_NOTE", "describe_settings"]

#: The note a saved panel shows above its (disabled) controls until its cell runs again.
SAVED_NOTE = ("Saved picture: run the cells above to bring this panel to life "
              "(its controls work once the notebook runs).")


class Panel(widgets.VBox):
    """A VBox whose text form is a short, stable description.

    ipywidgets' default text form spells out every child and the saved
    output, which would make nbval compare image bytes; this one does not.
    """

    title: str = ""
    #: name -> control widget, as passed to :func:`panel` (tests move them).
    controls: dict = {}
    #: The Output widget that ``update`` redraws.
    output: widgets.Output | None = None

    def __repr__(self) -> str:
        return f"<live panel: {self.title}>"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The widget view, plus the first figure as a plain ``image/png`` fallback.

        A front end that cannot draw the widget (JupyterLab with an untrusted
        notebook, a static viewer) then shows the saved picture instead of the text
        form.  nbval does not compare ``image/png``, and the text form stays short.
        """
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})
        for item in self.output.outputs if self.output is not None else ():
            png = item.get("data", {}).get("image/png")
            if png:
                bundle["image/png"] = png
                break
        return bundle


def panel(update: Callable[..., None], controls: dict[str, widgets.ValueWidget], *,
          title: str = "", continuous: bool = False, timing: str | None = None) -> Panel:
    """Controls plus an output area that ``update(**values)`` redraws.

    Parameters
    ----------
    update : callable
        Called as ``update(name=value, ...)`` with every control's value; what
        it prints or plots (matplotlib) appears under the controls.
    controls : dict of name -> ipywidgets control
        E.g. ``{"vocab_size": widgets.IntSlider(...)}``.
    title : str
        Shown above the controls and used as the panel's text form.
    continuous : bool
        Redraw while a slider is dragged (only for very cheap updates).
    timing : str, optional
        A caption with a ``{seconds}`` field, e.g. ``"retrained and redrawn in
        {seconds:.2f} s"``: shown under the output after every redraw, with the wall
        time of the whole redraw (``update`` and the conversion of its figures to
        PNG).  The time is not deterministic; it lives only in the Output widget
        (the notebook's widget-state metadata), never in a cell's compared output.
    """
    if not controls:
        raise ValueError("controls must name at least one widget")
    from lessons.book.plots import book_mode

    output = widgets.Output()

    def redraw(_change=None):
        start = perf_counter()
        values = {name: control.value for name, control in controls.items()}
        alt = f"{title or 'Live panel'}, at {describe_settings(controls)}"
        outputs = _capture(update, values, alt=alt)
        if timing is not None:  # measured after the PNG step: the whole redraw but the send
            caption = timing.format(seconds=perf_counter() - start)
            outputs.append({"output_type": "stream", "name": "stdout", "text": caption + "\n"})
        output.outputs = tuple(outputs)

    for control in controls.values():
        if hasattr(control, "continuous_update"):
            control.continuous_update = continuous
        control.observe(redraw, names="value")
    header = [widgets.HTML(f"<b>{title}</b>")] if title else []
    if book_mode():  # the saved notebook: say that the panel is not live until its cell runs
        note = widgets.HTML(SAVED_NOTE)
        note.add_class("lessons-panel-notice")
        header.append(note)
        for control in controls.values():
            if hasattr(control, "disabled"):
                control.disabled = True
    box = Panel(header + [widgets.HBox(list(controls.values()),
                                       layout=widgets.Layout(flex_flow="row wrap")), output])
    box.title = title
    box.controls = dict(controls)
    box.output = output
    redraw()
    return box


def describe_settings(controls: dict) -> str:
    """The controls' current settings in words: ``"log₁₀ V = 4, dim d = 300"``.

    Each control is named by its ``description`` (else its key in ``controls``); numbers are
    written with ``:g``, a range as ``low–high``.
    """
    def shown(value) -> str:
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, (tuple, list)):
            return "–".join(shown(v) for v in value)
        return str(value)

    parts = []
    for name, control in controls.items():
        label = getattr(control, "description", "") or name
        parts.append(f"{label} = {shown(getattr(control, 'value', ''))}")
    return ", ".join(parts)


def _capture(update: Callable[..., None], values: dict, *, alt: str = "") -> list[dict]:
    """Run ``update(**values)`` and return what it printed and drew as notebook outputs.

    The outputs are set on the Output widget directly instead of being routed
    through the kernel's display messages, so the panel looks the same in
    Jupyter, Colab, the executed book and under nbval.  Each figure is an ``image/png``
    plus the same picture as ``text/html`` with ``alt`` (the text of ``alt``, numbered when
    there are several figures), which front ends prefer where they can show it.
    """
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        update(**values)
    outputs = []
    if text.getvalue():
        outputs.append({"output_type": "stream", "name": "stdout", "text": text.getvalue()})
    numbers = sorted(set(plt.get_fignums()) - before)
    for k, number in enumerate(numbers, start=1):
        figure = plt.figure(number)
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=96, bbox_inches="tight")
        plt.close(figure)
        data = base64.b64encode(png.getvalue()).decode("ascii")
        label = alt or "figure"
        if len(numbers) > 1:
            label = f"{label} (figure {k} of {len(numbers)})"
        outputs.append({
            "output_type": "display_data",
            "data": {"image/png": data,
                     "text/html": f'<img src="data:image/png;base64,{data}" '
                                  f'alt="{escape(label, quote=True)}">',
                     "text/plain": "<figure>"},
            "metadata": {},
        })
    return outputs
