"""The built book: book/widgets.ipynb, executed and built by `circlekit build`, shows every
widget's prompt as HTML, and a real Chromium with no network shows the text."""

from __future__ import annotations

import ast
import html
from pathlib import Path

import pytest
from browser import block_outside, chromium

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "book" / "widgets.ipynb"
WIDGETS = {"CheckIn", "Discussion", "Goal", "Poll", "Quiz", "Reflection", "Timer"}

def widget_cells() -> int:
    """How many code cells on the page end with a widget (each shows one card)."""
    import nbformat

    cells = nbformat.read(PAGE, as_version=4).cells
    return sum(1 for c in cells if c.cell_type == "code"
               and any(isinstance(n, ast.Call) and getattr(n.func, "id", None) in WIDGETS
                       for n in ast.walk(ast.parse(c.source))))


def prompt_texts() -> list[str]:
    """Every string literal given to a widget on the page: prompts, questions and options."""
    import nbformat

    texts: list[str] = []
    for cell in nbformat.read(PAGE, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in WIDGETS:
                args = [*node.args[1:], *(k.value for k in node.keywords
                                           if k.arg in ("follow_ups", "options"))]
                for arg in args:
                    for leaf in ast.walk(arg):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            texts.append(leaf.value)
    return texts


@pytest.fixture(scope="module")
def built(kit_book) -> Path:
    """The page as `circlekit build` makes it, in the session's one build of the kit."""
    root, report = kit_book
    assert not [o for o in report.failed if o.path == "book/widgets.ipynb"]
    return root / "_build" / "html" / "book" / "widgets.html"


def test_the_page_uses_every_widget_and_has_no_outputs() -> None:
    import nbformat

    nb = nbformat.read(PAGE, as_version=4)
    used = {getattr(n.func, "id", None) for c in nb.cells if c.cell_type == "code"
            for n in ast.walk(ast.parse(c.source)) if isinstance(n, ast.Call)}
    assert WIDGETS <= used
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    ids = [n.args[0].value for c in nb.cells if c.cell_type == "code"
           for n in ast.walk(ast.parse(c.source))
           if isinstance(n, ast.Call) and getattr(n.func, "id", None) in WIDGETS - {"Timer"}]
    assert ids and all(i.startswith("kit-") for i in ids)


def test_built_page_has_every_prompt_as_html(built: Path) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(built.read_text(encoding="utf-8"), "html.parser")
    cards = soup.select("div.output.text_html .circlekit-card")
    assert len(cards) == widget_cells() >= len(WIDGETS)
    card_text = html.unescape(" ".join(c.get_text(" ") for c in cards))
    card_text = " ".join(card_text.split())
    texts = prompt_texts()
    assert len(texts) >= 10
    for text in texts:
        assert " ".join(text.split()) in card_text, text
    # The reflection's questions and the goal's scale are in the cards too.
    for words in ("What worked well today?", "What do you wonder about now?", "Completely",
                  "What do you want to be able to do"):
        assert words in card_text


def test_a_browser_without_network_shows_the_text(built: Path, tmp_path: Path) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        outside = block_outside(page)
        page.goto(built.as_uri())
        page.wait_for_selector(".circlekit-card")
        shot = tmp_path / "widgets-page.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        cards = page.locator(".circlekit-card")
        assert cards.count() == widget_cells()
        for i in range(cards.count()):
            assert cards.nth(i).is_visible()
        shown = " ".join(page.inner_text("main").split())
        for text in prompt_texts():
            assert " ".join(text.split()) in shown, text
        assert "Open this page on your circle's hub to answer." in shown
    assert outside == [], f"the page asked for something outside the book: {outside}"
