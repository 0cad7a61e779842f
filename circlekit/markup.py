"""What a page points at: links, images and embedded players in Markdown and its raw HTML.

Markdown is read with markdown-it (the parser MyST itself uses) and raw HTML with the standard
library's HTML parser, so a link is found wherever a reader's browser would find it and
nowhere else (not inside code blocks, not in text that merely looks like a link).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

# HTML attributes whose address the browser fetches as soon as the page is shown. Anything
# else with an address (an <a href>) is only followed when the reader clicks it.
LOADED_ATTRS = {
    ("img", "src"),
    ("iframe", "src"),
    ("script", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("source", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("link", "href"),
    ("input", "src"),
}
FOLLOWED_ATTRS = {("a", "href"), ("area", "href")}
# MyST directives whose argument is a picture on disk.
IMAGE_DIRECTIVES = ("{image}", "{figure}")


@dataclass(frozen=True)
class Reference:
    """One address in a page. `line` is 1-based within the text it was found in."""

    target: str
    what: str  # how the reader meets it: "link", "image", "<iframe src>", ...
    loads: bool  # fetched when the page is shown, rather than followed when clicked
    line: int

    @property
    def outside(self) -> bool:
        """An address on another site (or any scheme: mailto:, data:, ...), not a local file."""
        parts = urlsplit(self.target)
        return bool(parts.scheme or parts.netloc or self.target.startswith("//"))

    @property
    def local_path(self) -> str:
        """The file part of a local address ('' for a same-page anchor or an outside address)."""
        if self.outside:
            return ""
        return unquote(urlsplit(self.target).path)


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def parse_markdown(text: str) -> list[Token]:
    """Markdown as markdown-it's block tokens (raw HTML kept as html_block/html_inline)."""
    return _markdown().parse(text)


class _HtmlRefs(HTMLParser):
    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.found: list[Reference] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        line = self.first_line + self.getpos()[0] - 1
        for name, value in attrs:
            if not value:
                continue
            if (tag, name) in LOADED_ATTRS:
                self.found.append(Reference(value.strip(), f"<{tag} {name}>", True, line))
            elif (tag, name) in FOLLOWED_ATTRS:
                self.found.append(Reference(value.strip(), f"<{tag} {name}>", False, line))

    handle_startendtag = handle_starttag


def _parse_html(html: str, first_line: int = 1) -> _HtmlRefs:
    parser = _HtmlRefs(first_line)
    parser.feed(html)
    parser.close()
    return parser


def html_references(html: str, first_line: int = 1) -> list[Reference]:
    return _parse_html(html, first_line).found


# Tags that only place what they hold; a picture wrapped in them can be unwrapped.
WRAPPERS = {"p", "div", "center", "span", "figure"}


def lone_image(html: str) -> dict[str, str] | None:
    """The attributes of the one <img> an HTML block holds, if it holds nothing else of note.

    MyST's html_image turns a block that is a single <img> into a picture of the book (copied,
    width kept); an <img> inside other HTML stays raw and its file is not copied.
    """
    parser = _parse_html(html)
    images = [attrs for tag, attrs in parser.tags if tag == "img"]
    others = {tag for tag, _ in parser.tags if tag != "img"}
    if len(images) != 1 or parser.text.strip() or not others <= WRAPPERS:
        return None
    return {k: v or "" for k, v in images[0]}


def references(text: str) -> list[Reference]:
    """Every address a Markdown text (with raw HTML and MyST image directives) points at."""
    found: list[Reference] = []
    for token in _markdown().parse(text):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "html_block":
            parser = _parse_html(token.content, line)
            if len(parser.tags) > 1:  # an <img> among other HTML is not made a book picture
                parser.found = [
                    Reference(r.target, "<img src> inside other HTML", r.loads, r.line)
                    if r.what == "<img src>" and not r.outside else r
                    for r in parser.found
                ]
            found += parser.found
        elif token.type == "fence" and token.info.strip().startswith(IMAGE_DIRECTIVES):
            parts = token.info.split(maxsplit=1)
            if len(parts) == 2:
                found.append(Reference(parts[1].strip(), "image", True, line))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    found.append(Reference(str(child.attrs.get("href", "")), "link", False, line))
                elif child.type == "image":
                    found.append(Reference(str(child.attrs.get("src", "")), "image", True, line))
                elif child.type == "html_inline":
                    found += html_references(child.content, line)
    return [ref for ref in found if ref.target]


def list_after_heading(text: str, heading: str) -> list[str] | None:
    """The items of the first bullet list after the heading titled `heading` (any level).

    None when there is no such heading; item text is its Markdown source on one line.
    """
    tokens = _markdown().parse(text)
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        if tokens[i + 1].content.strip().lower() != heading.lower():
            continue
        items = []
        depth = 0
        for later in tokens[i + 3 :]:
            if later.type == "heading_open" and depth == 0:
                break
            if later.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif later.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0:
                    return items
            elif later.type == "inline" and depth == 1:
                items.append(" ".join(later.content.split()))
        return items
    return None


def first_heading(text: str) -> str | None:
    """The text of the first heading in Markdown, or None."""
    tokens = _markdown().parse(text)
    for token, after in zip(tokens, tokens[1:], strict=False):
        if token.type == "heading_open":
            return after.content.strip() or None
    return None
