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
    missing = {m for m in modules if m not in mapped and not any(
        m.startswith(p + ".") and p == "models.word2vec" for p in mapped)}
    assert not missing, f"modules missing from the map in lessons/__init__.py: {sorted(missing)}"
    stale = {m for m in mapped if m not in modules}
    assert not stale, f"the map names modules that do not exist: {sorted(stale)}"
