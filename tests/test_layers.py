"""The layers of lessons import only downwards: no algorithm module draws.

base (``checks``, ``timing``) -> data -> vectors -> models, geometry -> book.  A module may
import its own floor and the floors below it, never one above (``models`` and ``geometry``
share a floor).  A module under data/, vectors/, models/ or geometry/ must not import
plotly, matplotlib, ipywidgets or lessons.book, not even inside a function: figures and
live panels live in lessons/book/chapters/<chapter>.py.
"""
import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "lessons"
ALGORITHM_LAYERS = ("data", "vectors", "models", "geometry")
FORBIDDEN = ("plotly", "matplotlib", "ipywidgets", "lessons.book")
ALGORITHM_MODULES = sorted(p for layer in ALGORITHM_LAYERS for p in (SRC / layer).rglob("*.py"))
# The floor of each top-level part of the package (``lessons/__init__.py``, the facade that
# re-exports the public names, is the one module allowed to reach every floor).
FLOORS = {"checks": 0, "timing": 0, "data": 1, "vectors": 2, "models": 3, "geometry": 3,
          "book": 4}
MODULES = sorted(p for p in SRC.rglob("*.py") if p != SRC / "__init__.py")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module an ``import`` anywhere in ``source`` names, relative imports resolved
    against ``package`` (the package holding the module); ``from a import b`` names ``a``
    and ``a.b``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            levels = package.split(".")
            parts = levels[:len(levels) - node.level + 1] if node.level else []
            module = ".".join(parts + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def forbidden(names) -> list[str]:
    """Which of :data:`FORBIDDEN` the imported ``names`` reach."""
    return sorted({bad for bad in FORBIDDEN for name in names
                   if name == bad or name.startswith(bad + ".")})


def floor_of(module: str) -> int | None:
    """The floor of ``lessons.<part>...``; None for a module outside lessons (or ``lessons``)."""
    parts = module.split(".")
    if parts[0] != "lessons" or len(parts) < 2:
        return None
    return FLOORS[parts[1]]


def upward_imports(names, floor: int) -> list[str]:
    """The lessons modules in ``names`` that sit on a floor above ``floor``."""
    return sorted(n for n in names if (f := floor_of(n)) is not None and f > floor)


def package_of(path: Path) -> str:
    parts = ["lessons", *path.relative_to(SRC).parent.parts]
    return ".".join(parts)


def test_the_algorithm_layers_have_modules():
    assert len(ALGORITHM_MODULES) > 10


@pytest.mark.parametrize("path", ALGORITHM_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_algorithm_module_does_not_import_drawing_or_the_book(path):
    names = imported_modules(path.read_text(encoding="utf-8"), package_of(path))
    assert forbidden(names) == []


def test_every_part_of_the_package_has_a_floor():
    parts = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in MODULES}
    assert parts == set(FLOORS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_imports_only_its_floor_and_below(path):
    module_floor = FLOORS[path.relative_to(SRC).parts[0].removesuffix(".py")]
    names = imported_modules(path.read_text(encoding="utf-8"), package_of(path))
    assert upward_imports(names, module_floor) == []


def test_the_floor_check_sees_an_upward_import():
    names = imported_modules("from lessons.vectors import linalg\nfrom . import corpus\n",
                             "lessons.data")
    assert upward_imports(names, FLOORS["data"]) == ["lessons.vectors", "lessons.vectors.linalg"]
    names = imported_modules("from lessons.geometry import pca\nfrom lessons import checks\n",
                             "lessons.models")
    assert upward_imports(names, FLOORS["models"]) == []
    assert upward_imports(imported_modules("from ..book import plots\n", "lessons.geometry"),
                          FLOORS["geometry"]) == ["lessons.book", "lessons.book.plots"]


def test_the_check_sees_imports_inside_functions_and_relative_ones():
    source = ("import numpy as np\n"
              "def figure():\n"
              "    import plotly.graph_objects as go\n"
              "    from ..book import plots\n"
              "    from .cooccurrence import ppmi\n")
    names = imported_modules(source, "lessons.models")
    assert {"lessons.book.plots", "lessons.models.cooccurrence"} <= names
    assert forbidden(names) == ["lessons.book", "plotly"]
    assert forbidden(imported_modules("from lessons import book\n", "lessons.data")) == [
        "lessons.book"]
    assert forbidden(imported_modules("import matplotlib\n", "lessons.data")) == ["matplotlib"]
    assert forbidden(imported_modules("from lessons import bookkeeping\n", "lessons.data")) == []
