"""The circle panel and its live refresh: it starts only when a front end shows up, runs on
the kernel's event loop, and stops when the cell is run again or the widget is closed."""

from __future__ import annotations

import asyncio

import ipywidgets as W

from widgets.base import StatusLine, Strings
from widgets.panel import CirclePanel, LiveRefresh


def test_panel_renders_on_refresh_and_on_click() -> None:
    calls: list[int] = []

    def render() -> str:
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    panel = CirclePanel("p-1", "What <the> circle said", render, Strings("en"), StatusLine())
    assert "&lt;the&gt;" in panel.title.value
    panel.refresh()
    assert panel.body.value == "<p>1</p>"
    panel.refresh_button.click()
    assert panel.body.value == "<p>2</p>"
    assert panel.refresh_button.description == "Refresh"
    assert isinstance(panel.widget, W.VBox)
    panel.close()
    assert panel.live._stopped


def test_a_failing_render_shows_words_in_the_status_line() -> None:
    status = StatusLine()

    def render() -> str:
        raise RuntimeError("no")

    panel = CirclePanel("p-2", "t", render, Strings("en"), status)
    panel.refresh_button.click()
    assert "Something went wrong" in status.text
    panel.close()


def test_live_refresh_starts_only_when_a_front_end_shows_up() -> None:
    ticks: list[int] = []

    async def scenario() -> None:
        live = LiveRefresh("k-1", lambda: ticks.append(1), interval=0.02)
        await asyncio.sleep(0.1)
        assert ticks == [] and not live.running  # no front end yet: nothing runs
        live._seen.value = True  # what the front end's jsdlink does when it loads
        await asyncio.sleep(0.15)
        assert live.running and len(ticks) >= 3
        live.stop()
        count = len(ticks)
        await asyncio.sleep(0.1)
        assert len(ticks) == count

    asyncio.run(scenario())


def test_live_refresh_without_an_event_loop_does_nothing() -> None:
    ticks: list[int] = []
    live = LiveRefresh("k-2", lambda: ticks.append(1), interval=0.01)
    live._seen.value = True
    assert not live.running and ticks == []
    live.stop()


def test_live_refresh_link_is_a_front_end_link() -> None:
    live = LiveRefresh("k-3", lambda: None)
    state = live._link.get_state()
    assert state["_model_name"] == "DirectionalLinkModel"
    assert live._source.value is True and live._seen.value is False
    live.stop()


def test_running_the_cell_again_stops_the_older_refresh() -> None:
    async def scenario() -> None:
        old = LiveRefresh("k-4", lambda: None, interval=0.02)
        old._seen.value = True
        assert old.running
        new = LiveRefresh("k-4", lambda: None, interval=0.02)
        assert not old.running
        new.stop()

    asyncio.run(scenario())


def test_a_failing_refresh_keeps_going() -> None:
    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        raise RuntimeError("store went away")

    async def scenario() -> None:
        live = LiveRefresh("k-5", flaky, interval=0.02)
        live._seen.value = True
        await asyncio.sleep(0.12)
        live.stop()

    asyncio.run(scenario())
    assert len(calls) >= 2


