"""Other course formats, brought into the course model: `circlekit import <format> PATH`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """One place an author must look at after an import: where, what kind, and what to do."""

    where: str  # "source-file:line" in the imported folder, or a file the import wrote
    kind: str  # video, link, asset, image, review, unsupported, agenda, prompt, hidden, author
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
