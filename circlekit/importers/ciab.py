"""`circlekit import ciab`: a Course in a Box (Jekyll) course, as a circlekit course.

Course in a Box keeps the course in `_data/course.yml` (title, description, the ordered list of
module folders) and one Markdown page per post in `modules/<module>/_posts/DATE-slug.md`. Each
listed module becomes a week: a learner notebook with the module's pages as sections, and a
facilitator guide with the agenda its time notes suggest. Whatever only the author can decide
is left as an AUTHOR line or named in the report; the source folder is only ever read.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import yaml

from circlekit.checks import PLACEHOLDER, placeholder_lines
from circlekit.course import COURSE_FILE, FACILITATOR_DIR, NOTEBOOKS_DIR, load_courses
from circlekit.errors import CircleKitError
from circlekit.fileio import write_atomic, write_notebook_atomic
from circlekit.importers import Note
from circlekit.markup import Reference, html_references, lone_image, parse_markdown, references
from circlekit.notebooks import ID_PATTERN
from circlekit.toc import write_toc

MEETING_MINUTES = 90
SPARE_MINUTES = 10
CHECK_IN_WORDS = ("check-in", "check in", "welcome", "icebreaker")
WRAP_UP_WORDS = ("wrap-up", "wrap up", "closing", "reflection", "reflect")
DISCUSSION_WORDS = ("discussion", "discuss", "questions", "talk")
RESTRICTED = ("noncommercial", "non-commercial", "noderivatives", "no-derivatives", "nc", "nd")
OBJECTIVE = f"{PLACEHOLDER}: something learners can do by the end of the meeting."
POST_SUFFIXES = (".md", ".markdown")  # pages in other formats (.Rmd, ...) are named as skipped
PAGE_SKIP = {"index", "readme", "license", "licence", "404", "changelog", "contributing"}
KERNEL = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
PARAMETERS = (
    'circle_name = "My learning circle"\nfacilitator = "Facilitator"\n'
    'place = "Library meeting room"\nfirst_meeting = "2026-01-05"\nweekday = "Monday"\n'
    'time = "18:00"\ngroup_size = 8'
)


def ascii_slug(text: str) -> str:
    """'Getting Started!' -> 'getting-started': letters and digits joined by single hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return "-".join(words)


def heading_anchor(title: str) -> str:
    """The anchor the book gives a heading (MyST's own rule, so links and anchors agree)."""
    from myst_parser.mdit_to_docutils.base import default_slugify

    return default_slugify(title)


@dataclass
class Page:
    source: str  # relative to the CiaB folder
    slug: str
    title: str
    body: str
    first_line: int  # the line of the source file where the body starts
    module: str = ""


@dataclass
class Week:
    number: int
    module: str
    title: str
    notebook: str
    pages: list[Page]
    cells: list[dict] = field(default_factory=list)
    minutes: list[tuple[str, int | None]] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    slug: str
    written: list[str]
    notes: list[Note]

    def count(self, kind: str) -> int:
        return sum(1 for n in self.notes if n.kind == kind)

    def summary(self) -> str:
        return (
            f"import ciab: wrote course {self.slug}: {self.count('video')} video(s), "
            f"{self.count('link')} unresolved link(s), {self.count('asset')} flagged asset(s), "
            f"{self.count('author')} file(s) with AUTHOR lines; fill those in, then run "
            "`circlekit check`"
        )


def _front_matter(text: str, shown: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line the body starts on) of a Jekyll page."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                data = yaml.safe_load("".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                raise CircleKitError(f"{shown}: the front matter is not valid YAML: {exc}") from exc
            return (data if isinstance(data, dict) else {}), "".join(lines[end + 1 :]), end + 2
    return {}, text, 1


def _read_page(folder: Path, path: Path) -> Page:
    rel = path.relative_to(folder).as_posix()
    meta, body, first = _front_matter(path.read_text(encoding="utf-8"), rel)
    stem = path.stem
    parts = stem.split("-", 3)
    slug = parts[3] if len(parts) == 4 and all(p.isdigit() for p in parts[:3]) else stem
    title = str(meta.get("title") or slug.replace("-", " ").capitalize())
    return Page(rel, slug, title, body, first)


