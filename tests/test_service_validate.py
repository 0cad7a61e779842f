"""What a posted answer must look like, and the prompt ids the service knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from circlekit.errors import BadAnswer
from circlekit.service.validate import PromptRegistry, parse_answer, parse_body

REPO = Path(__file__).resolve().parent.parent


def good(**changes) -> dict:
    data = {"course": "own", "widget_id": "my-prompt", "kind": "discussion", "value": "hi"}
    data.update(changes)
    return data


def test_the_author_is_always_the_caller() -> None:
    posted = parse_answer(good(), caller="alice", circle="a")
    assert posted.answer.author == "alice" and posted.answer.circle == "a"
    assert parse_answer(good(author="alice"), caller="alice", circle="a").answer.author == "alice"
    with pytest.raises(BadAnswer) as bad:
        parse_answer(good(author="bob"), caller="alice", circle="a")
    assert bad.value.status == 403 and bad.value.field == "author"


@pytest.mark.parametrize("changes, status, field", [
    ({"widget_id": "Not An Id"}, 422, "widget_id"),
    ({"kind": "essay"}, 400, "kind"),
    ({"visibility": "everyone"}, 400, "visibility"),
    ({"value": "x" * 5001}, 413, "value"),
    ({"value": ["x"] * 101}, 400, "value"),
    ({"attempt": "1"}, 400, "attempt"),
    ({"circle": "b"}, 400, "circle"),
    ({"notebook": 3}, 400, "notebook"),
])
def test_problems_name_their_field(changes, status, field) -> None:
    with pytest.raises(BadAnswer) as bad:
        parse_answer(good(**changes), caller="alice", circle="a")
    assert (bad.value.status, bad.value.field) == (status, field)


@pytest.mark.parametrize("changes, message", [
    ({"widget_id": None}, "field 'widget_id' is missing"),
    ({"kind": None}, "field 'kind' is missing"),
    ({"kind": 5}, "field 'kind' must be text, got a number"),
    ({"widget_id": ["a"]}, "field 'widget_id' must be text, got a list"),
    ({"score": 1, "grade": 2}, "unknown field 'grade'"),
])
def test_missing_and_mistyped_fields_are_named(changes, message) -> None:
    data = {k: v for k, v in good(**changes).items() if v is not None}
    with pytest.raises(BadAnswer, match=message):
        parse_answer(data, caller="alice", circle="a")


def test_body_must_be_a_json_object() -> None:
    assert parse_body(b'{"a": 1}') == {"a": 1}
    for raw in (b"{", b"[]", b"\xff", b"x" * (70 * 1024)):
        with pytest.raises(BadAnswer):
            parse_body(raw)


def test_registry_knows_the_kits_courses_and_leaves_others_alone() -> None:
    registry = PromptRegistry.from_kit(REPO)
    registry.check("we-are-ai", "wai-1-who-decides", "discussion")
    with pytest.raises(BadAnswer, match="has no prompt"):
        registry.check("we-are-ai", "wai-1-nothing", "discussion")
    with pytest.raises(BadAnswer, match="is a discussion"):
        registry.check("we-are-ai", "wai-1-who-decides", "poll")
    registry.check("a-circles-own-course", "anything-goes", "discussion")
