"""Numbers in the prose, computed by the notebook: ``glue`` in code, a span in Markdown.

Chapter: every chapter (see ``CONTRIBUTING.md``).

A chapter's Markdown must read cleanly in a plain CommonMark renderer (Colab,
JupyterLab, VS Code), so it cannot use MyST's ``{glue:text}`` role. Instead a code
cell records a formatted number with :func:`glue`, and the prose holds it in a span::

    glue("sqrt2", f"{distance:.4f}")                        # code cell
    ... a distance of <span class="computed" title="sqrt2">1.4142</span> ...   # Markdown

``scripts/execute.py`` runs the notebook and then :func:`fill_prose` writes each
glued text into its spans; ``tests/test_prose_numbers.py`` uses :func:`stale_spans`
to prove that every span still holds what the code computed.

The recorded output has the same shape as myst-nb's ``glue(..., display=False)``
(a ``application/papermill.record/`` bundle), which renderers do not display.
"""
from __future__ import annotations

import html
import inspect
import json
import re

import numpy as np

__all__ = ["glue", "claim", "show_source", "glued_values", "fill_prose", "stale_spans",
           "drifted_claims", "ClaimFailed", "SPAN", "CLAIM"]

_RECORD = "application/papermill.record/"
_CLAIM_PREFIX = "claim."

#: A computed number in a Markdown cell: group 1 is the key, group 2 the text shown.
SPAN = re.compile(r'<span class="computed" title="([A-Za-z0-9_.\-]+)">(.*?)</span>')
#: A guarded qualitative phrase in a Markdown cell: group 1 is the key, group 2 the phrase.
CLAIM = re.compile(r'<span class="claim" title="([A-Za-z0-9_.\-]+)">(.*?)</span>', re.S)


class ClaimFailed(AssertionError):
    """A sentence of the prose no longer holds for the numbers the chapter computed."""


def glue(key: str, text: str) -> None:
    """Record ``text`` under ``key`` in this cell's output, without showing it.

    Parameters
    ----------
    key : str
        The name the prose uses: ``<span class="computed" title="KEY">``. Letters,
        digits, ``_``, ``.`` and ``-``.
    text : str
        The number as the prose should show it, already formatted
        (``f"{x:,.1f}"``): the format is chosen where the number is computed.
    """
    from IPython.display import display

    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", key):
        raise ValueError(f"glue: key must be letters, digits, '_', '.' or '-', got {key!r}")
    if not isinstance(text, str):
        raise TypeError(f"glue: text for {key!r} must be a formatted str (e.g. f'{{x:.3f}}'), "
                        f"got {type(text).__name__}")
    display({_RECORD + "text/plain": repr(text)}, raw=True,
            metadata={"scrapbook": {"name": key, "mime_prefix": _RECORD}})


def claim(key: str, holds, phrase: str) -> None:
    """Guard a qualitative phrase of the prose ("several times faster", "most") with its test.

    The prose wraps the phrase in ``<span class="claim" title="KEY">phrase</span>``; a hidden
    (``remove-cell``) code cell computes whether it is true and calls ``claim``. When it no
    longer holds, executing the chapter (``make execute``) and nbval fail, naming the phrase.
    When it holds, the phrase is recorded (like :func:`glue`) so that
    :func:`drifted_claims` can prove the prose still says what was checked.

    Parameters
    ----------
    key : str
        The claim's name in the prose (``title="KEY"``); letters, digits, ``_``, ``.``, ``-``.
    holds : bool
        The test of the phrase, computed from the chapter's own values.
    phrase : str
        The exact words the prose wraps, so a reworded sentence must be re-checked.
    """
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"claim {key!r}: holds must be a bool computed from the chapter's "
                        f"values, got {type(holds).__name__}")
    if not holds:
        raise ClaimFailed(f"claim {key!r} no longer holds: the prose says {phrase!r}, but the "
                          f"chapter's numbers say otherwise; rewrite the sentence or its test")
    glue(_CLAIM_PREFIX + key, phrase)


