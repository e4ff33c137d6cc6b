"""Every figure's text alternative (a takeaway sentence and its data as tables) and titles that
fit the width: lessons.book.plots.figure_html, takeaways, fitted.

The markup follows the figure contract shared with book/_static/a11y.js: a <figure> with
data-takeaways and data-labels (one per slider step), a role="img" plot div named by the
current label, a figcaption, and a folded <details> of <table data-frame="i"> per step.
"""
import json
import re
from html import escape

import numpy as np
import plotly.graph_objects as go
import pytest
from bs4 import BeautifulSoup
from plotly.subplots import make_subplots

from lessons import checks
from lessons.book import plots


def _soup(fig, **kwargs):
    return BeautifulSoup(plots.figure_html(fig, **kwargs), "html.parser")


def _spec(html: str) -> dict:
    """The layout plotly.js is given, from the Plotly.newPlot call in the figure's script."""
    script = BeautifulSoup(html, "html.parser").find("script").string
    args = script[script.index("Plotly.newPlot(") + len("Plotly.newPlot("):]
    decoder = json.JSONDecoder()
    rest = args[args.index(",") + 1:].lstrip()
    data, end = decoder.raw_decode(rest)
    layout, _ = decoder.raw_decode(rest[end:].lstrip().lstrip(",").lstrip())
    return {"data": data, "layout": layout}


# -- the generic takeaway, per kind of trace ------------------------------------------------

def test_line_chart_takeaway_reads_the_series_with_their_axis_format():
    epochs = np.arange(1, 21)
    fig = plots.line(epochs, {"skip-gram": np.linspace(0.041, 0.382, 20),
                              "CBOW": np.linspace(0.05, 0.2, 20)},
                     x_title="epoch", y_title="accuracy")
    fig.update_yaxes(tickformat=".0%")
    assert plots.takeaways(fig) == [
        "Line chart of accuracy over epoch 1–20, 2 series: skip-gram rises from 4.1% to 38.2%; "
        "CBOW rises from 5% to 20%."]


@pytest.mark.parametrize("y, phrase", [
    ([3, 2, 2, 1], "falls from 3 to 1"),
    ([1, 5, 2], "rises from 1 to a peak of 5 at 1, then falls to 2"),
    ([4, 0.5, 3], "falls from 4 to a low of 0.5 at 1, then rises to 3"),
    ([2, 2, 2], "stays at 2"),
    ([1, 5, 0, 4], "goes from 1 to 4, between 0 and 5"),
    ([-1234567.0, -0.25], "rises from −1,235,000 to −0.25"),    # 4 significant digits, true minus
])
def test_line_trend(y, phrase):
    fig = go.Figure(go.Scatter(y=y, name="s", mode="lines"))
    assert plots.takeaways(fig) == [f"Line chart over x 0–{len(y) - 1}: s {phrase}."]


def test_broken_lines_are_read_as_segments():
    fig = go.Figure(go.Scatter(x=[0.1, 0.1, None, 0.3, 0.3], y=[0, 5, None, 0, 5], mode="lines",
                               name="interval"))
    assert "interval is 2 vertical lines at 0.1, 0.3" in plots.takeaways(fig)[0]


def test_bar_chart_takeaways():
    sections = ["family", "currency", "capitals", "plural", "tense"]
    fig = go.Figure([go.Bar(x=sections, y=[30.8, 0, 12.5, 7.1, 3.3], name="SGNS"),
                     go.Bar(x=sections, y=[20, 1, 10, 9, 2], name="GloVe")])
    fig.update_yaxes(title="accuracy (%)")
    assert plots.takeaways(fig) == [
        "Bar chart of accuracy (%), 2 series over 5 categories: SGNS: highest family (30.8), "
        "lowest currency (0); GloVe: highest family (20), lowest currency (1); "
        "SGNS is higher than GloVe in 3 of 5."]
    # A horizontal bar chart with the words written on the bars, and a value axis in percent.
    fig = go.Figure(go.Bar(x=[0.89, 0.917, 0.9], y=[0, 1, 2], orientation="h",
                           text=["persia", "spain", "italy"]))
    fig.update_xaxes(tickformat=".1%")
    assert plots.takeaways(fig) == ["Bar chart, 3 bars: persia 89%, spain 91.7%, italy 90%."]


