"""Measurements made outside the chapters, quoted by them.

Chapters: *Word2vec on real text* and *Summary* (``corpus_size``: more text or more
dimensions, one thing at a time; ``scaling``: one and two workers, Hogwild), *How sure are
the scores?* (``seed_spread``), *What else the geometry learns: bias* (``bias_books``: the
measures on 19 M words of books), *Subwords: fastText trained for real* (``fasttext_epochs``).

Some numbers take too long to compute inside a chapter (training on a 19-million-word
corpus takes minutes). A script in ``benchmarks/`` measures them and writes a JSON
file here; the chapter loads it with :func:`load` and glues the values into its
prose, so no measured number is ever typed by hand.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from lessons import checks

__all__ = ["load", "find_run", "save"]


def load(name: str) -> dict:
    """The measurement ``name`` (e.g. ``"corpus_size"``), as written by its benchmark script."""
    if not isinstance(name, str) or not name.isidentifier():
        raise checks.ArgumentTypeError(f"name must be a measurement name like 'corpus_size', "
                                       f"got {checks.describe(name)}")
    try:
        text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"name: no measurement named {name!r}; run the benchmark that "
                         "writes it") from None
    return json.loads(text)


def find_run(name: str, **fields) -> dict:
    """The one run of measurement ``name`` whose fields equal ``fields``
    (e.g. ``find_run("corpus_size", corpus="text8", words=2_000_000, dim=50)``).

    Raises
    ------
    ValueError
        If no run, or more than one, matches.
    """
    runs = [r for r in load(name)["runs"] if all(r.get(k) == v for k, v in fields.items())]
    if len(runs) != 1:
        raise ValueError(f"{len(runs)} runs of {name!r} match {fields}; expected exactly one")
    return runs[0]


def save(name: str, result: dict, *, text: str | None = None) -> Path:
    """Write the measurement ``name`` (``{name}.json`` beside this module) atomically.

    ``result`` is written as JSON (``indent=1``), or ``text`` as it is when given (a
    benchmark's own layout of the same JSON).  For benchmark scripts: a run that fails
    half-way never leaves a half-written file for a chapter to load (see
    :func:`lessons.checks.atomic_file`).
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise checks.ArgumentTypeError(f"name must be a measurement name like 'corpus_size', "
                                       f"got {checks.describe(name)}")
    if not isinstance(result, dict):
        raise checks.ArgumentTypeError(f"result must be a dict, got {checks.describe(result)}")
    if text is None:
        text = json.dumps(result, indent=1, allow_nan=False) + "\n"
    elif not isinstance(text, str):
        raise checks.ArgumentTypeError(f"text must be a str or None, got {checks.describe(text)}")
    elif json.loads(text) != json.loads(json.dumps(result)):
        raise ValueError("text must be the JSON of result; it reads back differently")
    path = Path(__file__).with_name(f"{name}.json")
    with checks.atomic_file("name", path) as out:
        out.write(text.encode("utf-8"))
    return path
