"""`Goal`: write a learning goal in the first week; `Goal(id).check()` looks back at it later."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from circlekit.errors import StoreError
from widgets.base import LABEL_ABOVE, Prompt, esc, esc_lines

SCALE = (1, 2, 3, 4, 5)


class Goal(Prompt):
    """The learner's goal for the course, kept privately with the facilitator."""

    kind = "goal"
    label_key = "kind_goal"

    def _build(self) -> list[W.Widget]:
        t = self.t
        prompt = W.HTML(value=f'<p class="circlekit-prompt">{esc(t("goal_prompt"))}</p>')
        self.text = W.Textarea(value="", description=t("goal_label"), rows=3, style=LABEL_ABOVE,
                               layout=W.Layout(width="100%", flex_flow="column"))
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        return [prompt, self.text, self.save_button]

    def _get(self) -> str:
        return self.text.value

    def _set(self, value: Any) -> None:
        self.text.value = "" if value is None else str(value)

    def _card_body(self) -> str:
        return f'<p class="circlekit-card-prompt">{esc(self.t("goal_prompt"))}</p>'

    def check(self) -> GoalCheck:
        """The look-back widget for the last week: the goal quoted back, then 1–5 and a comment."""
        return GoalCheck(self)


class GoalCheck(Prompt):
    """How far the goal was met (1 Not at all … 5 Completely), with an optional comment.

    The value is {"rating": 1..5, "comment": str}. It shares the goal's id (kind "goal-check").
    """

    kind = "goal-check"
    label_key = "kind_goal_check"

    def __init__(self, goal: Goal):
        self.goal = goal
        super().__init__(goal.id)

    def goal_text(self) -> str | None:
        try:
            text = self.goal.saved_value
        except StoreError:
            return None
        return text or None

    def _build(self) -> list[W.Widget]:
        t = self.t
        goal = self.goal_text()
        if goal:
            quote = (f"<p>{esc(t('goal_quote'))}</p>"
                     f'<blockquote class="circlekit-goal">{esc_lines(goal)}</blockquote>')
        else:
            quote = f"<p>{esc(t('goal_missing'))}</p>"
        self.rating = W.RadioButtons(
            options=[(t(f"goal_scale_{n}"), n) for n in SCALE], value=None,
            description=t("goal_how_far"), style=LABEL_ABOVE, layout=W.Layout(width="100%"),
        )
        self.comment = W.Textarea(value="", description=t("goal_comment"), rows=2,
                                  style=LABEL_ABOVE,
                                  layout=W.Layout(width="100%", flex_flow="column"))
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        return [W.HTML(value=quote), self.rating, self.comment, self.save_button]

    def _get(self) -> dict[str, Any]:
        return {"rating": self.rating.value, "comment": self.comment.value}

    def _set(self, value: Any) -> None:
        value = value or {}
        rating = value.get("rating")
        if rating is not None and rating not in SCALE:
            raise ValueError(f"a goal rating is a whole number from 1 to 5, not {rating!r}")
        self.rating.value = rating
        self.comment.value = str(value.get("comment") or "")

    def _problem(self, value: Any) -> str | None:
        if value.get("rating") is None:
            return self.t("goal_choose")
        return super()._problem(value)

    def _card_body(self) -> str:
        scale = " · ".join(esc(self.t(f"goal_scale_{n}")) for n in SCALE)
        return f'<p class="circlekit-card-prompt">{esc(self.t("goal_how_far"))}</p><p>{scale}</p>'
