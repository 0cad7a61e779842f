"""`circlekit check`: everything that must hold before a build, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from circlekit.course import Course, load_courses
from circlekit.fileio import write_notebook_atomic
from circlekit.notebooks import (
    ID_PATTERN,
    NotebookUnreadable,
    cells_with_outputs,
    collapse_hidden_inputs,
    data_references,
    file_references,
    kit_notebooks,
    parameters_cell,
    read_notebook,
    section_problems,
    widget_uses,
)
from circlekit.problems import Problem
from circlekit.toc import TOC_FILE, stale_files, write_toc


@dataclass
class CheckReport:
    problems: list[Problem]
    courses: list[Course]
    notebooks: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"check: {len(self.courses)} course(s), {self.notebooks} notebook(s), "
            f"{len(self.problems)} problem(s)"
        )


def _course_file_problems(root: Path, course: Course) -> list[Problem]:
    problems = []
    for i, week in enumerate(course.weeks):
        for field, rel in (
            ("notebook", course.notebook_path(week)),
            ("guide", course.guide_path(week)),
        ):
            if not (root / rel).is_file():
                problems.append(
                    Problem(course.course_file, f"weeks[{i}].{field}", f"{rel} does not exist")
                )
    for i, rel in enumerate(course.data):
        if not (root / course.folder / rel).is_file():
            problems.append(
                Problem(course.course_file, f"data[{i}]", f"{course.folder}/{rel} does not exist")
            )
    return problems


def _notebook_problems(root: Path, rel: str, nb: dict) -> list[Problem]:
    problems = []
    cells = cells_with_outputs(nb)
    if cells:
        where = "cell " + ", ".join(map(str, cells)) if len(cells) < 6 else f"{len(cells)} cells"
        problems.append(
            Problem(rel, where, "has outputs committed; clear them (the build executes notebooks)")
        )
    folder = (root / rel).parent
    for ref, cell in data_references(nb) + file_references(nb):
        if not (folder / ref).exists():
            problems.append(Problem(rel, f"cell {cell}", f"refers to {ref}, which does not exist"))
    return problems


def check(root: Path, *, fix: bool = False) -> CheckReport:
    """Check the kit at `root`.

    With fix, first rewrite the generated _toc.yml and course pages, and collapse in JupyterLab
    the cells tagged hide-input.
    """
    root = Path(root)
    courses, problems = load_courses(root)
    learner = {c.notebook_path(w) for c in courses for w in c.weeks}
    guides = {c.guide_path(w) for c in courses for w in c.weeks}
    for course in courses:
        problems += _course_file_problems(root, course)

    seen_ids: dict[str, str] = {}
    goal_checks: list[tuple[str, int, str]] = []
    paths = kit_notebooks(root)
    for rel in paths:
        try:
            nb = read_notebook(root / rel, rel)
        except NotebookUnreadable as exc:
            problems.append(Problem(rel, "", str(exc)))
            continue
        if fix and collapse_hidden_inputs(nb):
            write_notebook_atomic(root / rel, nb)
        problems += _notebook_problems(root, rel, nb)
        if rel in learner:
            problems += section_problems(nb, rel)
        if rel in guides and parameters_cell(nb) is None:
            problems.append(
                Problem(
                    rel,
                    "",
                    "a facilitator guide needs a code cell tagged 'parameters' (circle, date, ...)",
                )
            )
        for use in widget_uses(nb):
            where = f"cell {use.cell}"
            if use.refers_back:
                goal_checks.append((rel, use.cell, use.id))
            elif not ID_PATTERN.match(use.id):
                problems.append(
                    Problem(
                        rel,
                        where,
                        f"widget id {use.id!r} must be lower-case letters, digits and hyphens",
                    )
                )
            elif use.id in seen_ids:
                problems.append(
                    Problem(
                        rel, where, f"widget id {use.id!r} is already used in {seen_ids[use.id]}"
                    )
                )
            else:
                seen_ids[use.id] = f"{rel} cell {use.cell}"
    for rel, cell, gid in goal_checks:
        if gid not in seen_ids:
            problems.append(
                Problem(
                    rel, f"cell {cell}", f"Goal({gid!r}).check() refers to no Goal set in the kit"
                )
            )

    if fix:
        write_toc(root, courses)
    for stale in stale_files(root, courses):
        what = "table of contents" if stale == TOC_FILE else "course page"
        problems.append(
            Problem(
                stale,
                "",
                f"{what} is out of step with the course files; run `circlekit check --fix`",
            )
        )
    return CheckReport(problems=sorted(set(problems)), courses=courses, notebooks=len(paths))
