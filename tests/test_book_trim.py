"""The book's style sheets and icon fonts trimmed to what its pages use (circlekit.booktrim):
rules no page can match are left out, everything else is kept, and every build trims from the
files as Sphinx copied them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import tinycss2
from fontTools.ttLib import TTFont

from circlekit.booktrim import Names, subset_icon_font, trim_book, trim_css


def selectors(css: str) -> list[str]:
    """The selector of every rule, at-rules named by their keyword, in order."""
    out = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "at-rule":
            prelude = tinycss2.serialize(rule.prelude).strip()
            out.append(f"@{rule.lower_at_keyword} {prelude}".strip())
            if rule.content and rule.lower_at_keyword == "media":
                out += ["  " + s for s in selectors(tinycss2.serialize(rule.content))]
        else:
            out.append(tinycss2.serialize(rule.prelude).strip())
    return out


NAMES = Names(classes={"used", "card"}, ids={"main"}, tags={"html", "body", "div", "p"},
              words={"show", "bs-", "collapsing", "tooltip-arrow"})


def test_rules_no_page_can_match_are_left_out() -> None:
    css = """
    .used { color: red }
    .unused { color: blue }
    .unused, .used > p { margin: 0 }
    #main { padding: 0 }
    #gone { padding: 1px }
    table td { border: 0 }
    div.used.unused { color: green }
    @media (max-width: 600px) { .unused { display: none } }
    @media (max-width: 600px) { .card { display: block } .unused { display: none } }
    """
    kept = selectors(trim_css(css, NAMES))
    assert kept == [".used", ".used > p", "#main", "@media (max-width: 600px)", "  .card"]


def test_what_cannot_be_judged_is_kept() -> None:
    css = """/*! Bootstrap, MIT licence */
    /* an ordinary comment */
    :root { --pst-color: #fff }
    html[data-theme=dark] .used { color: white }
    [data-bs-theme=dark] { color: black }
    .show, .collapsing { height: 0 }
    .bs-tooltip-auto .tooltip-arrow { top: 0 }
    .used:not(.unused):hover { color: red }
    p:is(.unused, .other) { color: red }
    .unused::-moz-selection, .used::selection { color: red }
    @font-face { font-family: X; src: url(x.woff2) }
    @keyframes spin { from { opacity: 0 } to { opacity: 1 } }
    """
    out = trim_css(css, NAMES)
    assert "/*! Bootstrap, MIT licence */" in out
    assert "ordinary comment" not in out
    assert selectors(out) == [
        ":root",
        "html[data-theme=dark] .used",
        "[data-bs-theme=dark]",
        ".show,.collapsing",  # classes the theme's scripts add
        ".bs-tooltip-auto .tooltip-arrow",  # a class a script builds from "bs-"
        ".used:not(.unused):hover",
        "p:is(.unused, .other)",
        # One selector a browser does not know drops the whole rule: it stays as it was.
        ".unused::-moz-selection,.used::selection",
        "@font-face",
        "@keyframes spin",
    ]


def theme_font(name: str) -> bytes:
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" /
            "static" / "vendor" / "fontawesome" / "webfonts" / name).read_bytes()


def test_an_icon_font_keeps_only_the_icons_drawn() -> None:
    import io

    original = theme_font("fa-solid-900.woff2")
    moon, sun = "\uf186", "\uf185"
    smaller = subset_icon_font(original, {moon, sun, "x"})
    assert smaller is not None and smaller.startswith(b"wOF2")  # still a WOFF2 file
    assert len(smaller) < len(original) / 10
    font = TTFont(io.BytesIO(smaller))
    assert set(font.getBestCmap()) == {ord(moon), ord(sun), ord("x")}


def test_a_font_for_text_is_never_cut() -> None:
    import matplotlib

    text_font = (Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    assert subset_icon_font(text_font.read_bytes(), {"a"}) is None


def make_book(root: Path, body: str) -> Path:
    (root / "_static" / "fonts").mkdir(parents=True, exist_ok=True)
    (root / "page.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return root


SHEET = """@font-face { font-family: Icons; src: url(fonts/icons.woff2) format("woff2") }
.one::before { content: "\\f186" }
.two::before { content: "\\f185" }
"""


def test_a_later_build_trims_from_the_files_as_sphinx_copied_them(tmp_path: Path) -> None:
    html = make_book(tmp_path / "html", '<i class="one"></i>')
    sheet = html / "_static" / "theme.css"
    sheet.write_text(SHEET, encoding="utf-8")
    font = html / "_static" / "fonts" / "icons.woff2"
    font.write_bytes(theme_font("fa-solid-900.woff2"))
    kept = tmp_path / "untrimmed"

    trim_book(html, kept)
    assert selectors(sheet.read_text()) == ["@font-face", ".one::before"]
    assert set(TTFont(font).getBestCmap()) >= {0xF186}
    assert 0xF185 not in TTFont(font).getBestCmap()
    # Readable by a web server, like the files Sphinx copies.
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o644
    assert "theme.css" in (html / "_static" / "SOURCES.txt").read_text()

    # A page added later uses the rule (and the icon) the first build left out. Sphinx does not
    # copy an unchanged theme file again, so the trimmed files are still in place.
    (html / "later.html").write_text('<html><body><i class="two"></i></body></html>')
    trim_book(html, kept)
    assert selectors(sheet.read_text()) == ["@font-face", ".one::before", ".two::before"]
    assert {0xF185, 0xF186} <= set(TTFont(font).getBestCmap())

    # When Sphinx does copy a theme file again (a new theme version), that copy is the original.
    sheet.write_text(SHEET + ".three { color: red }\n.one { color: blue }\n", encoding="utf-8")
    trim_book(html, kept)
    assert selectors(sheet.read_text()) == ["@font-face", ".one::before", ".two::before", ".one"]


@pytest.mark.parametrize("script", ["el.classList.add('two')", "x = 'tw' + 'o'"])
def test_a_class_a_page_script_may_add_is_kept(tmp_path: Path, script: str) -> None:
    html = make_book(tmp_path / "html", f"<script>{script}</script>")
    sheet = html / "_static" / "theme.css"
    sheet.write_text(".two { color: red }\n", encoding="utf-8")
    trim_book(html, tmp_path / "untrimmed")
    assert (selectors(sheet.read_text()) == [".two"]) is ("'two'" in script)
