"""Self-checking exercises: ``check(answer, expected)`` prints a verdict and never raises.

Chapter: every chapter's "change the code and check your own answer" exercise.

The shipped notebook leaves the answer as ``...``: ``check`` then prints
"not answered yet", so "Run All" goes through every cell. The expected value is
computed by a function in the chapter's module (``chapter.expected_…(...)``), so the
answer is not readable in the reader's cell.

In a notebook an exercise is a Markdown cell that starts with
``<!-- exercise: LABEL -->`` and its solution the next Markdown cell, a
``<details>`` block (``CONTRIBUTING.md``). The helpers below read that format for
the execute step (which runs each solution's code and writes what it prints under
it), the book's Sphinx extension and the tests.
"""
from __future__ import annotations

import re

import numpy as np

__all__ = ["check", "exercise_label", "is_solution", "solution_code", "with_solution_output"]

_EXERCISE = re.compile(r"\A<!-- exercise: ([A-Za-z0-9_\-]+) -->\n")
_SOLUTION = "<details>\n<summary>Solution</summary>\n"
_PYTHON = re.compile(r"^```python\n(.*?)^```\n", re.S | re.M)
_OUTPUT = re.compile(r"\n*Its output:\n\n```text\n.*?^```\n", re.S | re.M)


def _source(cell) -> str:
    source = cell["source"] if isinstance(cell, dict) else cell
    return "".join(source) if isinstance(source, list) else source


def exercise_label(cell) -> str | None:
    """The label of an exercise cell (``<!-- exercise: LABEL -->`` first line), else None."""
    if isinstance(cell, dict) and cell.get("cell_type") != "markdown":
        return None
    match = _EXERCISE.match(_source(cell))
    return match.group(1) if match else None


def is_solution(cell) -> bool:
    """Whether a cell is a solution: a Markdown ``<details>`` block summarised "Solution"."""
    if isinstance(cell, dict) and cell.get("cell_type") != "markdown":
        return False
    return _source(cell).startswith(_SOLUTION)


def solution_code(cell) -> str:
    """The Python code of a solution, its fenced blocks joined in order ("" if none)."""
    return "\n".join(block.rstrip("\n") for block in _PYTHON.findall(_source(cell) + "\n"))


def with_solution_output(cell, printed: str) -> str:
    """The solution's Markdown with ``printed`` (what its code printed) under its last code
    block."""
    source = _OUTPUT.sub("\n", _source(cell) + "\n")
    blocks = list(_PYTHON.finditer(source))
    if not blocks or not printed.strip():
        return source.rstrip("\n")
    end = blocks[-1].end()
    shown = f"\nIts output:\n\n```text\n{printed.rstrip()}\n```\n"
    return (source[:end] + shown + source[end:]).rstrip("\n")


def check(answer, expected, *, rel: float = 1e-3, abs_tol: float = 0.0) -> None:
    """Say whether ``answer`` matches ``expected``, in one printed line.

    Numbers and arrays are compared with a relative tolerance ``rel`` and an
    absolute one ``abs_tol`` (both must be non-negative); anything else (strings,
    tuples of words) must be equal.

    Prints one line, and never raises for a wrong or missing answer: "not answered
    yet" while the answer is still ``...``, "not quite: …" when it is wrong and
    "✓ correct" when it is right. It returns nothing, so a notebook shows only that line.
    """
    if rel < 0 or abs_tol < 0:
        raise ValueError(f"check: rel and abs_tol must be >= 0, got rel={rel}, abs_tol={abs_tol}")
    if answer is Ellipsis:
        print("not answered yet: replace the ... with your answer and run the cell again")
        return
    ok = _matches(answer, expected, rel, abs_tol)
    print("✓ correct" if ok else f"not quite: your answer is {answer!r}; check your reasoning "
                                 "and try again")


def _matches(answer, expected, rel, abs_tol) -> bool:
    try:
        a = np.asarray(answer, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return bool(answer == expected)
    if a.shape != e.shape:
        return False
    return bool(np.all(np.isfinite(a)) and np.allclose(a, e, rtol=rel, atol=abs_tol))
