import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.book import plots


def test_round_sig_keeps_significant_digits():
    x = np.array([123456.0, 0.000123456, -9.87654, 0.0, np.inf, np.nan])
    out = plots._round_sig(x, 3)
    np.testing.assert_array_equal(out[:5], [123000.0, 0.000123, -9.88, 0.0, np.inf])
    assert np.isnan(out[5])
    tiny = plots._round_sig(np.array([1e-300, -5e-324, 2.5e-280]), 3)  # no overflow, no warning
    np.testing.assert_array_equal(tiny, [0.0, 0.0, 2.5e-280])
    # CPU-dependent rounding noise around zero must not reach the page.
    noisy = plots._round_sig(np.array([1.0, -9.481e-18, 5.6e-17, -0.0]), 4)
    assert noisy.tolist() == [1.0, 0.0, 0.0, 0.0] and not np.signbit(noisy).any()


def test_figure_html_is_stable_under_last_bit_noise():
    """The committed HTML must not change when a CPU computes the last bits differently."""
    y = np.linspace(0.1, 1, 7)
    a = plots.figure_html(go.Figure(go.Scatter(x=np.arange(7), y=y)))
    b = plots.figure_html(go.Figure(go.Scatter(x=np.arange(7), y=y * (1 + 1e-12))))
    assert a == b
    assert "Plotly.newPlot" in a and "<script src" not in a  # plotly.js is not embedded
    assert a.startswith('<figure class="lessons-figure" id="fig-')
    assert 'role="img" aria-label="Line chart over x 0–6: the line rises from 0.1 to 1."' in a
    titled = plots.figure_html(go.Figure(layout=dict(title="Cosines <b>by</b> d")))
    assert 'aria-label="Cosines by d. An empty figure."' in titled
    c = plots.figure_html(go.Figure(go.Scatter(x=np.arange(7), y=y * 1.01)))
    assert c != a


def test_show_in_book_mode_emits_html(monkeypatch, capsys):
    shown = []
    monkeypatch.setenv("LESSONS_BOOK", "1")
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj))
    plots.show(go.Figure(layout=dict(title="hello")))
    assert shown[0]["text/plain"] == "<interactive figure: hello>\nAn empty figure."
    assert "fig-" in shown[0]["text/html"]


def test_show_in_book_mode_also_gives_front_ends_the_rounded_plotly_json(monkeypatch):
    """JupyterLab and VS Code draw application/vnd.plotly.v1+json without running anything."""
    shown = []
    monkeypatch.setenv("LESSONS_BOOK", "1")
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj))
    plots.show(go.Figure(go.Scatter(x=[0, 1], y=[1 / 3, 2 / 3]), layout=dict(title="thirds")))
    spec = shown[0]["application/vnd.plotly.v1+json"]
    assert spec["data"][0]["y"] == plots._rounded([1 / 3, 2 / 3], plots.SIGNIFICANT_DIGITS)
    assert spec["data"][0]["y"] != [1 / 3, 2 / 3]                # rounded: the same on every CPU
    assert spec["layout"]["title"]["text"] == "thirds"
    assert json.loads(json.dumps(spec)) == spec                  # plain JSON, as nbformat stores it
    plots.show(go.Figure(go.Scatter(y=[1.0, float("nan"), float("inf")])))
    assert shown[1]["application/vnd.plotly.v1+json"]["data"][0]["y"] == [1.0, None, None]
    json.dumps(shown[1]["application/vnd.plotly.v1+json"], allow_nan=False)   # strict JSON: no NaN


def test_show_outside_the_book_uses_plotly(monkeypatch):
    monkeypatch.delenv("LESSONS_BOOK", raising=False)
    called = []
    fig = go.Figure()
    monkeypatch.setattr(go.Figure, "show", lambda self: called.append(self))
    plots.show(fig)
    assert called == [fig]
    # A learner's figure gets the book's wrapped title too, on a copy: theirs is untouched.
    title = "A long title that would run past the right edge of a figure in the book's column"
    fig = go.Figure(go.Scatter(y=[1 / 3, 2 / 3]), layout=dict(title=title))
    plots.show(fig)
    assert called[-1] is not fig and fig.layout.title.text == title
    assert "<br>" in called[-1].layout.title.text
    assert called[-1].layout.title.yanchor == "top" and list(called[-1].data[0].y) == [1 / 3, 2 / 3]


def test_slider_toggles_one_figure_at_a_time():
    figs = [go.Figure([go.Scatter(y=[i]), go.Bar(y=[i])], layout=dict(title=f"t{i}"))
            for i in range(3)]
    fig = plots.slider(figs, ["a", "b", "c"], prefix="p=", active=1)
    assert len(fig.data) == 6
    assert [t.visible for t in fig.data] == [False, False, True, True, False, False]
    steps = fig.layout.sliders[0].steps
    assert steps[2].args[0]["visible"] == [False] * 4 + [True] * 2
    assert steps[2].args[1] == {"title.text": "t2"}
    json.dumps(fig.to_plotly_json(), default=str)


@pytest.mark.parametrize("figs, labels, message", [
    ([], [], "non-empty"),
    ([go.Figure()], ["a", "b"], "equal length"),
    ([go.Figure(go.Scatter()), go.Figure()], ["a", "b"], "same number of traces"),
])
def test_slider_bad_input(figs, labels, message):
    with pytest.raises(ValueError, match=message):
        plots.slider(figs, labels)


def test_heatmap_and_word_map_check_shapes():
    fig = plots.heatmap(np.eye(2), ["a", "b"], title="t")
    assert fig.data[0].z.shape == (2, 2)
    with pytest.raises(ValueError, match="labels"):
        plots.heatmap(np.eye(3), ["a", "b"])
    fig = plots.word_map(np.array([[0, 0], [1, 1], [2, 0]]), ["man", "woman", "king"],
                         groups=["m", "f", "m"], arrows=[("man", "woman")])
    assert len(fig.data) == 2 and len(fig.layout.annotations) == 1
    with pytest.raises(ValueError, match="not plotted"):
        plots.word_map(np.zeros((1, 2)), ["a"], arrows=[("a", "b")])
    with pytest.raises(ValueError, match="shape"):
        plots.word_map(np.zeros((2, 3)), ["a", "b"])


def test_line_checks_series_length():
    fig = plots.line([1, 2, 3], {"a": [1, 2, 3], "b": [3, 2, 1]}, log_y=True)
    assert len(fig.data) == 2 and fig.layout.yaxis.type == "log"
    with pytest.raises(ValueError, match="series 'a'"):
        plots.line([1, 2], {"a": [1, 2, 3]})
