"""Re-execute the book's notebooks in place with nbclient: the committed outputs.

Usage: python scripts/execute.py [NOTEBOOK ...]   (default: every notebook in _toc.yml)

Outputs and ipywidgets state are saved into each notebook; LESSONS_BOOK=1 makes
figures render for the static HTML (see lessons.plots).  Each chapter's wall time
is printed and written to book/execution-times.md, which the teacher's guide shows.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

from lessons.reproducible import pin_environment

ROOT = Path(__file__).resolve().parents[1]
TIMES = ROOT / "book" / "execution-times.md"
LIMIT_S = 60  # every chapter must execute within this on a 2-core laptop


def toc_notebooks() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = []
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for entry in part.get("chapters", []):
            files.append(entry["file"])
            files.extend(sub["file"] for sub in entry.get("sections", []))
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").is_file()]


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    text = stable_widget_ids(nbformat.writes(nb), path.name)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return elapsed


def stable_widget_ids(text: str, name: str) -> str:
    """Replace ipywidgets' random model ids by ids derived from the notebook and their order,
    so that re-executing an unchanged chapter leaves its file unchanged."""
    state = json.loads(text).get("metadata", {}).get("widgets", {})
    ids = list(state.get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))
    for number, old in enumerate(sorted(ids, key=text.index)):
        new = hashlib.sha1(f"{name}:{number}".encode()).hexdigest()[:32]
        text = text.replace(old, new)
    return text


def title_of(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def write_times(times: dict[Path, float]) -> None:
    rows = {}
    if TIMES.is_file():  # keep the rows of notebooks not re-run this time
        for line in TIMES.read_text().splitlines()[4:]:
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 3:
                rows[cells[0]] = cells
    for path, seconds in times.items():
        name = str(path.relative_to(ROOT))
        rows[f"`{name}`"] = [f"`{name}`", title_of(path), f"{seconds:.1f}"]
    order = [f"`{p.relative_to(ROOT)}`" for p in toc_notebooks()]
    lines = ["| notebook | chapter | seconds |", "|---|---|---:|"]
    lines += ["| " + " | ".join(rows[k]) + " |" for k in order if k in rows]
    TIMES.write_text(
        "<!-- written by scripts/execute.py: wall time of each chapter on the machine that last ran it -->\n\n"
        + "\n".join(lines[:2]) + "\n" + "\n".join(lines[2:]) + "\n"
    )


def main(argv: list[str]) -> int:
    os.environ["LESSONS_BOOK"] = "1"
    # The same arithmetic on every machine: one BLAS thread, AVX2 code paths.
    pin_environment()
    notebooks = [Path(a).resolve() for a in argv] or toc_notebooks()
    times = {}
    for path in notebooks:
        print(f"executing {path.relative_to(ROOT)} ...", flush=True)
        times[path] = execute(path)
        flag = "" if times[path] <= LIMIT_S else f"  (over the {LIMIT_S} s budget!)"
        print(f"  {times[path]:6.1f} s{flag}", flush=True)
    write_times(times)
    print(f"total {sum(times.values()):.1f} s for {len(times)} notebook(s); times in {TIMES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
