"""What every week uses to draw: escaped HTML, live output areas, self-describing controls.

The book cannot run Python, so every activity first shows a static HTML view of its starting
state, and controls carry an HTML card that says what they are and where they start.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"

# Text colours with at least 4.5:1 contrast on white (checked with the WCAG formula in tests).
DARK_BLUE = "#005A8C"
DARK_RED = "#A3320B"
DARK_GREEN = "#1B6E3A"
GREY_TEXT = "#555555"
BAR_BLUE = "#0072B2"


def esc(value: object) -> str:
    return html.escape(str(value))


def read_json(name: str) -> Any:
    """A course data file; a clear message when it is missing."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing. Remake the course data with: python data/make_data.py"
        )
    return json.loads(path.read_text(encoding="utf-8"))


class Raw(str):
    """HTML we wrote ourselves, placed in a table cell unescaped."""


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
    return (
        f'<table class="il-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def bar_html(label: str, value: float, maximum: float, note: str = "") -> str:
    """One labelled horizontal bar drawn with HTML, readable without pictures."""
    share = 0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
    return (
        '<div class="il-bar" style="margin:0.2em 0">'
        f'<div style="font-size:0.95em">{esc(label)} <b>{esc(note)}</b></div>'
        f'<div style="background:#e6e6e6;height:0.8em;width:20em;max-width:100%">'
        f'<div style="background:{BAR_BLUE};height:0.8em;width:{share * 100:.0f}%"></div></div>'
        "</div>"
    )


def box_html(title: str, inner: str, border: str = "#999999") -> str:
    return (
        f'<div class="il-box" style="border:1px solid {border};border-radius:6px;'
        f'padding:0.5em 1em;margin:0.5em 0;background:#ffffff;color:#222222">'
        f"<p><b>{esc(title)}</b></p>{inner}</div>"
    )


def bundle(markup: str, text: str) -> dict[str, str]:
    return {"text/html": markup, "text/plain": text}


def show_html(markup: str, text: str = "(a table)") -> None:
    from IPython.display import display

    display(bundle(markup, text), raw=True)


def show(*things: object) -> None:
    from IPython.display import display

    from widgets.a11y import has_slider, name_slider_handles

    for thing in things:
        display(thing)
        if isinstance(thing, Controls) and has_slider(thing.box):
            name_slider_handles()  # ipywidgets leaves slider handles unnamed for screen readers


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
            '<div class="il-controls" style="border:1px solid #999999;border-radius:6px;'
            'padding:0.5em 1em;margin:0.5em 0;background:#f7f7f7;color:#222222">'
            f"<p><b>{esc(self.title)}</b> (these controls move when you run the notebook; "
            "here they are at their starting places)</p>"
            f"<ul>{items}</ul></div>"
        )
        data["text/plain"] = self.title
        return data


def wide(**kw: Any) -> Any:
    """A layout that lets a long label take the room it needs, so nothing is cut."""
    import ipywidgets as w

    kw.setdefault("width", "auto")
    return w.Layout(**kw)


LABEL_WIDE = {"description_width": "initial"}
