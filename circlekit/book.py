"""The one module that talks to Jupyter Book (version 1), so the engine can be swapped later."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from circlekit.errors import CircleKitError
from circlekit.fileio import write_atomic
from circlekit.launch import hub_launch, read_config, theme_overrides
from circlekit.toc import TOC_FILE
from circlekit.widgetjs import ensure_widget_js

HTML_DIR = "_build/html"
LOG_FILE = "_build/book.log"
# circlekit's own changes to the book's theme: a style sheet and a template, added to every page
# by this module acting as a Sphinx extension (`setup` below).
THEME_STATIC = Path(__file__).resolve().parent / "book_static"
THEME_TEMPLATES = Path(__file__).resolve().parent / "book_templates"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Set when the book has a hub, for text that only makes sense then: ```{only} circlekit_hub```.
HUB_TAG = "circlekit_hub"


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
    hub = hub_launch(settings)
    overrides.update(theme_overrides(settings))
    overrides["html_context"] = dict(THEME_CONTEXT)
    overrides["extensions"] = _extensions(root, config, settings)
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
            tags=[HUB_TAG] if hub else None,
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


# -- the theme, as readers see it -------------------------------------------------------------

# The theme's light/dark switch starts from no mode at all and logs an error on every page.
THEME_CONTEXT = {"default_mode": "light"}


def _extensions(root: Path, config: Path, settings: dict) -> list[str]:
    """Jupyter Book's extensions for this book, with this module added.

    sphinx-thebe is dropped unless thebe is switched on: loaded while off, it still writes its
    settings script into every page twice, and the second copy fails.
    """
    from jupyter_book.config import get_final_config

    final, _meta = get_final_config(user_yaml=config, cli_config={"latex_individualpages": False},
                                    sourcedir=root, use_external_toc=True)
    thebe = (settings.get("launch_buttons") or {}).get("thebe") is True
    extensions = [e for e in final["extensions"] if thebe or e != "sphinx_thebe"]
    return [*extensions, "circlekit.book"]


def setup(app: object) -> dict[str, bool]:
    """Sphinx extension: circlekit's changes to the pages of the book (see build_book)."""
    app.connect("config-inited", _add_theme_files)  # type: ignore[attr-defined]
    # Before myst-nb's own handler (priority 500), which adds the page's widget scripts.
    app.connect("html-page-context", _drop_unused_widget_js, priority=400)  # type: ignore[attr-defined]
    app.connect("html-page-context", _mend_page)  # type: ignore[attr-defined]
    # Last, after the theme and myst-nb have written their own style sheets at this event.
    app.connect("build-finished", _trim_assets, priority=900)  # type: ignore[attr-defined]
    app.add_css_file("circlekit-book.css")  # type: ignore[attr-defined]
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _add_theme_files(app: object, config: object) -> None:
    config.html_static_path.append(str(THEME_STATIC))  # type: ignore[attr-defined]
    # First, so the kit's copies of theme templates win over the theme's own.
    derived = Path(app.doctreedir).parent / "circlekit-templates"  # type: ignore[attr-defined]
    _write_lighter_macros(derived)
    _write_lighter_layout(derived)
    _write_header_without_toggles(derived)
    config.templates_path[:0] = [str(THEME_TEMPLATES), str(derived)]  # type: ignore[attr-defined]


