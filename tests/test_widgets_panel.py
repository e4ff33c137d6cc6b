"""lessons.book.widgets.panel: the timing caption and what a saved notebook shows
without ipywidgets."""
import re

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt

from lessons.book.widgets import panel

matplotlib.use("Agg")


def _update(n):
    print(f"n = {n}")
    fig, ax = plt.subplots()
    ax.plot(range(n))


def test_timing_caption_follows_the_output_and_covers_the_png_step(monkeypatch):
    import lessons.book.widgets as module
    clock = iter([10.0, 10.75, 20.0, 22.5])  # start and end of two redraws
    monkeypatch.setattr(module, "perf_counter", lambda: next(clock))
    slider = widgets.IntSlider(value=2, min=1, max=5)
    box = panel(_update, {"n": slider}, timing="redrawn in {seconds:.2f} s")
    kinds = [o["output_type"] for o in box.output.outputs]
    assert kinds == ["stream", "display_data", "stream"]     # print, figure, caption last
    assert box.output.outputs[-1]["text"] == "redrawn in 0.75 s\n"
    slider.value = 3
    assert box.output.outputs[-1]["text"] == "redrawn in 2.50 s\n"


def test_no_caption_unless_asked():
    box = panel(_update, {"n": widgets.IntSlider(value=2)})
    assert not any("redrawn" in o.get("text", "") for o in box.output.outputs)


def test_saved_output_falls_back_to_the_figure_then_to_the_text_form():
    box = panel(_update, {"n": widgets.IntSlider(value=2)}, title="demo", timing="{seconds:.2f} s")
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == "<live panel: demo>"           # what nbval compares: no timing
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"] == box.output.outputs[1]["data"]["image/png"]
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", bundle["image/png"])

    text_only = panel(lambda n: print(n), {"n": widgets.IntSlider(value=2)}, title="text")
    assert "image/png" not in text_only._repr_mimebundle_()
