"""Committed chapters: executed, no unexpected errors, no embedded plotly.js, small."""
import json
from pathlib import Path

import pytest

from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_notebook_is_committed_executed_and_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code, "a chapter without code"
    for number, cell in enumerate(code, start=1):
        assert cell["execution_count"] is not None, f"code cell {number} never executed"
        tags = cell.get("metadata", {}).get("tags", [])
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        # Run All must never stop: no cell raises, not even on purpose.
        assert "raises-exception" not in tags, f"code cell {number} is tagged raises-exception"
        assert not errors, f"code cell {number} raised {errors[0]['ename']}"
    text = path.read_text(encoding="utf-8")
    assert "plotly.js v" not in text and "cdn.plot.ly" not in text, \
        "plotly.js embedded or fetched from a CDN"
    assert path.stat().st_size < 3_000_000, f"{path.name} is {path.stat().st_size:,} bytes"
    first = "".join(code[0]["source"])
    assert "find_spec(\"lessons\")" in first and "pip" in first, \
        "first cell must install lessons on Colab"
