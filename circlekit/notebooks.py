"""Reading notebooks and finding what the kit cares about in them: sections, widget ids, data.

Small pure functions over the notebook's JSON, so checks, release and scaffold share them.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from circlekit.answers.record import PROMPT_CLASSES
from circlekit.errors import NotebookUnreadable
from circlekit.markup import Reference, list_after_heading, references
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
PROMPT_KINDS = tuple(PROMPT_CLASSES)  # the prompt classes a notebook may call
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SKIP_DIRS = {".ipynb_checkpoints", "_build", "__pycache__"}


@dataclass(frozen=True)
class WidgetUse:
    kind: str
    id: str
    cell: int  # 1-based, as people count
    refers_back: bool = False  # Goal(id).check() points at a goal set earlier
    text: str = ""  # the question or prompt as written (the second argument), when literal


def _question(call: ast.Call) -> str:
    """The prompt's words when they are written out: the second argument, or prompt=/question=."""
    exprs = [*call.args[1:2], *(k.value for k in call.keywords if k.arg in ("prompt", "question"))]
    for expr in exprs:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
    return ""


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
    version = nb.get("nbformat") if isinstance(nb, dict) else None
    if isinstance(version, int) and version < 4:
        raise NotebookUnreadable(
            f"an old notebook format (nbformat {version}); the kit reads nbformat 4. Upgrade it "
            f"with `jupyter nbconvert --to notebook --inplace {shown}`, or open it in "
            "JupyterLab and save it"
        )
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


def parse_code(text: str) -> ast.Module:
    """A code cell as Python; IPython's `%magic` and `!shell` lines are read as IPython would.

    Raises SyntaxError when the cell is not valid Python even then.
    """
    try:
        return ast.parse(text)
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(text))


def _code_cells(nb: dict) -> list[tuple[int, ast.Module | None, str]]:
    """(cell number, parsed code or None, syntax error message) for every code cell."""
    out: list[tuple[int, ast.Module | None, str]] = []
    for i, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") != "code":
            continue
        try:
            out.append((i, parse_code(source(cell)), ""))
        except SyntaxError as exc:
            out.append((i, None, f"line {exc.lineno}: {exc.msg}"))
    return out


def _kind(call: ast.Call, course_kinds: Mapping[str, str] | None = None) -> str | None:
    """The prompt class a call makes: `Discussion(...)`, `widgets.Discussion(...)`, or a prompt
    class of the course's own helper code (`lab.MatrixNotes(...)`), named by the kit's class it
    stands for."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name in PROMPT_KINDS:
        return name
    return (course_kinds or {}).get(name or "")


def _prompt_kind_of(stored_kind: str) -> str | None:
    """The kit's prompt class for an answer kind: 'meeting-reflection' -> 'MeetingReflection'."""
    return next((name for name, kinds in PROMPT_CLASSES.items() if stored_kind in kinds), None)


def course_prompt_classes(folder: Path) -> dict[str, str]:
    """Prompt widgets a course defines in its helper code (e.g. `lab/week3.py`), found with
    `ast`: {class name: the kit's prompt class it saves as}.

    A class counts when it derives from a kit prompt (`Discussion`, ...) or from `Prompt` and
    says which answer kind it saves (`kind = "discussion"`), so its ids are known to `check`
    and to the circle service like any other prompt's.
    """
    found: dict[str, str] = {}
    for path in sorted(Path(folder).rglob("*.py")):
        if SKIP_DIRS.intersection(path.parts):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, SyntaxError):
            continue  # `check` reports a notebook that fails; a helper's own tests catch this
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in
                     node.bases]
            kind = next((b for b in bases if b in PROMPT_KINDS), None)
            if kind is None and "Prompt" in bases:
                for stmt in node.body:
                    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                            and getattr(stmt.targets[0], "id", None) == "kind"
                            and isinstance(stmt.value, ast.Constant)
                            and isinstance(stmt.value.value, str)):
                        kind = _prompt_kind_of(stmt.value.value)
            if kind:
                found[node.name] = kind
    return found


def _id_expression(call: ast.Call) -> ast.expr | None:
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg == "id":
            return keyword.value
    return None


def _prompt_calls(
    tree: ast.Module, course_kinds: Mapping[str, str] | None = None
) -> list[tuple[str, ast.Call, bool]]:
    """(kind, call, refers back) for every prompt made in the code, in reading order."""
    back = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "check"
        and isinstance(node.func.value, ast.Call)
        and _kind(node.func.value) == "Goal"
    }
    calls = [
        (kind, node, id(node) in back)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and (kind := _kind(node, course_kinds))
    ]
    return sorted(calls, key=lambda c: (c[1].lineno, c[1].col_offset))


