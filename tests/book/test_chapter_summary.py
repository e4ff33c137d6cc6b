"""Tests for the summary chapter: every number it quotes from a chapter is that chapter's.

The summary recomputes what it quotes (so that it runs on its own, in Colab too) and
glues each value that a chapter also shows as ``CHAPTER.KEY``. These tests read the
committed notebooks and prove that the two still agree, and that the comparisons it
states without a number still hold in the chapters that measured them.
"""
import json
from pathlib import Path

import pytest

from lessons.book.chapters import summary as chapter
from lessons.book.prose import glued_values
from lessons.geometry.high_dimensions import shell_fraction

BOOK = Path(__file__).resolve().parents[2] / "book"


def values(name: str) -> dict[str, str]:
    return glued_values(json.loads((BOOK / f"{name}.ipynb").read_text(encoding="utf-8")))


def quoted() -> dict[str, dict[str, str]]:
    """The summary's ``CHAPTER.KEY`` values, by chapter."""
    by_chapter: dict[str, dict[str, str]] = {}
    for key, value in values("summary").items():
        name, dot, inner = key.partition(".")
        if dot and name != "claim":
            by_chapter.setdefault(name, {})[inner] = value
    return by_chapter


def test_the_summary_quotes_many_chapters():
    chapters = quoted()
    assert {"onehot", "training_loop", "explorer", "high_dimensions", "superposition",
            "johnson_lindenstrauss", "real_text", "how_sure", "fasttext"} <= set(chapters)
    assert sum(map(len, chapters.values())) >= 40


@pytest.mark.parametrize("name", sorted(quoted()))
def test_every_quoted_number_is_the_one_its_chapter_shows(name):
    assert (BOOK / f"{name}.ipynb").is_file(), f"the summary quotes {name!r}: no such chapter"
    shown = values(name)
    missing = sorted(set(quoted()[name]) - set(shown))
    assert not missing, f"{name} no longer glues {missing}"
    assert {k: shown[k] for k in quoted()[name]} == quoted()[name]


def percent(text: str) -> float:
    return float(text.rstrip("%"))


def test_the_comparisons_it_states_without_numbers_still_hold():
    counted = values("count_vs_predict")          # "SVD-PPMI answered more analogies than SGNS"
    assert percent(counted["svd_ppmi_acc"]) > percent(counted["sgns_acc"])
    assert "claim.rarity_falls" in values("real_text")   # "fewer the rarer the question's words"


def test_article_loop_run_traces_every_epoch():
    run = chapter.article_loop_run()
    assert {k: v.shape for k, v in run.items()} == {k: (201,) for k in run}
    assert run["cat_dog"][-1] > 0.9 > run["cat_king"][-1]


def test_expected_inner_fraction_is_the_inner_ball():
    assert chapter.expected_inner_fraction() == pytest.approx(1 - shell_fraction(0.1, 300),
                                                              rel=1e-2)
    assert chapter.expected_inner_fraction() == pytest.approx(1.8739e-14, rel=1e-4)
