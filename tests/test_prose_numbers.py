"""Every number the prose states is the one its notebook computed.

`scripts/execute.py` writes each `glue`-d value into its `<span class="computed">`;
this proves the committed notebooks are in step (a hand edit, or a re-run whose
numbers changed without the prose, fails here).
"""
import json
from pathlib import Path

import pytest

from lessons.book.prose import fill_prose, stale_spans
from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_prose_numbers_match_the_computed_ones(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert stale_spans(nb) == []


def _notebook(shown: str, glued: str) -> dict:
    record = {"output_type": "display_data",
              "data": {"application/papermill.record/text/plain": repr(glued)},
              "metadata": {"scrapbook": {"name": "x",
                                         "mime_prefix": "application/papermill.record/"}}}
    return {"cells": [{"cell_type": "code", "source": "glue('x', ...)", "outputs": [record]},
                      {"cell_type": "markdown",
                       "source": f'x is <span class="computed" title="x">{shown}</span>.'}]}


def test_stale_and_missing_numbers_are_caught_and_filled():
    nb = _notebook("0.5", "0.25")
    assert stale_spans(nb) == ["cell 2: 'x' shows '0.5' but the code computed '0.25'"]
    assert fill_prose(nb) == 1 and stale_spans(nb) == []
    assert nb["cells"][1]["source"] == 'x is <span class="computed" title="x">0.25</span>.'
    nb["cells"][1]["source"] = 'y is <span class="computed" title="y">1</span>.'
    assert stale_spans(nb) == ["cell 2: no code cell glues 'y'"]
    with pytest.raises(KeyError, match="'y'"):
        fill_prose(nb)


def test_html_special_characters_round_trip():
    nb = _notebook("?", "a < b & c")
    fill_prose(nb)
    assert "a &lt; b &amp; c" in nb["cells"][1]["source"] and stale_spans(nb) == []
