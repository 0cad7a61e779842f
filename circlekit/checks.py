"""`circlekit check`: everything that must hold before a build, reported all at once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from circlekit.course import COURSE_FILE, NOTEBOOKS_DIR, Course, load_courses, read_course_yaml
from circlekit.errors import CircleKitError
from circlekit.fileio import write_notebook_atomic
from circlekit.launch import CONFIG_FILE
from circlekit.markup import Reference, references
from circlekit.notebooks import (
    SKIP_DIRS,
    NotebookUnreadable,
    cells_with_outputs,
    collapse_hidden_inputs,
    course_prompt_classes,
    data_references,
    header_objectives,
    id_fault,
    kit_notebooks,
    markdown_references,
    parameters_cell,
    read_notebook,
    section_problems,
    source,
    widget_id_problems,
    widget_uses,
)
from circlekit.problems import Problem, root_first
from circlekit.toc import ROOT_PAGE, TOC_FILE, stale_files, toc_documents, write_toc

# What the scaffold and the importer write where only the author can decide.
PLACEHOLDER = "AUTHOR"
# Pictures above this size slow the book down on a library's shared connection.
IMAGE_WARN_BYTES = 500 * 1024
PAGE_FOLDERS = ("notebooks", "facilitator", "book")


@dataclass
class CheckReport:
    problems: list[Problem]
    courses: list[Course]
    notebooks: int
    warnings: list[Problem] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        warned = f", {len(self.warnings)} warning(s)" if self.warnings else ""
        return (
            f"check: {len(self.courses)} course(s), {self.notebooks} notebook(s), "
            f"{len(self.problems)} problem(s){warned}"
        )


def _course_file_problems(root: Path, course: Course) -> list[Problem]:
    problems = []
    for i, week in enumerate(course.weeks):
        for field, rel in (
            ("notebook", course.notebook_path(week)),
            ("guide", course.guide_path(week)),
        ):
            if not (root / rel).is_file():
                problems.append(
                    Problem(course.course_file, f"weeks[{i}].{field}", f"{rel} does not exist")
                )
    for i, rel in enumerate(course.data):
        if not (root / course.folder / rel).is_file():
            problems.append(
                Problem(course.course_file, f"data[{i}]", f"{course.folder}/{rel} does not exist")
            )
    return problems


def _notebook_problems(root: Path, rel: str, nb: dict) -> list[Problem]:
    problems = []
    cells = cells_with_outputs(nb)
    if cells:
        where = "cell " + ", ".join(map(str, cells)) if len(cells) < 6 else f"{len(cells)} cells"
        problems.append(
            Problem(rel, where, "has outputs committed; clear them (the build executes notebooks)")
        )
    folder = (root / rel).parent
    for ref, cell in data_references(nb):
        if not (folder / ref).exists():
            problems.append(Problem(rel, f"cell {cell}", f"refers to {ref}, which does not exist"))
    problems += widget_id_problems(nb, rel)
    for i, cell in enumerate(nb["cells"], start=1):
        problems += [Problem(rel, f"cell {i}", m) for m in _placeholder_messages(source(cell))]
    return problems


def _is_placeholder(line: str) -> bool:
    """'AUTHOR: ...' anywhere, or AUTHOR alone (on its line or in a table cell).

    A sentence that merely mentions the word ("replace every line marked AUTHOR") is not one.
    """
    words = line.split()
    for i, word in enumerate(words):
        core = word.strip("*_\"'()[]`>✏️")
        if core.startswith(f"{PLACEHOLDER}:"):
            return True
        if core == PLACEHOLDER:
            before = words[i - 1] if i else "|"
            after = words[i + 1] if i + 1 < len(words) else "|"
            if before in ("|", "-", ">", "*") and after == "|":
                return True
    return False


def placeholder_lines(text: str) -> list[int]:
    """1-based numbers of the lines that still hold an AUTHOR placeholder."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if _is_placeholder(line)]


def _placeholder_messages(text: str) -> list[str]:
    lines = placeholder_lines(text)
    if not lines:
        return []
    where = "line " + ", ".join(map(str, lines[:5])) + (" ..." if len(lines) > 5 else "")
    return [f"still has an {PLACEHOLDER} placeholder ({where}): replace it with your own words"]


