"""The one module that talks to Jupyter Book (version 1), so the engine can be swapped later."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from circlekit.errors import CircleKitError
from circlekit.launch import hub_launch, read_config, theme_overrides
from circlekit.toc import TOC_FILE
from circlekit.widgetjs import ensure_widget_js

HTML_DIR = "_build/html"
LOG_FILE = "_build/book.log"


@dataclass(frozen=True)
class BuildWarning:
    """One thing Sphinx warned about: a missing reference, an unknown target, a bad image, ..."""

    page: str  # relative to the kit's root; "" when Sphinx names no file
    where: str  # "line 12", "cell 3", or ""
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.page, self.where, self.message) if part)


@dataclass(frozen=True)
class BookResult:
    html: Path
    pages: int
    warnings: list[BuildWarning]


def _location(location: str, root: Path) -> tuple[str, str]:
    """(page relative to the root, where in it) from Sphinx's 'path:line' location."""
    path, _, line = location.rpartition(":")
    if not (path and line.isdigit()):
        path, line = location, ""
    try:
        page = Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        page = path
    if not line:
        return page, ""
    number = int(line)
    # myst-nb numbers a notebook's lines as (cell number, counted from 1) * 10000 + line.
    if page.endswith(".ipynb") and number >= 10000:
        return page, f"cell {number // 10000}"
    return page, f"line {number}"


def build_warnings(log: str, root: Path) -> list[BuildWarning]:
    """Every WARNING and ERROR line of a Sphinx log, with the page it names, in log order."""
    from sphinx.util.console import strip_escape_sequences

    found = []
    for raw in log.splitlines():
        line = strip_escape_sequences(raw).strip()
        for level in ("WARNING", "ERROR"):
            marker = f"{level}: "
            if line.startswith(marker):
                found.append(BuildWarning("", "", line[len(marker) :]))
            elif f": {marker}" in line:
                location, _, message = line.partition(f": {marker}")
                found.append(BuildWarning(*_location(location, Path(root).resolve()), message))
            else:
                continue
            break
    return list(dict.fromkeys(found))


def mark_stale(root: Path, paths: list[str]) -> None:
    """Make the next book build read these pages again, although their files did not change.

    Sphinx re-reads a page when its source is newer than its doctree, or the doctree is gone;
    a notebook executed again because its data or helper module changed needs the second way.
    """
    doctrees = Path(root) / "_build" / ".doctrees"
    for rel in paths:
        (doctrees / rel).with_suffix(".doctree").unlink(missing_ok=True)


def build_book(root: Path, *, skip_execution: list[str] = (), jobs: int = 1) -> BookResult:
    """Build the HTML book into _build/html/, reusing the executed notebooks in the cache.

    Notebooks in `skip_execution` (those that failed in the execute step) are rendered without
    outputs instead of being run a second time.
    """
    from jupyter_book.sphinx import build_sphinx

    root = Path(root).resolve()
    config = root / "_config.yml"
    if not config.is_file():
        raise CircleKitError(f"{config}: missing; the book needs its Jupyter Book configuration")
    ensure_widget_js(root)
    overrides = {
        "external_toc_path": (root / TOC_FILE).as_posix(),
        "nb_execution_excludepatterns": list(skip_execution),
        "latex_individualpages": False,
    }
    # Launch buttons: refuse unusable hub settings with a message naming the field, and let the
    # theme accept a repository on any git server, or in a folder on the hub's machine.
    settings = read_config(root)
    hub_launch(settings)
    overrides.update(theme_overrides(settings))
    log = root / LOG_FILE
    log.parent.mkdir(parents=True, exist_ok=True)
    captured = io.StringIO()
    # Sphinx talks a lot; keep its full log in a file and show people only what went wrong.
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        result = build_sphinx(
            root,
            root / HTML_DIR,
            use_external_toc=True,
            noconfig=True,
            path_config=str(config),
            confoverrides=overrides,
            builder="html",
            jobs=jobs,
        )
    text = captured.getvalue()
    log.write_text(text, encoding="utf-8")
    warnings = build_warnings(text, root)
    if isinstance(result, KeyboardInterrupt):  # Sphinx hands Ctrl-C back instead of raising it
        raise result
    if isinstance(result, Exception) or result != 0:
        detail = "\n".join(map(str, warnings[-10:])) or "\n".join(text.strip().splitlines()[-1:])
        raise CircleKitError(f"the book did not build (full log: {LOG_FILE}):\n{detail}")
    # Sphinx reads a page again only when it changed; forget the pages that warned, so the next
    # build warns again (and `--strict` keeps failing) until they are fixed.
    mark_stale(root, sorted({w.page for w in warnings if w.page.endswith((".md", ".ipynb"))}))
    return BookResult(
        html=root / HTML_DIR / "index.html", pages=_page_count(root), warnings=warnings
    )


def _page_count(root: Path) -> int:
    """The pages made from the kit's own files: not Sphinx's search page, index and the like."""
    html = root / HTML_DIR
    return sum(
        1
        for page in html.rglob("*.html")
        if any(
            (root / page.relative_to(html)).with_suffix(suffix).is_file()
            for suffix in (".md", ".ipynb", ".rst")
        )
    )
