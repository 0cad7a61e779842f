"""Timer: a countdown linked in the front end, so it runs without the kernel."""

from __future__ import annotations

import pytest

from circlekit.answers.local import LocalStore
from widgets import Timer
from widgets.timer import clock

# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def test_the_countdown_is_linked_in_the_front_end() -> None:
    timer = Timer(10, "Pair discussion")
    links = {(link.source[0].model_id, link.source[1], link.target[0].model_id, link.target[1])
             for link in timer._links}
    assert (timer.play.model_id, "value", timer.clock.model_id, "index") in links
    assert (timer.play.model_id, "value", timer.bar.model_id, "value") in links
    assert (timer.start.model_id, "value", timer.play.model_id, "playing") in links
    for link in timer._links:
        assert link.get_state()["_model_name"] == "LinkModel"  # runs in the browser
    assert timer.play.interval == 1000 and timer.play.max == 600
    assert timer.clock.options[0] == "10:00" and timer.clock.options[-1] == "0:00"
    assert timer.clock.options[61] == "8:59"


def test_value_is_seconds_left_and_nothing_is_kept(answers_store: LocalStore) -> None:
    timer = Timer(1.5, "Read")
    assert timer.value == 90
    timer.value = 30
    assert timer.clock.value == "0:30" and timer.bar.value == 60
    timer.reset()
    assert timer.value == 90 and timer.clock.value == "1:30"
    assert timer.save() is False and timer.saved_value is None
    assert answers_store.list() == []


def test_card_and_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    timer = Timer(5, "Silent <reading>")
    bundle = timer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "Silent &lt;reading&gt;" in bundle["text/html"] and "5 minutes" in bundle["text/html"]
    assert timer.start.description == "Start / pause"
    monkeypatch.setenv("CIRCLEKIT_LANG", "es")
    assert Timer(5, "x").start.description == "Iniciar / pausar"


def test_bad_minutes() -> None:
    for bad in (0, -1, 500, "ten"):
        with pytest.raises(ValueError, match="minutes"):
            Timer(bad, "x")  # type: ignore[arg-type]
    assert clock(65) == "1:05" and clock(-3) == "0:00"
