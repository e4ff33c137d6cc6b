"""The book's table of contents (``_toc.yml``), read in one place.

The Makefile (``python -m lessons.book.toc`` prints the chapter notebooks),
``scripts/execute.py`` and the tests all take the list of pages from here.
"""
from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["pages", "notebooks"]


def pages(root: str | Path = ".") -> list[str]:
    """Every page of ``root/_toc.yml`` in book order (the root page, then each chapter
    and its sections), as toc entries without extension, keeping those whose source
    (``.ipynb`` or ``.md``) exists."""
    import yaml  # a dependency of jupyter-book, needed only by the book's tooling

    root = Path(root)
    path = root / "_toc.yml"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no table of contents here (run from the book's root)")
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for chapter in part.get("chapters", []):
            entries.append(chapter["file"])
            entries.extend(section["file"] for section in chapter.get("sections", []))
    return [e for e in entries if any((root / f"{e}{ext}").is_file() for ext in (".ipynb", ".md"))]


def notebooks(root: str | Path = ".") -> list[Path]:
    """The pages that are notebooks: ``root/<entry>.ipynb``, in book order."""
    root = Path(root)
    return [root / f"{e}.ipynb" for e in pages(root) if (root / f"{e}.ipynb").is_file()]


if __name__ == "__main__":  # the Makefile: the chapter notebooks, relative to the current folder
    print(" ".join(str(p) for p in notebooks(sys.argv[1] if len(sys.argv) > 1 else ".")))
