"""Every number the prose states is the one its notebook computed.

`scripts/execute.py` writes each `glue`-d value into its `<span class="computed">`;
this proves the committed notebooks are in step (a hand edit, or a re-run whose
numbers changed without the prose, fails here).
"""
import json
from pathlib import Path

import pytest

from lessons.book.prose import ClaimFailed, claim, drifted_claims, fill_prose, stale_spans
from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_prose_numbers_match_the_computed_ones(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert stale_spans(nb) == []


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_guarded_claims_and_prose_agree(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert drifted_claims(nb) == []


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


def _claimed(prose: str, checked: dict) -> dict:
    outputs = [{"output_type": "display_data",
                "data": {"application/papermill.record/text/plain": repr(phrase)},
                "metadata": {"scrapbook": {"name": "claim." + key,
                                           "mime_prefix": "application/papermill.record/"}}}
               for key, phrase in checked.items()]
    return {"cells": [{"cell_type": "code", "source": "claim(...)", "outputs": outputs},
                      {"cell_type": "markdown", "source": prose}]}


def test_claims_drift_when_prose_or_check_changes():
    ok = 'It is <span class="claim" title="fast">several times\nfaster</span>.'
    assert drifted_claims(_claimed(ok, {"fast": "several times faster"})) == []
    reworded = _claimed(ok.replace("several", "many"), {"fast": "several times faster"})
    assert drifted_claims(reworded) == [
        "cell 2: claim 'fast' says 'many times faster' but the cell checked 'several times faster'"]
    assert drifted_claims(_claimed(ok, {})) == ["cell 2: no code cell checks the claim 'fast'"]
    assert drifted_claims(_claimed("No claim here.", {"fast": "x"})) == [
        "claim 'fast' is checked but the prose no longer makes it"]


def test_a_claim_that_stops_holding_fails_and_names_its_phrase(capsys):
    claim("fast", bool(3.0 > 2.0), "faster")  # holds: recorded, nothing raised
    with pytest.raises(ClaimFailed, match="'faster'"):
        claim("fast", bool(1.0 > 2.0), "faster")
    with pytest.raises(TypeError, match="holds must be a bool"):
        claim("fast", 0.5, "faster")
