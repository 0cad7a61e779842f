"""Information literacy reads at grade 9 or below, on average (Flesch-Kincaid, textstat 0.7.4).

The figures themselves are printed by `benchmarks/readability.py info-literacy`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def readability():
    spec = importlib.util.spec_from_file_location(
        "info_literacy_readability", ROOT / "benchmarks" / "readability.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_the_course_reads_at_grade_9_or_below(readability):
    grades = readability.course_grades("info-literacy", ROOT)
    assert grades["learner"] and len(grades["learner"]) == len(grades["guide"])
    for kind in ("learner", "guide"):
        shown = ", ".join(f"{Path(n).name} {g:.1f}" for n, g in grades[kind].items())
        average = readability.average(grades[kind])
        assert average <= readability.TARGET, f"{kind} notebooks read at grade {average:.1f}"
        assert max(grades[kind].values()) <= readability.TARGET + 2, shown


def test_every_notebook_has_real_prose(readability):
    for folder in ("notebooks", "facilitator"):
        for path in sorted((ROOT / folder / "info-literacy").glob("0*.ipynb")):
            assert len(readability.notebook_prose(path).split()) > 500, path
