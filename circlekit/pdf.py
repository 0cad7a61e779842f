"""Printable PDFs for facilitators (the plan's pack, the impact report), made with fpdf2.

fpdf2 is pure Python: no browser, no system library, nothing to set up on a library's laptop.
Its built-in fonts only know Latin-1, so the kit uses DejaVu Sans, which matplotlib (already a
dependency) ships, for names like "Zoë" or "Łukasz" in any language DejaVu covers.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace
from markdown_it import MarkdownIt

FONT = "dejavu"
INK = (27, 27, 27)
ACCENT = (59, 110, 165)
MAX_FIELD = 100


@functools.cache
def font_file(style: str = "") -> Path:
    name = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
            "BI": "DejaVuSans-BoldOblique.ttf"}[style]
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@functools.cache
def _letters() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_file(), lazy=True) as font:
        return frozenset(font.getBestCmap())


def odd_character(text: str) -> str | None:
    """The first character a printed name must not have (a control character, or one the PDF
    font cannot draw), described for a person; None when every character is fine."""
    for char in text:
        if unicodedata.category(char).startswith("C") or (
                char not in " \t" and ord(char) not in _letters()):
            name = unicodedata.name(char, "an unnamed character")
            return f"{char!r} (U+{ord(char):04X}, {name.lower()})"
    return None


class Document(FPDF):
    """A Letter-size document with the kit's fonts and a few building blocks."""

    def __init__(self, title: str):
        super().__init__(format="Letter")
        for style in ("", "B", "I", "BI"):
            self.add_font(FONT, style, font_file(style))
        self.set_title(title)
        self.set_creator("circlekit")
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.set_text_color(*INK)
        self.set_font(FONT, size=11)

    def heading(self, text: str, size: int = 18) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FONT, size=11)
        self.ln(2)

    def para(self, text: str, size: float = 11, style: str = "", gap: float = 2) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=11)
        self.ln(gap)

    def grid(self, rows: Sequence[Sequence[str]], widths: Sequence[float] | None = None,
             line_height: float | None = None, min_row_height: float | None = None,
             size: float = 10) -> None:
        """A table; the first row is the heading row."""
        self.set_font(FONT, size=size)
        with self.table(col_widths=widths, text_align="LEFT", line_height=line_height,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 242)),
                        min_row_height=min_row_height) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(str(value))
        self.set_font(FONT, size=11)
        self.ln(3)

    def markdown(self, text: str) -> None:
        """Markdown (as in a notebook cell), through a real Markdown parser, into the page."""
        html = MarkdownIt("commonmark").enable("table").render(text)
        self.write_html(html, font_family=FONT, warn_on_tags_not_matching=False)
        self.ln(2)
