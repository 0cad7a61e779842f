"""Poll, driven headless: vote, change the vote, see the tally once voted."""

from __future__ import annotations

import pytest

from circlekit.answers.local import LocalStore
from widgets import Poll, configure

XSS = "<img src=x onerror=alert(1)>"


# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def vote(name: str, choice: object, **kw: object) -> Poll:
    configure(author=name)
    poll = Poll("demo-1-poll", "Which is AI?", ["Spam filter", "Calculator", XSS], **kw)
    poll.value = choice
    assert poll.save()
    return poll


def test_tally_is_hidden_until_a_vote() -> None:
    poll = Poll("demo-1-poll", "Which is AI?", ["Spam filter", "Calculator"])
    assert poll.tally.widget.layout.display == "none"
    poll.vote_button.click()
    assert "Choose an option first" in poll.status.text
    assert poll.tally.widget.layout.display == "none"
    poll.radio.value = "Spam filter"  # what clicking a radio button does
    poll.vote_button.click()
    assert poll.tally.widget.layout.display != "none"
    assert "Spam filter: <span class=\"circlekit-bar-count\">1 of 1 votes" in poll.tally.body.value
    assert 'style="width:100%' in poll.tally.body.value


def test_tally_counts_the_circle_and_a_changed_vote(answers_store: LocalStore) -> None:
    vote("bob", "Spam filter")
    vote("cy", "Calculator")
    ana = vote("ana", "Spam filter")
    assert ana.counts() == {"Spam filter": 2, "Calculator": 1}
    ana.value = "Calculator"  # change of mind
    ana.save()
    assert ana.counts() == {"Spam filter": 1, "Calculator": 2}
    assert "2 of 3 votes" in ana.tally.body.value
    assert len(answers_store.list()) == 3


def test_restart_shows_the_vote_and_the_tally() -> None:
    vote("ana", "Calculator")
    again = Poll("demo-1-poll", "Which is AI?", ["Spam filter", "Calculator", XSS])
    assert again.value == "Calculator" and again.saved_value == "Calculator"
    assert again.tally.widget.layout.display != "none"
    assert "1 of 1 votes" in again.tally.body.value


def test_multiple_choice() -> None:
    poll = vote("ana", ["Spam filter", XSS], multiple=True)
    assert [box.value for box in poll.boxes] == [True, False, True]
    assert poll.saved_value == ["Spam filter", XSS]
    assert poll.boxes[0].description == "Spam filter"  # each box labelled
    assert poll.counts()[XSS] == 1


def test_options_are_escaped_in_tally_and_card() -> None:
    poll = vote("ana", XSS)
    assert "<img" not in poll.tally.body.value and "&lt;img" in poll.tally.body.value
    card = poll.card_html()
    assert "<img" not in card and "<li>Spam filter</li>" in card and "vote" in card


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="two options"):
        Poll("demo-1-poll", "Q?", ["only one"])
    with pytest.raises(ValueError, match="two options"):
        Poll("demo-1-poll", "Q?", ["same", "same"])
    poll = Poll("demo-1-poll", "Q?", ["a", "b"])
    with pytest.raises(ValueError, match="no option"):
        poll.value = "c"
