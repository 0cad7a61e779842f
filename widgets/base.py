"""What every prompt widget shares: its id, the store, the static HTML card, the UI strings
and the status line. (The circle panel and its live refresh are in `widgets.panel`.)

A prompt widget is a plain Python object that *has* an ipywidgets container (`.view`) rather
than being one, so its learner-facing API (`value`, `save()`, `saved_value`) cannot clash with
ipywidgets' own traits. Displaying it sends the container's widget view plus a `text/html` card
(`_repr_mimebundle_`): live front ends draw the widget, the static book shows the card.
"""

from __future__ import annotations

import functools
import html
import json
import logging
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as W

from circlekit.answers.record import (
    MAX_CHARS,
    WIDGET_ID,
    Answer,
    JSONValue,
    check_value,
    is_empty,
    text_length,
)
from circlekit.errors import BadAnswer, StoreError
from widgets.context import current, current_store

if TYPE_CHECKING:
    from widgets.panel import CirclePanel

log = logging.getLogger("circlekit.widgets")

FULL_WIDTH = W.Layout(width="100%")
# Labels sit above their box, full width: long labels beside a box get cut off by ipywidgets.
LABEL_ABOVE = {"description_width": "initial"}


@functools.cache
def widget_css() -> str:
    """The kit's widget style sheet (`widgets/static/widgets.css`)."""
    return (resources.files("widgets") / "static" / "widgets.css").read_text(encoding="utf-8")


def style_sheet() -> W.HTML:
    """A hidden widget carrying the style sheet, placed first in every kit widget's box.

    Front ends draw widgets without any file of ours, so the rules travel with the widget;
    a style element applies to the whole page even inside a hidden box.
    """
    return W.HTML(value=f"<style>{widget_css()}</style>", layout=W.Layout(display="none"))


