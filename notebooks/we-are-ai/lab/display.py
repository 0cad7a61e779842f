"""The course's colors, pictures and data files, on top of what every course's activities
draw with (`widgets.activity`: static HTML the book can print, live updates in a notebook),
which the weeks also import from here.
"""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

from widgets.activity import (  # noqa: F401 - the weeks import these from here
    Controls,
    Live,
    Raw,
    bundle,
    esc,
    show,
    show_html,
    table_html,
)

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


def layout(**kw):
    import ipywidgets as w

    return w.Layout(**kw)

