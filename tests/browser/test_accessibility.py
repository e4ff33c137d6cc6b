"""Accessibility of the built book (issue 22), in headless Debian Chromium with the network off.

* axe-core (vendored by ``make assets``, injected by the test; the pages never load it) runs
  the WCAG 2.1 A and AA rules on every page of the book: no violation is allowed;
* every precomputed plotly slider works from the keyboard alone: its range input
  (``book/_static/a11y.js``) is labelled, Home / End / Arrow keys move the figure and its
  drawn slider, and the figure's text alternative follows the step;
* a saved ipywidgets panel says that it is not live, its controls are off and named, and its
  picture has an alt text;
* no figure's title, subplot titles or legend is clipped or drawn over another, at 1,280 px
  and at a phone's 390 px;
* every figure has a takeaway and a data table (``lessons.book.plots.figure_html``; checked in
  the HTML, no browser needed).

Two small pages made by the test itself (a slider figure in the markup of
``lessons.book.plots.figure_html``, and saved panels) check the script on its own, so that
it is tested even before the chapters are executed with it. ``LESSONS_BOOK_HTML`` points
the whole-book tests at another build (default ``_build/html``).
"""
from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lessons.book.toc import pages

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("LESSONS_BOOK_HTML", ROOT / "_build" / "html"))
STATIC = ROOT / "book" / "_static"
AXE = STATIC / "vendor" / "axe-core" / "axe.min.js"
#: The rules run on every page: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

selenium = pytest.importorskip("selenium")
if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
    pytest.skip("Debian chromium and chromium-driver are not installed (make system installs them)",
                allow_module_level=True)
import jupyterlab_driver as lab_driver  # noqa: E402  (tests/browser is on sys.path under pytest)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with lab_driver.chromium(tmp_path_factory.mktemp("chromium-a11y"),
                             width=1280, height=2000) as driver:
        driver.set_script_timeout(120)  # axe-core on a long page
        yield driver


@pytest.fixture(scope="module")
def book(browser):
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} has no index.html: build the book first (make book)")
    with lab_driver.serve_folder(HTML) as url:
        yield url


# ---- what the tests do in the page ----------------------------------------------------------

