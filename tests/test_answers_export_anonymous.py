"""`circlekit answers export --anonymous`: names become "learner 1", "learner 2", ...; one
person's answers keep one number, so they still read together."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from circlekit.answers import LocalStore, default_path
from circlekit.answers.record import Answer
from circlekit.cli import main

NAMES = ("rosa.alvarez", "bob.okafor")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path))
    store = LocalStore(default_path())
    base = dict(course="demo", notebook="01.ipynb", circle="tue", visibility="circle")
    store.save(Answer(widget_id="demo-1-a", kind="discussion", author=NAMES[0],
                      value="I liked the soups", **base))
    store.save(Answer(widget_id="demo-1-b", kind="discussion", author=NAMES[1],
                      value="Too fast for me", **base))
    store.save(Answer(widget_id="demo-1-c", kind="reflection", author=NAMES[0],
                      value={"plus": "the talk", "delta": "more time"}, **base))
    return tmp_path


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_anonymous_export_names_nobody(home: Path, fmt: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["answers", "export", "--format", fmt, "--anonymous"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert name not in out
    rows = (json.loads(out) if fmt == "json" else list(csv.DictReader(io.StringIO(out))))
    assert len(rows) == 3
    by_id = {r["widget_id"]: r["author"] for r in rows}
    # One person, one number; two people, two numbers.
    assert by_id["demo-1-a"] == by_id["demo-1-c"]
    assert by_id["demo-1-a"] != by_id["demo-1-b"]
    assert {by_id["demo-1-a"], by_id["demo-1-b"]} == {"learner 1", "learner 2"}
    # Everything else is kept.
    assert "I liked the soups" in out and "more time" in out


def test_without_the_flag_names_stay(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["answers", "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in NAMES)
    assert "learner 1" not in io.StringIO(out).read()
