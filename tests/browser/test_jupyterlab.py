"""A chapter live in JupyterLab, in headless Debian Chromium (what `make lab` serves).

JupyterLab (pinned in requirements.txt) is started on 127.0.0.1 with a random port
and token, over a temporary copy of the chapter (running it never touches the
committed notebook); ``LESSONS_DATA_DIR`` passes through to the kernel.  The test
opens the chapter, runs all its cells, and checks what a reader would see: no raw
MyST anywhere in the prose, no error output, and a live panel that redraws when
one of its sliders moves.  Before that, it checks that the saved panel shows its
picture in the untrusted notebook and its widgets in a trusted one, not its text form.

Skipped only when Debian's chromium or chromium-driver is missing (`make test`
installs them); JupyterLab and selenium are pinned in requirements.txt.
"""
from __future__ import annotations

from pathlib import Path

import pytest

if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
    pytest.skip("Debian chromium and chromium-driver are not installed (make system installs them)",
                allow_module_level=True)

import jupyterlab_driver as lab_driver  # noqa: E402  (tests/browser is on sys.path under pytest)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

#: A chapter with a live panel that runs in a few seconds (the times table in book/teachers.md).
CHAPTER = "book/onehot.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_driver.lab_server(tmp_path_factory.mktemp("lab"), [CHAPTER]) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with lab_driver.chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


def _panel_cell_output(driver):
    """The output area of the cell that displays the live panel (its code calls ``*_panel(``)."""
    cells = driver.find_elements(By.CSS_SELECTOR,
                                 ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell")
    for cell in cells:
        source = cell.find_element(By.CSS_SELECTOR, ".jp-InputArea").get_attribute("textContent")
        if "_panel(" in source:
            return cell.find_element(By.CSS_SELECTOR, ".jp-OutputArea")
    pytest.fail(f"{CHAPTER}: no cell calls a *_panel(...) function")


@pytest.mark.browser
def test_saved_panel_shows_its_picture_before_the_kernel_runs(lab, browser):
    # Untrusted (a downloaded notebook): JupyterLab will not draw widgets, so the output
    # falls back to the panel's saved figure.
    lab_driver.open_notebook(browser, lab, CHAPTER)
    output = _panel_cell_output(browser)
    WebDriverWait(browser, 20).until(
        lambda d: output.find_elements(By.CSS_SELECTOR, ".jp-RenderedImage img"),
        f"{CHAPTER}: the saved panel shows {output.text!r}, not its picture: was the notebook "
        f"executed with this lessons.book.widgets (make execute NB={CHAPTER})?")
    assert "<live panel" not in output.text
    # Trusted (as make lab leaves the chapters): the saved widgets themselves.
    lab.trust(CHAPTER)
    lab_driver.open_notebook(browser, lab, CHAPTER)
    output = _panel_cell_output(browser)
    # (drawn once the notebook's kernel is up: the widget manager waits for it)
    WebDriverWait(browser, 60).until(
        lambda d: output.find_elements(By.CSS_SELECTOR, ".widget-vbox .widget-slider"))
    assert output.find_elements(By.CSS_SELECTOR, ".widget-output img"), \
        "the saved panel has no figure"
    assert "<live panel" not in output.text
    # Not live until the cells run: it says so, and its controls are off (lessons.book.widgets).
    note = output.find_elements(By.CSS_SELECTOR, ".lessons-panel-notice")
    assert note and "run the cells above to bring this panel to life" in note[0].text, \
        f"the saved panel does not say how to bring it to life: {output.text!r}"
    assert browser.execute_script(
        "return [...arguments[0].querySelectorAll('.widget-slider .noUi-target, "
        ".widget-hbox input, .widget-hbox select')].every(e => e.hasAttribute('disabled'))",
        output), "a control of the saved panel looks live before the cells have run"
    assert all(img.get_attribute("alt") for img in
               output.find_elements(By.CSS_SELECTOR, ".widget-output img")), \
        "the saved panel's picture has no alt text"


@pytest.mark.browser
def test_chapter_runs_cleanly_and_its_live_panel_redraws(lab, browser):
    lab_driver.open_notebook(browser, lab, CHAPTER)
    lab_driver.run_all(browser, timeout_s=90)

    raw = lab_driver.raw_myst_in_page(browser)
    assert raw == [], f"{CHAPTER}: raw MyST in the rendered prose: {raw[:10]}"
    shown = browser.execute_script("return [...document.querySelectorAll("
                                   "'.jp-NotebookPanel:not(.lm-mod-hidden) "
                                   ".jp-OutputArea')].map(o => o.innerText).join('\\n');")
    assert "Traceback" not in shown, f"{CHAPTER}: a traceback is shown after Run All"

    saved = lab_driver.save_notebook(browser, lab, CHAPTER)
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for cell in saved["cells"]
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == [], f"{CHAPTER}: error outputs after Run All: {errors}"

    panels = lab_driver.panels(browser)
    assert panels, f"{CHAPTER}: no live panel after Run All"
    panel = panels[0]
    assert not panel.find_elements(By.CSS_SELECTOR, ".lessons-panel-notice"), \
        "the live panel still says it is a saved picture"
    slider = next(c for c in lab_driver.controls(panel)
                  if "widget-slider" in c.get_attribute("class"))
    before = lab_driver.panel_output_signature(browser, panel)
    assert "img" in panel.get_attribute("innerHTML"), "the live panel drew no figure"
    lab_driver.move_control(browser, slider)
    lab_driver.wait_output_change(browser, panel, before, timeout_s=30)
    assert all(img.get_attribute("alt") for img in
               panel.find_elements(By.CSS_SELECTOR, ".widget-output img")), \
        "the live panel's picture has no alt text"
