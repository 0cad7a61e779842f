"""`Poll`: vote, change the vote, and see the circle's tally as bars once you have voted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from circlekit.answers.record import Answer
from circlekit.answers.tally import Tally, tally
from circlekit.errors import StoreError
from widgets.base import LABEL_ABOVE, Prompt, card_list, esc, esc_lines
from widgets.panel import CirclePanel


class Poll(Prompt):
    """A question with options; `multiple=True` lets a learner tick several."""

    kind = "poll"
    keep_key = "poll_vote"
    label_key = "kind_poll"

    def __init__(self, id: str, question: str, options: Sequence[str], *,  # noqa: A002
                 multiple: bool = False):
        options = [str(o) for o in options]
        if len(options) < 2 or len(set(options)) != len(options):
            raise ValueError(f"Poll {id!r}: give at least two options, all different")
        self.question = str(question)
        self.options = options
        self.multiple = bool(multiple)
        self.voted = False
        super().__init__(id)

    def _build(self) -> list[W.Widget]:
        t = self.t
        question = W.HTML(value=f'<p class="circlekit-prompt">{esc_lines(self.question)}</p>')
        if self.multiple:
            self.boxes = [W.Checkbox(value=False, description=o, indent=False)
                          for o in self.options]
            choice: W.Widget = W.VBox(self.boxes)
        else:
            self.radio = W.RadioButtons(options=self.options, value=None,
                                        description=t("poll_choice"), style=LABEL_ABOVE,
                                        layout=W.Layout(width="100%"))
            choice = self.radio
        self.vote_button = W.Button(description=t("poll_vote"), tooltip=t("poll_vote_tip"),
                                    button_style="primary")
        self._on_click(self.vote_button, self.save)
        self.tally = CirclePanel(f"{self.context.course}/{self.id}", t("poll_tally"),
                                 self._render_tally, t, self.status)
        self.tally.widget.layout.display = "none"  # no anchoring: the tally shows after a vote
        self._panels.append(self.tally)
        return [question, choice, self.vote_button, self.status.widget, self.tally.widget]

    def _get(self) -> str | list[str] | None:
        if self.multiple:
            return [o for o, box in zip(self.options, self.boxes, strict=True) if box.value]
        return self.radio.value

    def _set(self, value: Any) -> None:
        if self.multiple:
            chosen = [value] if isinstance(value, str) else list(value or [])
            unknown = set(chosen) - set(self.options)
            if unknown:
                raise ValueError(f"Poll {self.id!r} has no option {sorted(unknown)[0]!r}")
            for option, box in zip(self.options, self.boxes, strict=True):
                box.value = option in chosen
        else:
            if value is not None and value not in self.options:
                raise ValueError(f"Poll {self.id!r} has no option {value!r}")
            self.radio.value = value

    def _problem(self, value: Any) -> str | None:
        if not value:
            return self.t("poll_choose")
        return super()._problem(value)

    def _visibility(self) -> str:
        # Others only ever see counts, never who voted for what.
        return "anonymous"

    def _saved_message(self, stored: Answer) -> str:
        return self.t("poll_voted")

    def _after_save(self, stored: Answer) -> None:
        self._reveal()
        super()._after_save(stored)

    def _show_loaded(self, stored: Answer) -> None:
        super()._show_loaded(stored)
        self._reveal()

    def _reveal(self) -> None:
        self.voted = True
        self.tally.widget.layout.display = None

    def counts(self) -> Counter[str]:
        """Votes per option in this circle (raises StoreError)."""
        return self._tally().counts

    def _tally(self) -> Tally:
        # Counted by the kit's one tally, from one read of the circle's answers.
        found = tally(self._answers()).get(self.id, Tally())
        return Tally(Counter({o: n for o, n in found.counts.items() if o in self.options}),
                     found.voters)

    def _render_tally(self) -> str:
        if not self.voted:
            return ""
        try:
            found = self._tally()
            counts, voters = found.counts, found.voters
        except StoreError as error:
            return f'<p class="circlekit-error">{esc(self.t("not_loaded", reason=str(error)))}</p>'
        rows = []
        for option in self.options:
            count = counts[option]
            share = round(100 * count / voters) if voters else 0
            rows.append(
                '<div class="circlekit-bar-row" style="margin:0.2em 0">'
                f'<div>{esc(option)}: <span class="circlekit-bar-count">'
                f'{esc(self.t("poll_votes", count=count, total=voters))}</span></div>'
                '<div style="background:#e6ecf2;width:100%;max-width:30em;height:0.9em">'
                f'<div class="circlekit-bar" style="width:{share}%;background:#3b6ea5;'
                'height:100%"></div></div></div>'
            )
        return f'<div class="circlekit-tally">{"".join(rows)}</div>'

    def _card_body(self) -> str:
        return (f'<p class="circlekit-card-prompt">{esc_lines(self.question)}</p>'
                + card_list(self.options))

    def _card_hint(self) -> str:
        return self.t("card_vote")
