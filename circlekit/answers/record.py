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
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from circlekit.errors import BadAnswer

# Each prompt class a notebook may call, and the answer kinds it saves (a Goal's look-back,
# `Goal(...).check()`, saves "goal-check"). `check`, the circle service and the dashboard read
# prompts through this table; tests/test_prompt_kinds.py holds the widget classes to it.
PROMPT_CLASSES: dict[str, tuple[str, ...]] = {
    "Discussion": ("discussion",), "Poll": ("poll",), "CheckIn": ("checkin",),
    "Reflection": ("reflection",), "Goal": ("goal", "goal-check"), "Quiz": ("quiz",),
    "Survey": ("survey",), "MeetingReflection": ("meeting-reflection",),
    "FacilitatorSurvey": ("facilitator-survey",),
}
KINDS = tuple(kind for kinds in PROMPT_CLASSES.values() for kind in kinds)
APPEND_KINDS = frozenset({"quiz"})
VISIBILITIES = ("circle", "anonymous", "facilitator", "private")
SHARED_WITH_CIRCLE = frozenset({"circle", "anonymous"})

# Long enough for a thoughtful paragraph or three, short enough that a circle panel stays readable.
MAX_CHARS = 5000
# A value may hold several texts (a multi-box Reflection, a goal and its comment): this many
# full-length ones at most, so the request that carries them can be sized from MAX_CHARS.
MAX_TEXTS = 12
MAX_TOTAL_CHARS = MAX_CHARS * MAX_TEXTS
MAX_ITEMS = 100
MAX_DEPTH = 3
MAX_NAME = 200
MAX_NOTEBOOK = 300

WIDGET_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# What a value may be: text, a list of texts (multiple-choice polls), or a small dict of those.
JSONValue = str | int | float | bool | None | list[Any] | dict[str, Any]


_last_stamp: tuple[int, str] = (0, "")


def now() -> str:
    """The current time as ISO 8601 UTC with seconds, the format every store writes."""
    global _last_stamp
    # Made once per second, not per save: formatting it was 2% of the service's time per
    # save under load (profiled), and every save in the same second shares the same text.
    second = int(time.time())
    if second != _last_stamp[0]:
        _last_stamp = (second, datetime.fromtimestamp(second, UTC).isoformat())
    return _last_stamp[1]


def text_length(value: JSONValue) -> int:
    """The longest single piece of text in a value, which is what the size limit applies to."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max((text_length(v) for v in value), default=0)
    if isinstance(value, dict):
        return max((text_length(v) for v in value.values()), default=0)
    return 0


def total_length(value: JSONValue) -> int:
    """All the text in a value, added up."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(total_length(v) for v in value)
    if isinstance(value, dict):
        return sum(total_length(v) for v in value.values())
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