def test_heatmap_histogram_and_other_traces():
    fig = plots.heatmap(np.array([[1, 2, 3], [4, 5, 6.5]]), ["a", "b"], ["x", "y", "z"])
    assert plots.takeaways(fig) == ["Heatmap of 2 × 3 values: from 1 (a · x) to 6.5 (b · z)."]
    fig = go.Figure(go.Histogram(x=[1, 2, 2, 3, 10]), layout=dict(xaxis_title="length"))
    assert plots.takeaways(fig) == ["Histogram of 5 values of length: from 1 to 10, median 2."]
    fig = go.Figure(go.Pie(values=[1, 2, 3]))
    assert plots.takeaways(fig) == ["1 pie trace of 3 values."]


def test_word_map_takeaway_names_the_extreme_words_and_the_arrows():
    fig = plots.word_map(np.array([[0, 0], [1, 1], [2, 0]]), ["man", "woman", "king"],
                         groups=["m", "f", "m"], arrows=[("man", "woman")])
    assert plots.takeaways(fig) == [
        "Map of 3 labelled points in 2 groups (m, f): left to right from man (0) to king (2); "
        "bottom to top from man (0) to woman (1); arrows: man → woman."]


def test_subplots_are_read_panel_by_panel_with_their_titles():
    fig = make_subplots(rows=1, cols=2, subplot_titles=("norm / mean norm", "cosines"))
    fig.add_trace(go.Scatter(x=[1, 2, 3], y=[1, 2, 3], name="trained"), row=1, col=1)
    fig.add_trace(go.Bar(x=["a", "b"], y=[1, 5], name="pairs"), row=1, col=2)
    assert plots.takeaways(fig) == [
        "2 panels; left, “norm / mean norm”: line chart over x 1–3: trained rises from 1 to 3; "
        "right, “cosines”: bar chart, 2 bars: a 1, b 5."]


# -- the author's takeaway --------------------------------------------------------------------

def test_given_takeaway_wins_and_may_be_computed_from_the_step_figure():
    fig = go.Figure(go.Scatter(y=[1, 2, 3]), layout=dict(title="Growth"))
    assert plots.takeaways(fig, takeaway="It  grows.") == ["It grows."]
    plots.style(fig, takeaway=lambda f: f"It ends at {f.data[0].y[-1]}.")
    assert plots.takeaways(fig) == ["It ends at 3."]
    soup = _soup(fig)
    assert soup.find(class_="plotly-graph-div")["aria-label"] == "Growth. It ends at 3."
    assert soup.find("figcaption", class_="lessons-takeaway").text == "It ends at 3."
    with pytest.raises(checks.ArgumentTypeError, match="takeaway must be a str"):
        plots.with_takeaway(fig, 3)
    with pytest.raises(checks.ArgumentTypeError, match="takeaway must return a str"):
        plots.takeaways(fig, takeaway=lambda f: 3)


def _sweep(with_takeaways=False):
    figs = []
    for d in (1, 2, 3):
        f = go.Figure(go.Scatter(x=[0, 1, 2], y=[0, d, 2 * d], name="cos"),
                      layout=dict(title=f"d = {d}"))
        if with_takeaways:
            plots.style(f, takeaway=f"The slope is {d}.")
        figs.append(f)
    return figs


