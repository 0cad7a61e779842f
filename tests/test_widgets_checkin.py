"""CheckIn, driven headless: a one-line answer and the circle's word wall."""

from __future__ import annotations

import pytest

from circlekit.answers.local import LocalStore
from widgets import CheckIn, configure

XSS = "<img src=x onerror=alert(1)>"


# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def check_in(name: str, word: str) -> CheckIn:
    configure(author=name)
    widget = CheckIn("demo-1-checkin", "One word for how you arrive today?")
    widget.text.value = word
    widget.save_button.click()
    return widget


def test_word_wall_shows_everyone_without_names(answers_store: LocalStore) -> None:
    check_in("bob", "curious")
    mine = check_in("ana", "tired")
    wall = mine.wall.body.value
    assert "curious" in wall and "tired" in wall
    assert "bob" not in wall and "ana" not in wall
    assert {a.visibility for a in answers_store.list()} == {"anonymous"}


def test_words_are_escaped() -> None:
    check_in("bob", XSS)
    wall = check_in("ana", "fine").wall.body.value
    assert "<img" not in wall and "&lt;img src=x onerror=alert(1)&gt;" in wall


def test_restart_and_refresh() -> None:
    check_in("ana", "hopeful")
    again = CheckIn("demo-1-checkin", "One word?")
    assert again.value == "hopeful"
    check_in("bob", "sleepy")
    configure(author="ana")
    assert "sleepy" not in again.wall.body.value
    again.wall.refresh_button.click()
    assert "sleepy" in again.wall.body.value


def test_empty_wall_and_empty_answer(answers_store: LocalStore) -> None:
    widget = CheckIn("demo-1-checkin", "One word?")
    assert "No words on the wall yet" in widget.wall.body.value
    widget.save_button.click()
    assert "empty answers are not saved" in widget.status.text
    assert answers_store.list() == []
    assert "One word?" in widget.card_html()
    assert widget.text.description == "Your answer"
