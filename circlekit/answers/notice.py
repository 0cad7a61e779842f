"""The "could not share" notice: what a hub store tells the circle when it parks an answer.

An answer the circle service keeps failing to take is parked on the learner's computer (see
`circlekit.answers.remote`), and its learner's widget says so. The facilitator must see it
too, whatever made it fail, so the hub store sends the service a small notice about it. The
notice names the answer (its `client_id`, course, notebook, prompt id and kind), why it failed
and how often it was tried; never the answer's text. Its author and circle are the caller's
and the address's, as for an answer.

The service drops a notice once that answer arrives after all, or once the learner's later
save of the same prompt does (`Database.save`).

`check_notice` is the one validator: the hub store checks what it sends with it, the service
what it receives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from circlekit.answers.record import (
    MAX_NAME,
    MAX_NOTEBOOK,
    check_kind,
    check_prompt_id,
    check_text,
    check_time,
)
from circlekit.errors import BadAnswer

MAX_REASON = 500
MAX_CLIENT_ID = 100
MAX_TRIES_SHOWN = 1_000_000
FIELDS = ("client_id", "course", "notebook", "widget_id", "kind", "reason", "tries", "parked")


@dataclass(frozen=True)
class Notice:
    """One parked answer, as the facilitator is told of it."""

    client_id: str
    course: str
    notebook: str
    widget_id: str
    kind: str
    reason: str
    tries: int
    parked: str  # when the learner's computer parked it, ISO 8601

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


def short_reason(reason: str | None) -> str:
    """A reason cut to the length a notice may carry."""
    text = (reason or "no reason was given").strip() or "no reason was given"
    return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1] + "…"


def check_notice(data: Mapping[str, Any]) -> Notice:
    """The notice in `data`, else BadAnswer naming the field."""
    if not isinstance(data, Mapping):
        raise BadAnswer(400, "a notice must be a JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise BadAnswer(400, f"unknown field {unknown[0]!r}; a notice has the fields "
                             f"{', '.join(FIELDS)}", unknown[0])
    for name in ("client_id", "widget_id", "kind", "reason", "tries", "parked"):
        if data.get(name) is None:
            raise BadAnswer(400, f"field {name!r} is missing", name)
    client_id = check_text("client_id", data["client_id"], MAX_CLIENT_ID)
    if not client_id.strip():
        raise BadAnswer(400, "field 'client_id' is empty", "client_id")
    widget_id = check_prompt_id(data["widget_id"])
    kind = check_kind(data["kind"])
    tries = data["tries"]
    if not isinstance(tries, int) or isinstance(tries, bool) or not 0 < tries <= MAX_TRIES_SHOWN:
        raise BadAnswer(400, f"field 'tries' must be a whole number from 1 to "
                             f"{MAX_TRIES_SHOWN}, got {tries!r}", "tries")
    parked = check_time("parked", data["parked"])
    return Notice(
        client_id=client_id,
        course=check_text("course", data.get("course", ""), MAX_NAME),
        notebook=check_text("notebook", data.get("notebook", ""), MAX_NOTEBOOK),
        widget_id=widget_id, kind=kind,
        reason=check_text("reason", data["reason"], MAX_REASON),
        tries=tries, parked=parked,
    )
