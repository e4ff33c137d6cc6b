"""Opening a chapter elsewhere: the repository URL and each notebook's install cell.

Chapter: every chapter's first cell (hidden in the HTML).

The repository URL is one setting, ``repository.url`` in ``_config.yml``. Jupyter
Book's launch buttons (Colab, Binder) read it from there, and :func:`install_cell`
writes it into the first cell of every notebook, which installs ``lessons`` with its
``book`` extra (plotting, widgets) in Colab (or any kernel that lacks it).
``scripts/execute.py`` keeps the cells in step with the setting and
``tests/test_launch.py`` fails when they disagree.

Until the book is published the setting holds :data:`PLACEHOLDER_URL`, a repository
that does not exist; while it does, ``book/_ext/book_guard.py`` leaves the buttons that
would open it (Colab, Binder, the repository link) out of the built pages.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["PLACEHOLDER_URL", "repository_url", "is_published", "install_cell", "is_install_cell",
           "sync_install_cell"]

#: ``repository.url`` as the book ships, before it is published: no such repository exists.
PLACEHOLDER_URL = "https://github.com/lessons-book/word2vec-geometry"

_FIRST_LINE = ("# Colab / Binder: install the book's library when it is missing "
               "(silent when it works).")


def repository_url(root: str | Path = ".") -> str:
    """``repository.url`` from ``root/_config.yml``, without a trailing slash."""
    import yaml  # a dependency of jupyter-book, needed only by the book's tooling

    path = Path(root) / "_config.yml"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no book configuration here (run from the book's root)")
    url = (yaml.safe_load(path.read_text(encoding="utf-8")).get("repository") or {}).get("url")
    if not isinstance(url, str) or not url.startswith("https://"):
        raise ValueError(f"{path}: repository.url must be the book's https:// repository URL, "
                         f"got {url!r}")
    return url.rstrip("/")


def is_published(url: str) -> bool:
    """Whether ``url`` names the book's real repository, i.e. is not :data:`PLACEHOLDER_URL`."""
    return url.rstrip("/") != PLACEHOLDER_URL


def install_cell(url: str) -> str:
    """The source of a notebook's first cell for the repository at ``url``.

    It installs ``lessons[book]`` (the library and what the chapters draw with) only
    when the kernel lacks ``lessons``, prints nothing when the install works (and
    pip's own report when it does not), and in Colab turns on the custom widget
    manager that ipywidgets 8 panels need; elsewhere that part does nothing.
    """
    return f'''{_FIRST_LINE}
import importlib.util, subprocess, sys

REPOSITORY = "{url}"  # repository.url in _config.yml
if importlib.util.find_spec("lessons") is None:
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                          f"lessons[book] @ git+{{REPOSITORY}}"], capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError(f"could not install lessons from {{REPOSITORY}}:\\n{{pip.stderr}}")
if "google.colab" in sys.modules:  # Colab draws ipywidgets 8 panels with its custom widget manager
    from google.colab import output
    output.enable_custom_widget_manager()'''


def is_install_cell(cell: dict) -> bool:
    """Whether ``cell`` is an install cell (for any URL)."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return cell.get("cell_type") == "code" and source.startswith(_FIRST_LINE)


def sync_install_cell(nb: dict, url: str) -> bool:
    """Make ``nb``'s first cell the install cell for ``url`` (tagged ``remove-cell``, no
    output); return whether anything changed."""
    cells = nb["cells"]
    wanted = install_cell(url)
    if cells and is_install_cell(cells[0]):
        cell = cells[0]
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if source == wanted:
            return False
        cell["source"] = (wanted if isinstance(cell["source"], str)
                          else wanted.splitlines(keepends=True))
        return True
    raise ValueError("the notebook's first cell is not the install cell (see CONTRIBUTING.md)")
