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
    assert check(1.0005, 1.0) is None              # prints only: a notebook shows no Out[] value
    assert capsys.readouterr().out == "✓ correct\n"
    check("queen", "queen")
    assert capsys.readouterr().out == "✓ correct\n"
    check(2194, 2195, rel=0)                       # off by one is wrong when exactness is the point
    assert capsys.readouterr().out.startswith("not quite")


def test_check_never_raises_so_run_all_goes_on(capsys):
    """An unanswered or wrong self-check prints a verdict: no exception, no traceback."""
    check(..., 1.0)
    assert capsys.readouterr().out.startswith("not answered yet")
    for wrong, expected in [(2.0, 1.0), ("king", "queen"), ([1, 2], [1, 2, 3]),
                            (float("nan"), 1.0), (None, 1.0)]:
        check(wrong, expected)
        assert capsys.readouterr().out.startswith("not quite")
