"""`circlekit build`: check → execute → release → book, stopping at the first step that fails.

A notebook that fails to execute does not stop the build: the others still run, the book is
still made (that page without outputs), and the build reports the failure and exits 1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from circlekit.book import LOG_FILE, BookResult, build_book, mark_stale
from circlekit.checks import check
from circlekit.course import Course
from circlekit.errors import CircleKitError, ProblemsFound
from circlekit.execute import Outcome, execute, needs_executing
from circlekit.notebooks import kit_notebooks
from circlekit.release import release_course


@dataclass
class BuildReport:
    outcomes: list[Outcome] = field(default_factory=list)
    released: list[Path] = field(default_factory=list)
    book: BookResult | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        return (
            f"notebooks: {self.count('executed')} executed, {self.count('cached')} cached, "
            f"{self.count('failed')} failed"
        )


def _selected(
    root: Path, courses: list[Course], slug: str | None
) -> tuple[list[Course], list[str]]:
    """The courses to build and the notebooks to execute for them."""
    if slug is None:
        return courses, kit_notebooks(root)
    chosen = [c for c in courses if c.slug == slug]
    if not chosen:
        known = ", ".join(c.slug for c in courses) or "none yet"
        raise CircleKitError(f"--course {slug}: no such course (courses: {known})")
    return chosen, chosen[0].notebooks()


@contextlib.contextmanager
def _ctrl_c_stops() -> Iterator[None]:
    """Ctrl-C stops the build, at any step, even where a library catches the interrupt.

    Sphinx turns it into a return value, and one that lands in a finalizer is printed as
    "Exception ignored" and lost; so the interrupt is also noted here, one lost in a finalizer
    is sent again a moment later, and the build raises KeyboardInterrupt when its step ends,
    whatever that step did with it.
    """
    hit = []

    def note(signum: int, frame: object) -> None:
        hit.append(signum)
        raise KeyboardInterrupt

    def lost(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT)).start()
        else:
            previous_hook(unraisable)

    try:
        previous = signal.signal(signal.SIGINT, note)
    except ValueError:  # not the main thread: signals are not ours to handle
        yield
        return
    previous_hook, sys.unraisablehook = sys.unraisablehook, lost
    try:
        yield
    except BaseException:
        if hit:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook
    if hit:
        raise KeyboardInterrupt


def build(
    root: Path,
    *,
    course: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    echo: Callable[[str], None] = print,
) -> BuildReport:
    """Run every step on the kit at `root`; a failing step raises a CircleKitError.

    Ctrl-C raises KeyboardInterrupt, whatever step it comes in; the notebooks executed by then
    stay in the cache.
    """
    with _ctrl_c_stops():
        return _build(root, course=course, jobs=jobs, force=force, progress=progress, echo=echo)


def _build(
    root: Path,
    *,
    course: str | None,
    jobs: int | None,
    force: bool,
    progress: bool,
    echo: Callable[[str], None],
) -> BuildReport:
    root = Path(root).resolve()
    report = check(root)
    if report.problems:
        raise ProblemsFound(report.problems)
    echo(report.summary())

    courses, selected = _selected(root, report.courses, course)
    result = BuildReport()
    result.outcomes = execute(root, selected, jobs=jobs, force=force, progress=progress)
    for outcome in result.outcomes:
        for note in outcome.notes:
            echo(f"warning: {outcome.path}: {note}")
    for outcome in result.failed:
        echo(f"failed: {outcome.describe()}")

    mark_stale(root, [o.path for o in result.outcomes if o.status == "executed"])
    # Notebooks outside this build's selection that are not up to date stay unrun in the book.
    others = [p for p in kit_notebooks(root) if p not in set(selected)]
    skip = [o.path for o in result.failed] + needs_executing(root, others)
    echo("release and book: making learner copies and building HTML ...")
    # The release mostly waits on nbgrader's own process, so it runs beside the book build.
    with ThreadPoolExecutor(max_workers=1) as pool:
        releases = pool.map(lambda c: release_course(root, c), courses)
        result.book = build_book(root, skip_execution=skip)
        for out, rebuilt in releases:
            result.released.append(out)
            echo(f"release: {out.relative_to(root)}/" + ("" if rebuilt else " (up to date)"))
    for warning in result.book.warnings:
        echo(f"book warning: {warning}")
    echo(
        f"book: {result.book.html.relative_to(root)} ({result.book.pages} pages), "
        f"{len(result.book.warnings)} warning(s)"
        + (f" (full log: {LOG_FILE})" if result.book.warnings else "")
    )
    return result
