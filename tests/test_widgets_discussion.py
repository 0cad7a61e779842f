"""Discussion, driven headless: typing, saving, restarting, sharing, limits and failures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from circlekit.answers.local import LocalStore
from circlekit.answers.record import Answer
from circlekit.answers.store import Store
from widgets import Discussion, configure

XSS = "<img src=x onerror=alert(1)>"


# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def as_learner(name: str) -> None:
    configure(author=name)


def test_type_click_save_and_the_store_has_it(answers_store: LocalStore) -> None:
    d = Discussion("demo-1-first", "What comes to mind when you hear AI?")
    assert d.saved_value is None
    d.text.value = "Robots, mostly."  # what typing does
    d.save_button.click()
    assert d.status.text == "Saved."
    assert d.saved_value == "Robots, mostly."
    [row] = answers_store.list()
    assert (row.course, row.notebook, row.widget_id, row.kind, row.author, row.circle,
            row.visibility) == ("demo", "01-intro.ipynb", "demo-1-first", "discussion", "ana",
                                "c1", "circle")


def test_restart_shows_the_saved_answer() -> None:
    first = Discussion("demo-1-first", "Q?")
    first.value = "kept across restarts"
    assert first.save()
    again = Discussion("demo-1-first", "Q?")  # a new kernel makes a new object
    assert again.value == "kept across restarts"
    assert again.text.value == "kept across restarts"
    assert "saved answer" in again.status.text


def test_editing_updates_in_place(answers_store: LocalStore) -> None:
    d = Discussion("demo-1-first", "Q?")
    d.value = "one"
    d.save()
    d.value = "two"
    d.save()
    assert [a.value for a in answers_store.list()] == ["two"]


def test_empty_answers_are_not_saved(answers_store: LocalStore) -> None:
    d = Discussion("demo-1-first", "Q?")
    d.value = "   \n "
    assert d.save() is False
    assert "empty answers are not saved" in d.status.text
    assert answers_store.list() == []


def test_too_long_is_refused_and_the_text_stays(answers_store: LocalStore) -> None:
    d = Discussion("demo-1-first", "Q?")
    long_text = "x" * 5001
    d.value = long_text
    d.save_button.click()
    assert "5001 characters" in d.status.text and "5000" in d.status.text
    assert d.text.value == long_text
    assert answers_store.list() == []
    d.value = "x" * 5000
    assert d.save()


def test_unwritable_store_keeps_the_text_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be")
    configure(store=LocalStore(tmp_path / "blocker" / "answers.sqlite3"))
    d = Discussion("demo-1-first", "Q?")  # loading fails quietly, in words
    d.value = "precious words"
    d.save_button.click()  # must not raise
    assert "NOT saved" in d.status.text
    assert d.text.value == "precious words"


def test_a_lock_that_does_not_clear(tmp_path: Path, answers_store: LocalStore) -> None:
    answers_store.list()  # create the file
    configure(store=LocalStore(answers_store.path, timeout=0.6))
    d = Discussion("demo-1-first", "Q?")
    _ = d.view
    holder = sqlite3.connect(answers_store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        d.value = "waiting"
        assert d.save() is False
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "NOT saved" in d.status.text and "busy" in d.status.text
    assert d.value == "waiting"
    assert d.save()  # the lock cleared: Save works again


class BrokenStore(Store):
    def save(self, answer: Answer) -> Answer:
        raise RuntimeError("unexpected")

    def get(self, **kw: str) -> Answer | None:  # type: ignore[override]
        return None

    def list(self, **kw: str | None) -> list[Answer]:  # type: ignore[override]
        return []


def test_an_unexpected_store_error_is_words_not_a_traceback() -> None:
    configure(store=BrokenStore())
    d = Discussion("demo-1-first", "Q?")
    d.value = "hello"
    d.save_button.click()
    assert "NOT saved" in d.status.text and d.value == "hello"


def test_circle_panel_lists_others_and_escapes() -> None:
    as_learner("bob")
    bob = Discussion("demo-1-first", "Q?")
    bob.value = XSS
    bob.save()
    as_learner("ana")
    ana = Discussion("demo-1-first", "Q?")
    _ = ana.view
    panel = ana.panel.body.value
    assert "<img" not in panel
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel
    assert "<strong><bdi>bob</bdi></strong>" in panel
    assert ana.panel.title.value.count("What the circle said") == 1


def test_own_private_and_facilitator_answers_stay_out_of_the_panel() -> None:
    as_learner("bob")
    for widget_id, share in (("demo-1-p", "private"), ("demo-1-f", "facilitator")):
        d = Discussion(widget_id, "Q?", share=share)
        d.value = "secret"
        d.save()
        assert not hasattr(d, "panel")
    shared = Discussion("demo-1-first", "Q?")
    shared.value = "mine"
    shared.save()
    assert "Nobody else has shared" in shared.panel.body.value
    assert shared.others() == []


def test_anonymous_default_and_the_learner_choice(answers_store: LocalStore) -> None:
    as_learner("bob")
    bob = Discussion("demo-1-first", "Q?", anonymous=True)
    _ = bob.view
    assert bob.anonymous_box is not None and bob.anonymous_box.value is True
    bob.value = "an unnamed thought"
    bob.save()
    as_learner("cy")
    cy = Discussion("demo-1-first", "Q?", anonymous=True)
    _ = cy.view
    assert cy.anonymous_box is not None
    cy.anonymous_box.value = False  # cy is happy to be named
    cy.value = "from cy"
    cy.save()
    as_learner("ana")
    ana = Discussion("demo-1-first", "Q?")
    _ = ana.view
    panel = ana.panel.body.value
    assert "bob" not in panel and "Someone in the circle" in panel
    assert "an unnamed thought" in panel
    assert "<strong><bdi>cy</bdi></strong>" in panel
    # Restarting shows the choice that was saved, not the author's default.
    as_learner("cy")
    again = Discussion("demo-1-first", "Q?", anonymous=True)
    _ = again.view
    assert again.anonymous_box is not None and again.anonymous_box.value is False
    visibilities = {a.author: a.visibility for a in answers_store.list()}
    assert visibilities == {"bob": "anonymous", "cy": "circle"}


def test_refresh_button_shows_new_answers() -> None:
    ana = Discussion("demo-1-first", "Q?")
    _ = ana.view
    assert "Nobody else" in ana.panel.body.value
    as_learner("bob")
    bob = Discussion("demo-1-first", "Q?")
    bob.value = "late answer"
    bob.save()
    as_learner("ana")
    assert "late answer" not in ana.panel.body.value
    ana.panel.refresh_button.click()
    assert "late answer" in ana.panel.body.value


def test_other_circles_stay_apart() -> None:
    as_learner("bob")
    configure(circle="c2")
    bob = Discussion("demo-1-first", "Q?")
    bob.value = "other circle"
    bob.save()
    configure(circle="c1")
    as_learner("ana")
    ana = Discussion("demo-1-first", "Q?")
    _ = ana.view
    assert "other circle" not in ana.panel.body.value


def test_card_and_controls() -> None:
    d = Discussion("demo-1-first", f"Prompt {XSS}", follow_ups=["Why?", "<b>How?</b>"],
                   placeholder="Your thoughts")
    html = d.card_html()
    assert "<img" not in html and "&lt;img" in html
    assert "Why?" in html and "&lt;b&gt;How?&lt;/b&gt;" in html
    assert "circlekit-card" in html
    assert d.text.placeholder == "Your thoughts"
    assert d.text.description == "Your answer"  # labelled for screen readers
    assert d.save_button.description == "Save"
    assert "<img" not in d.prompt_html.value


def test_share_must_be_known() -> None:
    with pytest.raises(ValueError, match="share"):
        Discussion("demo-1-first", "Q?", share="everyone")


def test_close_stops_live_refresh() -> None:
    d = Discussion("demo-1-first", "Q?")
    _ = d.view
    d.close()
    assert d.panel.live._stopped


class OutboxStore(LocalStore):
    """A local store that, like the hub store, shares saves later and reports how it went."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.state, self.listeners = "waiting", []

    def status(self, answer: Answer) -> str:
        return self.state

    def problem(self, answer: Answer) -> str | None:
        return "the circle is closed"

    def subscribe(self, callback) -> None:
        self.listeners.append(callback)

    def unsubscribe(self, callback) -> None:
        self.listeners.remove(callback)

    def deliver(self, state: str) -> None:
        self.state = state
        for callback in list(self.listeners):
            callback()


