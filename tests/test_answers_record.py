"""The answer record: validation, key, emptiness and size rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import make_answer

from circlekit.answers.record import (
    MAX_CHARS,
    WIDGET_ID,
    Answer,
    is_empty,
    now,
    text_length,
)

answer = make_answer  # a discussion answer by ana in circle tuesday


def test_times_are_iso_utc() -> None:
    a = answer()
    assert a.created.endswith("+00:00") and a.updated.endswith("+00:00")
    assert now() >= a.created


def test_now_follows_the_clock(monkeypatch) -> None:
    """now() is made once per second: it must still be that second's time, in UTC."""
    import circlekit.answers.record as record

    for second in (1_767_225_599, 1_767_225_600, 1_767_225_600, 1_767_225_601):
        monkeypatch.setattr(record.time, "time", lambda s=second: s + 0.75)
        assert now() == datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds")
    assert now() == "2026-01-01T00:00:01+00:00"


def test_with_copies_and_checks_what_the_record_checks() -> None:
    a = answer(kind="quiz", value={"choice": "b"})
    b = a.with_(attempt=3, created="2026-01-01T00:00:00+00:00", author="")
    assert (b.attempt, b.created, b.author) == (3, "2026-01-01T00:00:00+00:00", "")
    assert b == Answer(**{**a.to_dict(), "attempt": 3, "author": "",
                          "created": "2026-01-01T00:00:00+00:00"})
    assert (a.attempt, a.author) == (0, "ana")  # the original is untouched
    with pytest.raises(ValueError, match="kind"):
        a.with_(kind="essay")
    with pytest.raises(TypeError):
        a.with_(value={"when": object()})
    with pytest.raises(TypeError):
        a.with_(colour="red")


def test_unknown_kind_and_visibility_are_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        answer(kind="essay")
    with pytest.raises(ValueError, match="visibility"):
        answer(visibility="public")


def test_value_must_be_json() -> None:
    with pytest.raises(TypeError):
        answer(value={"when": object()})


def test_key_separates_kind_and_attempt_but_not_notebook() -> None:
    assert answer().key == answer(notebook="06.ipynb").key
    assert answer(kind="goal").key != answer(kind="goal-check").key
    assert answer(kind="quiz", attempt=1).key != answer(kind="quiz", attempt=2).key


def test_anonymous_answers_hide_the_name_but_stay_shared() -> None:
    assert answer(visibility="anonymous").shown_name("Someone") == "Someone"
    assert answer(visibility="circle").shown_name("Someone") == "ana"
    assert answer(visibility="anonymous").shared_with_circle
    assert not answer(visibility="facilitator").shared_with_circle


def test_dict_round_trip() -> None:
    a = answer(value={"plus": "a", "delta": "b"})
    assert Answer.from_dict({**a.to_dict(), "extra": 1}) == a


@pytest.mark.parametrize(
    ("value", "empty"),
    [("", True), ("  \n", True), (None, True), ([], True), ({"a": " ", "b": ""}, True),
     ("x", False), (["a"], False), ({"rating": 3, "comment": ""}, False)],
)
def test_is_empty(value: object, empty: bool) -> None:
    assert is_empty(value) is empty  # type: ignore[arg-type]


def test_text_length_is_the_longest_piece() -> None:
    assert text_length("x" * 7) == 7
    assert text_length({"a": "xx", "b": ["xxxxx"]}) == 5
    assert MAX_CHARS == 5000


def test_widget_id_pattern() -> None:
    assert WIDGET_ID.match("wai-1-first-thoughts")
    for bad in ("Wai-1", "wai_1", "-wai", "wai-", "wai--1", ""):
        assert not WIDGET_ID.match(bad)
