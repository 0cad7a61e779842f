"""Every course in the built book: each week's page, in a real headless Chromium with outside
requests blocked, shows its prompts as readable cards, its activity's output and its pictures,
and no Python source or notebook-only text. The courses and weeks come from the course files."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from browser import block_outside, chromium

from circlekit.course import load_courses
from circlekit.notebooks import widget_uses

REPO = Path(__file__).resolve().parents[1]
COURSES, _problems = load_courses(REPO)
# Prompts whose words a reader must find on the page (Reflection and Goal are covered by the
# widget tests; a week's Discussions, CheckIns, Polls and Quizzes are its questions).
SHOWN_KINDS = {"Discussion", "CheckIn", "Poll", "Quiz"}
WEEKS = [(course, week) for course in COURSES for week in course.weeks]
# Pictures a week's activity is about: every We Are AI week plots its data; two information
# literacy weeks are about pictures themselves.
MIN_PICTURES = {"we-are-ai": {"*": 1},
                "info-literacy": {"03-trace-it": 2, "06-real-or-synthetic": 2}}


def pictures_expected(course, week) -> int:
    wanted = MIN_PICTURES.get(course.slug, {})
    return wanted.get(Path(week.notebook).stem, wanted.get("*", 0))


def test_both_courses_are_in_the_kit():
    assert {c.slug: len(c.weeks) for c in COURSES} == {"we-are-ai": 5, "info-literacy": 6}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize(("course", "week"), WEEKS,
                         ids=[f"{c.slug}-{Path(w.notebook).stem}" for c, w in WEEKS])
def test_each_week_shows_its_prompts_activity_and_pictures_offline(
        kit_book, browser, course, week, tmp_path):
    root, report = kit_book
    assert not [o for o in report.failed if f"/{course.slug}/" in o.path]
    source = REPO / course.notebook_path(week)
    texts = [u.text for u in widget_uses(nbformat.read(source, as_version=4))
             if u.kind in SHOWN_KINDS and u.text]
    assert len(texts) >= 3, f"{source.name} has only {len(texts)} written-out questions"
    page_file = (root / "_build/html" / course.notebook_path(week)).with_suffix(".html")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        outside = block_outside(page)
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(tmp_path / f"{source.stem}.png"), full_page=True)
        shown = " ".join(page.inner_text("main").split())
        for text in texts:
            assert " ".join(text.split()) in shown, text
        cards = page.locator("main .circlekit-card")
        assert cards.count() >= len(texts)
        assert cards.first.is_visible()
        # The activity's output is on the page: more outputs than prompt cards alone.
        assert page.locator("main .cell_output").count() > cards.count()
        # How to run a notebook is for the notebook only (tag remove-cell), not for readers.
        assert "Run All Cells" not in shown
        # No Python source is shown: every code cell is folded away in the book.
        inputs = page.locator("main .cell_input")
        assert inputs.count() >= len(texts)
        assert not any(inputs.nth(i).is_visible() for i in range(inputs.count()))
        # Every picture has loaded and says what it shows.
        pictures = page.locator("main .cell_output img")
        assert pictures.count() >= pictures_expected(course, week)
        for i in range(pictures.count()):
            img = pictures.nth(i)
            assert img.evaluate("i => i.complete && i.naturalWidth > 50"), i
            assert img.get_attribute("alt"), f"picture {i + 1} has no alt text"
    finally:
        page.close()
    assert outside == []
