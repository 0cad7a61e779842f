"""Put the courses in a person's home folder on a hub: one copy, learners' edits kept.

Two ways lead a learner to a notebook: the hub's front page (their home folder) and the book's
launch links (an nbgitpuller clone of the kit in `home/<folder>`). When the kit's book launches
to a hub, the home holds that same clone, made before the server starts, so both ways lead to
one copy; nbgitpuller's merge keeps what the learner changed. Without launch links the
learner release (or the course sources) is copied in, file by file, never over a file that is
already there.

`circlekit hub` calls this from its spawner hook; a Kubernetes deployment calls it from each
server's start (`circlekit place-courses`, hub/helm/values.yaml). Both follow this one rule.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from circlekit.launch import CONFIG_FILE, hub_launch, read_config

# Never copied: Jupyter's own scratch files and Python's caches.
SKIPPED_PARTS = {".ipynb_checkpoints", "__pycache__"}


@dataclass(frozen=True)
class Placed:
    """What `place_courses` did, in words a log can show."""

    how: str  # "clone" or "copy"
    where: tuple[Path, ...]
    copied: int = 0

    def describe(self) -> str:
        places = ", ".join(str(p) for p in self.where) or "nothing to place"
        if self.how == "clone":
            return f"courses: the kit's clone is up to date in {places}"
        return f"courses: {self.copied} new file(s) copied into {places}"


def copy_missing(source: Path, dest: Path) -> int:
    """Copy the files of `source` that `dest` lacks; return how many. Never overwrites."""
    if not source.is_dir():
        return 0
    count = 0
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or SKIPPED_PARTS & set(rel.parts):
            continue
        target = dest / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def clone_or_merge(repo_url: str, branch: str, dest: Path) -> None:
    """Clone the kit into `dest`, or merge its news into the clone there: learners' edits win."""
    from nbgitpuller.pull import GitPuller

    for _line in GitPuller(repo_url, str(dest), branch=branch).pull():
        pass


def place_courses(kit: Path, home: Path, *, leads: bool = False) -> Placed:
    """Give the person whose home is `home` the courses of the kit at `kit`.

    With launch links in the kit's `_config.yml`: the clone the links use, in
    `home/<folder>` (facilitator guides come with it). Otherwise: each course of the learner
    release (`_build/release`, without self-check answers) or, before a build, of
    `notebooks/`, into `home/<course>`; and the guides into `home/facilitator` when `leads`.
    A bad `_config.yml` is a CircleKitError: a hub must not quietly fall back to a second copy.
    """
    kit, home = Path(kit), Path(home)
    launch = hub_launch(read_config(kit)) if (kit / CONFIG_FILE).is_file() else None
    if launch is not None:
        home.mkdir(parents=True, exist_ok=True)
        clone_or_merge(launch.repo_url, launch.branch, home / launch.folder)
        return Placed("clone", (home / launch.folder,))
    release = kit / "_build" / "release"
    courses = release if release.is_dir() else kit / "notebooks"
    copied, where = 0, []
    for course in sorted(courses.iterdir()) if courses.is_dir() else ():
        course_yml = kit / "notebooks" / course.name / "course.yml"
        if not (course.is_dir() and course_yml.is_file()):
            continue
        copied += copy_missing(course, home / course.name)
        if not (home / course.name / "course.yml").exists():
            shutil.copy2(course_yml, home / course.name / "course.yml")
            copied += 1
        where.append(home / course.name)
    if leads:
        copied += copy_missing(kit / "facilitator", home / "facilitator")
        where.append(home / "facilitator")
    return Placed("copy", tuple(where), copied)
