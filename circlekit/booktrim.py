"""Lighter book pages: the theme's style sheets and icon fonts trimmed to what the pages use.

The book's theme ships the whole of Bootstrap, Font Awesome and its own styles, and every page
loads all of it: about 400 KB of CSS and a 150 KB icon font, most of which no page can use. Once
Sphinx has written every page, this step

- drops from each style sheet the rules whose selectors can match nothing: a selector is dropped
  only when it names a class, id or element that appears in no page of the book and in no script
  a page loads (the theme's scripts add classes such as `show` or `collapsing` at run time, so
  every word in those scripts counts as a possible class). Everything it cannot judge is kept:
  @font-face, @keyframes, custom properties, pseudo-classes, attribute selectors (dark mode is
  `html[data-theme=dark]`), and the insides of :not(), :is(), :has() and the like;
- cuts each icon font down to the icons the trimmed style sheets still draw (fontTools), in the
  same file, so the style sheets need no change;
- removes the source maps of the files it rewrote (they describe the untrimmed files), and says
  in `_static/SOURCES.txt` where each trimmed file came from and under which licence.

CSS is read with tinycss2 and HTML with BeautifulSoup; nothing here reads either with patterns.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from circlekit.fileio import write_atomic

STATIC = "_static"
# Where the files trimmed here come from, for the notice written beside them.
ORIGINS = {
    "circlekit-book.css": ("circlekit", "MIT; circlekit/book_static/"),
    "styles/pydata-sphinx-theme.css": ("pydata-sphinx-theme", "BSD-3-Clause; it bundles "
                                       "Bootstrap (MIT) and Font Awesome Free's CSS (MIT)"),
    "styles/sphinx-book-theme.css": ("sphinx-book-theme", "BSD-3-Clause"),
    "vendor/fontawesome/": ("pydata-sphinx-theme", "Font Awesome Free fonts, SIL OFL 1.1 "
                            "(https://fontawesome.com/license/free)"),
    "sphinx-design.min.css": ("sphinx-design", "MIT"),
    "mystnb.": ("myst-nb", "BSD-3-Clause"),
    "togglebutton.css": ("sphinx-togglebutton", "MIT"),
    "copybutton.css": ("sphinx-copybutton", "MIT"),
    "basic.css": ("Sphinx", "BSD-2-Clause"),
    "styles/theme.css": ("pydata-sphinx-theme", "BSD-3-Clause"),
    "pygments.css": ("Sphinx (Pygments styles)", "BSD-2-Clause"),
}
# Characters of a string in JavaScript or HTML that may belong to a class or id name.
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
# A font is an icon font (and so may be cut down to the icons the style sheets draw) when most
# of its characters are in Unicode's Private Use Area, where icon fonts put their icons.
PRIVATE_USE = range(0xE000, 0xF8FF + 1)


@dataclass
class Names:
    """What the book's pages and scripts can put into a page: classes, ids and element names."""

    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # every name-like word in the scripts
    _prefixes: list[str] | None = field(default=None, repr=False)

    def has_class(self, name: str) -> bool:
        # A script may build a class from a prefix it names: `bs-${name}-auto` is "bs-" + ...
        return name in self.classes or name in self.words or any(
            name.startswith(word) for word in self.prefixes)

    @property
    def prefixes(self) -> list[str]:
        """The words of the scripts that end in "-": prefixes of classes they put together."""
        if self._prefixes is None:
            self._prefixes = sorted(w for w in self.words if w.endswith("-") and w.strip("-"))
        return self._prefixes

    def has_id(self, name: str) -> bool:
        return name in self.ids or name in self.words

    def has_tag(self, name: str) -> bool:
        name = name.lower()
        return name in self.tags or name in self.words


@dataclass
class Trimmed:
    """One file this step rewrote: its path under _static and its size before and after."""

    path: str
    before: int
    after: int


def script_words(text: str) -> set[str]:
    """Every run of name characters in a script: any of them may become a class or an id."""
    words, run = set(), []
    for char in text:
        if char in NAME_CHARS:
            run.append(char)
        elif run:
            words.add("".join(run))
            run = []
    if run:
        words.add("".join(run))
    return words


