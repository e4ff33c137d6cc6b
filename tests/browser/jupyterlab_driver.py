"""Drive a real JupyterLab in headless Debian Chromium: start it, open a chapter, run it, move
controls.

Used by tests/browser/test_jupyterlab.py and benchmarks/panel_latency.py (not a test itself).

:func:`lab_server` starts ``jupyter lab`` on 127.0.0.1 (a free port, a random token, no
browser) rooted at a temporary folder into which the chapters are copied, so that
running them never touches the committed notebooks.  The user-level Jupyter folders
(settings, workspaces, trust database) are temporary too, so the run does not depend
on, or change, the machine's own Jupyter setup.  ``LESSONS_DATA_DIR`` and
``LESSONS_CACHE_DIR`` pass through to the kernel.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

__all__ = ["CHROMIUM", "CHROMEDRIVER", "LabServer", "lab_server", "chromium", "serve_folder",
           "open_notebook",
           "run_all", "wait_idle", "save_notebook", "rendered_markdown_text", "raw_myst_in_page",
           "panels", "controls", "panel_output_signature", "move_control", "timed_move",
           "wait_output_change"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

#: JupyterLab settings for the run: every cell stays in the page (no windowing, so the
#: whole notebook can be read), and no news or update check (the network is off).
_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


class LabServer:
    """A running ``jupyter lab``: ``url(path)`` opens a file in it; ``root`` is its folder."""

    def __init__(self, process: subprocess.Popen, port: int, token: str, root: Path, log: Path,
                 env: dict):
        self.process, self.port, self.token, self.root, self.log = process, port, token, root, log
        self.env = env  # the environment it runs in (its own Jupyter folders)

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?token={self.token}"

    def trust(self, path: str) -> None:
        """Sign ``path`` in the server's trust database, as ``make lab`` does for the chapters.

        A signature is a hash of the content: every identical copy becomes trusted too.
        """
        jupyter = Path(sys.executable).parent / "jupyter"
        subprocess.run([str(jupyter), "trust", str(self.root / path)], env=self.env, check=True,
                       capture_output=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def lab_server(workdir: Path, notebooks: list[str], *, source: Path = ROOT,
               timeout_s: float = 90):
    """Copy ``notebooks`` (paths relative to ``source``, the repository) into ``workdir`` and
    serve it.

    The copies start untrusted, as a freshly downloaded notebook is (see :meth:`LabServer.trust`).
    """
    root = workdir / "lab"
    for name in notebooks:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target)
    home = workdir / "jupyter-home"
    settings = home / "settings"
    for name, values in _SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "IPYTHONDIR": str(home / "ipython"),
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.pop("LESSONS_BOOK", None)  # the live notebook, not the book build
    bin_dir = Path(sys.executable).parent
    port, token = _free_port(), secrets.token_hex(16)
    command = [str(bin_dir / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--ServerApp.port_retries=0", "--LabApp.news_url=None"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = workdir / "jupyter-lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = LabServer(process, port, token, root, log, env)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n"
                                   f"{log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                       timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab did not answer in {timeout_s} s:\n"
                                       f"{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield server
    finally:
        # SIGTERM to the server's own process group; the server shuts its kernels down.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """A static web server for ``folder`` on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextlib.contextmanager