def widget_uses(nb: dict, course_kinds: Mapping[str, str] | None = None) -> list[WidgetUse]:
    """Every prompt whose id is written in the notebook, with its cell, in order.

    `course_kinds` adds the prompt classes of the course's own code (`course_prompt_classes`).
    """
    uses = []
    for i, tree, _ in _code_cells(nb):
        for kind, call, back in _prompt_calls(tree, course_kinds) if tree else ():
            expr = _id_expression(call)
            if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                uses.append(WidgetUse(kind, expr.value, i, refers_back=kind == "Goal" and back,
                                      text=_question(call)))
    return uses


def id_fault(wid: str) -> str | None:
    """What exactly is wrong with a widget id, in words; None when it is a good id."""
    if ID_PATTERN.match(wid):
        return None
    if not wid:
        return "is empty"
    if wid != wid.strip():
        return "has a space at the start or end"
    if any(c.isspace() for c in wid):
        return "has a space in it (use hyphens: 'my-week-1')"
    if wid.startswith("-"):
        return "starts with a hyphen"
    if wid.endswith("-"):
        return "ends with a hyphen"
    if "--" in wid:
        return "has two hyphens in a row"
    if any(c.isupper() for c in wid):
        return f"has capital letters (use {wid.lower()!r})"
    odd = sorted({c for c in wid if not (c.isascii() and (c.isalnum() or c == "-"))})
    shown = " ".join(repr(c) for c in odd)
    return f"has {shown}; use only lower-case letters, digits and hyphens"


def widget_id_problems(nb: dict, shown: str) -> list[Problem]:
    """Code the kit cannot read, and prompts whose id is only known when the cell runs.

    The service learns each course's prompt ids from the notebooks before anyone runs them, so
    an id kept in a variable or built at run time would have every answer refused.
    """
    problems = []
    for i, tree, error in _code_cells(nb):
        if tree is None:
            problems.append(Problem(shown, f"cell {i}", f"is not valid Python ({error})"))
            continue
        for kind, call, _ in _prompt_calls(tree):
            expr = _id_expression(call)
            if expr is None:
                problems.append(
                    Problem(shown, f"cell {i}", f'{kind}() has no id: write {kind}("my-id", ...)')
                )
            elif not (isinstance(expr, ast.Constant) and isinstance(expr.value, str)):
                problems.append(
                    Problem(
                        shown,
                        f"cell {i}",
                        f"{kind}() gets its id from {ast.unparse(expr)}, which is only known "
                        f'when the cell runs; write the id itself, e.g. {kind}("my-id", ...)',
                    )
                )
    return problems


def data_references(nb: dict) -> list[tuple[str, int]]:
    """('data/...' literal, cell number) for each data file a code cell names."""
    refs = []
    for i, tree, _ in _code_cells(nb):
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text.startswith("data/") and len(text) > 5 and not any(
                    c.isspace() for c in text
                ):
                    refs.append((text, i, node.lineno, node.col_offset))
    return [(text, i) for text, i, *_ in sorted(refs, key=lambda r: (r[1], r[2], r[3]))]


def markdown_references(nb: dict) -> list[tuple[Reference, int]]:
    """(reference, cell number) for every address in the Markdown cells, raw HTML included."""
    return [
        (ref, i)
        for i, cell in enumerate(nb["cells"], start=1)
        if cell.get("cell_type") == "markdown"
        for ref in references(source(cell))
    ]


def file_references(nb: dict) -> list[tuple[str, int]]:
    """(relative path, cell number) for each local file a Markdown cell links to or shows."""
    return [
        (ref.local_path, cell)
        for ref, cell in markdown_references(nb)
        if ref.local_path and not ref.local_path.startswith("/")
    ]


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
    problems += _order_problems(found, shown)
    if "header" in names:
        cell = found[names.index("header")][1]
        if list_after_heading(source(nb["cells"][cell - 1]), "Objectives") is None:
            problems.append(
                Problem(shown, f"cell {cell}", "the header has no '## Objectives' list")
            )
    if not any(u.kind != "Reflection" and not u.refers_back for u in widget_uses(nb)):
        problems.append(
            Problem(shown, "", 'has no prompt: add at least one, e.g. Discussion("my-id", "...")')
        )
    return problems


def _order_problems(found: list[tuple[str, int]], shown: str) -> list[Problem]:
    """Sections must come in the order of SECTIONS; one may repeat, but not go back."""
    problems = []
    known = [(name, cell) for name, cell in found if name in SECTIONS and name != "header"]
    for (before, _), (name, cell) in zip(known, known[1:], strict=False):
        if SECTIONS.index(name) < SECTIONS.index(before):
            problems.append(
                Problem(
                    shown,
                    f"cell {cell}",
                    f"section '{name}' comes after '{before}'; the order is "
                    + ", ".join(SECTIONS),
                )
            )
    return problems


def header_objectives(nb: dict) -> tuple[int, list[str]] | None:
    """(cell number, items) of the '## Objectives' list in the header; None if there is none."""
    for name, cell in sections(nb):
        if name == "header":
            items = list_after_heading(source(nb["cells"][cell - 1]), "Objectives")
            return None if items is None else (cell, items)
    return None
