"""The "could not share" notice has one validator, and it names the field it refuses."""

from __future__ import annotations

import pytest

from circlekit.answers.notice import MAX_REASON, check_notice, short_reason
from circlekit.errors import BadAnswer

GOOD = {"client_id": "abc123", "course": "we-are-ai", "notebook": "01-what-is-ai.ipynb",
        "widget_id": "wai-1-who-decides", "kind": "discussion",
        "reason": "the circle service refused it: internal problem", "tries": 6,
        "parked": "2026-01-05T18:00:00+00:00"}


def test_a_good_notice_passes_as_it_was_written() -> None:
    assert check_notice(GOOD).to_dict() == GOOD


@pytest.mark.parametrize(("changes", "field"), [
    ({"value": "the answer's text"}, "value"),         # a notice never carries the text
    ({"client_id": ""}, "client_id"),
    ({"client_id": None}, "client_id"),
    ({"widget_id": "Not An Id"}, "widget_id"),
    ({"kind": "essay"}, "kind"),
    ({"tries": 0}, "tries"),
    ({"tries": True}, "tries"),
    ({"tries": "6"}, "tries"),
    ({"parked": "yesterday"}, "parked"),
    ({"reason": "x" * (MAX_REASON + 1)}, "reason"),
    ({"notebook": "week\x001.ipynb"}, "notebook"),
])
def test_a_bad_notice_is_refused_naming_the_field(changes: dict, field: str) -> None:
    with pytest.raises(BadAnswer) as caught:
        check_notice({**GOOD, **changes})
    assert caught.value.field == field and field in caught.value.message


def test_a_long_reason_is_cut_to_fit() -> None:
    assert len(short_reason("y" * 5000)) == MAX_REASON
    assert short_reason(None) == "no reason was given"
