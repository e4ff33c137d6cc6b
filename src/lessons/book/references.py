"""The book's bibliography: ``book/references.bib``, listed in ``book/references.md``.

Chapter: *References* (and every chapter that cites a work).

A chapter cites a work with a plain link, ``[Mikolov et al. 2013a](references.md#mikolov2013a)``,
which reads correctly in any notebook front end. ``book/references.md`` lists every
entry of the ``.bib`` file as plain Markdown with an anchor per key, written by
``python -m lessons.book.references``; in the HTML book, the Sphinx extension turns
each link into a sphinxcontrib-bibtex citation and the list into its bibliography.
``tests/test_references.py`` checks that the list is in step with the ``.bib`` file
and that every cited key exists.
"""
from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)

__all__ = ["CITATION", "BEGIN", "END", "read_entries", "plain_list", "references_page",
           "cited_keys", "MENTION", "unresolved_mentions"]

#: A citation in a chapter: group 1 the text shown, group 2 the key.
CITATION = re.compile(r"\[([^\]]+)\]\((?:\./)?references\.md#([A-Za-z0-9_\-]+)\)")
BEGIN = ("<!-- bibliography: the entries of book/references.bib, written by "
         "`python -m lessons.book.references` -->")
END = "<!-- end of bibliography -->"
#: A work named in prose, linked or not: "Achlioptas (2003)", "Li, Hastie & Church 2006",
#: "Levy et al. (2015)", "van der Maaten & Hinton 2008". Group "name" is the first author's
#: surname, "year" the year (with an optional letter: 2013a).
MENTION = re.compile(
    r"(?<![\w\-/#])(?P<name>(?:(?:van der|van|de|von) )?[A-Z][\w'’\-]*[a-zà-ÿ])"
    r"(?P<more>(?: et al\.|(?:, [A-Z][\w'’\-]+)*,? (?:&|and) (?:van (?:der )?)?[A-Z][\w'’\-]+)?)"
    r",? \(?(?P<year>(?:1[89]|20)\d\d)[a-z]?\)?(?![\w\-])")
#: Capitalised words that precede a year in ordinary prose ("In 2013", "Since 2018").
_NOT_NAMES = {"In", "Since", "By", "From", "Until", "Before", "After", "Around", "Circa", "About",
              "January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December", "Spring", "Summer", "Autumn",
              "Winter", "Issue", "Python", "Section", "Table", "Figure", "Chapter", "Top",
              # models named with the year they appeared
              "Word2vec", "Word2Vec", "GloVe", "FastText", "Transformer", "Transformers"}


def _plain(text: str) -> str:
    """LaTeX markup to Unicode text: ``{\\'e}`` -> é, braces dropped."""
    return codecs.decode(str(text), "ulatex").replace("{", "").replace("}", "").replace("--", "–")


def read_entries(bib: str | Path) -> dict:
    """The entries of a BibTeX file, by key, in file order (pybtex ``Entry`` objects)."""
    from pybtex.database import parse_file

    return dict(parse_file(str(bib)).entries)


def _authors(entry) -> str:
    people = entry.persons.get("author", [])
    names = []
    for person in people:
        initials = " ".join(f"{_plain(n)[0]}." for n in person.first_names + person.middle_names
                            if _plain(n))
        last = _plain(" ".join(person.prelast_names + person.last_names))
        names.append(f"{last}, {initials}".strip(", "))
    if len(names) > 6:
        return ", ".join(names[:6]) + ", et al."
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plain_list(entries: dict) -> str:
    """One Markdown list item per entry, each with an ``<a id="KEY">`` anchor, sorted by author
    and year."""
    def sort_key(item):
        key, entry = item
        return (_authors(entry).lower(), entry.fields.get("year", ""), key)

    lines = []
    for key, entry in sorted(entries.items(), key=sort_key):
        f = entry.fields
        venue = (f.get("journal") or f.get("booktitle") or f.get("howpublished")
                 or f.get("publisher", ""))
        details = _plain(venue)
        if "volume" in f:
            details += f", {f['volume']}" + (f"({_plain(f['number'])})" if "number" in f else "")
        if "pages" in f:
            details += f", {_plain(f['pages'])}"
        head = f'- <a id="{key}"></a>{_authors(entry)} ({f.get("year", "n.d.")}). '
        lines.append(f'{head}{_plain(f["title"])}. *{details}*.' if details
                     else f'{head}{_plain(f["title"])}.')
    return "\n".join(lines)


def references_page(page: str, entries: dict) -> str:
    """``page`` (the text of references.md) with its list between BEGIN and END rewritten."""
    if BEGIN not in page or END not in page:
        raise ValueError(f"references.md must contain the markers {BEGIN!r} and {END!r}")
    head, rest = page.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{BEGIN}\n\n{plain_list(entries)}\n\n{END}{tail}"


def cited_keys(text: str) -> list[str]:
    """The keys cited in a Markdown text, in order of appearance."""
    return [m.group(2) for m in CITATION.finditer(text)]


def _surname_key(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", _plain(text))
    return "".join(c for c in text if c.isalpha()).lower()


def unresolved_mentions(text: str, entries: dict) -> list[str]:
    """The works named in ``text`` (Markdown prose) with no entry in ``entries``: a mention
    resolves when some entry's first author has that surname and that year. A linked
    citation must also point at such an entry (its key's first author and year)."""
    works = {}
    for key, entry in entries.items():
        people = entry.persons.get("author", [])
        if people:
            last = " ".join(people[0].prelast_names + people[0].last_names)
            works.setdefault((_surname_key(last), entry.fields.get("year", "")), []).append(key)
    problems = []
    for match in MENTION.finditer(text):
        name = match.group("name")
        if name in _NOT_NAMES:
            continue
        keys = works.get((_surname_key(name), match.group("year")), [])
        if not keys:
            problems.append(f"{match.group(0)!r} names no entry of references.bib")
            continue
        link = CITATION.match(text, match.start() - 1) if match.start() else None
        if link and link.group(2) not in keys:
            problems.append(f"{link.group(0)!r} links {link.group(2)!r}, but the text names "
                            f"{', '.join(keys)}")
    return problems


if __name__ == "__main__":  # rewrite book/references.md from book/references.bib
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    page = root / "book" / "references.md"
    entries = read_entries(root / "book" / "references.bib")
    page.write_text(references_page(page.read_text(encoding="utf-8"), entries), encoding="utf-8")
    print(f"wrote {page}")