def _axe_violations(driver) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make assets`")
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        "  targets: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'error', help: String(e), targets: []}]));",
        AXE_TAGS)


def _describe(violations: list[dict]) -> str:
    return "; ".join(f"{v['id']} ({v['impact']}, {len(v['targets'])}×: {v['help']}; "
                     f"e.g. {v['targets'][:3]})" for v in violations)


def _wait_ready(driver, source: str) -> None:
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    if re.search(r'class="math', source):
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "mjx-container"))
    n_figures = source.count('class="plotly-graph-div"')
    if n_figures:
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".plotly-graph-div .main-svg"))
                   >= n_figures)
        wait.until(lambda d: d.execute_script(
            "return [...document.querySelectorAll('.plotly-graph-div')].every(div =>"
            " !(div.layout && div.layout.sliders && div.layout.sliders.length)"
            " || div.dataset.lessonsRange === '1')"),
            "a figure with a slider got no keyboard control (book/_static/a11y.js)")
    if "application/vnd.jupyter.widget-view+json" in source:
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".widget-vbox .widget-output"))
        wait.until(lambda d: d.execute_script(
            "return [...document.querySelectorAll('.widget-vbox')]"
            ".filter(b => b.querySelector(':scope > .widget-output'))"
            ".every(b => b.classList.contains('lessons-panel-static'))"))


_SLIDER_STATE = """
const input = arguments[0];
const figure = input.closest('figure') || input.parentElement.parentElement;
const div = figure.querySelector('.plotly-graph-div');
const picture = div.querySelector('.main-svg');
const caption = figure.querySelector('figcaption.lessons-takeaway');
let takeaways = null;
try { takeaways = JSON.parse(figure.dataset.takeaways); } catch (e) {}
const steps = div.layout.sliders[0].steps;
return {
  value: Number(input.value), max: Number(input.max),
  valuetext: input.getAttribute('aria-valuetext'),
  label: input.labels.length ? input.labels[0].textContent.trim() : '',
  focusable: input.tabIndex >= 0 && !input.disabled,
  focused: document.activeElement === input,
  svgActive: div._fullLayout.sliders[0].active,
  stepLabels: steps.map(s => String(s.label)),
  stepVisible: steps.map(s => (s.args && s.args[0] && s.args[0].visible) || null),
  visible: div.data.map(t => t.visible !== false && t.visible !== 'legendonly'),
  svg: div.querySelector('.main-svg').innerHTML,
  ariaLabel: picture.getAttribute('role') === 'img' ? picture.getAttribute('aria-label') : null,
  caption: caption ? caption.textContent.trim() : null,
  takeaways: takeaways,
  shownTables: [...figure.querySelectorAll('table[data-frame]')].filter(t => !t.hidden)
    .map(t => Number(t.dataset.frame)),
  nTables: figure.querySelectorAll('table[data-frame]').length,
};
"""


def _slider_state(driver, input_element) -> dict:
    return driver.execute_script(_SLIDER_STATE, input_element)


def _check_step(state: dict, step: int, where: str) -> list[str]:
    """What is wrong with a figure whose keyboard slider should now show ``step``."""
    problems = []
    if state["value"] != step or state["svgActive"] != step:
        problems.append(f"{where}: range input at {state['value']} and drawn slider at "
                        f"{state['svgActive']}, expected step {step}")
    if state["stepLabels"][step] not in (state["valuetext"] or ""):
        problems.append(f"{where}: aria-valuetext {state['valuetext']!r} does not give the step "
                        f"label {state['stepLabels'][step]!r}")
    wanted = state["stepVisible"][step]
    if wanted is not None and [bool(v) for v in wanted] != state["visible"]:
        problems.append(f"{where}: the plot does not show step {step}'s traces")
    if state["takeaways"]:
        takeaway = state["takeaways"][min(step, len(state["takeaways"]) - 1)]
        if takeaway not in (state["ariaLabel"] or ""):
            problems.append(f"{where}: aria-label {state['ariaLabel']!r} lacks the takeaway "
                            f"{takeaway!r} of step {step}")
        if state["caption"] is not None and state["caption"] != takeaway:
            problems.append(f"{where}: figcaption {state['caption']!r} is not the takeaway of "
                            f"step {step}")
    if state["nTables"] > 1 and (not state["shownTables"]
                                 or set(state["shownTables"]) != {step}):
        problems.append(f"{where}: the data tables of steps {state['shownTables']} are shown, "
                        f"expected those of step {step}")
    return problems


def _drive_by_keyboard(driver, input_element, where: str) -> list[str]:
    """Press End or Home, then an Arrow key, on a figure's range input; check each step."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", input_element)
    before = _slider_state(driver, input_element)
    problems = []
    if not before["focusable"] or not before["label"]:
        problems.append(f"{where}: the range input is not focusable or has no label")
    key, step = (Keys.END, before["max"]) if before["value"] == 0 else (Keys.HOME, 0)
    moves = [(key, step), (Keys.ARROW_LEFT if step else Keys.ARROW_RIGHT,
                           step - 1 if step else 1)]
    previous = before
    for key, step in moves:
        input_element.send_keys(key)
        try:  # (polls what is cheap to read; the drawing is compared once, below)
            WebDriverWait(driver, 5).until(lambda d: d.execute_script(
                "const div = arguments[0].closest('figure, .cell_output')"
                ".querySelector('.plotly-graph-div');"
                "return div._fullLayout.sliders[0].active === arguments[1]"
                " && Number(arguments[0].value) === arguments[1];", input_element, step))
        except TimeoutException:  # reported below with the state it reached
            pass
        state = _slider_state(driver, input_element)
        if state["svg"] == previous["svg"]:
            problems.append(f"{where}: {key!r} did not change the figure")
        if state["ariaLabel"] == previous["ariaLabel"] and state["takeaways"] is None:
            problems.append(f"{where}: the figure's aria-label did not follow the slider")
        problems += _check_step(state, step, where)
        previous = state
    return problems


_PANELS = """
return [...document.querySelectorAll('.widget-vbox')]
  .filter(b => b.querySelector(':scope > .widget-output')).map(b => ({
    note: (b.querySelector(':scope > .lessons-panel-notice') || {}).textContent || '',
    live: [...b.querySelectorAll('input, select, textarea, button')]
      .filter(e => !e.closest('.widget-output') && !e.disabled).length
      + [...b.querySelectorAll('[role=slider]')].filter(h => h.tabIndex >= 0).length,
    unnamed: [...b.querySelectorAll('[role=slider]')].filter(h => !h.getAttribute('aria-label'))
      .length,
    alts: [...b.querySelectorAll('.widget-output img')].map(i => i.getAttribute('alt')),
  }));
"""


def _check_panels(driver, where: str) -> list[str]:
    problems = []
    for k, panel in enumerate(driver.execute_script(_PANELS), start=1):
        name = f"{where}: saved panel {k}"
        if "runs in a notebook" not in panel["note"]:
            problems.append(f"{name} does not say that it runs in a notebook")
        if panel["live"]:
            problems.append(f"{name} has {panel['live']} control(s) that look live")
        if panel["unnamed"]:
            problems.append(f"{name} has {panel['unnamed']} slider(s) without a name")
        if not all(panel["alts"]):
            problems.append(f"{name}: picture without an alt text ({panel['alts']})")
    return problems


#: Titles, subplot titles and legends of every drawn figure: clipped by the figure's edges, or
#: drawn over each other or over a plot area (issue 22: at 390 and 1,280 px, nothing may).
_TITLE_PROBLEMS = """
const problems = [];
const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
                          a.top < b.bottom - 1 && b.top < a.bottom - 1;
document.querySelectorAll('figure.lessons-figure .plotly-graph-div').forEach((div, k) => {
  if (!div.offsetParent) return;                                     // not shown
  const box = div.getBoundingClientRect(), items = [];
  const title = div.querySelector('.gtitle');
  if (title && title.textContent.trim()) items.push(['title', title.getBoundingClientRect()]);
  div.querySelectorAll('.annotation-text').forEach(a => {
    if (a.textContent.trim()) items.push(['"' + a.textContent.slice(0, 25) + '"',
                                          a.getBoundingClientRect()]);
  });
  const legend = div.querySelector('.legend');
  if (legend) items.push(['legend', legend.getBoundingClientRect()]);
  const areas = [...div.querySelectorAll('.nsewdrag')].map(d => d.getBoundingClientRect());
  const name = 'figure ' + (k + 1) + ' (' + (title ? title.textContent.slice(0, 30) : '') + ')';
  for (const [what, r] of items) {
    if (what !== 'legend' && (r.left < box.left - 1 || r.right > box.right + 1 ||
                              r.top < box.top - 1)) problems.push(name + ': ' + what + ' clipped');
  }
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
    if (overlap(items[i][1], items[j][1]))
      problems.push(name + ': ' + items[i][0] + ' over ' + items[j][0]);
  }
  if (title) for (const a of areas) if (overlap(title.getBoundingClientRect(), a))
    problems.push(name + ': title over the plot');
});
return problems;
"""


def _titles_fit(driver, page: str) -> list[str]:
    """Title problems at 1,280 px (the window as it is) and at a phone's 390 px."""
    import time

    problems = [f"{page} at 1280 px: {p}" for p in driver.execute_script(_TITLE_PROBLEMS)]
    if not driver.find_elements(By.CSS_SELECTOR, "figure.lessons-figure"):
        return problems
    driver.set_window_size(390, 2000)
    try:
        time.sleep(1.5)  # a11y.js re-lays out narrow figures 150 ms after the resize
        problems += [f"{page} at 390 px: {p}" for p in driver.execute_script(_TITLE_PROBLEMS)]
    finally:
        driver.set_window_size(1280, 2000)
    return problems


# ---- the book ---------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("page", pages(ROOT) + ["genindex", "search"])
def test_page_passes_axe_and_works_by_keyboard(page, book, browser):
    source = (HTML / f"{page}.html").read_text(encoding="utf-8")
    browser.get(f"{book}/{page}.html")
    _wait_ready(browser, source)
    problems = []
    for k, element in enumerate(browser.find_elements(By.CSS_SELECTOR,
                                                      ".lessons-range input[type=range]")):
        problems += _drive_by_keyboard(browser, element, f"{page}: slider figure {k + 1}")
    problems += _check_panels(browser, page)
    problems += _titles_fit(browser, page)
    violations = _axe_violations(browser)
    if violations:
        problems.append(f"{page}: axe-core: {_describe(violations)}")
    assert problems == [], "\n".join(problems)


class _Figures(HTMLParser):
    """Per plotly figure in a page: its takeaways, caption and data tables."""

    def __init__(self):
        super().__init__()
        self.figures, self._caption = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "figure" and "lessons-figure" in classes:
            self.figures.append({"takeaways": attrs.get("data-takeaways"), "plots": 0,
                                 "caption": "", "tables": 0, "frames": set(), "summary": False,
                                 "role": []})
        figure = self.figures[-1] if self.figures else None
        if tag == "div" and "plotly-graph-div" in classes:
            if figure is None or figure.get("closed"):
                self.figures.append({"takeaways": None, "plots": 1, "caption": "", "tables": 0,
                                     "frames": set(), "summary": False, "role": [],
                                     "closed": True})
            else:
                figure["plots"] += 1
                figure["role"].append((attrs.get("role"), attrs.get("aria-label")))
        if figure is not None and not figure.get("closed"):
            if tag == "figcaption" and "lessons-takeaway" in classes:
                self._caption = figure
            if tag == "table" and "data-frame" in attrs:
                figure["tables"] += 1
                figure["frames"].add(attrs["data-frame"])
            if tag == "details" and "lessons-figure-data" in classes:
                figure["summary"] = True

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self._caption = None
        if tag == "figure" and self.figures:
            self.figures[-1]["closed"] = True

    def handle_data(self, data):
        if self._caption is not None:
            self._caption["caption"] += data


@pytest.mark.browser
@pytest.mark.parametrize("page", pages(ROOT))
def test_every_figure_has_a_takeaway_and_a_data_table(page):
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML} has no index.html: build the book first (make book)")
    parser = _Figures()
    parser.feed((HTML / f"{page}.html").read_text(encoding="utf-8"))
    problems = []
    for k, figure in enumerate((f for f in parser.figures if f["plots"]), start=1):
        where = f"{page}: figure {k}"
        takeaways = json.loads(html.unescape(figure["takeaways"])) if figure["takeaways"] else []
        if not takeaways or not all(isinstance(t, str) and t.strip() for t in takeaways):
            problems.append(f"{where} has no takeaways (data-takeaways)")
        if not figure["caption"].strip():
            problems.append(f"{where} has no figcaption with its takeaway")
        if not figure["summary"] or figure["tables"] < 1:
            problems.append(f"{where} has no data table under 'Data behind this figure'")
        elif takeaways and figure["frames"] != {str(k) for k in range(len(takeaways))}:
            problems.append(f"{where}: data tables for steps {sorted(figure['frames'])}, but "
                            f"{len(takeaways)} takeaways (one per slider step)")
        if not all(role == "img" and label for role, label in figure["role"]):
            problems.append(f"{where}: the plot is not role=img with an aria-label")
    assert problems == [], "\n".join(problems)


# ---- the script on its own: two pages made here ---------------------------------------------

def _page(title: str, body: str, extra_head: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<link rel="icon" href="data:,"><link rel="stylesheet" href="book.css">'
            '<script src="vendor/plotly.min.js"></script>'
            f'{extra_head}<script src="a11y.js" defer></script></head>'
            f'<body><main><h1>{title}</h1>{body}</main></body></html>\n')


def _contract_figure() -> tuple[str, list[str]]:
    """A three-step slider figure in the markup lessons.book.plots.figure_html emits."""
    import plotly.io as pio

    from lessons.book.plots import line, slider

    xs = [1, 2, 3]
    frames = [line(xs, {"loss": [k + 1.0, k + 0.5, k + 0.25]}, title=f"Loss at rate {r}")
              for k, r in enumerate(["0.1", "0.2", "0.4"])]
    fig = slider(frames, ["0.1", "0.2", "0.4"], prefix="learning rate = ")
    takeaways = [f"With learning rate {r}, the loss falls from {k + 1} to {k + 0.25}."
                 for k, r in enumerate(["0.1", "0.2", "0.4"])]
    tables = "".join(
        f'<table data-frame="{k}"{" hidden" if k else ""}><caption>Loss at rate {r}</caption>'
        '<thead><tr><th scope="col">epoch</th><th scope="col">loss</th></tr></thead><tbody>'
        + "".join(f"<tr><td>{x}</td><td>{y}</td></tr>"
                  for x, y in zip(xs, [k + 1.0, k + 0.5, k + 0.25]))
        + "</tbody></table>" for k, r in enumerate(["0.1", "0.2", "0.4"]))
    spec = pio.to_json(fig, validate=False)
    markup = (
        f"<figure class=\"lessons-figure\" id=\"fig-test-figure\" data-takeaways='"
        f"{html.escape(json.dumps(takeaways), quote=True)}'>"
        f'<div id="fig-test" class="plotly-graph-div" role="img" '
        f'aria-label="Loss at rate 0.1. {html.escape(takeaways[0])}" style="height:420px"></div>'
        f'<figcaption class="lessons-takeaway">{html.escape(takeaways[0])}</figcaption>'
        '<details class="lessons-figure-data"><summary>Data behind this figure</summary>'
        f"{tables}</details>"
        f"<script>const spec = {spec}; Plotly.newPlot('fig-test', spec.data, spec.layout);"
        "</script></figure>")
    return markup, takeaways


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """A folder served over HTTP with the book's static files and the two test pages."""
    site = tmp_path_factory.mktemp("a11y-site")
    for name in ("a11y.js", "book.css", "vendor"):
        (site / name).symlink_to(STATIC / name)
    if not (STATIC / "vendor" / "plotly.min.js").is_file():
        pytest.fail("book/_static/vendor is missing: run `make assets`")
    figure, _ = _contract_figure()
    (site / "figure.html").write_text(_page("A figure with a slider", figure), encoding="utf-8")
    (site / "panels.html").write_text(_panels_page(), encoding="utf-8")
    with lab_driver.serve_folder(site) as url:
        yield url


def _panels_page() -> str:
    """Two saved panels: one saved by today's panel() for the book, one as older notebooks hold
    it (no note, controls enabled, a bare image/png picture)."""
    import ipywidgets as widgets
    import matplotlib
    from ipywidgets.embed import embed_snippet

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lessons.book import widgets as panels

    def update(n, kind):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(range(n), label=kind)

    def controls():
        return {"n": widgets.IntSlider(value=3, min=1, max=5, description="points n"),
                "kind": widgets.Dropdown(options=["line", "dots"], description="kind")}

    old_env = os.environ.get("LESSONS_BOOK")
    os.environ["LESSONS_BOOK"] = "1"
    try:
        saved = panels.panel(update, controls(), title="Saved for the book")
    finally:
        if old_env is None:
            del os.environ["LESSONS_BOOK"]
        else:
            os.environ["LESSONS_BOOK"] = old_env
    older = panels.panel(update, controls(), title="Saved by an older version")
    older.output.outputs = tuple(
        {**o, "data": {k: v for k, v in o["data"].items() if k != "text/html"}}
        if o.get("output_type") == "display_data" else o for o in older.output.outputs)
    snippet = embed_snippet([saved, older], embed_url="vendor/html-manager/embed.js",
                            requirejs=False)
    return _page("Saved panels", snippet)


@pytest.mark.browser
def test_the_keyboard_slider_drives_the_figure_and_its_description(fixture_site, browser):
    browser.get(f"{fixture_site}/figure.html")
    _wait_ready(browser, '<div class="plotly-graph-div">')
    _, takeaways = _contract_figure()
    (range_input,) = browser.find_elements(By.CSS_SELECTOR, ".lessons-range input[type=range]")
    state = _slider_state(browser, range_input)
    assert state["label"] == "learning rate"
    assert state["valuetext"] == "learning rate = 0.1 (1 of 3)"
    assert state["shownTables"] == [0] and state["caption"] == takeaways[0]

    # Keyboard alone: Tab from the top of the page reaches the range input.
    browser.find_element(By.TAG_NAME, "body").click()
    for _ in range(30):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if _slider_state(browser, range_input)["focused"]:
            break
    else:
        pytest.fail("Tab never reaches the figure's range input")
    for key, step in [(Keys.END, 2), (Keys.ARROW_LEFT, 1), (Keys.HOME, 0), (Keys.ARROW_RIGHT, 1)]:
        before = _slider_state(browser, range_input)
        ActionChains(browser).send_keys(key).perform()
        WebDriverWait(browser, 5).until(
            lambda d: _slider_state(d, range_input)["svg"] != before["svg"])
        state = _slider_state(browser, range_input)
        assert _check_step(state, step, f"after {key!r}") == []
        assert state["ariaLabel"] == f"Loss at rate {['0.1', '0.2', '0.4'][step]}. " \
                                     f"{takeaways[step]}"

    # The other way: a click on the drawn slider moves the range input and the description.
    rail = browser.find_element(By.CSS_SELECTOR, ".slider-rail-touch-rect")
    ActionChains(browser).move_to_element_with_offset(
        rail, int(rail.size["width"] * 0.49), 0).click().perform()
    WebDriverWait(browser, 5).until(lambda d: _slider_state(d, range_input)["value"] == 2)
    assert _check_step(_slider_state(browser, range_input), 2, "after a click") == []

    violations = _axe_violations(browser)
    assert violations == [], _describe(violations)
    errors = [m for m in browser.get_log("browser") if m["level"] == "SEVERE"]
    assert errors == [], errors


@pytest.mark.browser
def test_saved_panels_say_they_are_not_live(fixture_site, browser):
    browser.get(f"{fixture_site}/panels.html")
    _wait_ready(browser, "application/vnd.jupyter.widget-view+json")
    assert _check_panels(browser, "panels.html") == []
    alts = [p["alts"] for p in browser.execute_script(_PANELS)]
    # Saved by panel(): the alt written in Python names the panel and its settings.
    assert alts[0] == ["Saved for the book, at points n = 3, kind = line"]
    # Saved before: a11y.js writes one from what the page shows.
    assert alts[1] == ["Saved picture of the panel “Saved by an older version”, "
                       "at points n = 3, kind = line"]
    violations = _axe_violations(browser)
    assert violations == [], _describe(violations)
