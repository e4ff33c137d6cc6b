"""The built book in a real browser: headless Debian Chromium, network off.

Run after `jupyter-book build .` (the test command does). For every chapter in
_toc.yml the page must load with no console errors and no request leaving
localhost; every plotly figure must have drawn its SVG; moving a slider must
change the figure; saved widgets and equations must render. A screenshot of
each page goes to _build/screenshots/.
"""
from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from lessons.book.toc import pages

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
STUDENT_HTML = ROOT / "_build" / "student" / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"

selenium = pytest.importorskip("selenium")
import jupyterlab_driver as lab_driver  # noqa: E402  (tests/browser is on sys.path under pytest)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@contextlib.contextmanager
def _served(folder: Path):
    if not (folder / "index.html").is_file():
        pytest.fail(f"{folder} has no index.html: build the book first (make book / make student)")
    with lab_driver.serve_folder(folder) as url:
        yield url


@pytest.fixture(scope="module")
def server():
    with _served(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def student_server():
    with _served(STUDENT_HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with lab_driver.chromium(tmp_path_factory.mktemp("chromium-profile"),
                             width=1280, height=2000) as driver:
        yield driver


def _figure_state(driver, index: int) -> str:
    return driver.execute_script(
        "const d = document.querySelectorAll('.plotly-graph-div')[arguments[0]];"
        "return d.querySelector('.main-svg').innerHTML"
        " + JSON.stringify(d.data.map(t => t.visible));",
        index,
    )


@pytest.mark.browser
@pytest.mark.parametrize("page", pages(ROOT))
def test_page(page, server, browser):
    url = f"{server}/{page}.html"
    browser.get_log("browser")  # drop messages from the previous page
    browser.get(url)
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    source = (HTML / f"{page}.html").read_text(encoding="utf-8")

    # Equations: MathJax (served from _static) typesets every $...$.
    if re.search(r'class="math', source):
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "mjx-container"))

    # Plotly figures have drawn.
    n_figures = source.count('class="plotly-graph-div"')
    if n_figures:
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".plotly-graph-div .main-svg"))
                   >= n_figures)

    # Saved widgets are rendered from their state by the HTML manager.
    if "application/vnd.jupyter.widget-view+json" in source:
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR,
                                             ".jupyter-widgets, .widget-slider, .widget-vbox"))

    # Every figure with a slider moves and changes (the precomputed sweeps work with no kernel).
    figures = browser.find_elements(By.CSS_SELECTOR, ".plotly-graph-div")
    for slider in browser.find_elements(By.CSS_SELECTOR, ".plotly-graph-div .slider-container"):
        figure = slider.find_element(By.XPATH, "ancestor::div[contains(@class,'plotly-graph-div')]")
        index = figures.index(figure)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
        rail = slider.find_element(By.CSS_SELECTOR, ".slider-rail-touch-rect")
        width = rail.size["width"]
        for fraction in (0.45, 0.95, 0.05):   # one of these is not the step already shown
            before = _figure_state(browser, index)
            ActionChains(browser).move_to_element_with_offset(
                rail, int(width * (fraction - 0.5)), 0).click().perform()
            try:
                WebDriverWait(browser, 5).until(lambda d: _figure_state(d, index) != before)
                break
            except TimeoutException:
                continue
        else:
            pytest.fail(f"{page}: the slider of figure {index + 1} does not change it")

    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(SHOTS / f"{page.replace('/', '_')}.png"))

    # Nothing was fetched from outside the book, and nothing complained.
    external = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(u => !u.startsWith(location.origin) && !u.startsWith('data:'))"
    )
    assert external == [], f"{page}: requests left the book: {external}"
    errors = [m for m in browser.get_log("browser") if m["level"] == "SEVERE"]
    assert errors == [], f"{page}: console errors: {errors}"


@pytest.mark.browser
def test_solutions_shown_in_the_book_and_hidden_in_the_student_edition(server, student_server,
                                                                        browser):
    page = "book/onehot.html"
    browser.get(f"{server}/{page}")
    solutions = browser.find_elements(By.CSS_SELECTOR, ".solution")
    assert solutions, "the book edition has no solutions"
    # A solution is a dropdown: closed at first, readable after a click.
    title = solutions[0].find_element(By.CSS_SELECTOR, ".admonition-title, summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", title)
    title.click()
    WebDriverWait(browser, 10).until(lambda d: "cosine" in solutions[0].text)

    browser.get(f"{student_server}/{page}")
    assert browser.find_elements(By.CSS_SELECTOR, ".exercise"), \
        "the student edition lost its exercises"
    assert browser.find_elements(By.CSS_SELECTOR, ".solution") == []
    assert "(student edition)" in browser.title
    browser.save_screenshot(str(SHOTS / "student_onehot.png"))
