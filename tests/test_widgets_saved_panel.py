"""lessons.book.widgets.panel: a saved panel says it is not live, and its pictures say what
they show (issue 22: a book every student can use)."""
import html
import re

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt

from lessons.book.widgets import SAVED_NOTE, describe_settings, panel

matplotlib.use("Agg")


def _update(n, kind):
    fig, ax = plt.subplots()
    ax.plot(range(n))
    if kind == "two":
        plt.subplots()


def _controls():
    return {"n": widgets.IntSlider(value=3, min=1, max=5, description="points n"),
            "kind": widgets.Dropdown(options=["one", "two"], value="one")}


def _alts(box):
    return [re.search(r'alt="([^"]*)"', o["data"]["text/html"]).group(1)
            for o in box.output.outputs if "text/html" in o.get("data", {})]


def test_book_mode_saves_the_panel_disabled_with_a_note(monkeypatch):
    monkeypatch.setenv("LESSONS_BOOK", "1")
    controls = _controls()
    box = panel(_update, controls, title="demo")
    notes = [c for c in box.children if "lessons-panel-notice" in c._dom_classes]
    assert [n.value for n in notes] == [SAVED_NOTE]
    assert "run the cells above to bring this panel to life" in SAVED_NOTE
    assert all(c.disabled for c in controls.values())
    assert box.children[-1] is box.output                    # the output stays last


def test_a_live_kernel_gets_a_live_panel_without_the_note(monkeypatch):
    monkeypatch.delenv("LESSONS_BOOK", raising=False)
    controls = _controls()
    box = panel(_update, controls, title="demo")
    assert not any("lessons-panel-notice" in c._dom_classes for c in box.children)
    assert not any(c.disabled for c in controls.values())


def test_every_picture_has_an_alt_with_the_panel_and_its_settings():
    controls = _controls()
    box = panel(_update, controls, title="demo & more")
    (alt,) = _alts(box)
    assert html.unescape(alt) == "demo & more, at points n = 3, kind = one"
    png = next(o["data"]["image/png"] for o in box.output.outputs if "data" in o)
    assert f'src="data:image/png;base64,{png}"' in box.output.outputs[0]["data"]["text/html"]
    controls["kind"].value = "two"                           # the alt follows the redraw
    assert [html.unescape(a) for a in _alts(box)] == [
        "demo & more, at points n = 3, kind = two (figure 1 of 2)",
        "demo & more, at points n = 3, kind = two (figure 2 of 2)"]


def test_settings_in_words():
    controls = {"x": widgets.FloatSlider(value=0.25, description="rate"),
                "span": widgets.IntRangeSlider(value=(2, 7)),
                "on": widgets.Checkbox(value=True, description="shuffle")}
    assert describe_settings(controls) == "rate = 0.25, span = 2–7, shuffle = on"
