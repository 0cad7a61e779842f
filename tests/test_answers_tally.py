"""Poll tallies are counted once (circlekit.answers.tally): the dashboard and the Poll
widget show the same numbers as the service's tallies endpoint (tested in
test_service_api.py), from the same function."""

from __future__ import annotations

import pytest
from conftest import make_answer

from circlekit.answers.local import LocalStore
from circlekit.answers.tally import tally
from circlekit.dashboard import tallies
from widgets import Poll

VOTES = {"ana": ["AI", "Not sure"], "bo": "AI", "cy": "Not AI", "di": ["  "]}


def votes(circle: str = "c1") -> list:
    return [make_answer(author=who, kind="poll", widget_id="demo-1-poll", circle=circle,
                        value=value) for who, value in VOTES.items()]


def test_one_tally_counts_choices_and_voters() -> None:
    found = tally(votes())["demo-1-poll"]
    assert found.counts == {"AI": 2, "Not sure": 1, "Not AI": 1}
    assert found.voters == 4  # a blank vote is a voter without a choice
    assert tallies(votes()) == {"demo-1-poll": found.counts}


@pytest.mark.usefixtures("answers_store")
def test_the_poll_widget_shows_the_same_tally(answers_store: LocalStore) -> None:
    for answer in votes():
        if answer.author != "di":
            answers_store.save(answer)
    poll = Poll("demo-1-poll", "AI or not?", ["AI", "Not AI", "Not sure"], multiple=True)
    try:
        assert poll.counts() == tally(answers_store.list())["demo-1-poll"].counts
        assert poll._tally().voters == 3
    finally:
        poll.close()
