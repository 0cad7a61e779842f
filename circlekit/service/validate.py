"""What a posted answer must look like, and which prompt ids the service knows.

Every problem becomes a `BadAnswer` with an HTTP status and a message naming the field, so
the caller (a widget's status line, a script) can say exactly what to fix. Nothing is stored
unless the whole answer passes.

"Unknown prompt id" means one of two things:
- the id is not a widget id at all (lower-case letters, digits and hyphens, like
  `wai-1-first-thoughts`), whatever the course; or
- the service was given the kit's folder (`CIRCLEKIT_KIT_ROOT`), the answer names one of
  its courses, and no notebook of that course has a prompt with that id (and kind).
Answers to courses the service was not given (a learner's own notebook, course "") are
accepted on the id pattern alone: circles may write prompts of their own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from circlekit.answers.record import (
    MAX_NAME,
    MAX_TOTAL_CHARS,
    PROMPT_CLASSES,
    Answer,
    check_answer,
    check_text,
    check_time,
    now,
)
from circlekit.errors import BadAnswer

# The whole request body, sized from the per-text limit: every text of the longest value the
# widgets accept, each character at its costliest JSON form (a `\\uXXXX` pair for an emoji,
# 12 bytes, from a client that escapes non-ASCII), and room for the other fields.
MAX_BODY_BYTES = MAX_TOTAL_CHARS * 12 + 16 * 1024

FIELDS = {
    "course", "notebook", "widget_id", "kind", "visibility", "value", "created", "updated",
    "author", "circle", "attempt", "client_id",
}


@dataclass(frozen=True)
class Posted:
    answer: Answer
    client_id: str | None


class PromptRegistry:
    """The prompt ids of each course in a kit folder: {course: {widget_id: kinds}}."""

    def __init__(self, prompts: Mapping[str, Mapping[str, frozenset[str]]] | None = None):
        self.prompts = {course: dict(ids) for course, ids in (prompts or {}).items()}

    @classmethod
    def from_kit(cls, root: str | Path) -> PromptRegistry:
        from circlekit.errors import NotebookUnreadable
        from circlekit.notebooks import course_prompt_classes, read_notebook, widget_uses

        prompts: dict[str, dict[str, set[str]]] = {}
        base = Path(root) / "notebooks"
        for course_file in sorted(base.glob("*/course.yml")):
            folder = course_file.parent
            ids = prompts.setdefault(folder.name, {})
            course_kinds = course_prompt_classes(folder)
            # The guides hold the facilitator's own prompts (meeting reflections, end survey).
            guides = Path(root) / "facilitator" / folder.name
            for path in [*sorted(folder.glob("*.ipynb")), *sorted(guides.glob("*.ipynb"))]:
                try:
                    nb = read_notebook(path, str(path))
                except NotebookUnreadable:
                    continue  # `circlekit check` reports it; the service still starts
                for use in widget_uses(nb, course_kinds):
                    kinds = ids.setdefault(use.id, set())
                    kinds.update(("goal-check",) if use.refers_back else PROMPT_CLASSES[use.kind])
        return cls({c: {i: frozenset(k) for i, k in ids.items()} for c, ids in prompts.items()})

    def check(self, course: str, widget_id: str, kind: str) -> None:
        known = self.prompts.get(course)
        if known is None:
            return
        kinds = known.get(widget_id)
        if kinds is None:
            raise BadAnswer(422, f"unknown prompt id {widget_id!r}: course {course!r} has no "
                                 "prompt with that id", "widget_id")
        if kind not in kinds:
            raise BadAnswer(422, f"prompt {widget_id!r} of course {course!r} is a "
                                 f"{'/'.join(sorted(kinds))}, not a {kind}", "kind")


def parse_body(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or BadAnswer."""
    if len(body) > MAX_BODY_BYTES:
        raise BadAnswer(413, f"the request is {len(body)} bytes; the limit is {MAX_BODY_BYTES}")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadAnswer(400, "the request body is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise BadAnswer(400, f"the request body is not valid JSON: {error.msg} "
                             f"at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        # Only `value` may hold lists and objects at all; name it when the body has one.
        field = "value" if b'"value"' in body else None
        raise BadAnswer(400, "the request body is nested too deeply (an answer's value is "
                             "at most 3 levels deep)", field) from None
    if not isinstance(data, dict):
        raise BadAnswer(400, f"the request body must be a JSON object, not {_type(data)}")
    return data


def _type(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number",
             list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _text(data: Mapping[str, Any], name: str, *, default: str | None = None,
          limit: int = MAX_NAME) -> str:
    value = data.get(name, default)
    if value is None:
        raise BadAnswer(400, f"field {name!r} is missing", name)
    return check_text(name, value, limit)


def _time(data: Mapping[str, Any], name: str) -> str | None:
    return None if data.get(name) is None else check_time(name, data[name])


def parse_answer(data: Mapping[str, Any], *, caller: str, circle: str,
                 registry: PromptRegistry | None = None) -> Posted:
    """Check a posted answer for `caller` in `circle`; the author is always the caller."""
    if not data.keys() <= FIELDS:
        unknown = sorted(data.keys() - FIELDS)[0]
        raise BadAnswer(400, f"unknown field {unknown!r}; an answer has the fields "
                             f"{', '.join(sorted(FIELDS))}", unknown)
    if "author" in data and data["author"] != caller:
        # Never store it under another name, and say so plainly.
        raise BadAnswer(403, f"an answer's author is always the person whose token sends it: "
                             f"you are {caller!r}, not {data['author']!r}", "author")
    if "circle" in data and data["circle"] != circle:
        raise BadAnswer(400, f"field 'circle' says {data['circle']!r} but the address says "
                             f"{circle!r}", "circle")
    for name in ("widget_id", "kind"):
        if data.get(name) is None:  # what they hold is checked with the rest, below
            raise BadAnswer(400, f"field {name!r} is missing", name)
    if "value" not in data:
        raise BadAnswer(400, "field 'value' is missing", "value")
    fields = {"course": "", "notebook": "", "visibility": "circle"}
    fields.update({k: data[k] for k in ("course", "notebook", "visibility", "widget_id", "kind",
                                        "value") if k in data})
    check_answer({**fields, "author": caller, "circle": circle})
    widget_id, kind, course = fields["widget_id"], fields["kind"], fields["course"]
    visibility, notebook, value = fields["visibility"], fields["notebook"], fields["value"]
    if "attempt" in data and (not isinstance(data["attempt"], int)
                              or isinstance(data["attempt"], bool)):
        raise BadAnswer(400, f"field 'attempt' must be a whole number, got "
                             f"{_type(data['attempt'])}", "attempt")
    client_id = data.get("client_id")
    if client_id is not None:
        client_id = _text(data, "client_id", limit=100)
    if registry is not None:
        registry.check(course, widget_id, kind)
    stamp = now()
    answer = Answer(
        course=course, notebook=notebook, widget_id=widget_id, kind=kind, author=caller,
        circle=circle, visibility=visibility, value=value,
        # The learner's own clock says when they wrote it (maybe offline, hours ago).
        created=_time(data, "created") or stamp, updated=_time(data, "updated") or stamp,
    )
    return Posted(answer=answer, client_id=client_id)