def test_slider_has_one_takeaway_label_and_table_per_step():
    fig = plots.slider(_sweep(), [1, 2, 3], prefix="d = ", active=1)
    sentences = plots.takeaways(fig)
    assert sentences == [f"Line chart over x 0–2: cos rises from 0 to {2 * d}." for d in (1, 2, 3)]
    soup = _soup(fig)
    figure = soup.find("figure")
    assert json.loads(figure["data-takeaways"]) == sentences
    assert json.loads(figure["data-labels"]) == [f"d = {d}. {s}"
                                                 for d, s in zip((1, 2, 3), sentences)]
    div = figure.find(class_="plotly-graph-div")
    assert div["role"] == "img" and div["aria-label"] == f"d = 2. {sentences[1]}"  # the active step
    assert figure["id"] == div["id"] + "-figure"
    assert figure.find("figcaption").text == sentences[1]
    tables = figure.find("details", class_="lessons-figure-data").find_all("table")
    assert [t["data-frame"] for t in tables] == ["0", "1", "2"]
    assert [t.has_attr("hidden") for t in tables] == [True, False, True]
    assert [td.text for td in tables[2].find_all("td")] == ["0", "3", "6"]   # step 2's own data
    # Per-step takeaways attached to the figures travel through slider(); a callable at the
    # slider gets each step's figure: its visible traces only.
    fig = plots.slider(_sweep(with_takeaways=True), [1, 2, 3], prefix="d = ")
    assert plots.takeaways(fig) == [f"The slope is {d}." for d in (1, 2, 3)]
    fig = plots.slider(_sweep(), [1, 2, 3], takeaway=lambda f: f"{len(f.data)} trace, "
                       f"last y {f.data[0].y[-1]}, {f.layout.title.text}.")
    assert plots.takeaways(fig) == [f"1 trace, last y {2 * d}, d = {d}." for d in (1, 2, 3)]
    with pytest.raises(ValueError, match="2 entries for a figure with 3 slider steps"):
        plots.takeaways(fig, takeaway=["a", "b"])


def test_steps_without_their_own_title_name_the_slider_value():
    figs = [go.Figure(go.Bar(x=["a", "b"], y=[1, k])) for k in (2, 3)]
    fig = plots.slider(figs, [2, 3], prefix="k =", title="Fixed")
    assert plots.takeaways(fig) == ["k = 2: bar chart, 2 bars: a 1, b 2.",
                                    "k = 3: bar chart, 2 bars: a 1, b 3."]
    captions = [c.text for c in _soup(fig).find_all("caption")]
    assert captions == ["Fixed (k = 2)", "Fixed (k = 3)"]


# -- the data tables --------------------------------------------------------------------------

def _check_accessible(table):
    assert table.find("caption").text.strip()
    head = table.find("thead").find_all("th")
    assert head and all(th["scope"] == "col" for th in head)
    for row in table.find("tbody").find_all("tr"):
        cells = row.find_all(["th", "td"])
        if len(cells) == 1:                                # the "… N rows in all" row
            assert cells[0]["colspan"] == str(len(head))
            continue
        assert len(cells) == len(head)
        assert cells[0].name == "th" and cells[0]["scope"] == "row"


def test_series_sharing_x_are_columns_with_axis_titles_in_the_header():
    fig = plots.line([1, 2, 3], {"SGNS": [0.5, 0.25, 1 / 3], "GloVe": [1, -2, 3000]},
                     x_title="epoch", y_title="loss", title="Loss <b>by</b> epoch")
    table = _soup(fig).find("table")
    _check_accessible(table)
    assert table.find("caption").text == "Loss by epoch (loss)"
    assert [th.text for th in table.find("thead").find_all("th")] == ["epoch", "SGNS", "GloVe"]
    rows = [[c.text for c in r.find_all(["th", "td"])] for r in table.find("tbody")("tr")]
    assert rows == [["1", "0.5", "1"], ["2", "0.25", "−2"], ["3", "0.3333", "3,000"]]


def test_long_data_is_cut_to_its_first_and_last_rows():
    x = np.arange(100)
    fig = go.Figure([go.Scatter(x=x, y=x ** 2, name="a"), go.Scatter(x=x + 0.5, y=x, name="b")])
    table = _soup(fig).find("table")
    _check_accessible(table)
    assert [th.text for th in table.find("thead")("th")] == ["series", "x", "y"]   # x differs
    rows = table.find("tbody")("tr")
    assert len(rows) == plots.MAX_TABLE_ROWS - 5
    gap = [r for r in rows if len(r.find_all(["th", "td"])) == 1]
    assert [g.text for g in gap] == ["… 176 more rows (200 rows in all)"]
    assert rows[0].find("td").text == "0" and rows[-1].find_all("td")[-1].text == "99"


