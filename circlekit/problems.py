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

