"""Every chapter reads cleanly in a renderer that knows only CommonMark plus $…$ math.

Colab, and JupyterLab or VS Code without extensions, show a notebook's Markdown
that way; MyST roles and directives would show up as raw text there.
"""
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from lessons.book.exercises import exercise_label, is_solution
from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]

# What a plain renderer would print verbatim: roles, directive fences and options, targets.
RAW_MYST = [
    (re.compile(r"\{(glue(:[a-z]+)?|cite(:[a-z]+)?|ref|numref|eq|doc|term|download|abbr|index"
                r"|prf:ref)\}"),
     "a MyST role such as {glue:text}`…`"),
    (re.compile(r"(```|~~~|:::)\s*\{[a-z\-]+\}"), "a MyST directive fence such as ```{exercise}"),
    (re.compile(r"^:(label|class|name|pyobject|lines|tags):", re.M),
     "a directive option such as :label:"),
    (re.compile(r"^\([A-Za-z0-9_\-]+\)=\s*$", re.M), "a MyST target such as (label)="),
    (re.compile(r"\{\{[^}]*\}\}"), "a MyST substitution {{ … }}"),
]


def rendered_text(markdown: str) -> str:
    """The text a CommonMark renderer shows: HTML out, tags and math delimiters kept as text."""
    html = MarkdownIt("commonmark").render(markdown)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)       # comments are not shown
    return re.sub(r"<[^>]+>", "", html)                       # nor are tags


def markdown_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_no_raw_myst_in_the_commonmark_rendering(path):
    problems = []
    for number, cell in enumerate(markdown_cells(path), start=1):
        text = rendered_text("".join(cell["source"]))
        for pattern, what in RAW_MYST:
            for match in pattern.finditer(text):
                problems.append(f"Markdown cell {number}: {what}: {match.group(0)!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_exercises_come_with_folded_solutions(path):
    cells = markdown_cells(path)
    labels = [exercise_label(c) for c in cells if exercise_label(c)]
    assert len(labels) == len(set(labels)), f"duplicate exercise labels in {labels}"
    for cell in cells:
        if is_solution(cell):
            text = "".join(cell["source"]).rstrip()
            assert text.endswith("</details>"), \
                "a solution must be one <details> block, closed in its cell"
            html = MarkdownIt("commonmark").render(text)
            assert html.count("<details>") == 1 and "</details>" in html


def test_the_checker_finds_raw_myst():
    """The check above can fail: a role, a fence and an option are all caught."""
    for sample in ["a {glue:text}`x` b", "```{exercise}\n:label: x\n\nbody\n```",
                   ":::{note}\nhi\n:::"]:
        text = rendered_text(sample)
        assert any(p.search(text) for p, _ in RAW_MYST), sample
    plain = rendered_text('cos = <span class="computed" title="c">0.5</span>, $x^{2}$')
    assert not any(p.search(plain) for p, _ in RAW_MYST)
