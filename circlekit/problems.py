"""Problems found in a kit, reported all together, each naming its file and where in it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. `where` is a field path, a cell, or empty."""

    path: str
    where: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.where}: {self.message}"
            if self.where
            else f"{self.path}: {self.message}"
        )



def root_first(problems: list[Problem]) -> list[Problem]:
    """Each problem once, in the order to fix them: course files, then the rest, then the
    generated files (the table of contents, course pages).

    A broken course file is the root of the problems it causes elsewhere (a table of contents
    out of step, notebooks that belong to no course), so it comes first.
    """
    # Imported here: the course and toc modules report their own problems with this module.
    from circlekit.course import COURSE_FILE
    from circlekit.toc import TOC_FILE

    def rank(problem: Problem) -> int:
        if problem.path.endswith(f"/{COURSE_FILE}"):
            return 0
        if problem.path == TOC_FILE or problem.path.endswith("/index.md"):
            return 2
        return 1

    return sorted(set(problems), key=lambda p: (rank(p), p))
