"""Benchmark: live-panel latency in a real JupyterLab, driven in headless Debian Chromium.

For each chapter (the parameter explorer and two other chapters with live panels) it
starts JupyterLab on a temporary copy, opens the chapter, runs all cells, then moves
every control of every ipywidgets panel ``--moves`` times (sliders by one keyboard
step, dropdowns to the next option, toggles clicked) and times each move in the page:
from the key press or selection until the panel's new output is decoded and painted.
That is the whole round trip a reader feels: browser -> kernel (recompute, draw, PNG)
-> browser.  The target is a median of at most 1 s.  Where the panel prints its own
"... in N s" caption (the explorer), the kernel-side time it reports is shown too.  A
move after which the kernel goes idle with the output unchanged (a control without
effect in the current state, e.g. the shift k of shifted PPMI while plain PPMI is
selected: the kernel recomputes the same picture and nothing is sent) is counted apart.
A dropdown is left on its last option, so that a control after it that matters only
for that choice (shift k of shifted PPMI) gets measured.

The median and the maximum of each control, each chapter and all moves are printed as
a table and written, with the date, the machine and its load, to
benchmarks/results/panel_latency.md.  Needs the Debian chromium and chromium-driver
packages (``make system``) and text8 (``LESSONS_DATA_DIR``).

Usage::

    python benchmarks/panel_latency.py [--moves 5] [--chapters book/explorer.ipynb ...] \\
        [--note TEXT]
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import jupyterlab_driver as lab_driver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "panel_latency.md"
CHAPTERS = ["book/explorer.ipynb", "book/cooccurrence.ipynb", "book/johnson_lindenstrauss.ipynb"]
TARGET_S = 1.0
_CAPTION = re.compile(r"in (\d+\.\d+) s")


def measure_chapter(driver, server, chapter: str, moves: int) -> list[dict]:
    """Open and run ``chapter``, then time ``moves`` moves of every control of every panel."""
    lab_driver.open_notebook(driver, server, chapter)
    run_s = lab_driver.run_all(driver, timeout_s=300)
    print(f"{chapter}: Run All took {run_s:.1f} s", flush=True)
    rows = []
    for p, panel in enumerate(lab_driver.panels(driver)):
        for control in lab_driver.controls(panel):
            for _ in range(moves):
                lab_driver.wait_idle(driver, 60)
                what, seconds = lab_driver.timed_move(driver, panel, control)
                caption = _CAPTION.search(lab_driver.panel_output_signature(driver, panel))
                rows.append(dict(chapter=chapter, panel=p, control=what, seconds=seconds,
                                 kernel_s=(float(caption.group(1)) if caption and seconds
                                           else None)))
            # Leave a dropdown on its last option, so that a control after it that matters
            # only for that choice (shift k, for shifted PPMI) changes the picture.
            options = _dropdown_options(control)
            while options and _dropdown_value(control) != options[-1]:
                lab_driver.wait_idle(driver, 60)
                lab_driver.timed_move(driver, panel, control)
    if not rows:
        raise RuntimeError(f"{chapter}: no live panel with controls found after Run All")
    return rows


def _dropdown_value(control) -> str | None:
    """The selected option of a dropdown control; None for other controls."""
    selects = control.find_elements(By.TAG_NAME, "select")
    return selects[0].get_attribute("value") if selects else None


def _dropdown_options(control) -> list[str]:
    """The options of a dropdown control, in order; [] for other controls."""
    return [o.get_attribute("value")
            for o in control.find_elements(By.CSS_SELECTOR, "select option")]


def _line(chapter: str, control: str, group: list[dict]) -> str:
    """One table row: redrawn moves, their median and max (ms), unchanged moves, caption
    median."""
    values = [r["seconds"] for r in group if r["seconds"] is not None]
    unchanged = len(group) - len(values)
    kernel = [r["kernel_s"] for r in group if r["kernel_s"] is not None]
    stats = (f"{statistics.median(values) * 1e3:.0f} | {max(values) * 1e3:.0f}" if values
             else "– | –")
    caption = f"{statistics.median(kernel) * 1e3:.0f}" if kernel else ""
    return f"| {chapter} | {control} | {len(values)} | {stats} | {unchanged or ''} | {caption} |"


def table(rows: list[dict]) -> list[str]:
    """Markdown table: one line per control, then per chapter, then all moves (ms)."""
    lines = ["| chapter | control | moves redrawn | median ms | max ms "
             "| moves with nothing to redraw | panel's own caption, median ms |",
             "|---|---|---:|---:|---:|---:|---:|"]
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["chapter"], row["panel"], row["control"]), []).append(row)
    for (chapter, _, control), group in groups.items():
        lines.append(_line(f"`{chapter}`", control, group))
    for chapter in dict.fromkeys(r["chapter"] for r in rows):
        lines.append(_line(f"`{chapter}`", "**all controls**",
                           [r for r in rows if r["chapter"] == chapter]))
    lines.append(_line("**all chapters**", "**all controls**", rows))
    return lines


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    chromium = subprocess.run([lab_driver.CHROMIUM, "--version"],
                              capture_output=True, text=True).stdout.strip()
    import jupyterlab
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, JupyterLab {jupyterlab.__version__}, "
            f"{chromium} (headless)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=5, help="moves of each control (default 5)")
    parser.add_argument("--chapters", nargs="+", default=CHAPTERS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--note", default="",
                        help="a line for the report, e.g. what else ran on the machine")
    args = parser.parse_args()
    if args.moves < 1:
        parser.error(f"--moves must be at least 1, got {args.moves}")
    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with lab_driver.lab_server(tmp, args.chapters) as server, \
                lab_driver.chromium(tmp / "chromium-profile") as driver:
            for chapter in args.chapters:
                rows += measure_chapter(driver, server, chapter, args.moves)
    load_after = os.getloadavg()
    lines = table(rows)
    median = statistics.median(r["seconds"] for r in rows if r["seconds"] is not None)
    verdict = (f"median {median:.2f} s: {'within' if median <= TARGET_S else 'OVER'} "
               f"the {TARGET_S:g} s target")
    print("\n".join(lines))
    print(verdict)
    report = [
        "# Live-panel latency in JupyterLab",
        "",
        "Written by `benchmarks/panel_latency.py`: JupyterLab on localhost, driven in headless "
        "Chromium.",
        "Each move is timed in the page, from the key press or selection until the panel's new "
        "output",
        "is decoded and painted (the whole round trip: browser, kernel recompute + draw + PNG, "
        "browser).",
        "The last column is what the panel's own caption reported (kernel side: update + PNG).",
        "\"Nothing to redraw\": the kernel recomputed an identical output (a control without "
        "effect in",
        "the current state, e.g. shift k while plain PPMI is selected), so the page had nothing to "
        "change.",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- load average (1, 5, 15 min): before {', '.join(f'{x:.1f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.1f}' for x in load_after)}",
        f"- moves per control: {args.moves}",
        f"- the load average counts waiting jobs: above {os.cpu_count()} (the CPUs), "
        "moves queue behind other work",
        *([f"- note: {args.note}"] if args.note else []),
        "",
        *lines,
        "",
        f"Result: {verdict}.",
        "",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(report), encoding="utf-8")
    print(f"written to {args.output}")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
