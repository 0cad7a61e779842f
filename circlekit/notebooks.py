"""Reading notebooks and finding what the kit cares about in them: sections, widget ids, data.

Small pure functions over the notebook's JSON, so checks, release and scaffold share them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from circlekit.errors import NotebookUnreadable
from circlekit.problems import Problem

SECTION_PREFIX = "section:"
SECTIONS = (
    "header",
    "check-in",
    "reading",
    "activity",
    "discussion",
    "key-points",
    "reflection",
    "take-home",
)
REQUIRED_SECTIONS = ("header", "reflection")
PROMPT_KINDS = ("Discussion", "Poll", "CheckIn", "Reflection", "Goal", "Quiz")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_WIDGET_CALL = re.compile(r"\b(" + "|".join(PROMPT_KINDS) + r")\(\s*(['\"])(.*?)\2")
_GOAL_CHECK = re.compile(r"\bGoal\(\s*(['\"])(.*?)\1\s*\)\s*\.check\(")
_DATA_LITERAL = re.compile(r"(['\"])(data/[^'\"\s]+)\1")
_MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)
SKIP_DIRS = {".ipynb_checkpoints", "_build", "__pycache__"}


@dataclass(frozen=True)
class WidgetUse:
    kind: str
    id: str
    cell: int  # 1-based, as people count
    refers_back: bool = False  # Goal(id).check() points at a goal set earlier


def read_notebook(path: Path, shown: str) -> dict:
    """Read and validate a notebook; raise NotebookUnreadable with a message naming the problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookUnreadable(f"cannot be read: {exc}") from exc
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookUnreadable(
            f"not valid notebook JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(nb, dict) or "cells" not in nb:
        raise NotebookUnreadable("not a Jupyter notebook (no 'cells' list)")
    try:
        node = nbformat.from_dict(nb)
        nbformat.validate(node, version=4)
    except nbformat.ValidationError as exc:
        raise NotebookUnreadable(f"not a valid nbformat 4 notebook: {exc.message}") from exc
    return nb


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


# A cell tagged so is one whose code a learner need not read (it only shows an activity or a
# prompt): the book folds it away, and JupyterLab collapses it once `check --fix` has set
# `jupyter.source_hidden`, the flag JupyterLab reads.
HIDE_INPUT = "hide-input"
# Text for one medium only. The book drops cells tagged remove-cell (myst-nb's tag), so that is
# the notebook-only tag; a book-only cell is folded away whole in JupyterLab.
NOTEBOOK_ONLY = "remove-cell"
BOOK_ONLY = "book-only"


def collapse_hidden_inputs(nb: dict) -> list[int]:
    """Set JupyterLab's collapse flags from the tags (hide-input, book-only); return the cells
    changed."""
    changed = []
    for i, cell in enumerate(nb["cells"], start=1):
        wanted = {}
        if HIDE_INPUT in tags(cell) or BOOK_ONLY in tags(cell):
            wanted["source_hidden"] = True
        if BOOK_ONLY in tags(cell) and cell.get("cell_type") == "code":
            wanted["outputs_hidden"] = True
        if not wanted:
            continue
        jupyter = cell.setdefault("metadata", {}).setdefault("jupyter", {})
        if any(jupyter.get(k) is not True for k in wanted):
            jupyter.update(wanted)
            changed.append(i)
    return changed


def sections(nb: dict) -> list[tuple[str, int]]:
    """(section name, 1-based cell number) for every cell that starts a section, in order."""
    found = []
    for i, cell in enumerate(nb["cells"], start=1):
        for tag in tags(cell):
            if tag.startswith(SECTION_PREFIX):
                found.append((tag[len(SECTION_PREFIX) :], i))
    return found


def widget_uses(nb: dict) -> list[WidgetUse]:
    uses = []
    for i, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") != "code":
            continue
        text = source(cell)
        back = {m.group(2) for m in _GOAL_CHECK.finditer(text)}
        for m in _WIDGET_CALL.finditer(text):
            kind, wid = m.group(1), m.group(3)
            uses.append(WidgetUse(kind, wid, i, refers_back=kind == "Goal" and wid in back))
    return uses


def data_references(nb: dict) -> list[tuple[str, int]]:
    """('data/...' literal, cell number) for each data file a code cell names."""
    refs = []
    for i, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") == "code":
            refs += [(m.group(2), i) for m in _DATA_LITERAL.finditer(source(cell))]
    return refs


def file_references(nb: dict) -> list[tuple[str, int]]:
    """(relative path, cell number) for each local file a Markdown link or image points at."""
    refs = []
    for i, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") != "markdown":
            continue
        for m in _MD_LINK.finditer(source(cell)):
            target = m.group(1).split("#", 1)[0]
            if target and not _EXTERNAL.match(m.group(1)):
                refs.append((target, i))
    return refs


def cells_with_outputs(nb: dict) -> list[int]:
    return [
        i
        for i, cell in enumerate(nb["cells"], start=1)
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]


def has_nbgrader_cells(nb: dict) -> bool:
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") or meta.get("grade"):
            return True
    return False


def parameters_cell(nb: dict) -> int | None:
    for i, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") == "code" and "parameters" in tags(cell):
            return i
    return None


def kit_notebooks(
    root: Path, folders: tuple[str, ...] = ("notebooks", "facilitator", "book")
) -> list[str]:
    """Every notebook under the kit's content folders, relative to the root, sorted."""
    found = []
    for top in folders:
        base = Path(root) / top
        if not base.is_dir():
            continue
        for p in base.rglob("*.ipynb"):
            rel = p.relative_to(root)
            if not SKIP_DIRS.intersection(rel.parts):
                found.append(rel.as_posix())
    return sorted(found)


def section_problems(nb: dict, shown: str) -> list[Problem]:
    """What a learner notebook lacks: the required sections, in order, and a prompt."""
    problems = []
    found = sections(nb)
    names = [name for name, _ in found]
    for name, cell in found:
        if name not in SECTIONS:
            known = ", ".join(SECTION_PREFIX + s for s in SECTIONS)
            problems.append(
                Problem(
                    shown,
                    f"cell {cell}",
                    f"unknown section tag '{SECTION_PREFIX}{name}' (known: {known})",
                )
            )
    for name in REQUIRED_SECTIONS:
        if name not in names:
            problems.append(
                Problem(
                    shown,
                    "",
                    f"missing the {name} section (a Markdown cell tagged '{SECTION_PREFIX}{name}')",
                )
            )
    if names and "header" in names and names[0] != "header":
        problems.append(Problem(shown, f"cell {found[0][1]}", "the header section must come first"))
    if "header" in names:
        cell = nb["cells"][found[names.index("header")][1] - 1]
        if not re.search(r"^#+\s*objectives", source(cell), re.IGNORECASE | re.MULTILINE):
            problems.append(
                Problem(
                    shown,
                    f"cell {found[names.index('header')][1]}",
                    "the header has no '## Objectives' list",
                )
            )
    if not any(u.kind != "Reflection" and not u.refers_back for u in widget_uses(nb)):
        problems.append(
            Problem(shown, "", 'has no prompt: add at least one, e.g. Discussion("my-id", "...")')
        )
    return problems