def _minutes(text: str) -> int | None:
    """The first 'N minutes' / 'N min' in a page's text."""
    words = text.split()
    for word, after in zip(words, words[1:], strict=False):
        number = word.strip("(~:,.;")
        if number.isdigit() and after.lower().strip("(),.;:").startswith("min"):
            return int(number)
    return None


def _has_word(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


class _Converter:
    """Turns the pages of one course into notebook cells and Markdown, collecting notes."""

    def __init__(self, source: Path, out: Path, slug: str, baseurl: str):
        self.source = source
        self.out = out  # notebooks/<slug>/ in the kit
        self.slug = slug
        self.baseurl = baseurl.strip("/")
        self.notes: list[Note] = []
        self.pages_by_slug: dict[str, tuple[str, str]] = {}  # page slug -> (notebook, anchor)
        self.modules: dict[str, str] = {}  # module folder -> notebook
        self.course_pages: dict[str, str] = {}  # name -> page file in the course
        self.images: dict[Path, str] = {}  # source file -> name under img/
        self.videos: list[str] = []  # the videos of the week being converted
        self._ids: dict[tuple[str, str], int] = {}
        # What addresses start with: "" in the course folder; a guide (in facilitator/<slug>/)
        # reaches the course's files by their path from the kit's root.
        self.base = ""

    def convert_for_guide(self, page: Page) -> list[tuple[str, str, list[str]]]:
        self.base = f"/{NOTEBOOKS_DIR}/{self.slug}/"
        try:
            return self.convert(page, None)
        finally:
            self.base = ""

    def note(self, page: Page, line: int, kind: str, message: str) -> None:
        self.notes.append(Note(f"{page.source}:{page.first_line + line - 1}", kind, message))

    # -- addresses ---------------------------------------------------------------------------
    def _segments(self, target: str) -> list[str]:
        path = target.split("#", 1)[0].split("?", 1)[0]
        parts = [unquote(p) for p in PurePosixPath(path).parts if p not in ("/", ".", "..", "")]
        if self.baseurl and parts[:1] == [self.baseurl]:
            parts = parts[1:]
        return parts

    def image(self, page: Page, target: str) -> str | None:
        """The image's new address (img/<name>), copying it once; None when it is missing."""
        parts = self._segments(target)
        page_dir = (self.source / page.source).parent
        candidates = [self.source.joinpath(*parts)] if parts else []
        candidates.append(page_dir / target)
        if parts:
            candidates.append(self.source / "img" / parts[-1])
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(self.source.resolve()):
                if resolved not in self.images:
                    name = resolved.name
                    taken = set(self.images.values())
                    n = 2
                    while name in taken:
                        name = f"{resolved.stem}-{n}{resolved.suffix}"
                        n += 1
                    self.images[resolved] = name
                return f"{self.base}img/{self.images[resolved]}"
        return None

    def link(self, target: str, notebook: str | None) -> str | None:
        """Where a link between pages now points, or None when it cannot be resolved."""
        parts = self._segments(target)
        if not parts:
            return None
        last = parts[-1]
        for suffix in (".html", ".md"):
            last = last.removesuffix(suffix)
        if last == "index" and len(parts) > 1:
            last = parts[-2]
        if last in self.course_pages:
            return self.base + self.course_pages[last]
        if last in self.pages_by_slug:
            where, anchor = self.pages_by_slug[last]
            return f"#{anchor}" if where == notebook else f"{self.base}{where}#{anchor}"
        if last in self.modules:
            return self.base + self.modules[last]
        return None

    # -- one page ------------------------------------------------------------------------------
    def convert(self, page: Page, notebook: str | None) -> list[tuple[str, str, list[str]]]:
        """The page as blocks (kind, markdown, widget calls): kind is '', 'discussion' or
        'reflection' for the block a heading of that kind starts."""
        body = page.body.replace("{{ site.baseurl }}", "").replace("{{site.baseurl}}", "")
        lines = body.splitlines()
        tokens = parse_markdown(body)
        blocks: list[tuple[str, list[str], list[str]]] = [("", [], [])]
        pending: tuple[str, int] | None = None  # a discussion/reflection heading awaiting a list
        consumed = -1
        for i, token in enumerate(tokens):
            if token.level != 0 or not token.map or token.nesting == -1 or i <= consumed:
                continue
            start, end = token.map
            text = "\n".join(lines[start:end])
            if token.type == "heading_open":
                title = tokens[i + 1].content
                if i == 0 and " ".join(title.split()).lower() == page.title.lower():
                    continue  # the page's title, written again; it is already the section's
                if token.tag == "h1" and token.markup == "#":
                    # The notebook has one title; a page's own top headings sit under its section.
                    text = "###" + text[1:]
                if pending and pending[0] == "discussion":
                    self.note(page, pending[1], "prompt",
                              "a discussion heading with no questions under it; add some, or "
                              "remove the heading")
                kind = (
                    "discussion" if _has_word(title, DISCUSSION_WORDS)
                    else "reflection" if _has_word(title, WRAP_UP_WORDS) else ""
                )
                pending = (kind, start + 1) if kind else None
                if kind:
                    blocks.append((kind, [], []))
                blocks[-1][1].append(self._rewrite(page, text, notebook, start + 1))
                continue
            if token.type in ("bullet_list_open", "ordered_list_open"):
                close = next(
                    j for j in range(i + 1, len(tokens))
                    if tokens[j].level == 0
                    and tokens[j].type == token.type.replace("open", "close")
                )
                consumed = close
                items = [
                    " ".join(t.content.split()) for t in tokens[i:close]
                    if t.type == "inline" and t.level == 3
                ]
                if pending and pending[0] == "discussion" and items:
                    blocks[-1][2].extend(
                        f"Discussion({self._id(notebook, 'discussion')}, {json.dumps(q)})"
                        for q in items
                    )
                    pending = None
                    continue
                if pending and pending[0] == "reflection":
                    pending = None
                blocks[-1][1].append(self._rewrite(page, text, notebook, start + 1))
                continue
            if token.type == "html_block":
                blocks[-1][1].append(self._html_block(page, token.content, start + 1, notebook))
                continue
            if token.type in ("fence", "code_block"):
                blocks[-1][1].append(text)
                continue
            blocks[-1][1].append(self._rewrite(page, text, notebook, start + 1))
        if pending and pending[0] == "discussion":
            self.note(page, pending[1], "prompt",
                      "a discussion heading with no questions under it; add some, or remove the "
                      "heading")
        return [
            (kind, "\n\n".join(part for part in parts if part.strip()), calls)
            for kind, parts, calls in blocks
        ]

    def _id(self, notebook: str | None, what: str) -> str:
        week = (notebook or "00").split("-", 1)[0].lstrip("0") or "0"
        key = (week, what)
        self._ids[key] = self._ids.get(key, 0) + 1
        return json.dumps(f"{self.slug}-{week}-{what}-{self._ids[key]}")

    def _liquid(self, page: Page, text: str, line: int) -> str:
        kept = []
        for n, row in enumerate(text.split("\n")):
            if "{%" in row:
                self.note(page, line + n, "unsupported",
                          f"Liquid tag not supported, dropped: {row.strip()}")
                continue
            if "{{" in row:
                self.note(page, line + n, "unsupported",
                          f"Liquid value not supported, kept as it is: {row.strip()}")
            kept.append(row)
        return "\n".join(kept)

    def _rewrite(self, page: Page, text: str, notebook: str | None, line: int) -> str:
        """A Markdown block with its images copied and its links pointed at the new pages."""
        text = self._liquid(page, text, line)
        for ref in references(text):
            at = line + ref.line - 1
            if ref.what == "image" or ref.what.startswith("<img"):
                text = self._fix_image(page, text, ref, at)
            elif ref.outside and ref.loads:
                self.note(page, at, "unsupported",
                          f"{ref.what} {ref.target} inside a paragraph is not supported (it loads "
                          "from the internet): make it a link; `circlekit check` reports it")
            elif not ref.outside and ref.local_path:
                new = self.link(ref.target, notebook)
                if new is None:
                    self.note(page, at, "link",
                              f"link to {ref.target} could not be resolved; it is now plain text")
                    text = _unlink(text, ref.target)
                else:
                    text = text.replace(f"({ref.target})", f"({new})").replace(
                        f'"{ref.target}"', f'"{new}"'
                    )
        return text

    def _fix_image(self, page: Page, text: str, ref: Reference, line: int) -> str:
        if ref.outside:
            self.note(page, line, "image",
                      f"picture {ref.target} is loaded from another site (hot-linked); it is now a "
                      "plain link: save a copy in img/ if its licence allows")
            return _image_to_link(text, ref.target, "Picture on the internet")
        new = self.image(page, ref.target)
        if new is None:
            self.note(page, line, "image", f"picture {ref.target} is missing from the course")
            return _image_to_link(text, ref.target, "Picture missing", link=False)
        return text.replace(f"({ref.target}", f"({new}").replace(f'"{ref.target}"', f'"{new}"')

    def _html_block(self, page: Page, html: str, line: int, notebook: str | None) -> str:
        start = html.lstrip().lower()
        if start.startswith("<style"):
            self.note(page, line, "unsupported",
                      "<style> block dropped: the book has its own styles")
            return ""
        if start.startswith("<script"):
            self.note(page, line, "unsupported",
                      "<script> block not supported (the book runs no page scripts), dropped")
            return ""
        attrs = lone_image(html)
        if attrs and "src" in attrs and not html.strip().lower().startswith("<img"):
            # A picture wrapped in <p>/<div> stays raw HTML in the book and is not copied;
            # alone, MyST makes it a picture of the book (width kept).
            html = "<img " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()) + ">"
        refs = html_references(html)
        frames = [r for r in refs if r.what == "<iframe src>"]
        if frames:
            cards = []
            for frame in frames:
                self.videos.append(frame.target)
                self.note(page, line, "video",
                          f"video {frame.target} is now a link card (it needs the internet)")
                cards.append(f"> 🎬 **Video (needs the internet):** [{frame.target}]"
                             f"({frame.target})")
            return "\n\n".join(cards)
        return self._rewrite(page, html.rstrip("\n"), notebook, line)


