"""The repository URL is one setting (_config.yml), every install cell uses it, and the
launch buttons appear only once it names the real repository."""
import importlib.util
import json
from pathlib import Path

import pytest

from lessons.book.launch import (PLACEHOLDER_URL, install_cell, is_install_cell, is_published,
                                 repository_url, sync_install_cell)
from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_install_cell_uses_the_configured_url_is_hidden_and_silent(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = nb["cells"][0]
    assert is_install_cell(first), "the first cell must be the install cell (CONTRIBUTING.md)"
    assert "".join(first["source"]) == install_cell(repository_url(ROOT)), \
        "the install cell disagrees with repository.url in _config.yml: run `make execute`"
    assert "remove-cell" in first["metadata"].get("tags", []), \
        "the install cell must stay out of the HTML"
    assert first["outputs"] == [], "the install cell must print nothing when it works"


def test_the_url_appears_nowhere_else():
    """Launch buttons read repository.url; no other file may hard-code a repository URL."""
    url = repository_url(ROOT)
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert config.count(url) == 1
    for path in [ROOT / "README.md", *ROOT.glob(".binder/*"), *ROOT.glob("src/lessons/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if path.name == "launch.py":  # it names the placeholder, to recognise it
            text = text.replace(f'PLACEHOLDER_URL = "{PLACEHOLDER_URL}"', "")
        assert url not in text, f"{path.relative_to(ROOT)} hard-codes the repository URL"


def test_the_install_cell_installs_the_book_extra():
    """The chapters draw with what the ``book`` extra brings (plotly, ipywidgets, ...)."""
    source = install_cell("https://example.org/repo")
    assert 'f"lessons[book] @ git+{REPOSITORY}"' in source
    assert 'REPOSITORY = "https://example.org/repo"' in source
    compile(source, "install cell", "exec")


def _theme_options(url: str) -> dict:
    """The html_theme_options Jupyter Book makes of _config.yml with ``repository.url = url``."""
    yaml = pytest.importorskip("yaml")
    config = pytest.importorskip("jupyter_book.config")
    user = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    user["repository"]["url"] = url
    sphinx_config, _ = config.get_final_config(user_yaml=user, sourcedir=ROOT,
                                               cli_config={"latex_individualpages": False})
    return sphinx_config["html_theme_options"]


def _book_guard():
    spec = importlib.util.spec_from_file_location("book_guard", ROOT / "book/_ext/book_guard.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_LAUNCHERS = ("binderhub_url", "jupyterhub_url", "thebe", "colab_url", "jupyterlite_url")


@pytest.mark.parametrize("url, published", [(PLACEHOLDER_URL, False),
                                            ("https://github.com/someone/word2vec-book", True)])
def test_launch_buttons_only_for_a_real_repository(url, published):
    """With the placeholder, book_guard leaves sphinx-book-theme no launch provider (it then
    adds no Colab or Binder button) and no repository button; with a real URL both stay."""
    from types import SimpleNamespace

    assert is_published(url) is published and is_published(url + "/") is published
    options = _theme_options(url)
    assert options["launch_buttons"]["colab_url"] and options["launch_buttons"]["binderhub_url"]
    _book_guard()._launch_only_when_published(None, SimpleNamespace(html_theme_options=options))
    launchers = [key for key in _LAUNCHERS if options["launch_buttons"].get(key)]
    assert launchers == ([] if not published else ["binderhub_url", "colab_url"])
    assert options["use_repository_button"] is published
    assert options["repository_url"] == url


def test_book_guard_drops_the_buttons_before_the_pages_are_written():
    from types import SimpleNamespace

    events = []
    app = SimpleNamespace(add_config_value=lambda *a: None, add_transform=lambda *a: None,
                          connect=lambda event, hook: events.append((event, hook.__name__)))
    _book_guard().setup(app)
    assert ("config-inited", "_launch_only_when_published") in events


def test_a_disagreeing_cell_is_caught_and_synced():
    nb = {"cells": [{"cell_type": "code", "source": install_cell("https://example.org/old"),
                     "outputs": []}]}
    assert "".join(nb["cells"][0]["source"]) != install_cell("https://example.org/new")
    assert sync_install_cell(nb, "https://example.org/new") is True
    assert nb["cells"][0]["source"] == install_cell("https://example.org/new")
    assert sync_install_cell(nb, "https://example.org/new") is False
    with pytest.raises(ValueError, match="install cell"):
        sync_install_cell({"cells": [{"cell_type": "code", "source": "import lessons"}]}, "https://x.org")
