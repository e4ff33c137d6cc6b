"""Write the student edition's config: _config.yml with solutions hidden.

Usage: python scripts/student_config.py OUT.yml   (used by `make student`)
"""
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

config = yaml.safe_load((ROOT / "_config.yml").read_text())
config["title"] += " (student edition)"
config["sphinx"]["config"]["lessons_student_edition"] = True  # book_guard drops every solution
# Local extension folders are resolved against the config file's folder: make them absolute.
config["sphinx"]["local_extensions"] = {
    name: str(ROOT / folder) for name, folder in config["sphinx"]["local_extensions"].items()
}
Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
Path(sys.argv[1]).write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