def _yaml_strings(data: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, text) for every string in parsed YAML, with paths as course.py shows them."""
    if isinstance(data, dict):
        return [
            pair
            for key, value in data.items()
            for pair in _yaml_strings(value, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(data, list):
        return [pair for i, v in enumerate(data) for pair in _yaml_strings(v, f"{path}[{i}]")]
    return [(path, data)] if isinstance(data, str) else []


def course_placeholder_problems(root: Path, course: Course) -> list[Problem]:
    """AUTHOR lines left in course.yml, named by field."""
    shown = course.course_file
    data = read_course_yaml(Path(root) / shown, shown)
    return [
        Problem(shown, where, f"still an {PLACEHOLDER} placeholder: {text.strip()!r}")
        for where, text in _yaml_strings(data)
        if placeholder_lines(text)
    ]


def kit_pages(root: Path) -> list[str]:
    """Every Markdown page under the kit's content folders, relative to the root, sorted."""
    found = []
    for top in PAGE_FOLDERS:
        base = Path(root) / top
        for p in sorted(base.rglob("*.md")) if base.is_dir() else ():
            rel = p.relative_to(root)
            if not SKIP_DIRS.intersection(rel.parts):
                found.append(rel.as_posix())
    return sorted(found)


def reference_problems(
    root: Path, rel: str, refs: list[tuple[Reference, str]], documents: set[str]
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) for the addresses one page points at.

    A local file must exist inside the kit, and a page linked to must be in the book; anything
    fetched from another site when the page is shown breaks the offline rule, while a plain
    outbound link that the reader may choose to follow is fine.
    """
    root = Path(root).resolve()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for ref, where in refs:
        if ref.outside:
            if ref.loads and ref.target.split(":", 1)[0].lower() != "data":
                problems.append(
                    Problem(
                        rel,
                        where,
                        f"{ref.what} loads {ref.target} from the internet, and the book must "
                        "work offline: save the file in the course (pictures go in img/) or "
                        "make it a plain link",
                    )
                )
            continue
        path = ref.local_path
        if not path:
            continue  # an anchor on the same page
        if ref.what.startswith("<") and ref.what != "<img src>":
            # The book copies local files named by Markdown (and by <img>, through MyST's
            # html_image), never those named only in other raw HTML.
            problems.append(
                Problem(
                    rel,
                    where,
                    f"{ref.what} {path}: the book does not carry a local file named in raw HTML; "
                    "write it in Markdown, e.g. [words](file) or ![what it shows](file)",
                )
            )
            continue
        target = (root / path.lstrip("/")) if path.startswith("/") else (root / rel).parent / path
        target = target.resolve()
        if not target.is_relative_to(root):
            problems.append(
                Problem(rel, where, f"{ref.what} {path} points outside the kit's folder")
            )
        elif not target.exists():
            problems.append(Problem(rel, where, f"refers to {path}, which does not exist"))
        elif ref.loads and target.is_file() and target.stat().st_size > IMAGE_WARN_BYTES:
            size = target.stat().st_size // 1024
            warnings.append(
                Problem(
                    rel,
                    where,
                    f"{path} is {size} KB; shrink it below {IMAGE_WARN_BYTES // 1024} KB so the "
                    "page loads quickly on a shared connection",
                )
            )
        elif not ref.loads and target.suffix in (".md", ".ipynb"):
            doc = target.relative_to(root).with_suffix("").as_posix()
            if doc not in documents:
                problems.append(
                    Problem(
                        rel,
                        where,
                        f"links to {path}, which is not a page of the book; if it is a course "
                        f"page, list it under pages: in {COURSE_FILE}",
                    )
                )
    return problems, warnings


def page_problems(
    root: Path, documents: set[str], generated: set[str] = frozenset()
) -> tuple[list[Problem], list[Problem]]:
    """Placeholders and addresses in the kit's Markdown pages.

    A generated page's placeholders come from its course.yml, which names them by field.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for rel in kit_pages(root):
        text = (Path(root) / rel).read_text(encoding="utf-8")
        if rel not in generated:
            problems += [Problem(rel, "", m) for m in _placeholder_messages(text)]
        refs = [(ref, f"line {ref.line}") for ref in references(text)]
        found, warned = reference_problems(root, rel, refs, documents)
        problems += found
        warnings += warned
    return problems, warnings