def _type(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number",
             list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def check_text(name: str, value: Any, limit: int = MAX_NAME) -> str:
    """`value` as a text field `name` every store can keep, else BadAnswer naming the field."""
    if not isinstance(value, str):
        raise BadAnswer(400, f"field {name!r} must be text, got {_type(value)}", name)
    if len(value) > limit:
        raise BadAnswer(400, f"field {name!r} is {len(value)} characters; the limit is {limit}",
                        name)
    _storable(name, value)
    return value


def _storable(name: str, text: str) -> None:
    # PostgreSQL cannot keep a NUL; UTF-8 (every store's encoding) cannot hold a lone surrogate.
    if "\x00" in text:
        raise BadAnswer(400, f"field {name!r} contains a NUL character, which cannot be stored",
                        name)
    if text.isascii():
        return  # no surrogate can hide in ASCII; most fields are, and this runs per save
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadAnswer(400, f"field {name!r} contains a broken character (a lone surrogate); "
                             "copy the text again from where it came from", name) from None


def _check_value(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise BadAnswer(400, "field 'value' is nested too deeply", "value")
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadAnswer(400, f"field 'value' holds {value}, which is not a number JSON can "
                                 "carry", "value")
        return
    if isinstance(value, str):
        _storable("value", value)
        return
    if isinstance(value, list | dict):
        if len(value) > MAX_ITEMS:
            raise BadAnswer(400, f"field 'value' has {len(value)} items; the limit is "
                                 f"{MAX_ITEMS}", "value")
        if isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):
                    raise BadAnswer(400, "field 'value' has a key that is not text", "value")
                _storable("value", key)
        for item in value.values() if isinstance(value, dict) else value:
            _check_value(item, depth + 1)
        return
    raise BadAnswer(400, f"field 'value' cannot hold {_type(value)}", "value")


def check_value(value: Any) -> None:
    """The one check of what an answer's value may be (BadAnswer names the problem).

    Widgets call it before saving, the local store before writing, the service before storing,
    so every answer a widget accepts is one the service accepts.
    """
    _check_value(value)
    length = text_length(value)
    if length > MAX_CHARS:
        raise BadAnswer(413, f"the answer is {length} characters long; the limit is "
                             f"{MAX_CHARS}", "value")
    total = total_length(value)
    if total > MAX_TOTAL_CHARS:
        raise BadAnswer(413, f"the answer's texts add up to {total} characters; the limit is "
                             f"{MAX_TOTAL_CHARS}", "value")
    if is_empty(value):
        raise BadAnswer(422, "the answer is empty; write something before saving", "value")


def check_prompt_id(value: Any) -> str:
    """`value` as a prompt id (field 'widget_id'), else BadAnswer naming the field."""
    widget_id = check_text("widget_id", value)
    if not WIDGET_ID.match(widget_id):
        raise BadAnswer(422, f"field 'widget_id': unknown prompt id {widget_id!r}: a prompt id "
                             "is lower-case letters, digits and hyphens, like "
                             "'wai-1-first-thoughts'", "widget_id")
    return widget_id


def check_kind(value: Any) -> str:
    """`value` as an answer kind (field 'kind'), else BadAnswer naming the field."""
    kind = check_text("kind", value)
    if kind not in KINDS:
        raise BadAnswer(400, f"field 'kind' must be one of {', '.join(KINDS)}, not {kind!r}",
                        "kind")
    return kind


def check_time(name: str, value: Any) -> str:
    """`value` as an ISO 8601 time (field `name`), else BadAnswer naming the field."""
    text = check_text(name, value, limit=40)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise BadAnswer(400, f"field {name!r} must be an ISO 8601 time like "
                             f"'2026-05-04T18:30:00+00:00', got {text!r}", name) from None
    return text


def check_answer(answer: Answer | Mapping[str, Any]) -> None:
    """The one validator of an answer record: every field, as every store needs it."""
    data = answer.to_dict() if isinstance(answer, Answer) else answer
    check_prompt_id(data.get("widget_id"))
    check_kind(data.get("kind"))
    visibility = check_text("visibility", data.get("visibility"))
    if visibility not in VISIBILITIES:
        raise BadAnswer(400, f"field 'visibility' must be one of {', '.join(VISIBILITIES)}, "
                             f"not {visibility!r}", "visibility")
    for name in ("course", "author", "circle"):
        check_text(name, data.get(name))
    check_text("notebook", data.get("notebook"), limit=MAX_NOTEBOOK)
    check_value(data.get("value"))


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
        # Fail here, where the widget can still say so, not later inside a store. (Text always
        # serialises: skip the work for the commonest value, made several times per save.)
        if not isinstance(self.value, str):
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
        if not changes.keys() <= _UNCHECKED_FIELDS:
            return replace(self, **changes)  # a field __post_init__ checks: check it again
        # The stores renumber, re-date and unname answers several times per save; copying
        # the fields is a tenth of what dataclasses.replace costs (which runs __init__).
        copy = object.__new__(Answer)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    def to_dict(self) -> dict[str, Any]:
        # Shallow: `value` is shared, not copied. dataclasses.asdict deep-copies it, and was a
        # fifth of the service's time per save (profiled under load); callers only read it.
        return dict(self.__dict__)  # the fields, in order: a frozen dataclass sets only them

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in data.items() if k in names})


# Fields whose value __post_init__ does not look at: `with_` may set them without it.
_UNCHECKED_FIELDS = frozenset(Answer.__dataclass_fields__) - {"kind", "visibility", "value"}
