"""The course's own drawing helpers (colors, bars, boxes, data files), on top of what every
course's activities draw with (`widgets.activity`: escaped HTML, live output areas,
self-describing controls), which the weeks also import from here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from widgets.activity import (  # noqa: F401 - the weeks import these from here
    LABEL_WIDE,
    Controls,
    Live,
    Raw,
    bundle,
    esc,
    show,
    show_html,
    table_html,
    wide,
)

DATA = Path(__file__).resolve().parent.parent / "data"

# Text colours with at least 4.5:1 contrast on white (checked with the WCAG formula in tests).
DARK_BLUE = "#005A8C"
DARK_RED = "#A3320B"
DARK_GREEN = "#1B6E3A"
GREY_TEXT = "#555555"
BAR_BLUE = "#0072B2"


def read_json(name: str) -> Any:
    """A course data file; a clear message when it is missing."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing. Remake the course data with: python data/make_data.py"
        )
    return json.loads(path.read_text(encoding="utf-8"))


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


