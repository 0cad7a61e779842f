"""Every course reads at grade 9 or below, on average (Flesch-Kincaid, textstat 0.7.4).

The figures themselves are printed by `benchmarks/readability.py [course]`; this test holds the
line. The courses come from the course files, so a new course is held to it too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from circlekit.course import load_courses

ROOT = Path(__file__).resolve().parent.parent
COURSES, _problems = load_courses(ROOT)


@pytest.fixture(scope="module")
def readability():
    spec = importlib.util.spec_from_file_location(
        "course_readability", ROOT / "benchmarks" / "readability.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_textstat_is_the_offline_version():
    from importlib.metadata import version

    # From 0.7.5 on, textstat downloads a dictionary the first time it is used. (The package's
    # own __version__ attribute is stale, so ask the installed distribution.)
    assert version("textstat") == "0.7.4"


def test_prose_is_stripped_of_code_links_and_markup(readability):
    text = readability.prose_of_markdown(
        "# A heading\n\nSee [the comics](https://example.org/x) and `lab.py`.\n"
        "```python\nprint('no')\n```\n- an item\n- <b>bold</b> **item**\n\n"
        "| Minutes | What |\n|---|---|\n| 10 | Check-in |\n> A quote: with a colon:"
    )
    assert text == (
        "A heading. See the comics and. an item. bold item. Minutes, What. 10, Check-in. "
        "A quote: with a colon."
    )
    assert "http" not in text and "print" not in text and "<" not in text


@pytest.mark.parametrize("course", COURSES, ids=[c.slug for c in COURSES])
def test_the_course_reads_at_grade_9_or_below(readability, course):
    grades = readability.course_grades(course.slug, ROOT)
    weeks = len(course.weeks)
    assert len(grades["learner"]) == weeks and len(grades["guide"]) == weeks
    for kind in ("learner", "guide"):
        shown = ", ".join(f"{Path(n).name} {g:.1f}" for n, g in grades[kind].items())
        average = readability.average(grades[kind])
        print(f"{kind}: {shown}; average {average:.1f}")
        assert average <= readability.TARGET, f"{kind} notebooks read at grade {average:.1f}"
        # No single notebook may drift far above the target either.
        assert max(grades[kind].values()) <= readability.TARGET + 2, shown


@pytest.mark.parametrize("course", COURSES, ids=[c.slug for c in COURSES])
def test_every_notebook_has_real_prose(readability, course):
    for path in course.notebooks():
        assert len(readability.notebook_prose(ROOT / path).split()) > 500, path
