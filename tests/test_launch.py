"""The repository URL is one setting (_config.yml), and every install cell uses it."""
import json
from pathlib import Path

import pytest

from lessons.book.launch import install_cell, is_install_cell, repository_url, sync_install_cell
from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_install_cell_uses_the_configured_url_is_hidden_and_silent(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = nb["cells"][0]
    assert is_install_cell(first), "the first cell must be the install cell (CONTRIBUTING.md)"
    assert "".join(first["source"]) == install_cell(repository_url(ROOT)), \
        "the install cell disagrees with repository.url in _config.yml: run `make execute`"
    assert "remove-cell" in first["metadata"].get("tags", []), "the install cell must stay out of the HTML"
    assert first["outputs"] == [], "the install cell must print nothing when it works"


def test_the_url_appears_nowhere_else():
    """Launch buttons read repository.url; no other file may hard-code a repository URL."""
    url = repository_url(ROOT)
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert config.count(url) == 1
    for path in [ROOT / "README.md", *ROOT.glob(".binder/*"), *ROOT.glob("src/lessons/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert url not in text, f"{path.relative_to(ROOT)} hard-codes the repository URL"


def test_a_disagreeing_cell_is_caught_and_synced():
    nb = {"cells": [{"cell_type": "code", "source": install_cell("https://example.org/old"), "outputs": []}]}
    assert "".join(nb["cells"][0]["source"]) != install_cell("https://example.org/new")
    assert sync_install_cell(nb, "https://example.org/new") is True
    assert nb["cells"][0]["source"] == install_cell("https://example.org/new")
    assert sync_install_cell(nb, "https://example.org/new") is False
    with pytest.raises(ValueError, match="install cell"):
        sync_install_cell({"cells": [{"cell_type": "code", "source": "import lessons"}]}, "https://x.org")
