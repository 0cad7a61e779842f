"""The circle panel ("What the circle said", the word wall, the poll tally) and its live
refresh, which runs only while a live front end shows the widget."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets as W

from widgets.base import StatusLine, Strings, esc, guarded

log = logging.getLogger("circlekit.widgets")


# -- live refresh ---------------------------------------------------------------------------

# A circle-mate's answer should appear within about 3 s of its Save, as it would in a room
# where people talk; one small read per learner every 2 s is light for the service (12 learners
# make 6 requests a second, against the hundreds it takes; see benchmarks/service.py).
REFRESH_SECONDS = 2.0


class LiveRefresh:
    """Call `callback` every `interval` seconds, but only in a live front end.

    How it knows: a `jsdlink` copies True into a second checkbox when a front end (JupyterLab,
    Notebook, VS Code) creates the link's model, and that change syncs back to the kernel. The
    build (nbclient) has no front end, so no timer ever starts there and kernels shut down
    cleanly. The timer runs on the kernel's own event loop between cells, so it never blocks
    the kernel and needs no thread. A newer widget with the same key (the cell was run again)
    stops the older one.
    """

    _latest: ClassVar[dict[str, LiveRefresh]] = {}

    def __init__(self, key: str, callback: Callable[[], None], interval: float = REFRESH_SECONDS):
        self.key = key
        self.callback = callback
        self.interval = interval
        self.running = False
        self._stopped = False
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._source = W.Checkbox(value=True)
        self._seen = W.Checkbox(value=False)
        self._link = W.jsdlink((self._source, "value"), (self._seen, "value"))
        self._seen.observe(self._front_end_seen, names="value")
        older = LiveRefresh._latest.get(key)
        if older is not None:
            older.stop()
        LiveRefresh._latest[key] = self

    def _front_end_seen(self, change: dict[str, Any]) -> None:
        if not change["new"] or self._stopped or self.running:
            return
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop: a script, not a kernel serving a front end
        self.running = True
        self._schedule()

    def _schedule(self) -> None:
        assert self._loop is not None
        self._handle = self._loop.call_later(self.interval, self._tick)

    def _tick(self) -> None:
        self._handle = None
        if self._stopped:
            return
        try:
            self.callback()
        except Exception:  # noqa: BLE001 - keep refreshing; the panel shows store errors
            log.exception("live refresh failed")
        if not self._stopped:
            self._schedule()

    def stop(self) -> None:
        self._stopped = True
        self.running = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if LiveRefresh._latest.get(self.key) is self:
            del LiveRefresh._latest[self.key]
        for widget in (self._link, self._source, self._seen):
            widget.close()


# -- the circle panel -----------------------------------------------------------------------


class CirclePanel:
    """A titled box showing what others shared, with a Refresh button and live refresh."""

    def __init__(self, key: str, title: str, render: Callable[[], str], strings: Strings,
                 status: StatusLine, interval: float = REFRESH_SECONDS):
        self.render = render
        self.title = W.HTML(value=f'<strong class="circlekit-panel-title">{esc(title)}</strong>')
        self.body = W.HTML(value="")
        self.refresh_button = W.Button(
            description=strings("refresh"), tooltip=strings("refresh_tip"),
        )
        self.refresh_button.on_click(guarded(status, strings)(lambda _button: self.refresh()))
        self.widget = W.VBox(
            [self.title, self.body, self.refresh_button],
            layout=W.Layout(border="1px solid #d0d7de", padding="0.4em 0.8em", margin="0.5em 0"),
        )
        self.widget.add_class("circlekit-panel")
        self.live = LiveRefresh(key, self.refresh, interval)

    def refresh(self) -> None:
        self.body.value = self.render()

    def close(self) -> None:
        self.live.stop()