def objective_problems(course: Course, nbs: dict[str, dict]) -> list[Problem]:
    """Each learner notebook's '## Objectives' list must say what course.yml says."""
    problems = []
    for i, week in enumerate(course.weeks):
        rel = course.notebook_path(week)
        found = header_objectives(nbs[rel]) if rel in nbs else None
        if found is None:
            continue  # a missing notebook or header is reported on its own
        cell, items = found
        wanted = [" ".join(o.split()) for o in week.objectives]
        if items == wanted:
            continue
        only_yml = [o for o in wanted if o not in items]
        only_nb = [o for o in items if o not in wanted]
        detail = "; ".join(
            part
            for part in (
                f"only in {COURSE_FILE}: " + ", ".join(map(repr, only_yml)) if only_yml else "",
                "only in the notebook: " + ", ".join(map(repr, only_nb)) if only_nb else "",
            )
            if part
        ) or "the same objectives in another order"
        problems.append(
            Problem(
                rel,
                f"cell {cell}",
                f"the objectives differ from {course.course_file} weeks[{i}].objectives ({detail})",
            )
        )
    return problems


def course_page_problems(root: Path, course: Course) -> list[Problem]:
    """Each entry of `pages:` must be a page in the course folder that is not a week."""
    problems = []
    weeks = {w.notebook for w in course.weeks}
    for i, page in enumerate(course.pages):
        if page in weeks or page == "index.md":
            problems.append(
                Problem(
                    course.course_file,
                    f"pages[{i}]",
                    f"{page} is already a page of the course; list only extra pages here",
                )
            )
        elif not (Path(root) / course.folder / page).is_file():
            problems.append(
                Problem(
                    course.course_file,
                    f"pages[{i}]",
                    f"unknown course page: {course.folder}/{page} does not exist",
                )
            )
    return problems


def preflight_problems(root: Path) -> list[Problem]:
    """What the build would otherwise find only after executing every notebook."""
    from circlekit.launch import CONFIG_FILE, hub_launch, read_config
    from circlekit.widgetjs import widget_js_problem

    problems = []
    if (Path(root) / CONFIG_FILE).is_file():
        try:
            hub_launch(read_config(root))
        except CircleKitError as exc:
            message = str(exc).removeprefix(f"{CONFIG_FILE}: ")
            problems.append(Problem(CONFIG_FILE, "", message))
    else:
        problems.append(
            Problem(CONFIG_FILE, "", "missing; the book needs its Jupyter Book configuration")
        )
    missing_js = widget_js_problem(root)
    if missing_js:
        problems.append(Problem("_build/widgetjs", "", missing_js))
    return problems


def _unloaded_course_pages(root: Path, problems: list[Problem]) -> set[str]:
    """The pages of courses whose course file is broken: they would be in the book once it is
    mended, so links to them are not reported on top of the course file's own problem."""
    pages = set()
    for slug in {Path(p.path).parent.name for p in problems if p.path.endswith(COURSE_FILE)}:
        for folder in (root / NOTEBOOKS_DIR / slug, root / "facilitator" / slug):
            for page in folder.rglob("*"):
                if page.suffix in (".md", ".ipynb") and ".ipynb_checkpoints" not in page.parts:
                    pages.add(page.relative_to(root).with_suffix("").as_posix())
    return pages


