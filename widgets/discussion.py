"""`Discussion`: a written answer to a prompt, optionally shared with the circle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from circlekit.answers.record import Answer
from circlekit.errors import StoreError
from widgets.base import FULL_WIDTH, LABEL_ABOVE, Prompt, esc, esc_lines
from widgets.panel import CirclePanel

SHARES = ("circle", "facilitator", "private")


class Discussion(Prompt):
    """A discussion prompt with a text box and a Save button.

    share="circle" shows a "What the circle said" panel with the others' answers;
    "facilitator" keeps the answer between the learner and the facilitator; "private" keeps it
    to the learner. `anonymous` is the default of the learner's "stay anonymous" box.
    """

    kind = "discussion"
    label_key = "kind_discussion"

    def __init__(
        self,
        id: str,  # noqa: A002
        prompt: str,
        *,
        share: str = "circle",
        follow_ups: Sequence[str] = (),
        placeholder: str | None = None,
        anonymous: bool = False,
    ):
        if share not in SHARES:
            raise ValueError(f"Discussion {id!r}: share must be one of {SHARES}, not {share!r}")
        if isinstance(follow_ups, str):
            follow_ups = (follow_ups,)
        self.prompt = str(prompt)
        self.share = share
        self.follow_ups = tuple(str(f) for f in follow_ups)
        self.placeholder = placeholder
        self.anonymous_default = bool(anonymous)
        super().__init__(id)

    def _build(self) -> list[W.Widget]:
        t = self.t
        self.prompt_html = W.HTML(value=f'<p class="circlekit-prompt">{esc_lines(self.prompt)}</p>')
        self.text = W.Textarea(
            value="", description=t("your_answer"),
            placeholder=self.placeholder or t("placeholder"), rows=4,
            layout=W.Layout(width="100%", flex_flow="column"), style=LABEL_ABOVE,
        )
        self.save_button = W.Button(description=t("save"), tooltip=t("save_tip"),
                                    button_style="primary")
        self._on_click(self.save_button, self.save)
        children: list[W.Widget] = [self.prompt_html]
        if self.follow_ups:
            items = "".join(f"<li>{esc(f)}</li>" for f in self.follow_ups)
            children.append(W.HTML(value=f"<p>{esc(t('think_further'))}</p><ul>{items}</ul>",
                                   layout=FULL_WIDTH))
        children.append(self.text)
        self.anonymous_box: W.Checkbox | None = None
        if self.share == "circle":
            self.anonymous_box = W.Checkbox(value=self.anonymous_default,
                                            description=t("stay_anonymous"), indent=False,
                                            layout=W.Layout(width="auto"))
            children.append(self.anonymous_box)
        children.append(W.HTML(value=f"<small>{esc(t('share_' + self.share))}</small>"))
        children.append(self.save_button)
        if self.share == "circle":
            self.panel = CirclePanel(
                f"{self.context.course}/{self.id}", t("circle_title"), self._render_circle,
                t, self.status,
            )
            self._panels.append(self.panel)
            # The status line goes under the Save button, the panel after it.
            return children + [self.status.widget, self.panel.widget]
        return children

    def _get(self) -> str:
        return self.text.value

    def _set(self, value: Any) -> None:
        self.text.value = "" if value is None else str(value)

    def _visibility(self) -> str:
        if self.share == "circle":
            return "anonymous" if self.anonymous_box and self.anonymous_box.value else "circle"
        return self.share

    def _show_loaded(self, stored: Answer) -> None:
        super()._show_loaded(stored)
        if self.anonymous_box is not None and stored.shared_with_circle:
            self.anonymous_box.value = stored.visibility == "anonymous"

    def others(self) -> list[Answer]:
        """The circle's answers other than this learner's, oldest first (raises StoreError)."""
        me = self.context.author
        return [a for a in self._answers() if a.author != me and a.shared_with_circle]

    def _render_circle(self) -> str:
        try:
            others = self.others()
        except StoreError as error:
            return f'<p class="circlekit-error">{esc(self.t("not_loaded", reason=str(error)))}</p>'
        if not others:
            return f'<p class="circlekit-empty">{esc(self.t("circle_empty"))}</p>'
        anonymous = self.t("anonymous_name")
        rows = "".join(
            # <bdi> and dir="auto": a right-to-left name or answer keeps to its own box
            # instead of reordering the line around it.
            f'<li><strong><bdi>{esc(a.shown_name(anonymous))}</bdi></strong>: '
            f'<span class="circlekit-answer" dir="auto">{esc_lines(a.value)}</span></li>'
            for a in others
        )
        return f'<ul class="circlekit-answers">{rows}</ul>'

    def _card_body(self) -> str:
        body = f'<p class="circlekit-card-prompt">{esc_lines(self.prompt)}</p>'
        if self.follow_ups:
            body += f"<p>{esc(self.t('think_further'))}</p>"
            body += "<ul>" + "".join(f"<li>{esc(f)}</li>" for f in self.follow_ups) + "</ul>"
        return body
