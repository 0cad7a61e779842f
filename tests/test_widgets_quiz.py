"""Quiz, driven headless: feedback with the explanation, and every attempt recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from circlekit.answers.local import LocalStore
from widgets import Quiz, configure

XSS = "<img src=x onerror=alert(1)>"


# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def make(answer: object = "A spam filter") -> Quiz:
    return Quiz("demo-1-quiz", "Which of these learns from examples?",
                ["A calculator", "A spam filter", "A light switch"], answer,
                f"Spam filters learn from emails people marked. {XSS}")


def test_feedback_and_attempts(answers_store: LocalStore) -> None:
    quiz = make()
    quiz.check_button.click()
    assert "Choose an answer first" in quiz.status.text and answers_store.list() == []
    quiz.radio.value = "A calculator"
    quiz.check_button.click()
    assert "Not quite" in quiz.feedback.value
    assert "Spam filters learn" in quiz.feedback.value and "<img" not in quiz.feedback.value
    assert quiz.correct is False
    quiz.radio.value = "A spam filter"
    quiz.check_button.click()
    assert "Right!" in quiz.feedback.value and quiz.correct is True
    assert "Attempt 2" in quiz.status.text
    rows = answers_store.list()
    assert [(a.attempt, a.value) for a in rows] == [
        (1, {"choice": "A calculator", "correct": False}),
        (2, {"choice": "A spam filter", "correct": True}),
    ]
    assert [a.attempt for a in quiz.attempts()] == [1, 2]
    assert quiz.saved_value == "A spam filter"


def test_answer_by_index_or_text() -> None:
    assert make(1).answer == make("A spam filter").answer == "A spam filter"
    with pytest.raises(ValueError, match="not one of the options"):
        make("A toaster")
    with pytest.raises(ValueError, match="between 0 and 2"):
        make(3)


def test_restart_shows_last_choice_and_feedback() -> None:
    quiz = make()
    quiz.value = "A light switch"
    quiz.save()
    again = make()
    assert again.value == "A light switch"
    assert "Not quite" in again.feedback.value
    assert "Attempt 1" in again.status.text


def test_feedback_even_when_the_attempt_cannot_be_recorded(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("")
    configure(store=LocalStore(tmp_path / "blocker" / "a.sqlite3"))
    quiz = make()
    quiz.value = "A spam filter"
    assert quiz.save() is False
    assert "Right!" in quiz.feedback.value and "NOT saved" in quiz.status.text


def test_card_lists_the_options_but_not_the_answer() -> None:
    card = make().card_html()
    assert "<li>A calculator</li>" in card and "Which of these learns" in card
    assert "Spam filters learn" not in card
