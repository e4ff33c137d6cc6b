"""The book's Markdown pages (intro, teacher's guide) read the same on the repository's web
page as in the book: no MyST directives, and their chapter tables follow the table of contents."""
import re
from pathlib import Path

import pytest

from lessons.book.toc import notebooks
from tests.test_plain_markdown import RAW_MYST

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "book" / "intro.md", ROOT / "book" / "teachers.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_myst_syntax(page):
    # The source, not the rendering: a ```{list-table} fence renders as a code block of raw
    # list items, and its info string is dropped.
    text = page.read_text(encoding="utf-8")
    found = [match.group(0) for pattern, _ in RAW_MYST for match in pattern.finditer(text)]
    assert not found, f"{page.name} shows raw MyST outside Jupyter Book: {found}"


def _chapters_in_tables(text: str) -> list[str]:
    """Chapters linked from the first cell of each table row, in order."""
    return [m.group(1) for m in re.finditer(r"^\| \[[^\]]+\]\((\w+)\.ipynb\)", text, re.M)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_chapter_tables_list_every_chapter_in_book_order(page):
    order = [p.stem for p in notebooks(ROOT)]
    assert _chapters_in_tables(page.read_text(encoding="utf-8")) == order


def test_execution_times_follow_the_book_order():
    text = (ROOT / "book" / "teachers.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `book/(\w+)\.ipynb` \|", text, re.M)
    assert listed == [p.stem for p in notebooks(ROOT)]
