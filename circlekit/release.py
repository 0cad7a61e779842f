"""Learner copies of each course under `_build/release/<slug>/`, ready to pull onto a hub.

Notebooks with nbgrader self-check cells go through nbgrader's `generate_assignment` (solutions
become stubs, hidden tests go); the others are copied with outputs cleared. The course's own
files (course.yml, helper modules, data) come along so the copies run as they are.
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
from circlekit.fileio import write_atomic, write_notebook_atomic
from circlekit.notebooks import has_nbgrader_cells
from circlekit.problems import KitError

RELEASE_DIR = "_build/release"
DIGEST_FILE = ".circlekit-release"
_SKIP = {".ipynb_checkpoints", "__pycache__"}


def _course_files(root: Path, course: Course) -> list[Path]:
    folder = root / course.folder
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not _SKIP.intersection(p.relative_to(folder).parts)
    )


def _digest(root: Path, files: list[Path]) -> str:
    h = hashlib.sha256(__version__.encode())
    for path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


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
        source.mkdir(parents=True)
        for name, nb in notebooks.items():
            (source / name).write_text(json.dumps(nb), encoding="utf-8")
        env = dict(os.environ)
        # nbgrader shells out to `alembic` to create its gradebook; it lives beside this Python.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        cmd = [
            sys.executable,
            "-m",
            "nbgrader",
            "generate_assignment",
            slug,
            "--force",
            f"--CourseDirectory.root={tmp}",
            f"--CourseDirectory.db_url=sqlite:///{tmp}/gradebook.db",
        ]
        done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise KitError(f"nbgrader could not make the learner copy of {slug}:\n{tail}")
        for name in notebooks:
            shutil.copy2(Path(tmp) / "release" / slug / name, out / name)


def release_course(root: Path, course: Course) -> tuple[Path, bool]:
    """Write the learner copy of one course; return (its folder, whether anything was rebuilt)."""
    root = Path(root)
    out = root / RELEASE_DIR / course.slug
    files = _course_files(root, course)
    digest = _digest(root, files)
    stamp = out / DIGEST_FILE
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return out, False

    learner = {w.notebook for w in course.weeks}
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{course.slug}-", dir=out.parent))
    try:
        graded: dict[str, dict] = {}
        for path in files:
            rel = path.relative_to(root / course.folder).as_posix()
            if rel == "index.md" or (path.suffix == ".ipynb" and rel not in learner):
                continue  # the book's course page and scratch notebooks are not for learners
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".ipynb":
                nb = json.loads(path.read_text(encoding="utf-8"))
                if has_nbgrader_cells(nb):
                    graded[rel] = nb
                else:
                    write_notebook_atomic(target, _cleared(nb))
            else:
                shutil.copy2(path, target)
        if graded:
            _nbgrader(course.slug, graded, staging)
        write_atomic(staging / DIGEST_FILE, digest)
        # Swap the finished copy in whole, so a failed release never leaves half a folder.
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out, True