def _unlink(text: str, target: str) -> str:
    """`[words](target)` -> `words` (plain text) where the link is written that simply."""
    end = text.find(f"]({target})")
    start = text.rfind("[", 0, end)
    if end < 0 or start < 0:
        return text
    return text[:start] + text[start + 1 : end] + text[end + len(f"]({target})") + 1 :]


def _image_to_link(text: str, target: str, words: str, link: bool = True) -> str:
    """Replace a picture (Markdown or a lone <img>) by a link to it, or by words alone."""
    end = text.find(f"]({target})")
    start = text.rfind("![", 0, end) if end >= 0 else -1
    if start >= 0:
        alt = text[start + 2 : end]
        new = f"[{words}: {alt}]({target})" if link else f"*({words}: {alt})*"
        return text[:start] + new + text[end + len(f"]({target})") + 1 :]
    tag_at = text.find(target)
    start = text.rfind("<img", 0, tag_at)
    close = text.find(">", tag_at)
    if start < 0 or close < 0:
        return text
    tag = text[start : close + 1]
    alt = next((v for k, v in _attrs(tag) if k == "alt"), "") or target
    new = f"[{words}: {alt}]({target})" if link else f"*({words}: {alt})*"
    return text[:start] + new + text[close + 1 :]


def _attrs(tag: str) -> list[tuple[str, str]]:
    from html.parser import HTMLParser

    found: list[tuple[str, str]] = []

    class Attrs(HTMLParser):
        def handle_starttag(self, _tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((k, v or "") for k, v in attrs)

    Attrs().feed(tag)
    return found


def _licence_id(text: str) -> str:
    """'CC BY-SA 4.0' -> 'CC-BY-SA-4.0'."""
    return "-".join(text.replace("-", " ").split()).upper()


def _restricted_lines(text: str) -> list[int]:
    """Lines naming a NonCommercial or NoDerivatives licence."""
    found = []
    for n, line in enumerate(text.splitlines(), start=1):
        words = [w.strip("()[].,;:*_\"'").lower() for w in line.split()]
        parts = {p for w in words for p in w.split("-")} | set(words)
        if parts & set(RESTRICTED):
            found.append(n)
    return found


def _markdown_cell(text: str, tags: list[str] | None = None) -> dict:
    cell: dict[str, Any] = {"cell_type": "markdown", "metadata": {}, "source": text}
    if tags:
        cell["metadata"]["tags"] = tags
    return cell


def _code_cell(text: str, tags: list[str] | None = None) -> dict:
    cell = _markdown_cell(text, tags)
    cell.update(cell_type="code", outputs=[], execution_count=None)
    return cell


def _notebook(cells: list[dict]) -> dict:
    from uuid import uuid4

    for cell in cells:
        cell["id"] = uuid4().hex[:8]
    return {"cells": cells, "metadata": KERNEL, "nbformat": 4, "nbformat_minor": 5}


SECTION_RANK = ("check-in", "reading", "discussion", "reflection")


class _Tagger:
    """Tags a cell with its section only while the sections keep their order."""

    def __init__(self) -> None:
        self.rank = -1

    def tags(self, section: str) -> list[str]:
        rank = SECTION_RANK.index(section)
        if rank < self.rank:
            return []
        self.rank = rank
        return [f"section:{section}"]


def read_ciab(folder: Path) -> tuple[dict[str, Any], list[str], dict[str, list[Page]]]:
    """(course data, listed modules, pages of every module folder) of a CiaB checkout."""
    folder = Path(folder)
    data_file = folder / "_data" / "course.yml"
    if not data_file.is_file():
        raise CircleKitError(
            f"{folder}: not a Course in a Box course (no _data/course.yml); nothing was written"
        )
    try:
        data = yaml.safe_load(data_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CircleKitError(f"{data_file}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("modules"), list):
        raise CircleKitError(f"{data_file}: modules: expected the list of module folders")
    modules = [str(m) for m in data["modules"]]
    pages: dict[str, list[Page]] = {}
    for posts in sorted((folder / "modules").glob("*/_posts")):
        module = posts.parent.name
        files = sorted(p for p in posts.iterdir() if p.suffix in POST_SUFFIXES and p.is_file())
        pages[module] = [_read_page(folder, p) for p in files]
        for page in pages[module]:
            page.module = module
    missing = [m for m in modules if m not in pages]
    if missing:
        raise CircleKitError(
            f"{data_file}: modules: no folder modules/<name>/_posts for {', '.join(missing)}"
        )
    return data, modules, pages


def import_ciab(root: Path, source: Path, slug: str | None = None) -> ImportReport:
    """Write the CiaB course at `source` into the kit at `root`; refuse to overwrite anything."""
    root, source = Path(root), Path(source)
    if not source.is_dir():
        raise CircleKitError(f"{source}: no such folder; give the path of a Course in a Box course")
    data, modules, module_pages = read_ciab(source)
    title = str(data.get("title") or source.name)
    slug = slug or ascii_slug(title)
    if not ID_PATTERN.match(slug):
        raise CircleKitError(
            f"--slug {slug!r}: use lower-case letters, digits and hyphens, e.g. 'seed-swap'"
        )
    course_dir = root / NOTEBOOKS_DIR / slug
    guide_dir = root / FACILITATOR_DIR / slug
    for folder in (course_dir, guide_dir):
        if folder.exists():
            raise CircleKitError(
                f"{folder.relative_to(root)} already exists; choose another --slug "
                "(nothing was changed)"
            )
    config = source / "_config.yml"
    site = yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else {}
    conv = _Converter(source, course_dir, slug, str((site or {}).get("baseurl") or ""))

    weeks = [
        Week(n, m, m.replace("-", " ").replace("_", " ").strip().capitalize(),
             f"{n:02d}-{ascii_slug(m)}.ipynb", module_pages[m])
        for n, m in enumerate(modules, start=1)
    ]
    for week in weeks:
        conv.modules[week.module] = week.notebook
        for page in week.pages:
            conv.pages_by_slug[page.slug] = (week.notebook, heading_anchor(page.title))
    course_pages = _course_pages(source)
    for name in course_pages:
        conv.course_pages[name] = f"{name}.md"

    notes = conv.notes
    for module in modules:
        for path in sorted((source / "modules" / module / "_posts").iterdir()):
            if path.suffix.lower() in (".rmd", ".html", ".textile", ".ipynb"):
                notes.append(Note(path.relative_to(source).as_posix(), "unsupported",
                                  f"{path.suffix} pages are not supported (only Markdown); "
                                  "skipped"))
    if data.get("description"):
        notes.append(Note("_data/course.yml", "review",
                          f"the description is now the draft summary in {NOTEBOOKS_DIR}/{slug}/"
                          f"{COURSE_FILE}; check it reads well on the course page"))
    files: dict[Path, str | dict] = {}
    for week in weeks:
        notes.append(Note(f"modules/{week.module}", "review",
                          f"week {week.number} is titled {week.title!r} from its folder name; "
                          f"check the title in {NOTEBOOKS_DIR}/{slug}/{COURSE_FILE}"))
        conv.videos = []
        files[course_dir / week.notebook] = _learner(conv, week)
        week.videos = conv.videos
        for page in week.pages:
            minutes = _minutes(page.body)
            week.minutes.append((page.title, minutes))
            if minutes is None:
                notes.append(Note(page.source, "agenda",
                                  "no suggested time found; the agenda shows '?' for this page"))
        files[guide_dir / week.notebook] = _guide(conv, week, weeks, module_pages, modules)
    pages_written = []
    for name, page in course_pages.items():
        blocks = conv.convert(page, None)
        text = f"# {page.title}\n\n" + "\n\n".join(b[1] for b in blocks if b[1]) + "\n"
        files[course_dir / f"{name}.md"] = text
        pages_written.append(f"{name}.md")
    for hidden in sorted(set(module_pages) - set(modules)):
        notes.append(Note(f"modules/{hidden}", "hidden",
                          f"module not listed in _data/course.yml: its {len(module_pages[hidden])} "
                          f"page(s) went into the week 1 facilitator guide as notes"))
    notes += _licence_notes(source, data, course_pages)
    files[course_dir / COURSE_FILE] = _course_yaml(data, title, slug, weeks, pages_written)

    written = []
    try:
        for path, content in files.items():
            if isinstance(content, dict):
                write_notebook_atomic(path, content)
            else:
                write_atomic(path, content)
            written.append(path.relative_to(root).as_posix())
        for src, name in conv.images.items():
            dest = course_dir / "img" / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            written.append(dest.relative_to(root).as_posix())
    except BaseException:
        # Half a course is worse than none: take back what this call made, and only that.
        shutil.rmtree(course_dir, ignore_errors=True)
        shutil.rmtree(guide_dir, ignore_errors=True)
        raise
    notes += _placeholder_notes(files, root)
    courses, problems = load_courses(root)
    if not problems:  # a broken course elsewhere would drop out of the toc; leave it to `check`
        written += write_toc(root, courses)
    return ImportReport(slug=slug, written=written, notes=notes)


def _placeholder_notes(files: dict[Path, str | dict], root: Path) -> list[Note]:
    """Where the import left an AUTHOR line: the file and its lines or cells."""
    notes = []
    for path, content in files.items():
        if isinstance(content, dict):
            places = [
                f"cell {i}"
                for i, cell in enumerate(content["cells"], start=1)
                if placeholder_lines(cell["source"])
            ]
        else:
            places = [f"line {n}" for n in placeholder_lines(content)]
        if places:
            notes.append(Note(path.relative_to(root).as_posix(), "author",
                              f"fill in the {PLACEHOLDER} line(s): " + ", ".join(places)))
    return notes


def _course_pages(source: Path) -> dict[str, Page]:
    """The course's own pages at the top of the folder (glossary, about, credits, ...)."""
    found = {}
    for path in sorted(source.glob("*.md")):
        if path.stem.lower() in PAGE_SKIP:
            continue
        page = _read_page(source, path)
        name = ascii_slug(path.stem)
        meta = _front_matter(path.read_text(encoding="utf-8"), page.source)[0]
        permalink = str(meta.get("permalink") or "").strip("/")
        if permalink:
            name = ascii_slug(permalink.split("/")[-1]) or name
        found[name] = page
    return found


def _learner(conv: _Converter, week: Week) -> dict:
    slug, n = conv.slug, week.number
    plan = "\n".join(f"{i}. {p.title}" for i, p in enumerate(week.pages, start=1))
    cells = [
        _markdown_cell(
            f"# Week {n}: {week.title}\n\n**Time:** about {MEETING_MINUTES} minutes together.\n\n"
            f"## Objectives\n\nBy the end of this meeting you can:\n\n- {OBJECTIVE}\n\n"
            f"## What you will do\n\n{plan}\n",
            ["section:header"],
        ),
        _code_cell("from widgets import CheckIn, Discussion, Reflection", ["hide-input"]),
    ]
    tagger = _Tagger()
    reflected = False
    for page in week.pages:
        kind = (
            "check-in" if _has_word(page.title, CHECK_IN_WORDS)
            else "reflection" if _has_word(page.title, WRAP_UP_WORDS)
            else "discussion" if _has_word(page.title, DISCUSSION_WORDS) else "reading"
        )
        blocks = conv.convert(page, week.notebook)
        first, *rest = blocks
        text = f"## {page.title}\n\n{first[1]}".rstrip() + "\n"
        cells.append(_markdown_cell(text, tagger.tags(kind)))
        calls = list(first[2])
        if kind == "check-in":
            question = _first_question(page.body)
            if question:
                calls.insert(0, f"CheckIn({json.dumps(f'{slug}-{n}-check-in')}, "
                                f"{json.dumps(question)})")
        cells += [_code_cell(c) for c in calls]
        for block_kind, text, calls in rest:
            cells.append(_markdown_cell(text, tagger.tags(block_kind)))
            cells += [_code_cell(c) for c in calls]
            if block_kind == "reflection" and not reflected:
                cells.append(_code_cell(f"Reflection({json.dumps(f'{slug}-{n}-reflection')})"))
                reflected = True
        if kind == "reflection" and not reflected:
            cells.append(_code_cell(f"Reflection({json.dumps(f'{slug}-{n}-reflection')})"))
            reflected = True
    if not reflected:
        cells.append(_markdown_cell(
            "## Reflect\n\nBefore you go, take two minutes on your own.", tagger.tags("reflection")
        ))
        cells.append(_code_cell(f"Reflection({json.dumps(f'{slug}-{n}-reflection')})"))
        conv.notes.append(Note(
            f"modules/{week.module}", "review",
            f"week {n} has no closing reflection page; a standard one was added",
        ))
    return _notebook(cells)


def _first_question(text: str) -> str | None:
    for token in parse_markdown(text):
        if token.type == "inline" and token.level == 3:
            return " ".join(token.content.split())
    return None


def _guide(conv: _Converter, week: Week, weeks: list[Week], module_pages: dict[str, list[Page]],
           modules: list[str]) -> dict:
    planned = sum(m for _, m in week.minutes if m)
    spare = MEETING_MINUTES - planned
    rows = "\n".join(f"| {m if m is not None else '?'} | {t} |" for t, m in week.minutes)
    if spare < SPARE_MINUTES:
        conv.notes.append(Note(
            f"modules/{week.module}", "agenda",
            f"week {week.number}: the suggested times fill {planned} of {MEETING_MINUTES} "
            f"minutes, leaving {spare} free (under {SPARE_MINUTES}); shorten something",
        ))
    cells = [
        _markdown_cell(
            f"# Facilitator guide, week {week.number}: {week.title}\n\n"
            f"Imported from the Course in a Box module `{week.module}`."
        ),
        _code_cell(PARAMETERS, ["parameters"]),
        _markdown_cell(
            f"## Agenda ({planned} of {MEETING_MINUTES} minutes, {spare} minutes spare)\n\n"
            f"The times come from the original pages; '?' means none was given.\n\n"
            f"| Minutes | What |\n|---|---|\n{rows}\n"
        ),
    ]
    if week.videos:
        links = "\n".join(f"- {v}" for v in week.videos)
        cells.append(_markdown_cell(
            f"## Videos\n\nThis week's pages show {len(week.videos)} video(s) as links, because "
            f"they need the internet. Play them before the meeting, or skip them if the room "
            f"has no connection.\n\n{links}\n"
        ))
    if week.number == 1:
        for hidden in sorted(set(module_pages) - set(modules)):
            for page in module_pages[hidden]:
                body = "\n\n".join(b[1] for b in conv.convert_for_guide(page) if b[1])
                cells.append(_markdown_cell(
                    f"## Notes from the original course: {page.title}\n\n{body}".rstrip() + "\n"
                ))
    cells.append(_markdown_cell(
        f"## Care\n\n{PLACEHOLDER}: anything in this week that may touch people personally, "
        "and a gentler way in."
    ))
    return _notebook(cells)


def _licence_notes(source: Path, data: dict, pages: dict[str, Page]) -> list[Note]:
    notes = []
    files = [source / "_data" / "course.yml", *sorted((source / "modules").rglob("*.md"))]
    files += [source / p.source for p in pages.values()]
    for path in files:
        for line in _restricted_lines(path.read_text(encoding="utf-8")):
            notes.append(Note(
                f"{path.relative_to(source).as_posix()}:{line}", "asset",
                "names a NonCommercial or NoDerivatives licence; the kit's content is CC BY-SA, "
                "so replace that asset or get permission",
            ))
    return notes


def _course_yaml(data: dict, title: str, slug: str, weeks: list[Week], pages: list[str]) -> str:
    licence = _licence_id(str(data.get("license") or data.get("licence") or ""))
    summary = " ".join(str(data.get("description") or "").split())
    course = {
        "title": title,
        "slug": slug,
        "summary": summary or f"{PLACEHOLDER}: one or two sentences for the course page.",
        "language": "en",
        "licence": licence or f"{PLACEHOLDER}: the licence of the original course",
        "authors": [{"name": f"{PLACEHOLDER}: who wrote the original course"}],
        "audience": f"{PLACEHOLDER}: who this is for, and what they need to know first.",
        "credits": f"Adapted from the Course in a Box course \"{title}\""
        + (f" ({licence})." if licence else "."),
        "weeks": [
            {"title": w.title, "notebook": w.notebook, "guide": w.notebook,
             "minutes": MEETING_MINUTES, "objectives": [OBJECTIVE]}
            for w in weeks
        ],
    }
    if pages:
        course["pages"] = pages
    head = (
        "# Imported by `circlekit import ciab`. Fill in the placeholders, check each week's\n"
        "# title, then run `circlekit check`.\n"
    )
    return head + yaml.safe_dump(course, sort_keys=False, allow_unicode=True, width=100)
