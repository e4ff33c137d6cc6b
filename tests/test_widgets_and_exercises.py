import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from lessons.book.exercises import check
from lessons.book.widgets import panel


def test_panel_captures_prints_and_figures_and_redraws_on_change():
    calls = []

    def update(n):
        calls.append(n)
        print(f"n = {n}")
        fig, ax = plt.subplots()
        ax.plot(range(n))

    slider = widgets.IntSlider(value=2, min=1, max=5)
    box = panel(update, {"n": slider}, title="demo")
    output = box.children[-1]
    assert calls == [2]
    assert [o["output_type"] for o in output.outputs] == ["stream", "display_data"]
    assert output.outputs[0]["text"] == "n = 2\n"
    slider.value = 4
    assert calls == [2, 4] and output.outputs[0]["text"] == "n = 4\n"
    assert plt.get_fignums() == []  # figures are closed, none leak into the cell
    assert repr(box) == "<live panel: demo>"


def test_panel_needs_controls():
    with pytest.raises(ValueError, match="controls"):
        panel(lambda: None, {})


def test_check_accepts_right_answers_and_explains_wrong_ones(capsys):
    check(1.0005, 1.0)
    assert "correct" in capsys.readouterr().out
    check("queen", "queen")
    with pytest.raises(AssertionError, match="not answered yet"):
        check(..., 1.0)
    with pytest.raises(AssertionError, match="not quite"):
        check(2.0, 1.0)
    with pytest.raises(AssertionError, match="not quite"):
        check("king", "queen")
