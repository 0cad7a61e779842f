"""`Quiz`: a self-check question with immediate feedback and the explanation. Every attempt is
recorded (the store keeps one row per attempt), so a facilitator sees which questions were hard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from circlekit.answers.record import Answer, JSONValue
from widgets.base import LABEL_ABOVE, Prompt, card_list, esc, esc_lines


class Quiz(Prompt):
    """`answer` is the right option's text or its index (0 for the first option)."""

    kind = "quiz"
    keep_key = None  # changing the choice after Check is the next try
    label_key = "kind_quiz"

    def __init__(self, id: str, question: str, options: Sequence[str],  # noqa: A002
                 answer: str | int, explain: str):
        options = [str(o) for o in options]
        if len(options) < 2 or len(set(options)) != len(options):
            raise ValueError(f"Quiz {id!r}: give at least two options, all different")
        if isinstance(answer, int) and not isinstance(answer, bool):
            if not 0 <= answer < len(options):
                raise ValueError(f"Quiz {id!r}: answer index {answer} is not between 0 and "
                                 f"{len(options) - 1}")
            correct = options[answer]
        elif str(answer) in options:
            correct = str(answer)
        else:
            raise ValueError(f"Quiz {id!r}: the answer {answer!r} is not one of the options")
        self.question = str(question)
        self.options = options
        self.answer = correct
        self.explain = str(explain)
        super().__init__(id)

    def _build(self) -> list[W.Widget]:
        t = self.t
        question = W.HTML(value=f'<p class="circlekit-prompt">{esc_lines(self.question)}</p>')
        self.radio = W.RadioButtons(options=self.options, value=None,
                                    description=t("quiz_choice"), style=LABEL_ABOVE,
                                    layout=W.Layout(width="100%"))
        self.check_button = W.Button(description=t("quiz_check"), tooltip=t("quiz_check_tip"),
                                     button_style="primary")
        self._on_click(self.check_button, self.save)
        self.feedback = W.HTML(value="")
        return [question, self.radio, self.check_button, self.feedback]

    def _get(self) -> str | None:
        return self.radio.value

    def _set(self, value: Any) -> None:
        if value is not None and value not in self.options:
            raise ValueError(f"Quiz {self.id!r} has no option {value!r}")
        self.radio.value = value

    def _stored(self, value: Any) -> JSONValue:
        return {"choice": value, "correct": value == self.answer}

    def _unstored(self, stored: JSONValue) -> Any:
        return stored.get("choice") if isinstance(stored, dict) else stored

    def _problem(self, value: Any) -> str | None:
        return self.t("quiz_choose") if value is None else None

    @property
    def correct(self) -> bool | None:
        """Whether the current choice is right (None before a choice is made)."""
        choice = self.value
        return None if choice is None else choice == self.answer

    def save(self) -> bool:
        # Feedback first: learning goes on even when the attempt cannot be recorded.
        self._show_feedback(self.value)
        return super().save()

    def _show_feedback(self, choice: str | None) -> None:
        if choice is None:
            self.feedback.value = ""
            return
        right = choice == self.answer
        verdict = self.t("quiz_right" if right else "quiz_wrong")
        colour = "#1d5e2c" if right else "#8a5300"
        explain = f"<p>{esc_lines(self.explain)}</p>"
        self.feedback.value = (
            f'<div class="circlekit-feedback" role="status" aria-live="polite">'
            f'<p style="color:{colour}"><strong>{esc(verdict)}</strong></p>{explain}</div>'
        )

    def _saved_message(self, stored: Answer) -> str:
        return self.t("quiz_attempt", count=stored.attempt)

    def _show_loaded(self, stored: Answer) -> None:
        choice = self._unstored(stored.value)
        self._set(choice)
        self._show_feedback(choice)
        self.status.say(self._saved_message(stored), "quiet")

    def attempts(self) -> list[Answer]:
        """Every recorded attempt of this learner, oldest first (raises StoreError)."""
        ctx = self.context
        return self.store.list(course=ctx.course, widget_id=self.id, kind=self.kind,
                               circle=ctx.circle, author=ctx.author)

    def _card_body(self) -> str:
        return (f'<p class="circlekit-card-prompt">{esc_lines(self.question)}</p>'
                + card_list(self.options))
