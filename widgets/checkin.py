"""`CheckIn`: a one-line answer at the start of a meeting, shown to the circle as a word wall."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from circlekit.errors import StoreError
from widgets.base import LABEL_ABOVE, Prompt, esc, esc_lines
from widgets.panel import CirclePanel

WORD_STYLE = (
    "display:inline-block;margin:0.2em;padding:0.2em 0.6em;border-radius:1em;"
    "background:#e6ecf2;color:#1b1b1b"
)


class CheckIn(Prompt):
    """A short check-in ("One word for how you arrive today?"). Words are shown without names."""

    kind = "checkin"
    label_key = "kind_checkin"

    def __init__(self, id: str, prompt: str):  # noqa: A002
        self.prompt = str(prompt)
        super().__init__(id)

    def _build(self) -> list[W.Widget]:
        t = self.t
        prompt = W.HTML(value=f'<p class="circlekit-prompt">{esc_lines(self.prompt)}</p>')
        self.text = W.Text(value="", description=t("your_answer"), placeholder=t("placeholder"),
                           style=LABEL_ABOVE, layout=W.Layout(width="100%", max_width="40em"))
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        self.wall = CirclePanel(f"{self.context.course}/{self.id}", t("checkin_wall"),
                                self._render_wall, t, self.status)
        self._panels.append(self.wall)
        return [prompt, self.text, self.save_button, self.status.widget, self.wall.widget]

    def _get(self) -> str:
        return self.text.value

    def _set(self, value: Any) -> None:
        self.text.value = "" if value is None else str(value)

    def _visibility(self) -> str:
        return "anonymous"

    def words(self) -> list[str]:
        """Everyone's check-ins in this circle, the learner's own included (raises StoreError)."""
        return [str(a.value) for a in self._answers() if a.shared_with_circle]

    def _render_wall(self) -> str:
        try:
            words = self.words()
        except StoreError as error:
            return f'<p class="circlekit-error">{esc(self.t("not_loaded", reason=str(error)))}</p>'
        if not words:
            return f'<p class="circlekit-empty">{esc(self.t("checkin_empty"))}</p>'
        chips = "".join(f'<span class="circlekit-word" style="{WORD_STYLE}">{esc(w)}</span>'
                        for w in words)
        return f'<div class="circlekit-wall">{chips}</div>'

    def _card_body(self) -> str:
        return f'<p class="circlekit-card-prompt">{esc_lines(self.prompt)}</p>'
