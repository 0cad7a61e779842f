"""`circlekit new-course`: a new course from the templates, ready to check and build."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from string import Template

from circlekit.course import FACILITATOR_DIR, NOTEBOOKS_DIR, load_courses
from circlekit.errors import CircleKitError
from circlekit.fileio import write_atomic, write_notebook_atomic
from circlekit.notebooks import ID_PATTERN
from circlekit.toc import write_toc

MAX_WEEKS = 12


def _template(name: str) -> str:
    return resources.files("circlekit").joinpath("templates", name).read_text(encoding="utf-8")


def _fill_notebook(name: str, values: dict[str, str]) -> dict:
    nb = json.loads(_template(name))
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = Template(src).safe_substitute(values)
    return nb


def new_course(root: Path, slug: str, title: str, weeks: int) -> list[str]:
    """Create notebooks/<slug>/ and facilitator/<slug>/; return the files written, relative to root.

    Refuses to touch a course that already exists, so nobody's work is overwritten.
    """
    root = Path(root)
    if not ID_PATTERN.match(slug):
        raise CircleKitError(
            f"course name {slug!r}: use lower-case letters, digits and hyphens, e.g. 'my-course'"
        )
    if not title.strip():
        raise CircleKitError('--title: give the course a title, e.g. --title "Our first course"')
    if not 1 <= weeks <= MAX_WEEKS:
        raise CircleKitError(f"--weeks: expected 1 to {MAX_WEEKS} weeks, got {weeks}")
    course_dir = root / NOTEBOOKS_DIR / slug
    guide_dir = root / FACILITATOR_DIR / slug
    for folder in (course_dir, guide_dir):
        if folder.exists():
            raise CircleKitError(
                f"{folder.relative_to(root)} already exists; choose another name "
                "(nothing was changed)"
            )

    names = [f"{w:02d}-week-{w}.ipynb" for w in range(1, weeks + 1)]
    week_yaml = "".join(
        Template(_template("week.yml")).substitute(week=w, notebook=n)
        for w, n in enumerate(names, 1)
    )
    files: dict[Path, str | dict] = {
        course_dir / "course.yml": Template(_template("course.yml")).substitute(
            title=json.dumps(title.strip()), slug=slug, weeks=week_yaml.rstrip("\n")
        ),
        course_dir / "data" / "DATASHEET.md": Template(_template("DATASHEET.md")).substitute(
            title=title
        ),
        course_dir / "data" / "make_data.py": _template("make_data.py"),
        # The course's pictures have one home; its README says how pages show them.
        course_dir / "img" / "README.md": Template(_template("img-README.md")).substitute(
            title=title, slug=slug
        ),
    }
    for week, name in enumerate(names, 1):
        values = {"week": str(week), "prefix": slug}
        files[course_dir / name] = _fill_notebook("learner.ipynb", values)
        files[guide_dir / name] = _fill_notebook("guide.ipynb", values)

    written = []
    try:
        for path, content in files.items():
            if isinstance(content, dict):
                write_notebook_atomic(path, content)
            else:
                write_atomic(path, content)
            written.append(path.relative_to(root).as_posix())
        _run_data_script(course_dir)
        written.append(f"{NOTEBOOKS_DIR}/{slug}/data/example.csv")
    except BaseException:
        # Half a course is worse than none: take back what this call made, and only that.
        shutil.rmtree(course_dir, ignore_errors=True)
        shutil.rmtree(guide_dir, ignore_errors=True)
        raise
    courses, problems = load_courses(root)
    if not problems:  # a broken course elsewhere would drop out of the toc; leave it to `check`
        written += write_toc(root, courses)
    return written


def _run_data_script(course_dir: Path) -> None:
    import runpy

    runpy.run_path(str(course_dir / "data" / "make_data.py"), run_name="__main__")
