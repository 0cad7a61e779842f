# ruff: noqa: E731  (short lambdas describe the controls; they read better than named functions)
"""Week 3: the ethical matrix.
"""

from __future__ import annotations

import numpy as np

from .display import ORANGE, Controls, Live, esc, figure_html, layout, new_figure, show

MATRIX_STAKEHOLDERS = [
    "People walking or cycling",
    "Riders in the car",
    "The safety driver",
    "The car company",
    "The city and its leaders",
]
MATRIX_VALUES = [
    "Safety",
    "Getting there fast",
    "Fairness",
    "Privacy",
    "Being held responsible",
    "Money",
]


MATRIX_LEVELS = ["—", "matters", "at risk"]  # what a box of the matrix can say
MATRIX_EXAMPLE = {("People walking or cycling", "Safety"): "at risk"}


def matrix_grid(marks: dict[tuple[str, str], str]) -> np.ndarray:
    """The matrix as numbers, stakeholders down and values across: 0 empty, 1 matters, 2 at risk."""
    grid = np.zeros((len(MATRIX_STAKEHOLDERS), len(MATRIX_VALUES)), dtype=int)
    for (who, value), level in marks.items():
        grid[MATRIX_STAKEHOLDERS.index(who), MATRIX_VALUES.index(value)] = MATRIX_LEVELS.index(
            level
        )
    return grid


def values_at_risk(marks: dict[tuple[str, str], str]) -> dict[str, list[str]]:
    """For each value, the stakeholders for whom the group marked it "at risk"."""
    out: dict[str, list[str]] = {v: [] for v in MATRIX_VALUES}
    for who in MATRIX_STAKEHOLDERS:
        for value in MATRIX_VALUES:
            if marks.get((who, value)) == "at risk":
                out[value].append(who)
    return out


def _matrix_html(marks: dict[tuple[str, str], str]) -> str:
    from matplotlib.colors import ListedColormap

    grid = matrix_grid(marks)
    fig = new_figure(9, 3.4)
    ax = fig.add_subplot()
    colours = ListedColormap(["#f4f4f4", "#9ecae1", ORANGE])
    ax.imshow(grid, cmap=colours, vmin=0, vmax=2, aspect="auto")
    labels = [
        {
            "Getting there fast": "Getting\nthere fast",
            "Being held responsible": "Being held\nresponsible",
        }.get(v, v)
        for v in MATRIX_VALUES
    ]
    ax.set_xticks(range(len(MATRIX_VALUES)), labels, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(MATRIX_STAKEHOLDERS)), MATRIX_STAKEHOLDERS)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if grid[i, j]:
                ax.text(j, i, MATRIX_LEVELS[grid[i, j]], ha="center", va="center", fontsize=8)
    ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, grid.shape[0]), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    filled = [f"{who}: {value} {level}" for (who, value), level in marks.items() if level != "—"]
    alt = "Ethical matrix of stakeholders and values. " + (
        "Marked boxes: " + "; ".join(filled) if filled else "No box is marked yet."
    )
    risky = [(v, w) for v, w in values_at_risk(marks).items() if w]
    summary = "".join(
        f"<li><b>{esc(v)}</b> is at risk for: {esc(', '.join(w))}</li>" for v, w in risky
    )
    return figure_html(fig, alt) + (f"<ul>{summary}</ul>" if summary else "")


def matrix_builder() -> None:
    """A drop-down in every box of the matrix; a picture shows what matters and what is at risk."""
    import ipywidgets as w

    boxes: dict[tuple[str, str], object] = {}
    rows = [
        w.HBox(
            [w.HTML("<b>Who is affected?</b>", layout=layout(width="14em"))]
            + [w.HTML(f"<b>{esc(v)}</b>", layout=layout(width="8.5em")) for v in MATRIX_VALUES]
        )
    ]
    for who in MATRIX_STAKEHOLDERS:
        line = [w.HTML(esc(who), layout=layout(width="14em"))]
        for value in MATRIX_VALUES:
            d = w.Dropdown(
                options=MATRIX_LEVELS,
                value=MATRIX_EXAMPLE.get((who, value), "—"),
                layout=layout(width="8.5em"),
            )
            boxes[(who, value)] = d
            line.append(d)
        rows.append(w.HBox(line))

    def marks() -> dict[tuple[str, str], str]:
        return {k: d.value for k, d in boxes.items() if d.value != "—"}

    def redraw(_c=None) -> None:
        out.update(_matrix_html(marks()))

    describe = lambda: (
        [(f"{who} / {value}", level) for (who, value), level in marks().items()]
        or [("Every box", "empty")]
    )
    show(Controls(w.VBox(rows), describe, "The ethical matrix for the Tempe crash"))
    out = Live(_matrix_html(marks()))
    for d in boxes.values():
        d.observe(redraw, names="value")
