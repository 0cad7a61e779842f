"""Reflection, driven headless: plus/delta and the four questions."""

from __future__ import annotations

import pytest

from circlekit.answers.local import LocalStore
from widgets import Reflection

# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def test_plus_delta(answers_store: LocalStore) -> None:
    r = Reflection("demo-1-reflect")
    assert list(r.boxes) == ["plus", "delta"]
    r.boxes["plus"].value = "The pairs activity"
    r.save_button.click()
    assert r.status.text == "Saved."
    [row] = answers_store.list()
    assert row.kind == "reflection" and row.visibility == "facilitator"
    assert row.value == {"plus": "The pairs activity", "delta": ""}
    again = Reflection("demo-1-reflect")
    assert again.value == {"plus": "The pairs activity", "delta": ""}


def test_four_questions() -> None:
    r = Reflection("demo-1-four", kind="four-questions")
    assert list(r.boxes) == ["learned", "liked", "wish", "wonder"]
    r.value = {"learned": "a", "wonder": "b"}
    assert r.save()
    assert r.saved_value == {"learned": "a", "liked": "", "wish": "", "wonder": "b"}
    card = r.card_html()
    for question in r.questions().values():
        assert question in card or question.replace("'", "&#x27;") in card
    # Every box has its own label, for screen readers.
    assert len({box.description for box in r.boxes.values()}) == 4


def test_all_blank_is_empty_and_each_box_has_the_limit(answers_store: LocalStore) -> None:
    r = Reflection("demo-1-reflect")
    assert r.save() is False and "empty" in r.status.text
    r.value = {"plus": "ok", "delta": "y" * 5001}
    assert r.save() is False and "5001" in r.status.text
    assert r.boxes["delta"].value == "y" * 5001
    assert answers_store.list() == []


def test_bad_kind_and_field() -> None:
    with pytest.raises(ValueError, match="kind must be"):
        Reflection("demo-1-reflect", kind="three-questions")
    with pytest.raises(ValueError, match="no question"):
        Reflection("demo-1-reflect").value = {"wonder": "x"}


def test_spanish_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLEKIT_LANG", "es")
    r = Reflection("demo-1-reflect")
    assert r.boxes["plus"].description == "Más (+)"
    assert "¿Qué funcionó bien hoy?" in r.card_html()