def _write_lighter_macros(folder: Path) -> None:
    """The theme's asset macros without its 1.5 MB Font Awesome script.

    That script only redraws the icons as SVG; the theme's style sheet already draws the same
    icons from its web font. The macros are the installed theme's own, minus that one line, so
    they follow the theme's version.
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    lines = (theme / "static" / "webpack-macros.html").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if "scripts/fontawesome.js" not in ln]
    target = folder / "static" / "webpack-macros.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(kept) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        write_atomic(target, text)


def _trim_assets(app: object, exception: Exception | None) -> None:
    """Once every page is written: the theme's style sheets and icon fonts cut down to what the
    pages use (circlekit.booktrim)."""
    from circlekit.booktrim import trim_book

    if exception is None and app.builder.format == "html":  # type: ignore[attr-defined]
        # No page loads the Font Awesome script any more (_write_lighter_macros): 3 MB less to
        # publish.
        static = Path(app.outdir) / "_static"  # type: ignore[attr-defined]
        for name in ("scripts/fontawesome.js", "scripts/fontawesome.js.map"):
            (static / name).unlink(missing_ok=True)
        # Sphinx copies static files only in a build that writes some page: a change to the
        # kit's own style sheet alone would otherwise never reach the book.
        for source in THEME_STATIC.iterdir():
            if source.is_file():
                shutil.copyfile(source, static / source.name)
        trim_book(Path(app.outdir),  # type: ignore[attr-defined]
                  Path(app.doctreedir).parent / "circlekit-untrimmed")  # type: ignore[attr-defined]


def _write_header_without_toggles(folder: Path) -> None:
    """The theme's top bar, whose two sidebar buttons no longer carry the classes the theme's
    scripts look for.

    That bar is hidden in the book theme, which draws its own sidebar buttons with the same
    classes; the scripts attach to the first button with the class only, the hidden one, so the
    buttons a reader sees did nothing (pydata-sphinx-theme issue 2451). The copy is the
    installed theme's own template with those two class names left out.
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    text = (theme / "sections" / "header.html").read_text(encoding="utf-8")
    for toggle in ("primary-toggle", "secondary-toggle"):
        text = text.replace(f'class="pst-navbar-icon sidebar-toggle {toggle}"',
                            'class="pst-navbar-icon sidebar-toggle"')
    target = folder / "sections" / "header.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        write_atomic(target, text)


# What the theme's layout loads on every page for searching as one types, a feature that is off
# unless the theme option `search_as_you_type` is set: Sphinx's whole search index among them.
SEARCH_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js")


def _write_lighter_layout(folder: Path) -> None:
    """The theme's page layout, loading the search scripts on every page only when searching as
    one types is on (the search page itself always loads them).

    The copy is the installed theme's own layout with those lines made conditional, written
    where the kit's templates come first, so it follows the theme's version.
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    lines = (theme / "layout.html").read_text(encoding="utf-8").splitlines()
    kept = []
    for line in lines:
        if "<script" in line and any(name in line for name in SEARCH_SCRIPTS):
            line = f"{{% if theme_search_as_you_type|tobool %}}{line}{{% endif %}}"
        kept.append(line)
    target = folder / "pydata_sphinx_theme" / "layout.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(kept) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        write_atomic(target, text)


def _drop_unused_widget_js(app: object, pagename: str, templatename: str, context: dict,
                           doctree: object) -> None:
    """A page that draws no live widget carries no widget state and loads no widget JavaScript.

    myst-nb adds both to every executed notebook's page; the kit's prompts show as static cards
    in the book, so on most pages they are several hundred kilobytes that draw nothing. Whether
    a widget is drawn is only known once myst-nb has chosen each output's format, so this looks
    at the finished body.
    """
    if WIDGET_VIEW in context.get("body", ""):
        return
    metadata = getattr(app.env, "nb_metadata", {})  # type: ignore[attr-defined]
    js_files = metadata.get(pagename, {}).get("js_files", {})
    for key in [k for k in js_files if k.startswith("ipywidgets")]:
        del js_files[key]


def _mend_page(app: object, pagename: str, templatename: str, context: dict,
               doctree: object) -> None:
    if context.get("body"):
        context["body"] = mend_body(context["body"])


def mend_body(body: str) -> str:
    """Fix what the book's HTML gets wrong for readers, in a page's body.

    - The "Show code cell source" toggles are named "Toggle hidden content", which differs
      from the words shown: the name now comes from the words.
    - Check boxes of a check list (facilitator guides) get the item's text as their name.
    - A table with a header row gets each cell's column name, so on a phone it can stack.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, "html.parser")
    for summary in soup.select("details summary[aria-label]"):
        del summary["aria-label"]
    for box in soup.select("li input.task-list-item-checkbox"):
        if not box.get("aria-label"):
            box["aria-label"] = " ".join(box.find_parent("li").get_text(" ").split())
    for table in soup.select("table"):
        rows = table.find_all("tr")
        heads = table.select("thead tr")
        # The header row: the table's <thead>, else a first row made of <th> cells only.
        head = heads[-1] if heads else (rows[0] if rows and not rows[0].find("td") else None)
        if head is None:
            continue
        names = [" ".join(th.get_text(" ").split()) for th in head.find_all(["th", "td"])]
        table["class"] = [*table.get("class", []), "circlekit-stack"]
        head["class"] = [*head.get("class", []), "circlekit-head"]
        for row in rows:
            if row is head or row.find_parent("thead"):
                continue
            for name, cell in zip(names, row.find_all(["td", "th"], recursive=False),
                                  strict=False):
                if name:
                    cell["data-label"] = name
    return str(soup)
