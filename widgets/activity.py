"""What every course's activities draw with: escaped HTML, live output areas, self-describing
controls.

The book cannot run Python, so an activity first shows a static HTML view of its starting
state, and its controls carry an HTML card that says what they are and where they start.
JupyterLab, Notebook 7 and VS Code draw the live controls instead of the card. A course's own
`lab` package adds its colors, data and pictures on top of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from widgets.a11y import has_slider, name_slider_handles
from widgets.base import esc

# Words on a light grey card: #222222 on #f7f7f7 is 14.7:1, well past WCAG's 4.5:1.
CARD_STYLE = ("border:1px solid #999999;border-radius:6px;padding:0.5em 1em;margin:0.5em 0;"
              "background:#f7f7f7;color:#222222")


class Raw(str):
    """HTML we wrote ourselves, to be placed in a table cell unescaped."""


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """A plain HTML table. Cells are escaped unless given as `Raw(...)`."""
    pad = 'style="padding:0.2em 0.7em;text-align:left;vertical-align:top"'
    head = "".join(f'<th scope="col" {pad}>{esc(h)}</th>' for h in headers)
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
        f'<div class="ck-table-box" role="region" tabindex="0" '
        f'aria-label="{esc(caption or "Table")}" style="overflow-x:auto;max-width:100%">'
        f'<table class="ck-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
        "</table></div>"
    )


def bundle(markup: str, text: str) -> dict[str, str]:
    return {"text/html": markup, "text/plain": text}


def show_html(markup: str, text: str = "(a table)") -> None:
    from IPython.display import display

    display(bundle(markup, text), raw=True)


class Live:
    """One output area that can be redrawn when a control changes."""

    def __init__(self, markup: str, text: str = "(a table or picture)") -> None:
        from IPython.display import display

        self.handle = display(bundle(markup, text), raw=True, display_id=True)

    def update(self, markup: str, text: str = "(a table or picture)") -> None:
        if self.handle is not None:
            self.handle.update(bundle(markup, text), raw=True)


class Controls:
    """ipywidgets controls that also describe themselves in plain HTML for the book."""

    def __init__(self, box: Any, describe: Callable[[], list[tuple[str, str]]], title: str):
        self.box = box
        self.describe = describe
        self.title = title

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        data = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(data, tuple):
            data = data[0]
        items = "".join(
            f"<li><b>{esc(name)}</b>: {esc(value)}</li>" for name, value in self.describe()
        )
        data["text/html"] = (
            f'<div class="ck-controls" style="{CARD_STYLE}">'
            f"<p><b>{esc(self.title)}</b> (these controls move when you run the notebook; "
            "here they are at their starting places)</p>"
            f"<ul>{items}</ul></div>"
        )
        data["text/plain"] = self.title
        return data


def show(*things: object) -> None:
    """Display each thing; sliders among a Controls' widgets get named handles."""
    from IPython.display import display

    for thing in things:
        display(thing)
        if isinstance(thing, Controls) and has_slider(thing.box):
            name_slider_handles()  # ipywidgets leaves slider handles unnamed for screen readers


def wide(**kw: Any) -> Any:
    """A layout that lets a long label take the room it needs, so nothing is cut."""
    import ipywidgets as w

    kw.setdefault("width", "auto")
    return w.Layout(**kw)


# A control's description takes the room it needs instead of a fixed, cutting width.
LABEL_WIDE = {"description_width": "initial"}
