"""We Are AI in the built book: each week's page, in a real headless Chromium with no network,
shows its prompts as readable cards and its plots as images."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from browser import block_outside, chromium

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "notebooks" / "we-are-ai"
WEEKS = sorted(p.stem for p in COURSE.glob("0*.ipynb"))
PROMPTS = {"Discussion", "CheckIn", "Poll", "Quiz"}


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


def test_there_are_five_weeks():
    assert len(WEEKS) == 5


@pytest.mark.parametrize("week", WEEKS)
def test_each_week_shows_its_prompts_and_plots_offline(kit_book, week, tmp_path):
    root, report = kit_book
    assert not [o for o in report.failed if "we-are-ai" in o.path]
    page_file = root / "_build/html/notebooks/we-are-ai" / f"{week}.html"
    texts = prompt_texts(week)
    assert len(texts) >= 3
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
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
        plots = page.locator("main .cell_output img")
        assert plots.count() >= 1
        for i in range(plots.count()):
            assert plots.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")
    assert outside == []
