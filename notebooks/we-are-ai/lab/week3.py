"""Week 3: the ethical matrix, in words.

Groups fill in the printed matrix on paper; `MatrixNotes` is where each learner types the words
for each box, kept in the answer store like any other answer and shown back after a restart.
It shows one stakeholder (one row) at a time, with a labeled box per value, so it never needs
a sideways scroll bar on a projector; the table under it wraps to the width of the page.
"""

from __future__ import annotations

import textwrap
from typing import Any

import ipywidgets as W

from widgets.a11y import name_slider_handles
from widgets.base import LABEL_ABOVE, Prompt, card, esc, esc_lines

from .display import figure_html, new_figure

MATRIX_STAKEHOLDERS = [
    "People walking or cycling",
    "Riders in the car",
    "The safety driver",
    "The car company",
    "Arizona's state leaders",  # the state allowed the tests (governor's order of 2015)
]
LEFT_OUT = "Who did we leave out?"  # a row each group names for itself
MATRIX_VALUES = [
    "Safety",
    "Getting there fast",
    "Fairness",
    "Privacy",
    "Being held responsible",
    "Money",
]
MATRIX_ROWS = [*MATRIX_STAKEHOLDERS, LEFT_OUT]
LEFT_OUT_NAME = "left out"  # the key under which the group's name for that row is kept
MATRIX_EXAMPLE = {
    ("People walking or cycling", "Safety"): "Could be hit. Cannot see what the car will do.",
}
SEP = " / "


def note_key(who: str, value: str) -> str:
    """The key a note is kept under: "Riders in the car / Safety"."""
    if who not in MATRIX_ROWS or value not in MATRIX_VALUES:
        raise KeyError(f"the matrix has no box {who!r} / {value!r}")
    return f"{who}{SEP}{value}"


def matrix_table_html(notes: dict[str, str]) -> str:
    """The notes as a table that wraps to the page: a row per stakeholder with any note."""
    left_out = notes.get(LEFT_OUT_NAME, "").strip()
    rows = []
    for who in MATRIX_ROWS:
        cells = [(v, notes.get(f"{who}{SEP}{v}", "").strip()) for v in MATRIX_VALUES]
        if not any(text for _, text in cells):
            continue
        name = esc(who) + (f": {esc(left_out)}" if who == LEFT_OUT and left_out else "")
        items = "".join(f"<li><b>{esc(v)}:</b> {esc_lines(text)}</li>" for v, text in cells if text)
        rows.append(f'<tr><th scope="row" style="text-align:left;vertical-align:top;'
                    f'padding:0.3em 0.7em;width:30%">{name}</th>'
                    f'<td style="padding:0.3em 0.7em;overflow-wrap:anywhere"><ul style="margin:0">'
                    f"{items}</ul></td></tr>")
    if not rows:
        return "<p><i>No notes yet.</i></p>"
    return ('<table class="wai-matrix-notes" style="width:100%;table-layout:fixed;'
            'border-collapse:collapse"><caption>Your notes for the ethical matrix</caption>'
            '<thead><tr><th scope="col" style="text-align:left;width:30%">Who is affected</th>'
            '<th scope="col" style="text-align:left">What each value means for them</th></tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def printed_matrix_html() -> str:
    """A picture of the matrix to fill in, with the one example box: the same as the printout."""
    fig = new_figure(9, 3.9)
    ax = fig.add_subplot()
    ax.set_xlim(-0.5, len(MATRIX_VALUES) - 0.5)
    ax.set_ylim(len(MATRIX_ROWS) - 0.5, -0.5)
    ax.set_xticks(range(len(MATRIX_VALUES)), [textwrap.fill(v, 12) for v in MATRIX_VALUES],
                  fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(MATRIX_ROWS)), MATRIX_ROWS, fontsize=9)
    ax.set_xticks([x - 0.5 for x in range(len(MATRIX_VALUES) + 1)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(len(MATRIX_ROWS) + 1)], minor=True)
    ax.grid(which="minor", color="#555555", linewidth=1)
    ax.tick_params(which="both", length=0)
    for (who, value), text in MATRIX_EXAMPLE.items():
        ax.text(MATRIX_VALUES.index(value), MATRIX_ROWS.index(who), textwrap.fill(text, 16),
                ha="center", va="center", fontsize=7)
    example = "; ".join(f"{w}, {v}: {t}" for (w, v), t in MATRIX_EXAMPLE.items())
    alt = (f"An empty ethical matrix. Rows: {', '.join(MATRIX_ROWS)}. Columns: "
           f"{', '.join(MATRIX_VALUES)}. One box is filled in as an example: {example}")
    return figure_html(fig, alt)