def chromium(profile: Path, *, width: int = 1400, height: int = 1000):
    """Headless Debian Chromium through chromedriver, the network limited to localhost."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Leaving a notebook with unsaved changes asks "leave the page?": yes.
    options.unhandled_prompt_behavior = "accept"
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def open_notebook(driver, server: LabServer, path: str, *, timeout_s: float = 90) -> None:
    """Open ``path`` and wait until all its cells are in the page and its kernel is idle."""
    n_cells = len(json.loads((server.root / path).read_text(encoding="utf-8"))["cells"])
    driver.get(server.url(path) + "&reset")  # a fresh workspace: only this notebook is open
    # JupyterLab adds the cells a few at a time.
    WebDriverWait(driver, timeout_s, poll_frequency=0.2).until(lambda d: d.execute_script(
        "const tab = document.querySelector('.jp-mod-current .lm-TabBar-tabLabel, "
        ".lm-DockPanel-tabBar .lm-mod-current .lm-TabBar-tabLabel');"
        "return [tab ? tab.textContent : '', document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').length];") == [Path(path).name, n_cells])
    # The page says "idle" before its kernel has even started: ask the server for a kernel
    # that this page is connected to.
    WebDriverWait(driver, timeout_s, poll_frequency=0.3).until(
        lambda d: _kernel_connected(server, path))
    wait_idle(driver, timeout_s)


def _kernel_connected(server: LabServer, path: str) -> bool:
    url = f"http://127.0.0.1:{server.port}/api/sessions?token={server.token}"
    with urllib.request.urlopen(url, timeout=5) as response:
        sessions = json.load(response)
    return any(s.get("path") == path and s["kernel"].get("connections", 0) > 0
               and s["kernel"].get("execution_state") == "idle" for s in sessions)


def _kernel_status(driver) -> str:
    return driver.execute_script(
        "const e = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-Notebook-ExecutionIndicator');"
        "return e ? (e.getAttribute('data-status') || '') : '';")


def _busy_prompts(driver) -> int:
    return driver.execute_script(
        "return [...document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]"
        ".filter(p => p.textContent.includes('*')).length;")


def wait_idle(driver, timeout_s: float = 120) -> None:
    """Wait until the kernel reports idle and no cell is queued or running."""
    WebDriverWait(driver, timeout_s, poll_frequency=0.2).until(
        lambda d: _kernel_status(d) == "idle" and _busy_prompts(d) == 0)


def _menu_command(driver, menu: str, command: str) -> None:
    labels = driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel")
    label = next(e for e in labels if e.text.strip() == menu)
    label.click()
    item = WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f'.lm-Menu-item[data-command="{command}"]'))
    item.click()


def run_all(driver, *, timeout_s: float = 120) -> float:
    """Run > Run All Cells, then wait for the kernel to finish; returns the seconds it took."""
    start = time.perf_counter()
    _menu_command(driver, "Run", "runmenu:run-all")
    # Every cell is queued ([*]) as soon as Run All is chosen; wait for that, then for idle.
    WebDriverWait(driver, 30, poll_frequency=0.1).until(lambda d: _busy_prompts(d) > 0)
    wait_idle(driver, timeout_s)
    return time.perf_counter() - start


def save_notebook(driver, server: LabServer, path: str, *, timeout_s: float = 30) -> dict:
    """File > Save Notebook; returns the saved notebook's JSON once it is on disk."""
    file = server.root / path
    before = file.stat().st_mtime_ns
    _menu_command(driver, "File", "docmanager:save")
    WebDriverWait(driver, timeout_s, poll_frequency=0.2).until(
        lambda d: file.stat().st_mtime_ns != before)
    time.sleep(0.5)  # let the write finish
    return json.loads(file.read_text(encoding="utf-8"))


def rendered_markdown_text(driver) -> str:
    """The text of every rendered Markdown cell of the open notebook."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-MarkdownCell .jp-RenderedMarkdown')].map(e => e.innerText).join('\\n');")


#: A MyST role or directive name in braces, as it shows where MyST is unknown: a role reads
#: "{glue:text}key", a directive fence becomes a code block.  The names are listed so that
#: LaTeX that MathJax has not typeset yet (\mathbf{e}) does not match.
_MYST_NAMES = (r"\{(?:glue(?::[a-z]+)?|ref|numref|doc|eq|cite(?::[a-z]+)?|term|download|math|"
               r"abbr|sub|sup|exercise|solution|solution-start|solution-end|exercise-start|"
               r"exercise-end|literalinclude|code-cell|figure|admonition|note|warning|tip|"
               r"important|dropdown|margin|toctree|bibliography|glossary|list-table|card|grid|"
               r"tab-set|tab-item)\}")


def raw_myst_in_page(driver) -> list[str]:
    """Raw MyST the reader would see: roles, directive fences (rendered as code blocks
    whose language is ``{name}``) and directive options."""
    text = rendered_markdown_text(driver)
    found = re.findall(_MYST_NAMES + r"\S*", text)
    found += re.findall(r"^\s*:(?:label|class|name|tags|caption|width|align|lines):.*$", text,
                        flags=re.M)
    found += driver.execute_script(
        "return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-MarkdownCell code[class*=\"language-{\"]')].map(e => e.className);")
    return found


def panels(driver) -> list:
    """The live panels in the page: ipywidgets VBoxes holding controls and an Output."""
    return driver.execute_script(
        "return [...document.querySelectorAll("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .widget-vbox')]"
        ".filter(b => b.querySelector(':scope > .widget-output')"
        " && b.querySelector('.widget-hbox'));")


def panel_output_signature(driver, panel) -> str:
    """What the panel's Output shows now: its text and the bytes of its images."""
    return driver.execute_script(
        "const o = arguments[0].querySelector(':scope > .widget-output');"
        "return o.innerText + [...o.querySelectorAll('img')].map(i => i.src).join('');", panel)


