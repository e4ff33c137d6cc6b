"""Put the book's run-time JavaScript in book/_static/vendor (no CDN at run time).

* plotly.min.js: copied from the installed plotly package, so the page and the
  Python library always agree on the version;
* MathJax 3 and the Jupyter widgets HTML manager: from the npm registry with
  `npm pack`, unpacked here;
* axe-core, the accessibility rules the browser check runs on every page (only
  ``axe.min.js``; the pages never load it, tests/browser injects it).

Run by `make assets` (and so by `make book` and `make test`); does nothing when
the files are already there for these versions.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "book" / "_static" / "vendor"
NPM_PACKAGES = {
    # npm spec: (folder inside the tarball, destination under vendor/, files to skip)
    "mathjax@3.2.2": ("package/es5", "mathjax", ()),
    "@jupyter-widgets/html-manager@1.0.15": (
        "package/dist", "html-manager", (".map", "embed-amd.js", "libembed-amd.js")),
    "axe-core@4.14.1": (
        "package", "axe-core", (".ts", ".md", ".json", "axe.js", "locales", "gather-internals.js")),
}


def vendor_plotly() -> None:
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    target = VENDOR / "plotly.min.js"
    if not target.is_file() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)


def vendor_npm(spec: str, inner: str, dest: str, skip: tuple[str, ...]) -> None:
    target = VENDOR / dest
    stamp = target / ".version"
    if stamp.is_file() and stamp.read_text() == spec:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed once to fetch MathJax and the widget manager: install it "
                 "(Debian: apt-get install npm) and run `make assets` again")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", "--silent", spec], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        (tarball,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(tmp) / inner, target,
                        ignore=lambda _d, names: [n for n in names if n.endswith(skip)])
    stamp.write_text(spec)
    print(f"vendored {spec} into {target.relative_to(ROOT)}")


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    vendor_plotly()
    for spec, (inner, dest, skip) in NPM_PACKAGES.items():
        vendor_npm(spec, inner, dest, skip)


if __name__ == "__main__":
    main()
