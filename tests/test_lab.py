"""make lab (scripts/lab.py): trust only the chapters that changed; the committed kernelspec."""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import nbformat
import pytest

from lessons.book.toc import notebooks

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", notebooks(ROOT), ids=lambda p: p.name)
def test_every_chapter_has_the_kernelspec_jupyterlab_writes(path):
    """Any other kernelspec is rewritten by JupyterLab when the chapter opens, so the
    chapter shows as modified (and saving it changes a committed file)."""
    assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"] == KERNELSPEC


def test_execute_writes_that_kernelspec():
    assert _script("execute").KERNELSPEC == KERNELSPEC


def test_lab_trusts_only_what_changed(tmp_path, monkeypatch):
    from nbformat.sign import NotebookNotary

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))  # a fresh trust database
    lab = _script("lab")
    monkeypatch.setattr(lab, "ROOT", tmp_path)
    paths = []
    for name in ("a", "b"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({name!r})")])
        paths.append(tmp_path / f"{name}.ipynb")
        nbformat.write(nb, paths[-1])
    stamp = tmp_path / "stamp.json"

    def trusted(path):
        return NotebookNotary().check_signature(nbformat.read(path, as_version=4))

    assert not any(trusted(p) for p in paths)
    assert lab.trust_changed(paths, stamp) == paths
    assert all(trusted(p) for p in paths)
    assert lab.trust_changed(paths, stamp) == []  # nothing changed: nothing is read
    nb = nbformat.read(paths[1], as_version=4)
    nb.cells[0].source = "print('changed')"
    nbformat.write(nb, paths[1])
    os.utime(paths[1], ns=(1, 1))  # a new modification time, whatever the clock's resolution
    assert lab.trust_changed(paths, stamp) == [paths[1]] and trusted(paths[1])
    os.remove(NotebookNotary().db_file)  # a new trust database: everything again
    assert lab.trust_changed(paths, stamp) == paths and all(trusted(p) for p in paths)
