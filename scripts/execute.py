"""Re-execute the book's notebooks in place with nbclient: the committed outputs.

Usage: python scripts/execute.py [NOTEBOOK ...]   (default: every notebook in _toc.yml)

Outputs and ipywidgets state are saved into each notebook, the computed numbers are
written into the prose (lessons.book.prose.fill_prose) and the first cell is kept in
step with the repository URL in _config.yml (lessons.book.launch); LESSONS_BOOK=1 makes
figures render for the static HTML (see lessons.book.plots).  Each chapter's wall time
is printed and written into the teacher's guide (book/teachers.md).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lessons.book.exercises import is_solution, solution_code, with_solution_output
from lessons.book.launch import repository_url, sync_install_cell
from lessons.book.prose import fill_prose
from lessons.book.reproducible import pin_environment
from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]
TIMES = ROOT / "book" / "teachers.md"  # its table of execution times, between these markers:
TIMES_BEGIN = "<!-- execution times: written by scripts/execute.py -->"
TIMES_END = "<!-- end of execution times -->"
LIMIT_S = 60  # every chapter must execute within this on a 2-core laptop
# The kernelspec exactly as JupyterLab writes it: with any other, opening a chapter in
# JupyterLab rewrites it, and the chapter shows as modified before the reader changed anything.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # cells added by hand get an id once; it is kept from then on
        cell.setdefault("id", uuid.uuid4().hex[:8])
    sync_install_cell(nb, repository_url(ROOT))
    add_solution_runs(nb)
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
    coalesce_streams(nb)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    write_solution_outputs(nb, path)
    fill_prose(nb)
    text = stable_widget_ids(nbformat.writes(nb), path.name)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return elapsed


_RUN_TAG = "solution-run"


def add_solution_runs(nb) -> None:
    """Put a temporary code cell with each solution's code right after the solution.

    Solutions are Markdown (folded ``<details>``), so a reader's "Run All" skips them;
    here they run in place, where the chapter's state is what the reader's would be.
    """
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if is_solution(cell) and solution_code(cell):
            run = nbformat.v4.new_code_cell(solution_code(cell))
            run.metadata["tags"] = [_RUN_TAG]
            cells.append(run)
    nb.cells = cells


def write_solution_outputs(nb, path: Path) -> None:
    """Write what each solution printed under its code, and remove the temporary cells.

    Raises if a solution raised, or if its self-check did not print "✓ correct".
    """
    cells = []
    for cell in nb.cells:
        if _RUN_TAG not in cell.get("metadata", {}).get("tags", []):
            cells.append(cell)
            continue
        solution = cells[-1]
        errors = [o for o in cell.outputs if o.output_type == "error"]
        printed = "".join(o.get("text", "") for o in cell.outputs
                          if o.output_type == "stream" and o.name == "stdout")
        if errors or "not quite" in printed or "not answered" in printed:
            detail = f"{errors[0].ename}: {errors[0].evalue}" if errors else printed.strip()
            raise RuntimeError(f"{path.name}: the solution after cell {len(cells)} is wrong: "
                               f"{detail}")
        solution.source = with_solution_output(solution, printed)
    nb.cells = cells


def coalesce_streams(nb) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell: how a print is split into
    messages depends on timing, and the committed file should not."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            if (output.get("output_type") == "stream" and merged
                    and merged[-1].get("output_type") == "stream"
                    and merged[-1]["name"] == output["name"]):
                merged[-1]["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged


def stable_widget_ids(text: str, name: str) -> str:
    """Rename ipywidgets' random model ids, and order the saved widget state, canonically.

    Ids are numbered by a walk from the widgets displayed in the cells (in cell order)
    through the models they reference (attributes in sorted order); the number and the
    notebook's name give the new id.  Re-executing an unchanged chapter then leaves
    its file unchanged.
    """
    nb = json.loads(text)
    block = (nb.get("metadata", {}).get("widgets", {})
             .get("application/vnd.jupyter.widget-state+json"))
    if not block or not block.get("state"):
        return text
    state = block["state"]

    def references(model_id):
        found = []
        for key in sorted(state[model_id].get("state", {})):
            value = state[model_id]["state"][key]
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith("IPY_MODEL_") and item[10:] in state:
                    found.append(item[10:])
        return found

    order = []
    queue = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for cell in nb["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    while queue:
        model_id = queue.pop(0)
        if model_id in state and model_id not in order:
            order.append(model_id)
            queue.extend(references(model_id))
    rest = [m for m in state if m not in order]  # not reachable from a displayed widget
    order += sorted(rest, key=lambda m: json.dumps(state[m], sort_keys=True))
    mapping = {old: hashlib.sha1(f"{name}:{n}".encode()).hexdigest()[:32]
               for n, old in enumerate(order)}
    block["state"] = {old: state[old] for old in order}
    text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    for old, new in mapping.items():
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
    """Write each chapter's wall time into the table between TIMES_BEGIN and TIMES_END in the
    teacher's guide (a plain Markdown table, so the page reads the same on the repository's
    web page); rows of chapters not re-run this time are kept."""
    page = TIMES.read_text(encoding="utf-8")
    try:
        head, rest = page.split(TIMES_BEGIN, 1)
        old, tail = rest.split(TIMES_END, 1)
    except ValueError:
        raise SystemExit(f"{TIMES.relative_to(ROOT)}: the markers {TIMES_BEGIN!r} and "
                         f"{TIMES_END!r} are missing; put them where the table goes") from None
    rows = {}
    for line in old.splitlines()[2:]:  # keep the rows of notebooks not re-run this time
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3:
            rows[cells[0]] = cells
    for path, seconds in times.items():
        name = str(path.relative_to(ROOT))
        rows[f"`{name}`"] = [f"`{name}`", title_of(path), f"{seconds:.1f}"]
    order = [f"`{p.relative_to(ROOT)}`" for p in notebooks(ROOT)]
    lines = ["| notebook | chapter | seconds |", "|---|---|---:|"]
    lines += ["| " + " | ".join(rows[k]) + " |" for k in order if k in rows]
    TIMES.write_text(head + TIMES_BEGIN + "\n" + "\n".join(lines) + "\n" + TIMES_END + tail,
                     encoding="utf-8")


def main(argv: list[str]) -> int:
    os.environ["LESSONS_BOOK"] = "1"
    # The same arithmetic on every machine: one BLAS thread, AVX2 code paths.
    pin_environment()
    paths = [Path(a).resolve() for a in argv] or notebooks(ROOT)
    times = {}
    for path in paths:
        print(f"executing {path.relative_to(ROOT)} ...", flush=True)
        times[path] = execute(path)
        flag = "" if times[path] <= LIMIT_S else f"  (over the {LIMIT_S} s budget!)"
        print(f"  {times[path]:6.1f} s{flag}", flush=True)
    write_times(times)
    print(f"total {sum(times.values()):.1f} s for {len(times)} notebook(s); "
          f"times in {TIMES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