def page_names(html_dir: Path) -> tuple[Names, list[Path]]:
    """The names used by every page of the built book, and the local scripts the pages load."""
    from bs4 import BeautifulSoup

    names = Names()
    scripts: set[Path] = set()
    for page in html_dir.rglob("*.html"):
        rel = page.relative_to(html_dir).parts
        if rel[0] in (STATIC, "_sources", "_images"):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            names.tags.add(tag.name.lower())
            names.classes.update(tag.get("class", []))
            if tag.get("id"):
                names.ids.add(tag["id"])
        for script in soup.find_all("script"):
            src = script.get("src")
            if src and "://" not in src:
                target = (page.parent / src.split("?")[0]).resolve()
                if target.is_file():
                    scripts.add(target)
            elif script.string:
                names.words |= script_words(script.string)
    for script in scripts:
        names.words |= script_words(script.read_text(encoding="utf-8", errors="replace"))
    return names, sorted(scripts)


# -- style sheets ------------------------------------------------------------------------------


def _split_selectors(prelude: list) -> list[list]:
    """A rule's selector list, split at its top-level commas."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def selector_can_match(tokens: list, names: Names) -> bool:
    """False only when the selector names a class, id or element no page can have.

    Functional pseudo-classes (:not(), :is(), :has(), :nth-child(), ...) and attribute
    selectors are not judged: they never make a selector count as unmatchable.
    """
    previous = None
    for token in tokens:
        kind = token.type
        if kind == "hash" and token.is_identifier and not names.has_id(token.value):
            return False
        if kind == "ident":
            after_dot = previous is not None and previous.type == "literal" and \
                previous.value == "."
            after_colon = previous is not None and previous.type == "literal" and \
                previous.value == ":"
            if after_dot and not names.has_class(token.value):
                return False
            if not after_dot and not after_colon and not names.has_tag(token.value):
                return False
        if kind not in ("whitespace", "comment"):
            previous = token
    return True


def _vendor_prefixed(tokens: list) -> bool:
    """Whether a selector uses a vendor's pseudo-class or pseudo-element (::-moz-...)."""
    return any((t.type == "ident" and t.value.startswith("-"))
               or (t.type == "function" and t.name.startswith("-")) for t in tokens)


def _trim_rule(rule: object, names: Names) -> str | None:
    """The rule as CSS text, with the selectors no page can match left out; None to drop it."""
    import tinycss2

    if any(t.type == "{} block" for t in rule.content):  # nested rules: keep as they are
        return rule.serialize()
    selectors = _split_selectors(rule.prelude)
    kept = [s for s in selectors if selector_can_match(s, names)]
    if not kept:
        return None
    if len(kept) < len(selectors) and any(_vendor_prefixed(s) for s in selectors):
        # A browser drops a whole rule for one selector it does not know (::-moz-...);
        # leaving that selector out could switch the rule on where it was off.
        kept = selectors
    prelude = ",".join(tinycss2.serialize(s).strip() for s in kept)
    return f"{prelude}{{{tinycss2.serialize(rule.content).strip()}}}"


# At-rules holding rules, which are trimmed inside; every other at-rule is kept as written.
GROUPING = ("media", "supports", "layer", "container", "document", "scope")


def trim_rules(rules: list, names: Names) -> list[str]:
    """The CSS text of each rule kept, in order; `/*! ... */` notices (licences) are kept."""
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "comment":
            if rule.value.startswith("!"):
                out.append(f"/*{rule.value}*/")
        elif rule.type == "qualified-rule":
            text = _trim_rule(rule, names)
            if text is not None:
                out.append(text)
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
            inner = trim_rules(tinycss2.parse_rule_list(rule.content), names)
            if inner:
                out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}"
                           f"{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            out.append(rule.serialize())
        # parse errors and whitespace: a browser ignores them, and so does the trimmed sheet
    return out


def trim_css(text: str, names: Names) -> str:
    """A style sheet without the rules no page of the book can match."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(text, skip_whitespace=True)
    return "\n".join(trim_rules(rules, names)) + "\n"


def css_strings(text: str) -> set[str]:
    """Every character of every quoted string in a style sheet (icons are drawn from these)."""
    import tinycss2

    found: set[str] = set()

    def walk(tokens: list) -> None:
        for token in tokens:
            if token.type == "string":
                found.update(token.value)
            for attr in ("prelude", "content", "arguments"):
                inner = getattr(token, attr, None)
                if isinstance(inner, list):
                    walk(inner)

    walk(tinycss2.parse_stylesheet(text))
    return found


def font_urls(css_file: Path, text: str) -> set[Path]:
    """The local font files a style sheet's @font-face rules name."""
    import tinycss2

    files = set()
    for rule in tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or not rule.content:
            continue
        for token in rule.content:
            url = None
            if token.type == "url":
                url = token.value
            elif token.type == "function" and token.lower_name == "url":
                url = next((a.value for a in token.arguments if a.type == "string"), None)
            if url and "://" not in url and not url.startswith("data:"):
                target = (css_file.parent / url.split("?")[0].split("#")[0]).resolve()
                if target.is_file():
                    files.add(target)
    return files


