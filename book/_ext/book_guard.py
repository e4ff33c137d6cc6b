"""Sphinx extension: refuse to build a book whose notebooks or assets are broken.

* A committed notebook cell with an error output fails the build (unless the
  cell is tagged ``raises-exception``, the way a chapter shows an error on
  purpose), and so does a code cell that was never executed.
* The notebooks' plain-CommonMark exercises (``<!-- exercise: LABEL -->`` cells) and
  solutions (``<details>`` cells) become sphinx-exercise's numbered exercises and
  dropdown solutions (see ``CONTRIBUTING.md``); citation links to the references page
  become sphinxcontrib-bibtex citations.
* The student edition (``lessons_student_edition: true``) has no solutions, neither
  in its pages nor in the notebooks its download buttons serve.
* Inline scripts that the theme stack adds twice are kept once.
* The bibliography is a list of list items: docutils marks each entry with the deprecated
  ARIA role ``doc-biblioentry`` inside a ``role="list"`` element, which axe-core reports
  (aria-deprecated-role, aria-required-children); the entries become ``role="listitem"``.
* While ``repository.url`` is still the placeholder (``lessons.book.launch``), the
  pages have no Colab, Binder or repository buttons: they would open a repository that
  does not exist.  Set the real URL and they appear (the download button always does).
* The offline JavaScript (plotly.js, MathJax, the widget manager) must be in
  ``book/_static/vendor``; ``make assets`` puts it there.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

VENDOR_FILES = ("plotly.min.js", "mathjax/tex-chtml.js", "html-manager/embed.js")


def _check_assets(app):
    vendor = Path(app.confdir) / "book" / "_static" / "vendor"
    missing = [name for name in VENDOR_FILES if not (vendor / name).is_file()]
    if missing:
        raise ExtensionError(
            f"offline assets missing in {vendor}: {', '.join(missing)}. "
            "Run `make assets` (or `make book`)."
        )


def _launch_only_when_published(app, config):
    """Drop the buttons that open the repository while ``repository.url`` is the placeholder."""
    from lessons.book.launch import is_published

    options = config.html_theme_options
    if not is_published(options.get("repository_url", "")):
        options["launch_buttons"] = {}  # sphinx-book-theme then adds no Colab / Binder button
        options["use_repository_button"] = False


def _check_notebook(app, docname, source):
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("execution_count") is None:
            raise ExtensionError(f"{path}: code cell {number} was never executed; "
                                 "run `make execute`")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and "raises-exception" not in tags:
                raise ExtensionError(f"{path}: code cell {number} raised "
                                     f"{output.get('ename')}: {output.get('evalue')}")


def _cite(text: str) -> str:
    from lessons.book.references import CITATION

    return CITATION.sub(lambda m: f"{{cite:t}}`{m.group(2)}`", text)


def _plain_to_myst(app, docname, source):
    """Rewrite a page's plain Markdown conventions as MyST before it is parsed."""
    from lessons.book.exercises import exercise_label, is_solution
    from lessons.book.references import BEGIN, END

    if Path(app.env.doc2path(docname)).suffix == ".md":
        text = _cite(source[0])
        if BEGIN in text:  # the references page: sphinxcontrib-bibtex renders the list
            head, rest = text.split(BEGIN, 1)
            text = head + "```{bibliography}\n:all:\n```\n" + rest.split(END, 1)[1]
        source[0] = text
        return
    nb = json.loads(source[0])
    student = app.config.lessons_student_edition
    cells, label = [], None
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if exercise_label(cell):
                label = exercise_label(cell)
                body = text.split("\n", 1)[1].removeprefix("**Exercise.**").strip()
                text = f":::{{exercise}}\n:label: {label}\n\n{body}\n:::"
            elif is_solution(cell):
                if student:
                    continue
                if label is None:
                    raise ExtensionError(f"{docname}: a solution cell comes before any "
                                         "exercise cell")
                body = text.split("</summary>", 1)[1].rsplit("</details>", 1)[0].strip()
                text = f":::{{solution}} {label}\n:class: dropdown\n\n{body}\n:::"
            text = _cite(text)
            cell["source"] = text
        cells.append(cell)
    nb["cells"] = cells
    source[0] = json.dumps(nb)


def _student_downloads(app, exception):
    """Student edition: strip the solution cells from the notebooks its pages serve."""
    from lessons.book.exercises import is_solution

    if exception is not None or not app.config.lessons_student_edition:
        return
    for path in Path(app.outdir).rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        kept = [cell for cell in nb["cells"] if not is_solution(cell)]
        if len(kept) != len(nb["cells"]):
            nb["cells"] = kept
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


_INLINE_SCRIPT = re.compile(r"^\s*<script>[^<]*</script>\s*$")


def _dedupe_inline_scripts(app, exception):
    """Keep one copy of each inline ``<script>`` line in every page.

    The Jupyter Book 1 stack emits sphinx-thebe's and sphinx-togglebutton's
    inline configuration twice; the second ``const THEBE_JS_URL`` makes the
    browser throw a SyntaxError.
    """
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        lines = page.read_text(encoding="utf-8").split("\n")
        seen, kept = set(), []
        for line in lines:
            if _INLINE_SCRIPT.match(line):
                if line.strip() in seen:
                    continue
                seen.add(line.strip())
            kept.append(line)
        if len(kept) != len(lines):
            page.write_text("\n".join(kept), encoding="utf-8")


_BIBLIOENTRY = 'role="doc-biblioentry"'


def _bibliography_list_items(app, exception):
    """Give the bibliography's entries the ``listitem`` role their ``role="list"`` needs."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _BIBLIOENTRY in text:
            page.write_text(text.replace(_BIBLIOENTRY, 'role="listitem"'), encoding="utf-8")


class RemoveSolutions(SphinxTransform):
    """Student edition: drop every solution, gated ones included.

    (sphinx-exercise's own ``hide_solutions`` drops the ``solution-start``
    directive but leaves the content and the ``solution-end`` marker of gated
    solutions behind, which breaks the HTML writer; this runs after its merge.)
    """

    default_priority = 11  # MergeGatedSolutions runs at 10

    def apply(self):
        if not self.config.lessons_student_edition:
            return
        from sphinx_exercise.nodes import solution_node

        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)


def setup(app):
    app.add_config_value("lessons_student_edition", False, "env")
    app.add_transform(RemoveSolutions)
    app.connect("build-finished", _dedupe_inline_scripts)
    app.connect("build-finished", _bibliography_list_items)
    app.connect("config-inited", _launch_only_when_published)
    app.connect("builder-inited", _check_assets)
    app.connect("source-read", _check_notebook)
    app.connect("source-read", _plain_to_myst)
    app.connect("build-finished", _student_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
