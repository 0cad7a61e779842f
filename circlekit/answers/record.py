"""The answer record: the one shape an answer has in every store (local file, hub, service).

Key rule. An answer is identified by (course, widget_id, kind, author, circle, attempt).
- Most kinds keep one row per learner: `attempt` is always 0 and saving again updates the row
  in place, keeping `created` (so "when did they first answer" survives edits).
- Kinds in `APPEND_KINDS` (the quiz) keep every save: the store gives each save the next
  `attempt` number (1, 2, ...), so a facilitator can see how many tries a question took.
`notebook` is not part of the key: a goal set in week 1 is found again from week 6's notebook.
`kind` is part of the key because `Goal(id)` and `Goal(id).check()` share one id.

Visibility says who may read an answer besides its author:
- "circle": everyone in the same circle, with the author's name;
- "anonymous": everyone in the same circle, without the author's name (the facilitator's
  export still has it, so a facilitator can follow up with care);
- "facilitator": only the circle's facilitator;
- "private": only the author.
Anonymity is a visibility rather than a flag so that code which only checks
`visibility == "circle"` leaves anonymous answers out instead of showing names.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

KINDS = (
    "discussion", "poll", "checkin", "reflection", "goal", "goal-check", "quiz",
    "survey", "meeting-reflection", "facilitator-survey",
)
APPEND_KINDS = frozenset({"quiz"})
VISIBILITIES = ("circle", "anonymous", "facilitator", "private")
SHARED_WITH_CIRCLE = frozenset({"circle", "anonymous"})

# Long enough for a thoughtful paragraph or three, short enough that a circle panel stays readable.
MAX_CHARS = 5000

WIDGET_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# What a value may be: text, a list of texts (multiple-choice polls), or a small dict of those.
JSONValue = str | int | float | bool | None | list[Any] | dict[str, Any]


def now() -> str:
    """The current time as ISO 8601 UTC with seconds, the format every store writes."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def text_length(value: JSONValue) -> int:
    """The longest single piece of text in a value, which is what the size limit applies to."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max((text_length(v) for v in value), default=0)
    if isinstance(value, dict):
        return max((text_length(v) for v in value.values()), default=0)
    return 0


def is_empty(value: JSONValue) -> bool:
    """True when there is nothing worth keeping: blank text, no choices, all fields blank."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    return False


@dataclass(frozen=True)
class Answer:
    """One learner's answer to one widget, in one circle."""

    course: str
    notebook: str
    widget_id: str
    kind: str
    author: str
    circle: str
    visibility: str
    value: JSONValue
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    attempt: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown answer kind {self.kind!r}; expected one of {KINDS}")
        if self.visibility not in VISIBILITIES:
            raise ValueError(
                f"unknown visibility {self.visibility!r}; expected one of {VISIBILITIES}"
            )
        # Fail here, where the widget can still say so, not later inside a store.
        json.dumps(self.value)

    @property
    def key(self) -> tuple[str, str, str, str, str, int]:
        return (self.course, self.widget_id, self.kind, self.author, self.circle, self.attempt)

    @property
    def shared_with_circle(self) -> bool:
        return self.visibility in SHARED_WITH_CIRCLE

    def shown_name(self, anonymous_label: str) -> str:
        """The name other learners see: the author, or `anonymous_label` for anonymous answers."""
        return anonymous_label if self.visibility == "anonymous" else self.author

    def with_(self, **changes: Any) -> Answer:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in data.items() if k in names})