def show_source(obj) -> None:
    """Show the source code of a library function or class (or a str of code), highlighted.

    The chapter's prose can then discuss code the reader sees, in the HTML and in
    any notebook front end (a ``Code`` display has a plain-text fallback).
    """
    from IPython.display import Code, display

    display(Code(obj if isinstance(obj, str) else inspect.getsource(obj), language="python"))


def glued_values(nb: dict) -> dict[str, str]:
    """Every ``glue``-d text in an executed notebook (a dict parsed from ``.ipynb`` JSON).

    Raises
    ------
    ValueError
        If two cells glue the same key with different texts.
    """
    values: dict[str, str] = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            record = output.get("metadata", {}).get("scrapbook")
            text = output.get("data", {}).get(_RECORD + "text/plain")
            if record and text is not None:
                key, value = record["name"], _literal(text)
                if key in values and values[key] != value:
                    raise ValueError(f"glue key {key!r} is recorded twice: {values[key]!r} "
                                     f"and {value!r}")
                values[key] = value
    return values


def _literal(text) -> str:
    """The glued string from its recorded ``repr`` (``"'1.4142'"`` -> ``1.4142``)."""
    import ast

    text = "".join(text) if isinstance(text, list) else text
    value = ast.literal_eval(text)
    return value if isinstance(value, str) else str(value)


def _spans(nb: dict):
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for match in SPAN.finditer(source):
                yield number, match.group(1), html.unescape(match.group(2))


def stale_spans(nb: dict) -> list[str]:
    """Problems with the prose numbers: spans whose key was never glued or whose text differs."""
    values = glued_values(nb)
    problems = []
    for number, key, shown in _spans(nb):
        if key not in values:
            problems.append(f"cell {number}: no code cell glues {key!r}")
        elif shown != values[key]:
            problems.append(f"cell {number}: {key!r} shows {shown!r} but the code computed "
                            f"{values[key]!r}")
    return problems


def drifted_claims(nb: dict) -> list[str]:
    """Problems with the guarded phrases: a phrase no cell checked, a check whose phrase
    the prose no longer says, or a phrase that was reworded after it was checked."""
    values = glued_values(nb)
    checked = {k[len(_CLAIM_PREFIX):]: v for k, v in values.items()
               if k.startswith(_CLAIM_PREFIX)}
    problems, shown = [], set()
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for match in CLAIM.finditer(source):
            key, phrase = match.group(1), " ".join(html.unescape(match.group(2)).split())
            shown.add(key)
            if key not in checked:
                problems.append(f"cell {number}: no code cell checks the claim {key!r}")
            elif phrase != " ".join(checked[key].split()):
                problems.append(f"cell {number}: claim {key!r} says {phrase!r} but the cell "
                                f"checked {checked[key]!r}")
    problems += [f"claim {key!r} is checked but the prose no longer makes it"
                 for key in sorted(set(checked) - shown)]
    return problems


def fill_prose(nb: dict) -> int:
    """Write every glued text into its spans, in place; return how many spans changed.

    Raises
    ------
    KeyError
        Naming the cell and key of a span that no code cell glues.
    """
    values = glued_values(nb)
    changed = 0
    for number, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]

        def put(match):
            nonlocal changed
            key = match.group(1)
            if key not in values:
                raise KeyError(f"Markdown cell {number} shows {key!r}, but no code cell glues it")
            text = html.escape(values[key], quote=False)
            changed += text != match.group(2)
            return f'<span class="computed" title="{key}">{text}</span>'

        new = SPAN.sub(put, source)
        if new != source:  # keep the notebook's own representation (str, or a list of lines)
            cell["source"] = (new if isinstance(cell["source"], str)
                              else new.splitlines(keepends=True))
    return changed


def _main(paths) -> int:  # python -m lessons.book.prose NOTEBOOK...: report stale spans
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
            for problem in stale_spans(nb) + drifted_claims(nb):
                print(f"{path}: {problem}")
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
