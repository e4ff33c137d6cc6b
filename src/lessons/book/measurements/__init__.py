"""Measurements made outside the chapters, quoted by them.

Chapters: *Word2vec on real text* and *Summary* (``corpus_size``: more text or more
dimensions, one thing at a time), *How sure are the scores?* (``seed_spread``).

Some numbers take too long to compute inside a chapter (training on a 19-million-word
corpus takes minutes). A script in ``benchmarks/`` measures them and writes a JSON
file here; the chapter loads it with :func:`load` and glues the values into its
prose, so no measured number is ever typed by hand.
"""
from __future__ import annotations

import json
from importlib import resources

__all__ = ["load", "find_run"]


def load(name: str) -> dict:
    """The measurement ``name`` (e.g. ``"corpus_size"``), as written by its benchmark script."""
    try:
        text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"no measurement named {name!r}; run the benchmark that "
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
