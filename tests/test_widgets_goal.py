"""Goal and Goal(id).check(), driven headless."""

from __future__ import annotations

import pytest

from circlekit.answers.local import LocalStore
from widgets import Goal, configure

XSS = "<img src=x onerror=alert(1)>"


# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def test_goal_then_check_quotes_it_back(answers_store: LocalStore) -> None:
    configure(notebook="01.ipynb")
    goal = Goal("demo-goal")
    goal.text.value = f"Explain AI to my kids {XSS}"
    goal.save_button.click()
    assert goal.saved_value.startswith("Explain AI")
    configure(notebook="06.ipynb")  # the last week, another notebook
    check = Goal("demo-goal").check()
    quote = check.view.children[0].value
    assert "Explain AI to my kids" in quote and "<img" not in quote and "&lt;img" in quote
    assert [o for o, _ in check.rating.options] == [
        "1 Not at all", "2 A little", "3 Partly", "4 Mostly", "5 Completely"]
    check.rating.value = 4
    check.comment.value = "Nearly there"
    check.save_button.click()
    assert check.saved_value == {"rating": 4, "comment": "Nearly there"}
    kinds = {a.kind: a for a in answers_store.list()}
    assert set(kinds) == {"goal", "goal-check"}
    assert kinds["goal"].notebook == "01.ipynb" and kinds["goal-check"].notebook == "06.ipynb"
    # The goal itself is untouched by the check.
    assert Goal("demo-goal").value.startswith("Explain AI")


def test_check_without_a_goal_and_rating_required(answers_store: LocalStore) -> None:
    check = Goal("demo-goal").check()
    assert "did not write down a goal" in check.view.children[0].value
    check.comment.value = "only a comment"
    assert check.save() is False and "1 to 5" in check.status.text
    check.value = {"rating": 1, "comment": ""}  # the comment is optional
    assert check.save()
    again = Goal("demo-goal").check()
    assert again.value == {"rating": 1, "comment": ""}
    with pytest.raises(ValueError, match="1 to 5"):
        again.value = {"rating": 7}


def test_cards() -> None:
    assert "What do you want to be able to do" in Goal("demo-goal").card_html()
    card = Goal("demo-goal").check().card_html()
    assert "Not at all" in card and "Completely" in card
