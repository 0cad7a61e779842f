"""The course's datasheet (data/DATASHEET.md), shown inside a notebook.
"""

from __future__ import annotations

from .display import DATA


def datasheet_section(name: str) -> str:
    """The part of data/DATASHEET.md about one data file, as Markdown text."""
    text = (DATA / "DATASHEET.md").read_text(encoding="utf-8")
    lines, keep = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            keep = line.strip() == f"## data/{name}"
        if keep:
            lines.append(line)
    if not lines:
        raise KeyError(f"data/DATASHEET.md has no section '## data/{name}'")
    return "\n".join(lines)


def datasheet(name: str) -> None:
    """Show the datasheet's section for one data file."""
    from IPython.display import Markdown, display

    display(Markdown(datasheet_section(name).replace("## data/", "### Datasheet: data/", 1)))
