"""`MeetingReflection`: the facilitator's few minutes after each meeting.

    MeetingReflection("wai-1-meeting", week=1)

Who came, how it went (Great ... Awful) and one question that changes from week to week, so
that five meetings give five different looks back. The dashboard's "last meeting" view and
`circlekit report` read these answers.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from widgets.base import LABEL_ABOVE, Prompt, esc
from widgets.survey import SCALE, check_fields, question, text_box

# The rotating question, by week: week 1 gets the first, week 6 starts over.
PROMPTS = ("surprised", "challenging", "worked", "change", "advice")
# Stored as a number so reports can draw ratings over time: 5 is Great, 1 is Awful.
RATINGS = (5, 4, 3, 2, 1)


def prompt_for(week: int) -> str:
    """The key of the rotating question for `week` (1-based)."""
    return PROMPTS[(week - 1) % len(PROMPTS)]


class MeetingReflection(Prompt):
    """The value is {"week": int, "attendance": int, "present": str, "rating": 1..5,
    "prompt": key, "answer": str}, where "prompt" names the rotating question asked."""

    kind = "meeting-reflection"
    label_key = "kind_meeting_reflection"
    FIELDS = ("week", "attendance", "present", "rating", "prompt", "answer")

    def __init__(self, id: str, week: int):  # noqa: A002
        if isinstance(week, bool) or not isinstance(week, int) or week < 1:
            raise ValueError(f"MeetingReflection {id!r}: week is a whole number from 1, "
                             f"not {week!r}")
        self.week = week
        self.prompt = prompt_for(week)
        super().__init__(id)

    def prompt_question(self) -> str:
        return self.t(f"meeting_prompt_{self.prompt}")

    def _build(self) -> list[W.Widget]:
        t = self.t
        self.attendance = W.BoundedIntText(value=0, min=0, max=500,
                                           description=t("meeting_attendance_label"),
                                           style=LABEL_ABOVE)
        self.present = text_box(t, "meeting_present_label", t("meeting_present_q"))
        self.rating = W.RadioButtons(
            options=[(t(f"meeting_rating_{n}"), n) for n in RATINGS], value=None,
            description=t("meeting_rating_label"), style=LABEL_ABOVE,
        )
        self.answer = text_box(t, "your_answer", self.prompt_question(), rows=3)
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        return [
            W.HTML(value=f'<p class="circlekit-prompt">{esc(t("meeting_intro", week=self.week))}'
                         "</p>"),
            question(t("meeting_attendance_q")), self.attendance,
            question(t("meeting_present_q")), self.present,
            question(t("meeting_rating_q")), self.rating,
            question(self.prompt_question()), self.answer,
            self.save_button,
        ]

    def _get(self) -> dict[str, Any]:
        return {"week": self.week, "attendance": self.attendance.value,
                "present": self.present.value, "rating": self.rating.value,
                "prompt": self.prompt, "answer": self.answer.value}

    def _set(self, value: Any) -> None:
        value = value or {}
        check_fields(self, value, self.FIELDS, ("rating",))
        attendance = value.get("attendance") or 0
        if isinstance(attendance, bool) or not isinstance(attendance, int) or attendance < 0:
            raise ValueError(f"MeetingReflection {self.id!r}: attendance is a count of people, "
                             f"not {attendance!r}")
        self.attendance.value = attendance
        self.present.value = str(value.get("present") or "")
        self.rating.value = value.get("rating")
        self.answer.value = str(value.get("answer") or "")

    def _problem(self, value: Any) -> str | None:
        if value.get("rating") not in SCALE:
            return self.t("meeting_choose")
        return super()._problem(value)

    def _card_body(self) -> str:
        t = self.t
        rows = [t("meeting_attendance_q"), t("meeting_present_q"), t("meeting_rating_q"),
                self.prompt_question()]
        return (f'<p class="circlekit-card-prompt">{esc(t("meeting_intro", week=self.week))}</p>'
                '<ol class="circlekit-card-options">'
                + "".join(f"<li>{esc(q)}</li>" for q in rows) + "</ol>")
