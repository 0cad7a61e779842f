"""`Timer`: a countdown for timed activities that runs in the browser alone.

The ticking is an `ipywidgets.Play` whose value is linked in the front end (`jslink`) to a
read-only slider showing "mm:ss" and to a progress bar, so the countdown keeps going while
the kernel is busy, restarting, or gone. The slider's option labels are the clock readings.
"""

from __future__ import annotations

import ipywidgets as W

from widgets.base import LABEL_ABOVE, StatusLine, Strings, _close_tree, card, esc, style_sheet
from widgets.context import current

MAX_MINUTES = 180


def clock(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    return f"{minutes}:{seconds:02d}"


class Timer:
    """A countdown of `minutes` (whole or fractional) labelled `label`.

    `value` is the seconds left. A timer has no id and keeps nothing: `save()` returns False and
    `saved_value` is None, so it can sit in a list with the other widgets.
    """

    kind = "timer"

    def __init__(self, minutes: float, label: str = ""):
        if not isinstance(minutes, int | float) or not 0 < minutes <= MAX_MINUTES:
            raise ValueError(f"Timer: minutes must be a number above 0 and at most "
                             f"{MAX_MINUTES}, not {minutes!r}")
        self.minutes = minutes
        self.total = max(1, round(minutes * 60))
        self.label = str(label)
        self.t = Strings(current().language)
        self.status = StatusLine()
        self.view = self._build()

    def _build(self) -> W.Widget:
        t = self.t
        self.play = W.Play(value=0, min=0, max=self.total, step=1, interval=1000,
                           show_repeat=False, layout=W.Layout(display="none"))
        # The time left is a read-only drop-down rather than a slider: its label is tied to it,
        # so a screen reader names it (ipywidgets' slider handle has no name), and the browser
        # moves it on its own through the link below.
        self.clock = W.Dropdown(
            options=[clock(self.total - s) for s in range(self.total + 1)], index=0,
            description=t("timer_left"), disabled=True, style=LABEL_ABOVE,
        )
        self.clock.add_class("circlekit-clock")
        self.bar = W.IntProgress(value=0, min=0, max=self.total, description=t("timer_progress"),
                                 style=LABEL_ABOVE)
        # A labelled toggle button is readable by screen readers; Play's own are bare icons.
        self.start = W.ToggleButton(value=False, description=t("timer_start"),
                                    tooltip=t("timer_start_tip"), button_style="primary")
        self.reset_button = W.Button(description=t("timer_reset"))
        self.reset_button.on_click(lambda _button: self.reset())
        self._links = [
            W.jslink((self.play, "value"), (self.clock, "index")),
            W.jslink((self.play, "value"), (self.bar, "value")),
            W.jslink((self.start, "value"), (self.play, "playing")),
        ]
        title = W.HTML(value=f'<p class="circlekit-prompt"><strong>{esc(self.label)}</strong> '
                             f"({esc(clock(self.total))})</p>")
        box = W.VBox([title, self.clock, self.bar, W.HBox([self.start, self.reset_button]),
                      self.play, self.status.widget, style_sheet()], layout=W.Layout(width="100%"))
        box.add_class("circlekit-widget")
        box.add_class("circlekit-timer")
        return box

    def reset(self) -> None:
        """Stop and go back to the full time (this one does go through the kernel)."""
        self.start.value = False
        self.play.playing = False
        self.play.value = 0
        self.clock.index = 0
        self.bar.value = 0

    @property
    def value(self) -> int:
        return self.total - self.play.value

    @value.setter
    def value(self, seconds_left: int) -> None:
        elapsed = self.total - max(0, min(self.total, int(seconds_left)))
        self.play.value = elapsed
        self.clock.index = elapsed
        self.bar.value = elapsed

    def save(self) -> bool:
        return False

    @property
    def saved_value(self) -> None:
        return None

    def card_html(self) -> str:
        minutes = f"{self.minutes:g}"
        body = f'<p class="circlekit-card-prompt">{esc(self.label)}</p>' if self.label else ""
        return card(self.kind, self.t("kind_timer"), body, self.t("card_timer", minutes=minutes))

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object]:
        bundle = dict(self.view._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self.card_html()
        bundle["text/plain"] = f"{self.t('kind_timer')}: {self.label} ({clock(self.total)})"
        return bundle

    def close(self) -> None:
        for link in self._links:
            link.close()
        _close_tree(self.view)

    def __repr__(self) -> str:
        return f"Timer({self.minutes!r}, {self.label!r})"