def check(root: Path, *, fix: bool = False) -> CheckReport:
    """Check the kit at `root`.

    With fix, first rewrite the generated _toc.yml and course pages, and collapse in JupyterLab
    the cells tagged hide-input.
    """
    root = Path(root)
    courses, problems = load_courses(root)
    learner = {c.notebook_path(w) for c in courses for w in c.weeks}
    guides = {c.guide_path(w) for c in courses for w in c.weeks}
    warnings: list[Problem] = []
    documents = toc_documents(root, courses) | _unloaded_course_pages(root, problems)
    for course in courses:
        problems += _course_file_problems(root, course)
        problems += course_placeholder_problems(root, course)
        problems += course_page_problems(root, course)
    problems += preflight_problems(root)
    found, warned = page_problems(root, documents, {f"{c.folder}/{ROOT_PAGE}.md" for c in courses})
    problems += found
    warnings += warned
    read: dict[str, dict] = {}

    course_kinds = {c.slug: course_prompt_classes(root / c.folder) for c in courses}

    def kinds_of(rel: str) -> dict[str, str]:
        """The prompt classes of the course a notebook or guide belongs to."""
        parts = Path(rel).parts
        return course_kinds.get(parts[1], {}) if len(parts) > 2 else {}

    seen_ids: dict[str, str] = {}
    goal_checks: list[tuple[str, int, str]] = []
    paths = kit_notebooks(root)
    for rel in paths:
        try:
            nb = read_notebook(root / rel, rel)
        except NotebookUnreadable as exc:
            problems.append(Problem(rel, "", str(exc)))
            continue
        if fix and collapse_hidden_inputs(nb):
            write_notebook_atomic(root / rel, nb)
        read[rel] = nb
        problems += _notebook_problems(root, rel, nb)
        refs = [(ref, f"cell {cell}") for ref, cell in markdown_references(nb)]
        found, warned = reference_problems(root, rel, refs, documents)
        problems += found
        warnings += warned
        if rel in learner:
            problems += section_problems(nb, rel)
        if rel in guides and parameters_cell(nb) is None:
            problems.append(
                Problem(
                    rel,
                    "",
                    "a facilitator guide needs a code cell tagged 'parameters' (circle, date, ...)",
                )
            )
        for use in widget_uses(nb, kinds_of(rel)):
            where = f"cell {use.cell}"
            if use.refers_back:
                goal_checks.append((rel, use.cell, use.id))
            elif fault := id_fault(use.id):
                problems.append(
                    Problem(
                        rel,
                        where,
                        f"widget id {use.id!r} {fault} (an id is lower-case letters, digits "
                        "and single hyphens, e.g. 'mini-1-notice')",
                    )
                )
            elif use.id in seen_ids:
                problems.append(
                    Problem(
                        rel, where, f"widget id {use.id!r} is already used in {seen_ids[use.id]}"
                    )
                )
            else:
                seen_ids[use.id] = f"{rel} cell {use.cell}"
    for rel, cell, gid in goal_checks:
        if gid not in seen_ids:
            problems.append(
                Problem(
                    rel, f"cell {cell}", f"Goal({gid!r}).check() refers to no Goal set in the kit"
                )
            )

    for course in courses:
        problems += objective_problems(course, read)


    in_course_files = [p for p in problems if p.path.endswith(f"/{COURSE_FILE}")]
    broken = sorted({p.path for p in in_course_files})
    if fix:
        _fix_generated(root, courses, in_course_files)
    for stale in stale_files(root, courses):
        what = "table of contents" if stale == TOC_FILE else "course page"
        # With a course file broken, the course is missing from `courses`: rewriting the
        # generated files now would drop it, so the advice is to mend the course file first.
        then = (f"fix {', '.join(broken)} first, then run `circlekit check --fix`"
                if broken else "run `circlekit check --fix`")
        problems.append(Problem(stale, "", f"{what} is out of step with the course files; {then}"))
    return CheckReport(
        problems=root_first(problems),
        courses=courses,
        notebooks=len(paths),
        warnings=sorted(set(warnings)),
    )


def is_kit(root: Path) -> bool:
    """Whether `root` is a kit's folder: it has the book's _config.yml or a notebooks/ folder."""
    return (Path(root) / CONFIG_FILE).is_file() or (Path(root) / NOTEBOOKS_DIR).is_dir()


def _fix_generated(root: Path, courses: list[Course], in_course_files: list[Problem]) -> None:
    """`check --fix`: rewrite the generated files, unless that would do harm."""
    if not is_kit(root):
        raise CircleKitError(
            f"check --fix: {root.resolve()} is not a circlekit kit (it has no {CONFIG_FILE} and "
            f"no {NOTEBOOKS_DIR}/ folder), so nothing was written; run it in the kit's folder, "
            "or name that folder with --root"
        )
    if in_course_files:
        lines = "".join(f"\n  {p}" for p in sorted(set(in_course_files)))
        raise CircleKitError(
            "check --fix: the table of contents was not rewritten, since it would leave out a "
            f"course whose course file has problems; fix these, then run it again:{lines}"
        )
    write_toc(root, courses)
