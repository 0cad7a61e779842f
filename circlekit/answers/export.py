"""Write what a store holds as CSV or JSON, for a facilitator to keep or open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from typing import Literal, TextIO

from circlekit.answers.record import Answer
from circlekit.answers.store import Store

FIELDS = (
    "course", "notebook", "widget_id", "kind", "author", "circle", "visibility", "value",
    "created", "updated", "attempt",
)


# A cell starting with one of these is run as a formula by spreadsheet programs, so a learner's
# "=HYPERLINK(...)" would act on the facilitator's machine (OWASP "CSV injection").
FORMULA_START = ("=", "+", "@", "-", "\t", "\r")


def _cell(answer: Answer, name: str) -> object:
    value = getattr(answer, name)
    # A spreadsheet cell holds text: plain answers stay readable, structured ones become JSON.
    if name == "value" and not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    # "- a list item" is ordinary writing and no formula; leave it as it is.
    if isinstance(value, str) and value.startswith(FORMULA_START) and not value.startswith("- "):
        return "'" + value
    return value


def export_answers(
    store: Store,
    *,
    course: str | None = None,
    fmt: Literal["csv", "json"] = "csv",
    out: TextIO,
    anonymous: bool = False,
) -> int:
    """Write every answer in `store` (only `course`'s when given) to `out`; return rows written.

    CSV has one header row and one row per answer; JSON is a list of objects whose `value`
    keeps its structure. Both are UTF-8 text; the caller opens `out`.

    With `anonymous`, each author's name becomes "learner 1", "learner 2", ... (numbered in the
    order the export meets them), so one person's answers still read together but nobody is
    named: what a facilitator can share with a library or a funder.
    """
    if fmt not in ("csv", "json"):
        raise ValueError(f"unknown export format {fmt!r}: choose csv or json")
    answers = store.list(course=course)
    if anonymous:
        numbers: dict[str, int] = {}
        answers = [
            a.with_(author=f"learner {numbers.setdefault(a.author, len(numbers) + 1)}")
            for a in answers
        ]
    if fmt == "json":
        json.dump([a.to_dict() for a in answers], out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for answer in answers:
            writer.writerow([_cell(answer, name) for name in FIELDS])
    return len(answers)
