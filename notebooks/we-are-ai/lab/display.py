"""How the activities show things: static HTML the book can print, live updates in a notebook,
the course's colors, and reading the course data.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from widgets.a11y import has_slider, name_slider_handles

DATA = Path(__file__).resolve().parent.parent / "data"  # the course folder's data/

# Colors that stay apart for people with color blindness (Okabe and Ito). GREEN and RED are
# darker shades of Okabe and Ito's bluish green (#009E73) and vermilion (#D55E00): the lab writes
# words in them, and words need a contrast of at least 4.5:1 on white (WCAG 2.1, 1.4.3);
# these reach 5.3:1. ORANGE, PINK and GREY only fill shapes in pictures, never words.
BLUE, ORANGE, GREEN, RED, PINK, GREY = (
    "#0072B2",
    "#E69F00",
    "#007A5A",
    "#B34D00",
    "#CC79A7",
    "#999999",
)


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a course data file, as dictionaries of text."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing. Remake the course data with: python data/make_data.py"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# =========================================================================================
# Showing things: static HTML that the book can print, and live updates in a running notebook
# =========================================================================================


def esc(value: object) -> str:
    return html.escape(str(value))


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """A plain HTML table. Cells are escaped; a cell given as `Raw(...)` is not."""
    pad = 'style="padding:0.2em 0.7em;text-align:left"'
    head = "".join(f"<th {pad}>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td {pad}>{c if isinstance(c, Raw) else esc(c)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    # On a phone a wide table scrolls inside its own box. The box can take the keyboard focus
    # (tabindex) and has a name, so people who do not use a mouse can scroll it too.
    return (
        f'<div class="wai-table-box" role="region" tabindex="0" '
        f'aria-label="{esc(caption or "Table")}" style="overflow-x:auto;max-width:100%">'
        f'<table class="wai-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        "</div>"
    )


class Raw(str):
    """HTML we wrote ourselves, to be placed in a table cell unescaped."""


def figure_html(fig, alt: str) -> str:
    """A matplotlib figure as an <img> with alt text, so it shows in the book without a kernel."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" style="max-width:100%">'


def new_figure(width: float = 7.0, height: float = 3.2):
    # A bare Figure, not pyplot: nothing is drawn twice and no global state is kept.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.set_layout_engine("tight")
    return fig


def bundle(markup: str, text: str) -> dict[str, str]:
    return {"text/html": markup, "text/plain": text}


class Live:
    """One output area that can be redrawn when a control changes."""

    def __init__(self, markup: str, text: str = "(a table or picture)") -> None:
        from IPython.display import display

        self.handle = display(bundle(markup, text), raw=True, display_id=True)

    def update(self, markup: str, text: str = "(a table or picture)") -> None:
        if self.handle is not None:
            self.handle.update(bundle(markup, text), raw=True)


class Controls:
    """ipywidgets controls that also describe themselves in plain HTML.

    JupyterLab, Notebook 7 and VS Code draw the live controls. The book, which cannot run
    Python, shows the HTML card instead: which controls there are and where they start.
    """

    def __init__(self, box, describe: Callable[[], list[tuple[str, str]]], title: str) -> None:
        self.box = box
        self.describe = describe
        self.title = title

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        items = "".join(
            f"<li><b>{esc(name)}</b>: {esc(value)}</li>" for name, value in self.describe()
        )
        bundle["text/html"] = (
            '<div class="wai-controls" style="border:1px solid #ccc;border-radius:6px;'
            'padding:0.5em 1em;margin:0.5em 0;background:#f7f7f7">'
            f"<p><b>{esc(self.title)}</b> (these controls move when you run the notebook; "
            "here they are at their starting places)</p>"
            f"<ul>{items}</ul></div>"
        )
        bundle["text/plain"] = self.title
        return bundle


def show(*things) -> None:
    from IPython.display import display

    for thing in things:
        display(thing)
        if isinstance(thing, Controls) and has_slider(thing.box):
            name_slider_handles()


def layout(**kw):
    import ipywidgets as w

    return w.Layout(**kw)

def show_html(markup: str) -> None:
    from IPython.display import display

    display(bundle(markup, "(a table)"), raw=True)
