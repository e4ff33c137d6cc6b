"""The bibliography: one .bib file, a references page in step with it, citations that resolve."""
from pathlib import Path

import pytest

import json

from lessons.book.references import (BEGIN, END, cited_keys, plain_list, read_entries,
                                     references_page, unresolved_mentions)
from lessons.book.toc import pages

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"
PAGE = ROOT / "book" / "references.md"

# The works issue 14 asks the references page to include, at least.
REQUIRED = ["harris1954", "firth1957", "hinton1986", "deerwester1990", "bengio2003",
            "collobert2008", "mikolov2013a", "mikolov2013b", "levy2014", "levy2015",
            "pennington2014", "bojanowski2017", "arora2016", "ethayarajh2019", "elhage2022"]


def _page_texts():
    for entry in pages(ROOT):
        for ext in (".ipynb", ".md"):
            path = ROOT / f"{entry}{ext}"
            if path.is_file():
                yield path, path.read_text(encoding="utf-8")


def test_references_page_is_in_step_with_the_bib_file():
    page = PAGE.read_text(encoding="utf-8")
    assert references_page(page, read_entries(BIB)) == page, \
        "run `python -m lessons.book.references`"


def test_required_works_are_listed():
    assert not [key for key in REQUIRED if key not in read_entries(BIB)]


@pytest.mark.parametrize("path_and_text", list(_page_texts()), ids=lambda pt: pt[0].name)
def test_every_citation_resolves(path_and_text):
    path, text = path_and_text
    entries = read_entries(BIB)
    missing = [key for key in cited_keys(text) if key not in entries]
    assert not missing, f"{path.name} cites keys missing from references.bib: {missing}"


def _prose(path: Path, text: str) -> str:
    """The Markdown a reader sees: a notebook's Markdown cells, a page without its listing."""
    if path.suffix == ".ipynb":
        return "\n\n".join("".join(c["source"]) for c in json.loads(text)["cells"]
                            if c["cell_type"] == "markdown")
    return text.split(BEGIN)[0] + text.split(END)[1] if BEGIN in text else text


@pytest.mark.parametrize("path_and_text", list(_page_texts()), ids=lambda pt: pt[0].name)
def test_every_work_named_in_prose_is_in_the_bibliography(path_and_text):
    path, text = path_and_text
    assert unresolved_mentions(_prose(path, text), read_entries(BIB)) == []


def test_mentions_are_found_in_every_form_and_checked_against_their_link():
    entries = read_entries(BIB)
    for named in ["Achlioptas (2003)", "as Frankl & Maehara (1988) showed",
                  "(Li, Hastie & Church, 2006)", "Levy et al. 2015", "van der Maaten & Hinton 2008",
                  "[Mikolov et al. 2013a](references.md#mikolov2013a)"]:
        assert unresolved_mentions(named, entries) == [], named
    assert unresolved_mentions("Nobody et al. (2031) and Smith & Jones 1999", entries) == [
        "'Nobody et al. (2031)' names no entry of references.bib",
        "'Smith & Jones 1999' names no entry of references.bib"]
    assert unresolved_mentions("[Levy & Goldberg 2014](references.md#levy2015)", entries) == [
        "'[Levy & Goldberg 2014](references.md#levy2015)' links 'levy2015', but the text names "
        "levy2014, levy2014linguistic"]
    assert unresolved_mentions("In 2013 Mikolov's team; since 2018, in May 2020", entries) == []


def test_plain_list_has_an_anchor_per_entry_and_reads_as_text():
    entries = read_entries(BIB)
    listing = plain_list(entries)
    assert listing.count('<a id="') == len(entries)
    assert "Hyvärinen" in listing and "{" not in listing and "\\" not in listing
    assert cited_keys("see [Mikolov et al. 2013a](references.md#mikolov2013a) "
                      "and [x](other.md#y)") == ["mikolov2013a"]
