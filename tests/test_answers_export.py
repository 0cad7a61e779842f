"""export_answers: CSV and JSON of what a store holds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from circlekit.answers import LocalStore, export_answers
from circlekit.answers.export import FIELDS
from circlekit.answers.record import Answer


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    store = LocalStore(tmp_path / "answers.sqlite3")
    base = dict(notebook="01.ipynb", circle="tue", visibility="circle")
    store.save(Answer(course="demo", widget_id="demo-1-a", kind="discussion", author="ana",
                      value="Línea uno\nline, two \"quoted\"", **base))
    store.save(Answer(course="demo", widget_id="demo-1-r", kind="reflection", author="bob",
                      value={"plus": "good", "delta": "=HYPERLINK(\"http://x\")"}, **base))
    store.save(Answer(course="demo", widget_id="demo-1-f", kind="discussion", author="cy",
                      value="=1+1", **base))
    store.save(Answer(course="other", widget_id="other-1-a", kind="discussion", author="ana",
                      value="- a list item", **base))
    return store


def test_csv_round_trips_through_a_reader(store: LocalStore) -> None:
    out = io.StringIO()
    assert export_answers(store, course=None, fmt="csv", out=out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == FIELDS
    by_id = {r["widget_id"]: r for r in rows}
    assert by_id["demo-1-a"]["value"] == "Línea uno\nline, two \"quoted\""
    # Structured values become JSON text; formulas are defused for spreadsheets.
    assert by_id["demo-1-r"]["value"].startswith("{")
    assert by_id["demo-1-f"]["value"] == "'=1+1"
    assert by_id["other-1-a"]["value"] == "- a list item"


def test_course_filter(store: LocalStore) -> None:
    out = io.StringIO()
    assert export_answers(store, course="other", fmt="csv", out=out) == 1
    assert "other-1-a" in out.getvalue() and "demo-1-a" not in out.getvalue()


def test_json_keeps_structure(store: LocalStore) -> None:
    out = io.StringIO()
    assert export_answers(store, course="demo", fmt="json", out=out) == 3
    data = json.loads(out.getvalue())
    assert {d["widget_id"] for d in data} == {"demo-1-a", "demo-1-r", "demo-1-f"}
    reflection = next(d for d in data if d["kind"] == "reflection")
    assert reflection["value"]["plus"] == "good"
    assert set(reflection) == set(FIELDS)


def test_empty_store_writes_a_header_only(tmp_path: Path) -> None:
    out = io.StringIO()
    assert export_answers(LocalStore(tmp_path / "x.sqlite3"), fmt="csv", out=out) == 0
    assert out.getvalue().strip() == ",".join(FIELDS)
    out = io.StringIO()
    assert export_answers(LocalStore(tmp_path / "x.sqlite3"), fmt="json", out=out) == 0
    assert json.loads(out.getvalue()) == []


def test_unknown_format_is_refused(store: LocalStore) -> None:
    with pytest.raises(ValueError, match="csv or json"):
        export_answers(store, fmt="xlsx", out=io.StringIO())  # type: ignore[arg-type]
