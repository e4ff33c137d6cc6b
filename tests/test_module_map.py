"""The module map in lessons/__init__.py names every module of the package, once."""
import re
from pathlib import Path

import lessons

SRC = Path(lessons.__file__).parent


def test_module_map_names_every_module():
    mapped = set(re.findall(r"^``([\w.<>]+)``", lessons.__doc__, flags=re.M))
    modules = set()
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or (len(parts) == 2 and parts[-1] in {"data", "vectors", "models", "geometry",
                                                            "book"}):
            continue
        if parts[:2] == ("book", "chapters"):
            parts = ("book", "chapters", "<chapter>")
        modules.add(".".join(parts))
    modules -= {"data", "vectors", "models", "geometry", "book"}
    missing = modules - mapped
    assert not missing, f"modules missing from the map in lessons/__init__.py: {sorted(missing)}"
    stale = {m for m in mapped if m not in modules}
    assert not stale, f"the map names modules that do not exist: {sorted(stale)}"


def _modules():
    import importlib
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1 and parts[:-1] != ("models", "word2vec"):
            continue  # a layer's docstring-only __init__
        name = ".".join(("lessons",) + (parts[:-1] if parts[-1] == "__init__" else parts))
        yield importlib.import_module(name)


def test_every_module_declares_all_and_all_is_true():
    import inspect
    problems = []
    for module in _modules():
        names = getattr(module, "__all__", None)
        if names is None:
            problems.append(f"{module.__name__}: no __all__")
            continue
        problems += [f"{module.__name__}: __all__ names missing {n!r}" for n in names
                     if not hasattr(module, n)]
        defined = [n for n, obj in vars(module).items()
                   if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                   and getattr(obj, "__module__", None) == module.__name__]
        problems += [f"{module.__name__}: public {n!r} not in __all__" for n in defined
                     if n not in names]
    assert not problems, "\n".join(problems)
