"""Survey, MeetingReflection and FacilitatorSurvey, driven headless: each answer is stored and
read back through the answer store, privately with the facilitator."""

from __future__ import annotations

import pytest

from circlekit.answers.local import LocalStore
from circlekit.notebooks import widget_uses
from widgets import FacilitatorSurvey, Goal, MeetingReflection, Survey, configure

XSS = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.usefixtures("answers_store")


def test_survey_quotes_the_goal_and_stores_every_field(answers_store: LocalStore) -> None:
    goal = Goal("demo-goal")
    goal.text.value = f"Talk about AI at work {XSS}"
    goal.save_button.click()
    configure(notebook="05-end.ipynb")
    survey = Survey("demo-5-survey", goal="demo-goal")
    quote = survey.view.children[0].value
    assert "Talk about AI at work" in quote and "<img" not in quote and "&lt;img" in quote
    assert [o for o, _ in survey.confident.options][0] == "1 No more than before"
    survey.goal_met.value = 4
    survey.confident.value = 5
    survey.recommend.value = 3
    survey.plans.value = "Show my son"
    survey.consent.value = True
    survey.save_button.click()
    assert survey.status.text == "Saved."
    expected = {"goal_met": 4, "confident": 5, "recommend": 3, "plans": "Show my son",
                "other": "", "consent": True}
    assert survey.saved_value == expected
    stored = answers_store.get(course="demo", widget_id="demo-5-survey", kind="survey",
                               author="ana", circle="c1")
    assert stored is not None and stored.visibility == "facilitator"
    assert stored.value == expected and stored.notebook == "05-end.ipynb"
    # Opened again (a restarted kernel): the saved answer is shown.
    again = Survey("demo-5-survey", goal="demo-goal")
    assert again.value == expected and again.goal_met.value == 4


def test_survey_quotes_back_the_first_step_the_learner_wrote(answers_store: LocalStore) -> None:
    from widgets import Discussion

    assert "first step" not in Survey("demo-5-survey", step="demo-5-first-step").view.children[
        0].value  # nothing written yet: nothing quoted
    step = Discussion("demo-5-first-step", "Write the first step of your action.")
    step.text.value = f"Ask the library how its app picks books {XSS}"
    step.save_button.click()
    survey = Survey("demo-5-survey", goal="demo-goal", step="demo-5-first-step")
    quote = survey.view.children[0].value
    assert "The first step you said you would take:" in quote
    assert "Ask the library how its app picks books" in quote and "<img" not in quote


def test_survey_needs_ratings_and_defaults_to_no_quote(answers_store: LocalStore) -> None:
    survey = Survey("demo-5-survey", goal="demo-goal")
    assert "did not write down a goal" in survey.view.children[0].value
    survey.goal_met.value = 2
    survey.plans.value = "nothing yet"
    assert survey.save() is False and "1 to 5" in survey.status.text
    assert answers_store.list() == []
    survey.confident.value = 1
    survey.recommend.value = 1
    assert survey.save()
    assert survey.saved_value["consent"] is False
    with pytest.raises(ValueError, match="1 to 5"):
        survey.value = {"goal_met": 9}
    with pytest.raises(ValueError, match="no field 'mood'"):
        survey.value = {"mood": "x"}


def test_meeting_reflection_rotates_its_question_and_stores_attendance(
        answers_store: LocalStore) -> None:
    configure(author="lee")  # the facilitator
    asked = {MeetingReflection(f"demo-{w}-meeting", week=w).prompt_question()
             for w in range(1, 6)}
    assert len(asked) == 5 and "What surprised you today?" in asked
    week2 = MeetingReflection("demo-2-meeting", week=2)
    assert [o for o, _ in week2.rating.options] == [
        "Great", "Good", "Okay", "Not so good", "Awful"]
    week2.attendance.value = 6
    week2.present.value = "Ana, Bob, Chen, Dee, Eli, Fay"
    week2.answer.value = "The fraud rule game ran long."
    assert week2.save() is False and "Great to Awful" in week2.status.text
    week2.rating.value = 4
    week2.save_button.click()
    stored = answers_store.get(course="demo", widget_id="demo-2-meeting",
                               kind="meeting-reflection", author="lee", circle="c1")
    assert stored is not None and stored.visibility == "facilitator"
    assert stored.value == {"week": 2, "attendance": 6, "present": "Ana, Bob, Chen, Dee, Eli, Fay",
                            "rating": 4, "prompt": "challenging",
                            "answer": "The fraud rule game ran long."}
    assert MeetingReflection("demo-2-meeting", week=2).attendance.value == 6
    with pytest.raises(ValueError, match="week"):
        MeetingReflection("demo-0-meeting", week=0)


def test_facilitator_survey(answers_store: LocalStore) -> None:
    configure(author="lee")
    survey = FacilitatorSurvey("demo-facilitator-survey")
    survey.goal.value = "Run a circle on my own"
    survey.rating.value = 5
    survey.why.value = "Clear guides"
    assert survey.save() is False  # "would recommend" is still empty
    survey.recommend.value = 4
    survey.save_button.click()
    assert FacilitatorSurvey("demo-facilitator-survey").value == {
        "goal": "Run a circle on my own", "rating": 5, "why": "Clear guides", "recommend": 4}
    [stored] = answers_store.list(kind="facilitator-survey")
    assert stored.visibility == "facilitator" and stored.author == "lee"


def test_cards_strings_and_labels() -> None:
    survey = Survey("demo-5-survey", goal="demo-goal")
    card = survey.card_html()
    assert "recommend this course" in card and "quote what you wrote" in card
    assert "What advice would you give" in MeetingReflection("demo-5-meeting", week=5).card_html()
    assert "rate this course" in FacilitatorSurvey("demo-facilitator-survey").card_html()
    bundle = survey._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    configure(lang="es")
    spanish = MeetingReflection("demo-1-meeting", week=1)
    assert spanish.prompt_question() == "¿Qué te sorprendió hoy?"
    assert [o for o, _ in spanish.rating.options][0] == "Muy bien"


def test_circlekit_check_knows_the_new_widgets() -> None:
    cell = {"cell_type": "code", "metadata": {}, "source": (
        'Survey("demo-5-survey", goal="demo-goal")\n'
        'MeetingReflection("demo-5-meeting", week=5)\n'
        'FacilitatorSurvey("demo-facilitator-survey")\n')}
    uses = widget_uses({"cells": [cell]})
    assert [(u.kind, u.id) for u in uses] == [
        ("Survey", "demo-5-survey"), ("MeetingReflection", "demo-5-meeting"),
        ("FacilitatorSurvey", "demo-facilitator-survey")]
