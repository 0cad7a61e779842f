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


def read_export(text: str, shown: str) -> list[Answer]:
    """The answers in a CSV or JSON export (the inverse of `export_answers`).

    A CSV cell that holds a structured value (a survey's ratings) is JSON; one that was
    guarded against spreadsheet formulas starts with "'". Raises ExportUnreadable naming
    `shown` and the row.
    """
    from circlekit.errors import ExportUnreadable

    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("["):
        try:
            rows = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ExportUnreadable(f"{shown}: not valid JSON (line {error.lineno}: "
                                   f"{error.msg})") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ExportUnreadable(f"{shown}: expected a list of answers")
        start = 1
    else:
        reader = csv.DictReader(stripped.splitlines())
        missing = set(FIELDS) - set(reader.fieldnames or ())
        if missing:
            raise ExportUnreadable(f"{shown}, line 1: not an answers export; it has no "
                                   f"{sorted(missing)[0]!r} column")
        rows = [{k: _uncell(k, v) for k, v in row.items()} for row in reader]
        start = 2
    answers = []
    for number, row in enumerate(rows, start=start):
        try:
            answers.append(Answer.from_dict(row))
        except (TypeError, ValueError) as error:
            where = "answer" if start == 1 else "line"
            raise ExportUnreadable(f"{shown}, {where} {number}: {error}") from None
    return answers


def _uncell(name: str, text: str | None) -> object:
    text = text or ""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    if name == "attempt":
        return int(text or 0)
    if name == "value" and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text
