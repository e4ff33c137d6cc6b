"""The library installs on its own: a wheel in a fresh venv imports every module it promises.

``pip install lessons`` (the declared dependencies) must import every algorithm module
(data, vectors, models, geometry and the base modules); ``pip install "lessons[book]"``
must import every module, the book layer included.  The venv is new and knows nothing of
this repository's ``.venv``, so a dependency that is used but not declared fails here.
The declared dependencies must also be exactly what the imports need: nothing imported
and undeclared, nothing declared and never imported.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "lessons"
BOOK_ONLY = ("book",)  # the parts of the package that need the [book] extra
# Distribution names whose import name differs.
IMPORT_NAME = {"pyyaml": "yaml", "ipython": "IPython"}
# Packages that come with a declared one (numba brings llvmlite).
COMES_WITH = {"llvmlite": "numba"}


def modules(book: bool) -> list[str]:
    """Every importable module of lessons; with ``book=False`` only the algorithm ones."""
    names = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if not book and parts[0] in BOOK_ONLY:
            continue
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        names.append(".".join(("lessons", *parts)))
    return names


def third_party_imports(book: bool) -> set[str]:
    """Top-level names of the non-standard-library modules the chosen modules import."""
    found = set()
    for path in SRC.rglob("*.py"):
        if not book and path.relative_to(SRC).parts[0] in BOOK_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
    return {name for name in found
            if name not in sys.stdlib_module_names and name != "lessons"}


def declared(extra: str | None = None) -> set[str]:
    """Import names of the dependencies in pyproject.toml (the base list, or one extra)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    dists = {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0].lower() for spec in specs}
    return {IMPORT_NAME.get(d, d) for d in dists}


def test_the_base_dependencies_are_exactly_what_the_algorithms_import():
    used = {COMES_WITH.get(name, name) for name in third_party_imports(book=False)}
    assert used == declared()


def test_the_book_extra_covers_what_the_book_layer_imports_beyond_the_base():
    used = {COMES_WITH.get(name, name) for name in third_party_imports(book=True)}
    assert used - declared() == declared("book")


def test_the_module_lists_split_the_package():
    algorithms, everything = modules(book=False), modules(book=True)
    assert "lessons.models.word2vec.kernels" in algorithms
    assert "lessons.book.plots" in everything and "lessons.book.plots" not in algorithms
    assert len(everything) > len(algorithms) > 40


def _run(args, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done.stdout


IMPORT_ALL = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"


@pytest.mark.slow
@pytest.mark.packaging
def test_a_wheel_in_a_fresh_venv_imports_every_module(tmp_path):
    # Build from a copy of what the wheel is made of, so no build/ folder lands in the repository.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.nbi", "*.nbc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)])
    wheel = next(wheels.glob("lessons-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    _run([*pip, str(wheel)])
    # Run outside the repository, so that only the installed wheel can be imported.
    _run([python, "-c", IMPORT_ALL, *modules(book=False)], cwd=tmp_path)
    failed = subprocess.run([python, "-c", "import lessons.book.plots"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert failed.returncode != 0 and "ModuleNotFoundError" in failed.stderr
    _run([*pip, f"{wheel}[book]"])
    _run([python, "-c", IMPORT_ALL, *modules(book=True)], cwd=tmp_path)
