"""`Survey` and `FacilitatorSurvey`: the end-of-course surveys, kept privately with the facilitator.

    Survey("wai-5-survey", goal="wai-goal", step="wai-5-first-step")  # learners, last week
    FacilitatorSurvey("wai-facilitator-survey")  # the facilitator, after the last meeting

Both values are small dicts of 1-5 ratings and texts (see each class); `circlekit report`
reads them back from the answer store or an export.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as W

from circlekit.errors import StoreError
from widgets.base import LABEL_ABOVE, Prompt, Strings, esc, esc_lines

SCALE = (1, 2, 3, 4, 5)
TEXT_LAYOUT = {"width": "100%", "flex_flow": "column"}


def question(text: str) -> W.HTML:
    return W.HTML(value=f'<p class="circlekit-prompt">{esc(text)}</p>')


def rating_buttons(t: Strings, scale_key: str, label_key: str) -> W.RadioButtons:
    """A 1-5 choice whose options read "1 Not at all" ... from `<scale_key>_1` ... `_5`."""
    return W.RadioButtons(options=[(t(f"{scale_key}_{n}"), n) for n in SCALE], value=None,
                          description=t(label_key), style=LABEL_ABOVE)


def text_box(t: Strings, label_key: str, tooltip: str, rows: int = 2) -> W.Textarea:
    return W.Textarea(value="", description=t(label_key), tooltip=tooltip, rows=rows,
                      style=LABEL_ABOVE, layout=W.Layout(**TEXT_LAYOUT))


def check_fields(widget: Prompt, value: Mapping[str, Any], fields: tuple[str, ...],
                 ratings: tuple[str, ...]) -> None:
    """Raise ValueError naming the field when `value` does not fit the widget."""
    unknown = set(value) - set(fields)
    if unknown:
        raise ValueError(f"{type(widget).__name__} {widget.id!r} has no field "
                         f"{sorted(unknown)[0]!r}; its fields are {fields}")
    for name in ratings:
        rating = value.get(name)
        if rating is not None and rating not in SCALE:
            raise ValueError(f"{type(widget).__name__} {widget.id!r}: {name} is a whole number "
                             f"from 1 to 5, not {rating!r}")


class Survey(Prompt):
    """The learner's end-of-course survey, with their goal (set with `Goal(goal)`) quoted back.

    The value is {"goal_met": 1..5, "confident": 1..5, "recommend": 1..5, "plans": str,
    "other": str, "consent": bool}; `consent` says whether the learner's words may be quoted,
    without their name, in a report.
    """

    kind = "survey"
    label_key = "kind_survey"
    FIELDS = ("goal_met", "confident", "recommend", "plans", "other", "consent")
    RATINGS = ("goal_met", "confident", "recommend")

    def __init__(self, id: str, goal: str | None = None,  # noqa: A002
                 step: str | None = None):
        self.goal_id = goal
        self.step_id = step  # a Discussion where the learner wrote the first step they will take
        super().__init__(id)

    def _own_answer(self, widget_id: str | None, kind: str) -> str | None:
        """What this learner saved for `widget_id` earlier in the course, or None."""
        if not widget_id:
            return None
        ctx = self.context
        try:
            stored = self.store.get(course=ctx.course, widget_id=widget_id, kind=kind,
                                    author=ctx.author, circle=ctx.circle)
        except StoreError:
            return None
        text = None if stored is None else stored.value
        return str(text) if text else None

    def goal_text(self) -> str | None:
        """The learner's goal as saved in the first week, or None."""
        return self._own_answer(self.goal_id, "goal")

    def step_text(self) -> str | None:
        """The first step the learner wrote down (the `step` prompt), or None."""
        return self._own_answer(self.step_id, "discussion")

    def _build(self) -> list[W.Widget]:
        t = self.t
        goal = self.goal_text()
        if goal:
            quote = (f"<p>{esc(t('goal_quote'))}</p>"
                     f'<blockquote class="circlekit-goal">{esc_lines(goal)}</blockquote>')
        else:
            quote = f"<p>{esc(t('goal_missing'))}</p>"
        step = self.step_text()
        if step:
            quote += (f"<p>{esc(t('survey_step_quote'))}</p>"
                      f'<blockquote class="circlekit-step">{esc_lines(step)}</blockquote>')
        intro = W.HTML(value=f'<p class="circlekit-prompt">{esc(t("survey_intro"))}</p>{quote}')
        self.goal_met = rating_buttons(t, "goal_scale", "survey_goal_met_label")
        self.confident = rating_buttons(t, "survey_confident", "survey_confident_label")
        self.recommend = rating_buttons(t, "survey_recommend", "survey_recommend_label")
        self.plans = text_box(t, "survey_plans_label", t("survey_plans_q"))
        self.other = text_box(t, "survey_other_label", t("survey_other_q"))
        self.consent = W.RadioButtons(options=[(t("yes"), True), (t("no"), False)], value=False,
                                      description=t("survey_consent_label"), style=LABEL_ABOVE)
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        return [
            intro,
            question(t("goal_how_far")), self.goal_met,
            question(t("survey_confident_q")), self.confident,
            question(t("survey_recommend_q")), self.recommend,
            question(t("survey_plans_q")), self.plans,
            question(t("survey_other_q")), self.other,
            question(t("survey_consent_q")), self.consent,
            self.save_button,
        ]

    def _get(self) -> dict[str, Any]:
        return {"goal_met": self.goal_met.value, "confident": self.confident.value,
                "recommend": self.recommend.value, "plans": self.plans.value,
                "other": self.other.value, "consent": bool(self.consent.value)}

    def _set(self, value: Any) -> None:
        value = value or {}
        check_fields(self, value, self.FIELDS, self.RATINGS)
        self.goal_met.value = value.get("goal_met")
        self.confident.value = value.get("confident")
        self.recommend.value = value.get("recommend")
        self.plans.value = str(value.get("plans") or "")
        self.other.value = str(value.get("other") or "")
        self.consent.value = value.get("consent") is True

    def _problem(self, value: Any) -> str | None:
        if any(value.get(name) is None for name in self.RATINGS):
            return self.t("survey_choose")
        return super()._problem(value)

    def _card_body(self) -> str:
        t = self.t
        rows = [t("goal_how_far"), t("survey_confident_q"), t("survey_recommend_q"),
                t("survey_plans_q"), t("survey_other_q"), t("survey_consent_q")]
        items = "".join(f"<li>{esc(q)}</li>" for q in rows)
        return (f'<p class="circlekit-card-prompt">{esc(t("survey_intro"))}</p>'
                f'<ol class="circlekit-card-options">{items}</ol>')