def test_heatmap_table_is_a_matrix_and_labels_are_escaped():
    fig = plots.heatmap(np.array([[1.0, 0.5], [0.5, 1.0]]), ["x<y & z", "dog"], title="cos")
    html = plots.figure_html(fig)
    assert "x<y" not in re.sub(r"<script.*</script>", "", html, flags=re.DOTALL)
    table = BeautifulSoup(html, "html.parser").find("table")
    _check_accessible(table)
    assert [th.text for th in table.find("thead")("th")] == ["row", "x<y & z", "dog"]
    assert [[c.text for c in r(["th", "td"])] for r in table.find("tbody")("tr")] == [
        ["x<y & z", "1", "0.5"], ["dog", "0.5", "1"]]


def test_subplots_have_one_table_per_panel_and_maps_list_their_labels():
    fig = make_subplots(rows=1, cols=2, subplot_titles=("map", "bars"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0], text=["king", "queen"], mode="markers+text",
                             name="royals"), row=1, col=1)
    fig.add_trace(go.Bar(x=["a", "b"], y=[1, 5], name="pairs"), row=1, col=2)
    fig.update_layout(title="Two")
    tables = _soup(fig).find_all("table")
    assert [t["data-frame"] for t in tables] == ["0", "0"]
    for t in tables:
        _check_accessible(t)
    assert [t.find("caption").text for t in tables] == ["Two: map", "Two: bars"]
    assert [[c.text for c in r(["th", "td"])] for r in tables[0].find("tbody")("tr")] == [
        ["king", "0", "1"], ["queen", "1", "0"]]


# -- titles that fit ----------------------------------------------------------------------------

LONG = ("dimension d = 20: planted analogies right: 95%; mean cosine as trained 0.51, "
        "the explorer's default setting")


def test_wrap_keeps_words_whole_and_lines_short():
    wrapped = plots._wrap(LONG, 30)
    lines = wrapped.split("<br>")
    assert " ".join(lines) == LONG and all(len(line) <= 30 for line in lines)
    assert plots._wrap("a <b>bold</b> word", 6) == "a <b>bold</b><br>word"  # tags take no room
    assert plots._wrap("a <b>bold</b> word", 5) == "a<br><b>bold</b><br>word"
    assert plots._wrap("one<br>two", 40) == "one<br>two"
    assert plots._wrap("one<br>two", 40, reflow=True) == "one two"


def test_long_titles_wrap_and_get_room_on_a_wide_and_a_narrow_screen():
    fig = go.Figure(go.Scatter(y=[1, 2]), layout=dict(title=LONG, height=400,
                                                      margin=dict(t=60, b=50)))
    html = plots.figure_html(fig)
    layout = _spec(html)["layout"]
    lines = layout["title"]["text"].split("<br>")
    assert len(lines) == 2 and all(len(line) <= plots.TITLE_CHARS for line in lines)
    assert layout["title"]["yref"] == "container" and layout["title"]["yanchor"] == "top"
    assert layout["margin"]["t"] > 60 and layout["height"] == 400 + layout["margin"]["t"] - 60
    figure = BeautifulSoup(html, "html.parser").find("figure")
    narrow = json.loads(figure["data-layout-narrow"])
    wide = json.loads(figure["data-layout-wide"])
    assert narrow.keys() == wide.keys()
    assert wide["title.text"] == layout["title"]["text"]
    assert all(len(line) <= plots.NARROW_TITLE_CHARS
               for line in narrow["title.text"].split("<br>"))
    assert narrow["margin.t"] > wide["margin.t"]
    # The aria-label carries the title as words, without the <br>.
    assert figure.find(class_="plotly-graph-div")["aria-label"].startswith(LONG + ". Line chart")