def printed_matrix() -> None:
    """Show the picture of the matrix to fill in."""
    from IPython.display import HTML, display

    display(HTML(printed_matrix_html()))
    # This week has no slider of its own, but the page's Timer has one: name its handle too.
    name_slider_handles()


class MatrixNotes(Prompt):
    """Each learner's words for the boxes of the ethical matrix, saved and shown back.

    The value is a flat dict: {"Riders in the car / Safety": "...", ..., "left out": "..."}.
    Kept as a "discussion" answer, private to the learner and the facilitator.
    """

    kind = "discussion"
    label_key = "kind_discussion"

    def __init__(self, id: str):  # noqa: A002 - `id` is the word course authors use
        self.notes: dict[str, str] = {}
        self.row = MATRIX_ROWS[0]
        super().__init__(id)

    def _build(self) -> list[W.Widget]:
        t = self.t
        # "auto", not "100%": a child that is 100% wide plus its margins would stick out of the
        # box by a few pixels and give the whole matrix a sideways scroll bar.
        def full() -> W.Layout:
            return W.Layout(width="auto", height="auto", flex_flow="column",
                            align_items="stretch")

        # Radio buttons, not a drop-down: every row's name stays in view, whole, and each
        # button has its own label.
        self.pick = W.RadioButtons(options=MATRIX_ROWS, value=self.row,
                                   description="Stakeholder (row of the matrix)",
                                   style=LABEL_ABOVE, layout=full())
        self.left_out = W.Text(value="", description="Who we left out (name them)",
                               placeholder="For example: people who use wheelchairs",
                               style=LABEL_ABOVE, layout=full())
        self.boxes = {v: W.Textarea(value="", description=v, rows=2, style=LABEL_ABOVE,
                                    placeholder=f"What does {v.lower()} mean for them here?",
                                    layout=full())
                      for v in MATRIX_VALUES}
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self.table = W.HTML(value=matrix_table_html({}), layout=W.Layout(width="auto"))
        self.pick.observe(self._switch, names="value")
        self._on_click(self.save_button, self.save)
        intro = W.HTML(value="<p>Pick a row. Type your group's words for each value, then press "
                       "<b>Save</b>. Your notes come back when you open the notebook again.</p>")
        return [intro, self.pick, self.left_out, *self.boxes.values(), self.save_button,
                self.status.widget, self.table]

    def _make_view(self) -> W.Widget:
        view = super()._make_view()
        view.add_class("wai-matrix")
        return view

    def _with_row(self) -> dict[str, str]:
        """`notes` with the boxes on screen (the row now shown) copied in; `notes` unchanged,
        so reading the answer (as the status line does on every edit) never changes it."""
        notes = dict(self.notes)
        for value, box in self.boxes.items():
            key = note_key(self.row, value)
            if box.value.strip():
                notes[key] = box.value
            else:
                notes.pop(key, None)
        return notes

    def _keep_row(self) -> None:
        """Copy the boxes on screen into `notes` (for the row now shown)."""
        self.notes = self._with_row()

    def _show_row(self) -> None:
        for value, box in self.boxes.items():
            box.value = self.notes.get(note_key(self.row, value), "")

    def _switch(self, change: dict[str, Any]) -> None:
        self.row = change["old"]
        self._keep_row()
        self.row = change["new"]
        self._show_row()

    def _get(self) -> dict[str, str]:
        value = self._with_row()
        if self.left_out.value.strip():
            value[LEFT_OUT_NAME] = self.left_out.value
        return value

    def _set(self, value: Any) -> None:
        value = dict(value or {})
        self.left_out.value = str(value.pop(LEFT_OUT_NAME, "") or "")
        for key in value:
            who, _, what = key.partition(SEP)
            note_key(who, what)  # KeyError for a box the matrix does not have
        self.notes = {k: str(v) for k, v in value.items() if str(v).strip()}
        self._show_row()
        self.table.value = matrix_table_html(self._get())

    def _after_save(self, stored: Any) -> None:
        self.table.value = matrix_table_html(self._get())
        super()._after_save(stored)

    def card_html(self) -> str:
        rows = "".join(f"<li>{esc(w)}</li>" for w in MATRIX_ROWS)
        body = (f"<p>Your group's words for each box of the ethical matrix. Rows: </p><ul>{rows}"
                f"</ul><p>Values: {esc(', '.join(MATRIX_VALUES))}.</p>")
        return card("matrix", "Ethical matrix notes", body, self.t("card_answer"))

    def _card_body(self) -> str:
        return ""