def controls(panel) -> list:
    """The controls of a panel, in order."""
    return panel.find_elements(By.CSS_SELECTOR, ".widget-hbox > .jupyter-widgets")


def move_control(driver, control) -> str:
    """Change one control to a neighbouring value; returns what was done (for reports).

    Sliders: focus the handle and press an arrow key (noUiSlider's keyboard step);
    dropdowns: choose the next option; toggles and checkboxes: click; text: add a letter.
    """
    classes = control.get_attribute("class")
    label = control.find_elements(By.CSS_SELECTOR, ".widget-label")
    name = label[0].text if label else classes.split()[0]
    if "widget-slider" in classes:
        handle = control.find_element(By.CSS_SELECTOR, ".noUi-handle")
        now, high = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
        key = Keys.ARROW_LEFT if now == high else Keys.ARROW_RIGHT
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", handle)
        handle.send_keys(key)
        return f"slider {name}"
    if "widget-dropdown" in classes:
        select = Select(control.find_element(By.TAG_NAME, "select"))
        options = [o.get_attribute("value") for o in select.options]
        current = select.first_selected_option.get_attribute("value")
        select.select_by_value(options[(options.index(current) + 1) % len(options)])
        return f"dropdown {name}"
    if "widget-toggle-button" in classes or "widget-checkbox" in classes:
        target = control.find_elements(By.TAG_NAME, "input") or [control]
        target[0].click()
        return f"toggle {name}"
    if "widget-text" in classes:
        box = control.find_element(By.TAG_NAME, "input")
        box.send_keys(Keys.END, "s", Keys.ENTER)
        return f"text {name}"
    raise ValueError(f"no way to move a control of class {classes!r}")


#: Installed before a control moves: records ``performance.now()`` in ``window.__redrawn`` once
#: the panel's Output shows something new, as many outputs as before, its images decoded
#: and painted (the next animation frame).
_WATCH_REDRAW = """
const panel = arguments[0], before = arguments[1];
const out = panel.querySelector(':scope > .widget-output');
const signature = () => out.innerText + [...out.querySelectorAll('img')].map(i => i.src).join('');
const count = () => out.querySelectorAll('.jp-OutputArea-output').length;
const nBefore = count();
window.__redrawn = null;
const check = async () => {
  if (window.__redrawn !== null || signature() === before || count() !== nBefore) return;
  await Promise.all([...out.querySelectorAll('img')].map(i => i.decode().catch(() => null)));
  if (window.__redrawn !== null || signature() === before) return;
  observer.disconnect();
  requestAnimationFrame(() => { window.__redrawn = performance.now(); });
};
const observer = new MutationObserver(check);
observer.observe(out, {subtree: true, childList: true, characterData: true, attributes: true});
return performance.now();
"""


def timed_move(driver, panel, control, *, timeout_s: float = 60,
               settle_s: float = 5) -> tuple[str, float | None]:
    """Move ``control``; return (what was moved, seconds until the panel had redrawn).

    Timed in the page: from just before the key press or selection (a WebDriver round
    trip of a few ms is included, so the figure errs high) until the new output is
    decoded and painted.  ``None`` when the output did not change: the kernel is idle
    ``settle_s`` after the move and nothing was redrawn (a control that has no effect in
    the current state, such as a parameter of a method that is not selected).
    """
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", control)
    before = panel_output_signature(driver, panel)
    start = driver.execute_script(_WATCH_REDRAW, panel, before)
    what = move_control(driver, control)
    moved = time.monotonic()

    def done(d):
        if d.execute_script("return window.__redrawn") is not None:
            return True
        return time.monotonic() - moved > settle_s and _kernel_status(d) == "idle"

    WebDriverWait(driver, timeout_s, poll_frequency=0.05).until(done)
    redrawn = driver.execute_script("return window.__redrawn")
    return what, None if redrawn is None else (redrawn - start) / 1000


def wait_output_change(driver, panel, before: str, *, timeout_s: float = 30) -> None:
    """Wait until the panel's Output differs from ``before`` and its images have loaded."""
    def changed(d):
        done = d.execute_script(
            "const o = arguments[0].querySelector(':scope > .widget-output');"
            "return [...o.querySelectorAll('img')].every(i => i.complete);", panel)
        return done and panel_output_signature(d, panel) != before
    WebDriverWait(driver, timeout_s, poll_frequency=0.02).until(changed)