def test_slider_step_titles_wrap_too():
    figs = [go.Figure(go.Scatter(y=[1, k]), layout=dict(title=f"{LONG} {k}")) for k in (1, 2)]
    html = plots.figure_html(plots.slider(figs, [1, 2]))
    steps = _spec(html)["layout"]["sliders"][0]["steps"]
    assert all("<br>" in s["args"][1]["title.text"] for s in steps)
    narrow = json.loads(BeautifulSoup(html, "html.parser").find("figure")["data-layout-narrow"])
    assert narrow["sliders[0].steps"][1]["args"][1]["title.text"].count("<br>") >= 3


def test_side_by_side_panels_stack_on_a_narrow_screen_and_titles_never_meet():
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        "analogy accuracy, by how often the answer occurs", "median length of the word vectors"))
    for col in (1, 2):
        fig.add_trace(go.Bar(x=["rare", "common"], y=[1, col], name=f"m{col}"), row=1, col=col)
    fig.update_layout(title="Rare and frequent words, CBOW against skip-gram", height=440)
    html = plots.figure_html(fig)
    layout = _spec(html)["layout"]
    # Wide: each subplot title wrapped to its panel's width, so neighbours cannot overlap.
    for annotation, axis in zip(layout["annotations"], ("xaxis", "xaxis2")):
        width = layout[axis]["domain"][1] - layout[axis]["domain"][0]
        assert all(len(line) <= plots.SUBPLOT_TITLE_CHARS * width
                   for line in annotation["text"].split("<br>"))
    narrow = json.loads(BeautifulSoup(html, "html.parser").find("figure")["data-layout-narrow"])
    assert narrow["xaxis.domain"] == narrow["xaxis2.domain"] == [0, 1]
    top, bottom = narrow["yaxis.domain"], narrow["yaxis2.domain"]
    assert bottom[1] < top[0]                                   # stacked, with a gap
    assert narrow["annotations[0].y"] == top[1] and narrow["annotations[1].y"] == bottom[1]
    assert narrow["annotations[0].x"] == narrow["annotations[1].x"] == 0.5
    assert narrow["height"] > 440


def test_a_short_figure_needs_no_narrow_layout():
    figure = _soup(go.Figure(go.Scatter(y=[1, 2]), layout=dict(title="Short"))).find("figure")
    assert not figure.has_attr("data-layout-narrow")


# -- determinism and the notebook forms -------------------------------------------------------

def test_same_figure_same_bytes():
    def build():
        fig = plots.slider(_sweep(), [1, 2, 3], prefix="d = ", title=LONG)
        return plots.figure_html(fig)
    assert build() == build()


def test_book_mode_gives_front_ends_the_fitted_json_and_the_takeaway_as_text(monkeypatch):
    shown = []
    monkeypatch.setenv("LESSONS_BOOK", "1")
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append(obj))
    plots.show(go.Figure(go.Scatter(y=[1, 2]), layout=dict(title=LONG)), takeaway="It rises.")
    spec = shown[0]["application/vnd.plotly.v1+json"]
    assert "<br>" in spec["layout"]["title"]["text"]
    assert shown[0]["text/plain"].endswith("\nIt rises.")
    assert f'aria-label="{escape(LONG)}. It rises."' in shown[0]["text/html"]


def test_error_bars_are_in_the_table():
    fig = go.Figure(go.Scatter(x=[0.5, -0.25], y=["a − b", "c − d"], mode="markers", name="diff",
                               error_x=dict(type="data", symmetric=False, array=[0.1, 0.2],
                                            arrayminus=[0.3, 1 / 3])))
    table = _soup(fig).find("table")
    _check_accessible(table)
    assert [th.text for th in table.find("thead")("th")] == ["y", "diff", "from", "to"]
    assert [[c.text for c in r(["th", "td"])] for r in table.find("tbody")("tr")] == [
        ["a − b", "0.5", "0.2", "0.6"], ["c − d", "−0.25", "−0.5833", "−0.05"]]
    fig.add_trace(go.Scatter(x=[0.1], y=["e − f"], mode="markers", name="other"))
    rows = _soup(fig).find("table").find("tbody")("tr")
    assert [c.text for c in rows[-1](["th", "td"])] == ["other", "e − f", "0.1", "no value",
                                                        "no value"]
