"""The dashboard's "could not be shared yet" block: what it says, escaped and isolated, and
how it looks in a real browser at 1280 and 390 px (axe-core, nothing overlapping or cut)."""

from __future__ import annotations

from pathlib import Path

from a11y import WIDTHS, axe_problems, cut_labels, overlapping
from browser import block_outside, chromium
from test_rtl_isolation import isolation

from circlekit.dashboard import LocalSource, answers_html, unshared, unshared_html

NAME = "سارة"
XSS = "<img src=x onerror=alert(1)>"


def notice(**changes) -> dict:
    base = {"author": "ana", "circle": "tuesday", "client_id": "c1", "course": "we-are-ai",
            "notebook": "01-what-is-ai.ipynb", "widget_id": "wai-1-who-decides",
            "kind": "discussion", "tries": 6, "parked": "2026-01-05T18:00:00+00:00",
            "reason": "the circle service refused it: the circle service had an internal "
                      "problem; the hub admin can see its log"}
    base.update(changes)
    return base


NOTICES = [
    notice(),
    notice(client_id="c2", widget_id="wai-1-ai-or-not", kind="poll"),
    notice(author=NAME, client_id="c3", widget_id="wai-2-quiz-label", kind="quiz",
           notebook=XSS, reason=XSS),
]


def test_it_says_who_why_and_which_button_to_press_again() -> None:
    page = unshared_html(NOTICES, {"wai-1-who-decides": "Who decides what the AI learns?"})
    assert "2 answers from <bdi>ana</bdi> could not be shared yet" in page
    assert f"1 answer from <bdi>{NAME}</bdi> could not be shared yet" in page
    assert "Who decides what the AI learns? (wai-1-who-decides)" in page
    assert "had an internal problem" in page
    # The button the learner's widget really has: Save, Vote (a poll), Check (a quiz).
    for button in ("Save", "Vote", "Check"):
        assert f"press <strong>{button}</strong> on that prompt again" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    found = isolation(page)
    assert NAME in found.isolated and NAME not in found.loose
    # Nothing to say: nothing shown. With no service, nothing can fail to be shared.
    assert unshared_html([]) == ""
    assert unshared(LocalSource(None), "local") == ""


def test_it_reads_well_in_a_browser(tmp_path: Path) -> None:
    page_file = tmp_path / "dashboard.html"
    page_file.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dashboard</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        "<main><h2>Answers as they come in</h2>" + unshared_html(NOTICES) + answers_html([])
        + "</main></body></html>", encoding="utf-8")
    with chromium() as browser:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            outside = block_outside(page)
            page.goto(page_file.as_uri())
            assert page.locator(".ck-unshared li").count() == 3
            assert axe_problems(page) == [], width
            assert overlapping(page, "p, li, strong, bdi") == [], width
            assert cut_labels(page, "p, li") == [], width
            # No sideways scrolling on a phone: the block fits the page.
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), width
            assert outside == []
            page.close()
