"""Learner copies of each course under `_build/release/<slug>/`, ready to pull onto a hub.

Notebooks with nbgrader self-check cells go through nbgrader's `generate_assignment` (solutions
become stubs, hidden tests go); the others are copied with outputs cleared. The course's own
files (course.yml, helper modules, data) come along so the copies run as they are.

The release is incremental: a manifest records the hash of every source file, and only files
that changed are made again (nbgrader takes seconds, so it runs only where it must).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from circlekit import __version__
from circlekit.course import Course
from circlekit.errors import CircleKitError
from circlekit.fileio import write_atomic, write_notebook_atomic
from circlekit.notebooks import has_nbgrader_cells

RELEASE_DIR = "_build/release"
MANIFEST = ".circlekit-release"
_SKIP = {".ipynb_checkpoints", "__pycache__"}


def _sources(root: Path, course: Course) -> dict[str, Path]:
    """What goes into the learner copy, by its path inside the copy."""
    folder = root / course.folder
    learner = {w.notebook for w in course.weeks}
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or _SKIP.intersection(rel.parts):
            continue
        name = rel.as_posix()
        if name == "index.md" or (path.suffix == ".ipynb" and name not in learner):
            continue  # the book's course page and scratch notebooks are not for learners
        found[name] = path
    return found


def _hash(path: Path) -> str:
    return hashlib.sha256(__version__.encode() + path.read_bytes()).hexdigest()


def _cleared(nb: dict) -> dict:
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nb.get("metadata", {}).pop("widgets", None)
    return nb


def _nbgrader(slug: str, notebooks: dict[str, dict], out: Path) -> None:
    """Run nbgrader generate_assignment on these notebooks in a scratch course folder."""
    with tempfile.TemporaryDirectory(prefix="nbgrader-") as tmp:
        source = Path(tmp) / "source" / slug
        for name, nb in notebooks.items():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_text(json.dumps(nb), encoding="utf-8")
        env = dict(os.environ)
        # nbgrader shells out to `alembic` to create its gradebook; it lives beside this Python.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        cmd = [
            sys.executable, "-m", "nbgrader", "generate_assignment", slug, "--force",
            f"--CourseDirectory.root={tmp}",
            f"--CourseDirectory.db_url=sqlite:///{tmp}/gradebook.db",
        ]  # fmt: skip
        done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise CircleKitError(_nbgrader_failure(slug, done.stderr))
        for name in notebooks:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(tmp) / "release" / slug / name, target)


def _nbgrader_failure(slug: str, log: str) -> str:
    """nbgrader's log, boiled down to the notebook it was converting and its first error."""
    notebook, reason = "", ""
    for line in log.splitlines():
        _, sep, message = line.partition(" | ")
        if not sep or "] " not in message:
            continue
        level, _, text = message.partition("] ")
        if level == "INFO" and text.startswith("Converting notebook "):
            notebook = Path(text.removeprefix("Converting notebook ")).name
        elif level == "ERROR" and not reason:
            reason = text.strip().removesuffix("Cell contents are:").strip()
    where = f"notebooks/{slug}/{notebook}" if notebook else f"notebooks/{slug}"
    return (f"nbgrader could not make the learner copy of {where}: "
            f"{reason or 'it stopped without saying why'} (check the cells marked "
            "### BEGIN SOLUTION / ### END SOLUTION and the autograder tests)")


def release_course(root: Path, course: Course) -> tuple[Path, bool]:
    """Bring the learner copy of one course up to date; return (its folder, whether it changed)."""
    root = Path(root)
    out = root / RELEASE_DIR / course.slug
    manifest_path = out / MANIFEST
    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    sources = _sources(root, course)
    new = {name: _hash(path) for name, path in sources.items()}
    changed = [n for n in new if old.get(n) != new[n] or not (out / n).is_file()]
    gone = [n for n in old if n not in new]
    if not changed and not gone:
        return out, False

    graded: dict[str, dict] = {}
    for name in changed:
        path, target = sources[name], out / name
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            if has_nbgrader_cells(nb):
                graded[name] = nb
            else:
                write_notebook_atomic(target, _cleared(nb))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    if graded:
        _nbgrader(course.slug, graded, out)
    for name in gone:
        (out / name).unlink(missing_ok=True)
    # Written last: if anything above fails, the next build makes those files again.
    write_atomic(manifest_path, json.dumps(new, indent=1, sort_keys=True))
    return out, True
