"""``make lab``: open the chapters live in JupyterLab, quickly.

Usage: python scripts/lab.py [JUPYTER LAB OPTIONS ...]   (make lab LAB_ARGS="...")

1. Says where the real-text chapters will read text8 from (the library's own search; no
   download), and stops if ``LESSONS_DATA_DIR`` names a folder that does not exist.
2. Trusts the chapters (signs them in your own Jupyter trust database: JupyterLab draws
   saved widgets only in trusted notebooks), but only those that changed since the last
   ``make lab``: a stamp file beside the virtual environment's other stamps
   (``.venv/.lab-trusted.json``) remembers the size and modification time of each chapter
   it signed, and which trust database it signed them in.
3. Replaces itself with ``jupyter lab`` rooted at the repository, opening the first chapter.

The chapter list is read once (``lessons.book.toc``).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtual environment's bin/ (make lab runs its python)
STAMP = BIN.parent / ".lab-trusted.json"


def report_text8() -> None:
    from lessons.data.datasets import cache_dir, find_text8

    print(f"LESSONS_DATA_DIR={os.environ.get('LESSONS_DATA_DIR') or '(not set)'}")
    try:
        print("text8 for the real-text chapters:", find_text8(download=False).path)
    except FileNotFoundError as err:
        folder = os.environ.get("LESSONS_DATA_DIR")
        if folder and not os.path.isdir(os.path.expanduser(folder)):
            raise SystemExit(f"make lab: {err}") from None
        print(f"text8: {err}; a chapter downloads it into {cache_dir()} on first use (31 MB)")


def fingerprint(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def database_key() -> str:
    """Which trust database the signatures go into (nbformat's NotebookNotary default,
    ``<jupyter data dir>/nbsignatures.db``), with its inode: a deleted and recreated
    database holds none of them."""
    from jupyter_core.paths import jupyter_data_dir

    db = str(Path(jupyter_data_dir()) / "nbsignatures.db")
    try:
        return f"{db}#{os.stat(db).st_ino}"
    except OSError:
        return f"{db}#missing"


def trust_changed(notebooks: list[Path], stamp: Path = STAMP) -> list[Path]:
    """Sign the notebooks that changed since they were last signed here; return those signed.

    nbformat (slow to import) is imported only when a chapter needs signing."""
    notary = None
    try:
        old = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    signed_before = old.get("notebooks", {}) if old.get("database") == database_key() else {}
    done, signed = {}, []
    for path in notebooks:
        key = str(path.relative_to(ROOT))
        if signed_before.get(key) == fingerprint(path):
            done[key] = signed_before[key]
            continue
        if notary is None:
            import nbformat
            from nbformat.sign import NotebookNotary

            notary = NotebookNotary()
        # json + from_dict: the signature covers the content; no schema validation needed
        nb = nbformat.from_dict(json.loads(path.read_text(encoding="utf-8")))
        if not notary.check_signature(nb):
            notary.sign(nb)
        done[key] = fingerprint(path)
        signed.append(path)
    record = {"database": database_key(), "notebooks": done}
    if record != old:
        from lessons import checks

        with checks.atomic_file("stamp", stamp) as out:
            out.write(json.dumps(record, indent=1).encode("utf-8"))
    return signed


def main(args: list[str]) -> None:
    from lessons.book.toc import notebooks

    report_text8()
    chapters = notebooks(ROOT)
    try:
        signed = trust_changed(chapters)
        print(f"trusted {len(signed)} changed chapter(s) of {len(chapters)}")
    except Exception as err:  # noqa: BLE001 - the lab still works, widgets show as pictures
        print(f"(could not trust the chapters: saved widgets show as pictures: {err})")
    command = [str(BIN / "jupyter"), "lab", f"--ServerApp.root_dir={ROOT}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    command += [*args, str(chapters[0].relative_to(ROOT))]
    print(" ".join(command), flush=True)
    os.chdir(ROOT)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
