"""Information literacy in the built book: each week's page, in a real headless Chromium with
outside requests blocked, shows its prompts as readable cards, its activity and its pictures."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml
from browser import block_outside, chromium

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "info-literacy"
WEEKS = [Path(w["notebook"]).stem for w in
         yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))["weeks"]]
PROMPTS = {"Discussion", "CheckIn", "Poll", "Quiz"}
# Weeks whose activity is about pictures: the page must show them as images.
PICTURE_WEEKS = {"03-trace-it", "06-real-or-synthetic"}


def prompt_texts(name: str) -> list[str]:
    """The prompt or question (second argument) of every prompt widget in a week's notebook."""
    nb = json.loads((COURSE / f"{name}.ipynb").read_text(encoding="utf-8"))
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in PROMPTS
                    and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)):
                texts.append(node.args[1].value)
    return texts


@pytest.mark.parametrize("week", WEEKS)
def test_each_week_shows_its_prompts_activity_and_pictures_offline(kit_book, week, tmp_path):
    root, report = kit_book
    assert not [o for o in report.failed if "info-literacy" in o.path]
    page_file = root / "_build/html/notebooks/info-literacy" / f"{week}.html"
    texts = prompt_texts(week)
    assert len(texts) >= 4
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        outside = block_outside(page)
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(tmp_path / f"{week}.png"), full_page=True)
        shown = " ".join(page.inner_text("main").split())
        for text in texts:
            assert " ".join(text.split()) in shown, text
        cards = page.locator("main .circlekit-card")
        assert cards.count() >= len(texts)
        assert cards.first.is_visible()
        # The activity's starting state is printed, and its controls are described.
        assert page.locator("main .il-box, main .il-table").count() >= 1
        # How to run a notebook is for the notebook only (tag remove-cell), not for readers.
        assert "Run All Cells" not in shown
        # No Python source is shown: every code cell is folded away in the book.
        inputs = page.locator("main .cell_input")
        assert inputs.count() >= len(texts)
        assert not any(inputs.nth(i).is_visible() for i in range(inputs.count()))
        if week in PICTURE_WEEKS:
            pictures = page.locator("main .cell_output img")
            assert pictures.count() >= 2
            for i in range(pictures.count()):
                img = pictures.nth(i)
                assert img.evaluate("i => i.complete && i.naturalWidth > 50"), i
                assert img.get_attribute("alt"), i
    assert outside == []
