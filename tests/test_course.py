from pathlib import Path

import pytest

from circlekit.course import course_slugs, load_course, load_courses
from circlekit.errors import ProblemsFound

GOOD = """title: Demo
slug: demo
summary: A demo.
language: en
licence: CC-BY-SA-4.0
authors:
  - name: Tester
audience: Everyone.
weeks:
"""
WEEK = """  - title: Week {n}
    notebook: 0{n}.ipynb
    guide: 0{n}.ipynb
    minutes: {minutes}
    objectives: [Learn]
"""


def write_course(root: Path, text: str, slug: str = "demo") -> None:
    folder = root / "notebooks" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(text)


def test_a_good_course_loads_with_weeks_in_order(tmp_path):
    write_course(tmp_path, GOOD + WEEK.format(n=1, minutes=90) + WEEK.format(n=2, minutes=60))
    course = load_course(tmp_path, "demo")
    assert [w.number for w in course.weeks] == [1, 2]
    assert course.notebook_path(course.weeks[1]) == "notebooks/demo/02.ipynb"
    assert course.guide_path(course.weeks[0]) == "facilitator/demo/01.ipynb"
    assert course.weeks[1].minutes == 60


def test_wrong_type_names_file_and_field(tmp_path):
    weeks = "".join(WEEK.format(n=n, minutes=90) for n in (1, 2)) + WEEK.format(
        n=3, minutes="ninety"
    )
    write_course(tmp_path, GOOD + weeks)
    with pytest.raises(ProblemsFound) as exc:
        load_course(tmp_path, "demo")
    assert [str(p) for p in exc.value.problems] == [
        "notebooks/demo/course.yml: weeks[2].minutes: "
        "expected a whole number of minutes, got 'ninety'"
    ]


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    text = GOOD.replace("summary: A demo.\n", "").replace("language: en", "language: fr")
    text = text.replace("slug: demo", "slug: other") + WEEK.format(n=1, minutes="lots")
    text += "colour: blue\n"
    write_course(tmp_path, text)
    with pytest.raises(ProblemsFound) as exc:
        load_course(tmp_path, "demo")
    messages = [str(p) for p in exc.value.problems]
    assert "notebooks/demo/course.yml: summary: missing: this field is required" in messages
    assert "notebooks/demo/course.yml: language: expected one of en, es, got 'fr'" in messages
    assert any("weeks[0].minutes" in m for m in messages)
    assert any(m.startswith("notebooks/demo/course.yml: colour: unknown field") for m in messages)
    assert any("slug: is 'other' but the folder is 'demo'" in m for m in messages)
    assert len(messages) == 5


def test_bad_yaml_names_the_line(tmp_path):
    write_course(tmp_path, GOOD.replace("summary: A demo.", "summary: [A demo."))
    with pytest.raises(ProblemsFound) as exc:
        load_course(tmp_path, "demo")
    (problem,) = exc.value.problems
    assert problem.path == "notebooks/demo/course.yml"
    assert problem.where.startswith("line ")
    assert "not valid YAML" in problem.message


def test_a_notebook_used_by_two_weeks_is_a_problem(tmp_path):
    write_course(tmp_path, GOOD + WEEK.format(n=1, minutes=90) + WEEK.format(n=1, minutes=90))
    with pytest.raises(ProblemsFound) as exc:
        load_course(tmp_path, "demo")
    assert any(
        "weeks[1].notebook" in str(p) and "already used" in str(p) for p in exc.value.problems
    )


def test_load_courses_keeps_good_ones_and_collects_problems(tmp_path):
    write_course(tmp_path, GOOD + WEEK.format(n=1, minutes=90))
    write_course(tmp_path, "title: [", slug="broken")
    courses, problems = load_courses(tmp_path)
    assert course_slugs(tmp_path) == ["broken", "demo"]
    assert [c.slug for c in courses] == ["demo"]
    assert problems and problems[0].path == "notebooks/broken/course.yml"
