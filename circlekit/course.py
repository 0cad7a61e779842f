"""The course model: `notebooks/<slug>/course.yml`, loaded and validated in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from circlekit.errors import ProblemsFound
from circlekit.problems import Problem

COURSE_FILE = "course.yml"
NOTEBOOKS_DIR = "notebooks"
FACILITATOR_DIR = "facilitator"


@dataclass(frozen=True)
class Week:
    number: int
    title: str
    notebook: str
    guide: str
    minutes: int
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    """A validated course. Paths are relative to the kit's root."""

    root: Path
    slug: str
    title: str
    summary: str
    language: str
    licence: str
    authors: tuple[dict[str, str], ...]
    audience: str
    weeks: tuple[Week, ...]
    credits: str = ""
    data: tuple[str, ...] = field(default=())
    pages: tuple[str, ...] = field(default=())  # extra pages (glossary, ...) after the weeks

    @property
    def folder(self) -> str:
        return f"{NOTEBOOKS_DIR}/{self.slug}"

    @property
    def guide_folder(self) -> str:
        return f"{FACILITATOR_DIR}/{self.slug}"

    @property
    def course_file(self) -> str:
        return f"{self.folder}/{COURSE_FILE}"

    def notebook_path(self, week: Week) -> str:
        return f"{self.folder}/{week.notebook}"

    def guide_path(self, week: Week) -> str:
        return f"{self.guide_folder}/{week.guide}"

    def notebooks(self) -> list[str]:
        """Every notebook of the course, learner ones first, relative to the root."""
        return [self.notebook_path(w) for w in self.weeks] + [
            self.guide_path(w) for w in self.weeks
        ]


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(resources.files("circlekit").joinpath("course.schema.json").read_text())
    return Draft202012Validator(schema)


_TYPE_WORDS = {
    "integer": "a whole number",
    "string": "text",
    "array": "a list",
    "object": "a mapping of fields",
}


def _field_path(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _describe(error: ValidationError) -> tuple[str, str]:
    """Turn a JSON Schema error into (field, message) written for a course author."""
    where = _field_path(list(error.absolute_path))
    last = error.absolute_path[-1] if error.absolute_path else None
    got = repr(error.instance)
    if error.validator == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        if last == "minutes":
            wanted += " of minutes"
        return where, f"expected {wanted}, got {got}"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        prefix = "" if where == "(top level)" else where + "."
        return prefix + missing, "missing: this field is required"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        prefix = "" if where == "(top level)" else where + "."
        return prefix + ", ".join(extra), "unknown field (check the spelling; see CONTRIBUTING.md)"
    if error.validator == "enum":
        options = ", ".join(map(str, error.validator_value))
        return where, f"expected one of {options}, got {got}"
    if error.validator == "pattern":
        if last == "slug":
            return where, f"must be lower-case letters, digits and hyphens, got {got}"
        if len(error.absolute_path) >= 2 and error.absolute_path[-2] == "pages":
            return where, f"must name a .md or .ipynb page in the course folder, got {got}"
        return where, f"must name a .ipynb file, got {got}"
    if error.validator in ("minItems", "minLength"):
        return where, "must not be empty"
    if error.validator in ("minimum", "maximum"):
        return where, f"{got} is out of range ({error.message.split(' is ')[-1]})"
    return where, error.message


def _tab_line(text: str, failed: int | None) -> int | None:
    """The 1-based line whose tab broke the YAML: the first indented with one, or the failing
    line if it holds one."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return number
    if failed is not None and failed < len(lines) and "\t" in lines[failed]:
        return failed + 1
    return None


def read_course_yaml(path: Path, shown: str) -> dict[str, Any]:
    """Parse course.yml; raise ProblemsFound naming the line when it is not valid YAML."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        tab = _tab_line(text, mark.line if mark else None)
        if tab:
            raise ProblemsFound([Problem(
                shown, f"line {tab}", "use spaces, not tabs, to indent (YAML does not allow tabs)"
            )]) from exc
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise ProblemsFound([Problem(shown, where, f"not valid YAML: {reason}")]) from exc
    except OSError as exc:
        raise ProblemsFound([Problem(shown, "", f"cannot be read: {exc.strerror}")]) from exc
    if not isinstance(data, dict):
        raise ProblemsFound(
            [Problem(shown, "", "expected a mapping of fields (title:, slug:, ...)")]
        )
    return data


def load_course(root: Path, slug: str) -> Course:
    """Load and validate `notebooks/<slug>/course.yml`; raise ProblemsFound with every problem."""
    root = Path(root)
    shown = f"{NOTEBOOKS_DIR}/{slug}/{COURSE_FILE}"
    data = read_course_yaml(root / shown, shown)
    problems = [Problem(shown, *_describe(e)) for e in _validator().iter_errors(data)]
    if isinstance(data.get("slug"), str) and data["slug"] != slug:
        problems.append(
            Problem(
                shown, "slug", f"is {data['slug']!r} but the folder is {slug!r}; they must match"
            )
        )
    weeks = data.get("weeks") if isinstance(data.get("weeks"), list) else []
    for field_name in ("notebook", "guide"):
        seen: dict[str, int] = {}
        for i, week in enumerate(weeks):
            name = week.get(field_name) if isinstance(week, dict) else None
            if isinstance(name, str) and name in seen:
                problems.append(
                    Problem(
                        shown,
                        f"weeks[{i}].{field_name}",
                        f"{name!r} is already used by weeks[{seen[name]}]",
                    )
                )
            elif isinstance(name, str):
                seen[name] = i
    if problems:
        raise ProblemsFound(problems)
    return Course(
        root=root,
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        language=data["language"],
        licence=data["licence"],
        authors=tuple(data["authors"]),
        audience=data["audience"],
        credits=data.get("credits", ""),
        data=tuple(data.get("data", ())),
        pages=tuple(data.get("pages", ())),
        weeks=tuple(
            Week(
                number=i + 1,
                title=w["title"],
                notebook=w["notebook"],
                guide=w["guide"],
                minutes=w["minutes"],
                objectives=tuple(w["objectives"]),
            )
            for i, w in enumerate(data["weeks"])
        ),
    )


def course_slugs(root: Path) -> list[str]:
    """Slugs of every folder under notebooks/ that has a course.yml, sorted."""
    base = Path(root) / NOTEBOOKS_DIR
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob(f"*/{COURSE_FILE}"))


def load_courses(root: Path) -> tuple[list[Course], list[Problem]]:
    """Every course that loads, and the problems of those that do not."""
    courses: list[Course] = []
    problems: list[Problem] = []
    for slug in course_slugs(root):
        try:
            courses.append(load_course(root, slug))
        except ProblemsFound as exc:
            problems.extend(exc.problems)
    return courses, problems