# -- icon fonts --------------------------------------------------------------------------------


def subset_icon_font(data: bytes, chars: set[str]) -> bytes | None:
    """An icon font cut down to the characters given; None if it is no icon font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    cmap = font.getBestCmap() or {}
    if sum(code in PRIVATE_USE for code in cmap) * 2 <= len(cmap):
        return None  # a font for text: every character may be needed
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars if ord(c) in cmap))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)  # in the font's own format (WOFF2, TTF, ...)
    return out.getvalue()


# -- the step ----------------------------------------------------------------------------------


def _origin(rel: str) -> tuple[str, str]:
    for start, origin in ORIGINS.items():
        if rel.startswith(start) or rel.split("/")[-1].startswith(start):
            return origin
    return ("the book's theme or one of its Sphinx extensions", "see that package")


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    name = package.split(" ")[0]
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


class Untrimmed:
    """The files of _static as Sphinx copied them, kept aside so that every build trims from
    the originals: Sphinx copies a theme's file again only when it changes, so a page added
    later could otherwise never get back a rule an earlier build left out."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.record = self.folder / "trimmed.json"
        self.written: dict[str, str] = {}
        if self.record.is_file():
            self.written = json.loads(self.record.read_text(encoding="utf-8"))

    def original(self, path: Path, rel: str) -> bytes:
        """The file as Sphinx wrote it: the copy kept aside if the file is still what this
        step wrote last time, else the file itself (just copied by Sphinx), now kept aside."""
        data = path.read_bytes()
        kept = self.folder / rel
        if self.written.get(rel) == hashlib.sha256(data).hexdigest() and kept.is_file():
            return kept.read_bytes()
        write_atomic(kept, data)
        return data

    def replace(self, path: Path, rel: str, data: bytes) -> None:
        """Write a trimmed file into the book (with the permissions Sphinx's copy had, so a web
        server reads it as it read that), and remember what was written."""
        write_atomic(path, data)
        self.written[rel] = hashlib.sha256(data).hexdigest()

    def save(self) -> None:
        write_atomic(self.record, json.dumps(self.written, indent=1, sort_keys=True) + "\n")


def trim_book(html_dir: Path, untrimmed: Path) -> list[Trimmed]:
    """Trim the built book's style sheets and icon fonts to what its pages use (see above).

    `untrimmed` is a folder outside the book where the original files are kept between builds.
    """
    html_dir = Path(html_dir)
    static = html_dir / STATIC
    keep = Untrimmed(untrimmed)
    names, _scripts = page_names(html_dir)
    done: list[Trimmed] = []
    chars: set[str] = set()
    fonts: dict[str, Path] = {}
    for sheet in sorted(static.rglob("*.css")):
        rel = sheet.relative_to(static).as_posix()
        if rel.startswith("widgetjs/"):
            continue  # the widget renderer's own files, loaded only with a live widget
        original = keep.original(sheet, rel)
        trimmed = trim_css(original.decode("utf-8"), names).encode("utf-8")
        text = trimmed.decode("utf-8")
        chars |= css_strings(text)
        for font in font_urls(sheet, text):
            fonts[font.relative_to(static).as_posix()] = font
        keep.replace(sheet, rel, trimmed)
        if len(trimmed) < len(original):
            done.append(Trimmed(rel, len(original), len(trimmed)))
        # A source map describes the untrimmed file: wrong for the trimmed one.
        sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)
    for rel, font in sorted(fonts.items()):
        original = keep.original(font, rel)
        smaller = subset_icon_font(original, chars)
        if smaller is not None:
            keep.replace(font, rel, smaller)
            done.append(Trimmed(rel, len(original), len(smaller)))
    keep.save()
    _write_sources(static, done)
    return done


def _write_sources(static: Path, done: list[Trimmed]) -> None:
    lines = [
        "Files under _static trimmed by circlekit (circlekit/booktrim.py) when the book was built:",
        "rules no page can match were left out of style sheets, and icon fonts keep only the",
        "icons the pages draw. Each file comes from a Python package installed with the kit.",
        "",
    ]
    for item in done:
        package, licence = _origin(item.path)
        lines.append(f"{item.path}: from {package} {_version(package)} ({licence}); "
                     f"{item.before} bytes trimmed to {item.after}")
    write_atomic(static / "SOURCES.txt", "\n".join(lines) + "\n")
