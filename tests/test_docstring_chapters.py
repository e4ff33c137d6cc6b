"""Library docstrings that name a chapter ("Chapter: *Title*") name one that exists."""
import ast
import json
import re
from pathlib import Path

import pytest

from lessons.book.toc import pages

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "lessons"


def chapter_titles() -> list[str]:
    """The first level-1 heading of every page in the table of contents."""
    titles = []
    for entry in pages(ROOT):
        for ext in (".ipynb", ".md"):
            path = ROOT / f"{entry}{ext}"
            if not path.is_file():
                continue
            if ext == ".ipynb":
                cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
                text = "\n".join("".join(c["source"]) for c in cells
                                  if c["cell_type"] == "markdown")
            else:
                text = path.read_text(encoding="utf-8")
            titles += [line[2:].strip() for line in text.splitlines() if line.startswith("# ")][:1]
    return titles


def chapter_mentions(docstring: str) -> list[str]:
    """The *italic* titles in the paragraph that starts with "Chapter:" or "Chapters:"."""
    match = re.search(r"^Chapters?:(.*?)(\n\s*\n|\Z)", docstring, re.S | re.M)
    return ([" ".join(m.split()) for m in re.findall(r"\*([^*]+)\*", match.group(1))]
            if match else [])


MODULES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_named_chapters_exist(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    titles = chapter_titles()
    missing = [m for m in chapter_mentions(docstring)
               if not any(t.startswith(m.rstrip("?")) for t in titles)]
    assert not missing, f"{path.relative_to(SRC)} names chapters that do not exist: {missing}"


def test_the_check_catches_a_missing_chapter():
    assert chapter_mentions("Chapter: *Negative sampling* and *Skip-gram*.\n\nMore.") == \
        ["Negative sampling", "Skip-gram"]
    assert not any(t.startswith("Negative sampling") for t in chapter_titles())