# -- strings --------------------------------------------------------------------------------


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The UI strings for `lang` (`widgets/strings/<lang>.json`)."""
    path = resources.files("widgets") / "strings" / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


class Strings:
    """Look up a UI string; a key missing in a translation falls back to English."""

    def __init__(self, lang: str):
        self.lang = lang
        try:
            self._own = catalogue(lang)
        except FileNotFoundError:
            self.lang, self._own = "en", catalogue("en")

    def __call__(self, key: str, **fields: Any) -> str:
        text = self._own.get(key) or catalogue("en")[key]
        return text.format(**fields) if fields else text


# -- escaping and the card ------------------------------------------------------------------


def esc(text: object) -> str:
    """Escape text for HTML. Everything a person wrote passes through here before display."""
    return html.escape(str(text), quote=True)


def esc_lines(text: object) -> str:
    return esc(text).replace("\n", "<br>")


CARD_STYLE = (
    "border:1px solid #b8c4d0;border-left:4px solid #3b6ea5;border-radius:6px;"
    "padding:0.6em 1em;margin:0.6em 0;background:#f7f9fb;color:#1b1b1b;"
)


def card(kind: str, label: str, body: str, hint: str) -> str:
    """The static HTML card. `body` must already be escaped; `label` and `hint` are escaped here."""
    return (
        f'<div class="circlekit-card circlekit-card-{esc(kind)}" style="{CARD_STYLE}">'
        f'<p class="circlekit-card-kind" style="margin:0 0 0.3em 0"><strong>{esc(label)}'
        f"</strong></p>{body}"
        f'<p class="circlekit-card-hint" style="margin:0.4em 0 0 0;font-style:italic;'
        f'color:#4a4a4a">{esc(hint)}</p></div>'
    )


def card_list(items: list[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    rows = "".join(f"<li>{esc(item)}</li>" for item in items)
    return f'<{tag} class="circlekit-card-options">{rows}</{tag}>'


def _record_problem(stored: JSONValue) -> str | None:
    """What the kit's one answer validator says about a value, so the widget never accepts an
    answer the circle service would refuse; None when it may be saved."""
    try:
        check_value(stored)
    except BadAnswer as bad:
        return bad.message
    return None


def _parked_message(t: Strings, problem: str | None) -> str:
    """The hub store set this save aside after several failed tries; later ones go on."""
    return t("parked", reason=problem or "?")


def check_id(widget_id: object) -> str:
    if not isinstance(widget_id, str) or not WIDGET_ID.match(widget_id):
        raise ValueError(
            f"widget id {widget_id!r} must be lower-case letters, digits and hyphens, "
            "like 'wai-1-first-thoughts'"
        )
    return widget_id


# -- the controls that make an answer -------------------------------------------------------

# Boxes a learner types into.
TYPED_BOXES = (W.Text, W.Textarea, W.IntText, W.BoundedIntText, W.FloatText, W.BoundedFloatText)
# Widgets whose value is what the widget shows, not what a learner chose.
SHOWN_ONLY = (W.HTML, W.HTMLMath, W.Label)


def answer_controls(root: W.Widget) -> list[W.Widget]:
    """The controls inside `root` whose values make up an answer, in the order shown."""
    found: list[W.Widget] = []
    for child in getattr(root, "children", ()):
        if isinstance(child, W.ValueWidget) and not isinstance(child, SHOWN_ONLY):
            found.append(child)
        found.extend(answer_controls(child))
    return found


# -- the status line ------------------------------------------------------------------------

TONES = {"info": "#1d5e2c", "warning": "#8a5300", "error": "#a4000f", "quiet": "#555555"}


class StatusLine:
    """One line under the controls that says what just happened, in words."""

    def __init__(self) -> None:
        self.widget = W.HTML(value="", layout=W.Layout(min_height="1.4em"))
        self.text = ""
        self.tone = "quiet"

    def say(self, text: str, tone: str = "info") -> None:
        self.text, self.tone = text, tone
        self.widget.value = (
            f'<span class="circlekit-status circlekit-status-{tone}" role="status" '
            f'aria-live="polite" style="color:{TONES[tone]}">{esc(text)}</span>'
        )


def guarded(status: StatusLine, strings: Strings) -> Callable[[Callable[..., Any]], Any]:
    """Wrap a button callback so that an error becomes a status message, never a traceback."""

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def run(*args: Any) -> Any:
            try:
                return handler(*args)
            except Exception as error:  # noqa: BLE001 - the learner must never see a traceback
                log.exception("widget callback failed")
                status.say(strings("something_wrong", reason=type(error).__name__), "error")
                return None

        return run

    return wrap


# -- the prompt widget ----------------------------------------------------------------------


class Prompt:
    """Base of every widget with an id whose answer is kept in the store."""

    kind: ClassVar[str] = ""
    label_key: ClassVar[str] = ""
    # The string of the button that keeps an answer, named when the boxes differ from what was
    # kept; None where a change is not an unsaved answer (a quiz's next try).
    keep_key: ClassVar[str | None] = "save"

    def __init__(self, id: str):  # noqa: A002 - `id` is the word course authors use
        self.id = check_id(id)
        self.context = current()
        self.store = current_store()
        self.t = Strings(self.context.language)
        self.status = StatusLine()
        self._panels: list[CirclePanel] = []
        # Subclasses set their own fields before calling this, so the form can be made now
        # and `w.text`, `w.save_button` ... exist as soon as the object does.
        self.view: W.Widget = self._make_view()

    # Subclasses fill these in. -------------------------------------------------------------

    def _build(self) -> list[W.Widget]:
        """Make the controls; return the container's children (the status line is added)."""
        raise NotImplementedError

    def _get(self) -> Any:
        raise NotImplementedError

    def _set(self, value: Any) -> None:
        raise NotImplementedError

    def _card_body(self) -> str:
        raise NotImplementedError

    def _card_hint(self) -> str:
        return self.t("card_answer")

    def _visibility(self) -> str:
        return "facilitator"

    def _stored(self, value: Any) -> JSONValue:
        """The value as kept in the store (JSON-serialisable)."""
        return value

    def _unstored(self, stored: JSONValue) -> Any:
        """Back from the store's shape to `value`'s shape."""
        return stored

    def _problem(self, value: Any) -> str | None:
        """Why `value` must not be saved, in the learner's words; None when it may be."""
        if is_empty(value):
            return self.t("empty")
        length = text_length(value)
        if length > MAX_CHARS:
            return self.t("too_long", length=length, limit=MAX_CHARS)
        return _record_problem(self._stored(value))

    def _after_save(self, stored: Answer) -> None:
        """Update what depends on the saved answer (tallies, panels)."""
        for panel in self._panels:
            panel.refresh()

    def _saved_message(self, stored: Answer) -> str:
        return self.t("saved")

    def _show_loaded(self, stored: Answer) -> None:
        self._set(self._unstored(stored.value))
        self.status.say(self.t("saved_earlier"), "quiet")

    # What every widget offers. -------------------------------------------------------------

    def _make_view(self) -> W.Widget:
        children = self._build()
        # A widget may place the status line itself (e.g. between Save and the panel).
        if self.status.widget not in children:
            children.append(self.status.widget)
        box = W.VBox([*children, style_sheet()], layout=W.Layout(width="100%"))
        box.add_class("circlekit-widget")
        box.add_class(f"circlekit-{self.kind}")
        stored = self._fetch()
        if stored is not None:
            self._show_loaded(stored)
        # What the store holds, in its shape: the status line says when the boxes differ.
        self._kept: JSONValue | None = None if stored is None else stored.value
        for control in answer_controls(box):
            if isinstance(control, TYPED_BOXES):
                # Typed text reaches the kernel when the box is left, in one message. Sent key
                # by key, later keys wait in the browser until the kernel has answered the
                # first, and a Save pressed meanwhile reached the kernel before them: "Saved."
                # for the first letter only (tests/test_widgets_lab.py shows it).
                control.continuous_update = False
            control.observe(self._on_edit, names="value")
        for panel in self._panels:
            panel.refresh()
        return box

    def _on_edit(self, _change: dict[str, Any]) -> None:
        """Say so when what the boxes show is no longer what was saved."""
        if self._kept is None or self.keep_key is None:
            return
        changed = self.t("changed_since_saved", button=self.t(self.keep_key))
        try:
            same = self._stored(self._get()) == self._kept
        except Exception:  # noqa: BLE001 - a half-made answer is simply not the saved one
            same = False
        if not same:
            self.status.say(changed, "warning")
        elif self.status.text == changed:
            self.status.say(self.t("saved_earlier"), "quiet")

    @property
    def value(self) -> Any:
        return self._get()

    @value.setter
    def value(self, value: Any) -> None:
        self._set(value)

    @property
    def saved_value(self) -> Any:
        """What the store holds for this learner (in `value`'s shape), or None."""
        stored = self._fetch()
        return None if stored is None else self._unstored(stored.value)

    def _fetch(self) -> Answer | None:
        ctx = self.context
        try:
            return self.store.get(course=ctx.course, widget_id=self.id, kind=self.kind,
                                  author=ctx.author, circle=ctx.circle)
        except StoreError as error:
            self.status.say(self.t("not_loaded", reason=str(error)), "error")
            return None

    def _answers(self) -> list[Answer]:
        """Everyone's answers to this widget in this circle (raises StoreError)."""
        ctx = self.context
        return self.store.list(course=ctx.course, widget_id=self.id, kind=self.kind,
                               circle=ctx.circle)

    def save(self) -> bool:
        """Keep the current value. Returns whether it was kept; the status line says why not."""
        try:
            value = self._get()
            problem = self._problem(value)
            if problem:
                self.status.say(problem, "warning")
                return False
            ctx = self.context
            answer = Answer(
                course=ctx.course, notebook=ctx.notebook, widget_id=self.id, kind=self.kind,
                author=ctx.author, circle=ctx.circle, visibility=self._visibility(),
                value=self._stored(value),
            )
            stored = self.store.save(answer)
        except StoreError as error:
            self.status.say(self.t("not_saved", reason=str(error)), "error")
            return False
        except Exception as error:  # noqa: BLE001 - the learner must never see a traceback
            log.exception("saving %s failed", self.id)
            self.status.say(self.t("not_saved", reason=type(error).__name__), "error")
            return False
        self._kept = stored.value
        self.status.say(self._saved_message(stored), "info")
        self._follow_sharing(stored)
        try:
            self._after_save(stored)
        except StoreError as error:
            self.status.say(self.t("not_loaded", reason=str(error)), "error")
        return True

    def _follow_sharing(self, stored: Answer) -> None:
        """With a hub store, say when a saved answer is still waiting, and when it is shared.

        The hub store keeps every save in an outbox first; it calls back from its sender thread
        after each try, and ipywidgets accepts updates from there.
        """
        status_of = getattr(self.store, "status", None)
        if status_of is None:
            return
        if status_of(stored) == "shared":
            # The service took it while Save waited: say so now, there is no later moment.
            self.status.say(self.t("shared"), "info")
            return

        def update() -> None:
            state = status_of(stored)
            if state == "shared":
                self.status.say(self.t("shared"), "info")
            elif state == "rejected":
                reason = self.store.problem(stored) or "?"
                self.status.say(self.t("not_shared", reason=reason), "error")
            elif state == "parked":
                self.status.say(_parked_message(self.t, self.store.problem(stored)), "error")
            else:
                return
            self.store.unsubscribe(update)

        self.status.say(self.t("saved_will_share"), "warning")
        self.store.subscribe(update)
        update()  # it may have gone out while we were subscribing

    def _on_click(self, button: W.Button, handler: Callable[[], Any]) -> None:
        button.on_click(guarded(self.status, self.t)(lambda _button: handler()))

    def card_html(self) -> str:
        return card(self.kind, self.t(self.label_key), self._card_body(), self._card_hint())

    def close(self) -> None:
        """Stop live refresh and close the widget's views."""
        for panel in self._panels:
            panel.close()
        _close_tree(self.view)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.view._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = self.card_html()
        bundle["text/plain"] = f"{self.t(self.label_key)}: {self.id}"
        return bundle

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r})"


def _close_tree(widget: W.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()