class FacilitatorSurvey(Prompt):
    """The facilitator's end survey.

    The value is {"goal": str, "rating": 1..5, "why": str, "recommend": 1..5}: their own goal,
    how they rate the course and why, and whether they would recommend facilitating it.
    """

    kind = "facilitator-survey"
    label_key = "kind_facilitator_survey"
    FIELDS = ("goal", "rating", "why", "recommend")
    RATINGS = ("rating", "recommend")

    def _build(self) -> list[W.Widget]:
        t = self.t
        self.goal = text_box(t, "fsurvey_goal_label", t("fsurvey_goal_q"))
        self.rating = rating_buttons(t, "fsurvey_rating", "fsurvey_rating_label")
        self.why = text_box(t, "fsurvey_why_label", t("fsurvey_why_q"))
        self.recommend = rating_buttons(t, "survey_recommend", "survey_recommend_label")
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        return [
            question(t("fsurvey_goal_q")), self.goal,
            question(t("fsurvey_rating_q")), self.rating,
            question(t("fsurvey_why_q")), self.why,
            question(t("fsurvey_recommend_q")), self.recommend,
            self.save_button,
        ]

    def _get(self) -> dict[str, Any]:
        return {"goal": self.goal.value, "rating": self.rating.value, "why": self.why.value,
                "recommend": self.recommend.value}

    def _set(self, value: Any) -> None:
        value = value or {}
        check_fields(self, value, self.FIELDS, self.RATINGS)
        self.goal.value = str(value.get("goal") or "")
        self.rating.value = value.get("rating")
        self.why.value = str(value.get("why") or "")
        self.recommend.value = value.get("recommend")

    def _problem(self, value: Any) -> str | None:
        if any(value.get(name) is None for name in self.RATINGS):
            return self.t("survey_choose")
        return super()._problem(value)

    def _card_body(self) -> str:
        t = self.t
        rows = [t("fsurvey_goal_q"), t("fsurvey_rating_q"), t("fsurvey_why_q"),
                t("fsurvey_recommend_q")]
        return '<ol class="circlekit-card-options">' + "".join(
            f"<li>{esc(q)}</li>" for q in rows) + "</ol>"