def test_a_save_waiting_for_the_hub_says_so_then_says_shared(tmp_path: Path) -> None:
    store = OutboxStore(tmp_path / "outbox.sqlite3")
    configure(store=store)
    d = Discussion("demo-1-wait", "Anything?")
    d.text.value = "typed while the hub was down"
    d.save_button.click()
    assert "will be shared with your circle" in d.status.text
    assert store.listeners
    store.deliver("shared")
    assert d.status.text == "Saved and shared with your circle."
    assert store.listeners == []
    assert d.saved_value == "typed while the hub was down"


def test_a_save_the_service_refused_says_why(tmp_path: Path) -> None:
    store = OutboxStore(tmp_path / "outbox.sqlite3")
    configure(store=store)
    d = Discussion("demo-1-refused", "Anything?")
    d.text.value = "hello"
    d.save_button.click()
    store.deliver("rejected")
    assert "did not accept it: the circle is closed" in d.status.text
    assert d.text.value == "hello"


def test_the_status_says_when_the_box_no_longer_holds_what_was_saved() -> None:
    from widgets import Poll, Quiz

    d = Discussion("demo-1-edit", "Q?")
    d.text.value = "First thought"
    d.save_button.click()
    d.text.value = "First thought, and a second"  # typed after Save
    assert d.status.text == "Changed since you saved. Press Save to keep the change."
    d.text.value = "First thought"  # back to what is kept
    assert "Changed" not in d.status.text
    # Typed text is sent to the kernel when the box is left, in one message (see
    # test_widgets_lab: typed key by key, a quick Save otherwise kept the first letter only).
    assert d.text.continuous_update is False

    p = Poll("demo-1-vote", "Which?", ["A", "B"])
    p.radio.value = "A"
    p.vote_button.click()
    p.radio.value = "B"
    assert p.status.text == "Changed since you saved. Press Vote to keep the change."

    q = Quiz("demo-1-check", "Which?", ["A", "B"], "A", "Because.")
    q.radio.value = "B"
    q.check_button.click()
    q.radio.value = "A"  # the next try, not an unsaved answer
    assert "Changed" not in q.status.text


def test_a_saved_answer_reopened_and_edited_says_it_is_not_kept_yet() -> None:
    Discussion("demo-1-again", "Q?").text.value = "unsaved"  # typed, never saved: no note
    first = Discussion("demo-1-again", "Q?")
    first.text.value = "Kept"
    first.save_button.click()
    reopened = Discussion("demo-1-again", "Q?")
    assert reopened.text.value == "Kept"
    reopened.text.value = "Kept, then changed"
    assert reopened.status.text.startswith("Changed since you saved")
