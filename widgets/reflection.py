"""`Reflection`: the closing reflection, plus/delta or learned/liked/wish/wonder."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from widgets.base import LABEL_ABOVE, Prompt, esc

QUESTIONS = {
    "plus-delta": ("plus", "delta"),
    "four-questions": ("learned", "liked", "wish", "wonder"),
}


class Reflection(Prompt):
    """One box per question; the value is a dict like {"plus": ..., "delta": ...}.

    Seen by the learner and the facilitator, who reads them to improve the next meeting.
    """

    kind = "reflection"
    label_key = "kind_reflection"

    def __init__(self, id: str, kind: str = "plus-delta"):  # noqa: A002
        if kind not in QUESTIONS:
            raise ValueError(f"Reflection {id!r}: kind must be one of {tuple(QUESTIONS)}, "
                             f"not {kind!r}")
        self.reflection_kind = kind
        self.fields = QUESTIONS[kind]
        super().__init__(id)

    def questions(self) -> dict[str, str]:
        """Each field's full question, in the learner's language."""
        return {name: self.t(f"{name}_q") for name in self.fields}

    def _build(self) -> list[W.Widget]:
        t = self.t
        self.boxes: dict[str, W.Textarea] = {}
        children: list[W.Widget] = []
        for name, question in self.questions().items():
            children.append(W.HTML(value=f'<p class="circlekit-prompt">{esc(question)}</p>'))
            # The short label names the box for screen readers; the tooltip repeats the question.
            box = W.Textarea(value="", description=t(name), tooltip=question, rows=3,
                             style=LABEL_ABOVE, layout=W.Layout(width="100%", flex_flow="column"))
            self.boxes[name] = box
            children.append(box)
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        children.append(self.save_button)
        return children

    def _get(self) -> dict[str, str]:
        return {name: box.value for name, box in self.boxes.items()}

    def _set(self, value: Any) -> None:
        value = value or {}
        unknown = set(value) - set(self.fields)
        if unknown:
            raise ValueError(f"Reflection {self.id!r} has no question {sorted(unknown)[0]!r}; "
                             f"its questions are {self.fields}")
        for name, box in self.boxes.items():
            box.value = str(value.get(name) or "")

    def _card_body(self) -> str:
        rows = "".join(f"<li>{esc(q)}</li>" for q in self.questions().values())
        return f'<ul class="circlekit-card-options">{rows}</ul>'
