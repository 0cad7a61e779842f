"""`show_figure`: a plot with a text alternative, for people who cannot see it.

JupyterLab draws a plain `plt.show()` as an image with no alternative text, which a screen
reader announces as nothing at all. This shows the figure as an HTML image with `alt` instead,
which JupyterLab and the book both prefer over the bare image.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from widgets.base import esc


def figure_html(fig: Any, alt: str) -> str:
    """The figure as an <img> holding its PNG, with `alt` as its text alternative."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<img class="circlekit-figure" src="data:image/png;base64,{data}" alt="{esc(alt)}" '
            'style="max-width:100%">')


def show_figure(alt: str, fig: Any = None) -> None:
    """Show `fig` (by default the current matplotlib figure) with its text alternative."""
    if not str(alt).strip():
        raise ValueError("show_figure: describe the figure in words (alt), for people who "
                         "cannot see it")
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    fig = fig if fig is not None else plt.gcf()
    html = figure_html(fig, str(alt))
    plt.close(fig)  # or the inline backend would draw it a second time, without alt
    display(HTML(html))
