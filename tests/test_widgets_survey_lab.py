"""Survey, MeetingReflection and FacilitatorSurvey in a real JupyterLab in headless Chromium,
at 1280 and 390 px: axe-core finds nothing serious in them, no control overlaps another, no
label is cut, and the survey can be filled in and saved with the keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from a11y import axe_problems, cut_labels, measured, overlapping
from browser import block_outside, chromium
from labtools import Lab, menu, wait_idle

from circlekit.answers.local import LocalStore

CELLS = [
    "from widgets import FacilitatorSurvey, MeetingReflection, Survey",
    'Survey("lab-5-survey", goal="lab-goal")',
    'MeetingReflection("lab-5-meeting", week=5)',
    'FacilitatorSurvey("lab-facilitator-survey")',
]
WIDGETS = ".circlekit-survey, .circlekit-meeting-reflection, .circlekit-facilitator-survey"
CONTROLS = ("button", "textarea", "input", ".widget-label", ".widget-radio-box label")


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    root = tmp_path / "lab"
    root.mkdir()
    (root / "course.yml").write_text("title: Lab\nslug: lab-course\nlanguage: en\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "survey.ipynb")
    server = Lab(root, tmp_path / "home")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_surveys_seen_and_used_as_a_person_would(lab: Lab) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        outside = block_outside(page)
        page.goto(f"{lab.url}/lab/tree/survey.ipynb?token={lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
        page.locator(".circlekit-facilitator-survey button").wait_for(timeout=60_000)

        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 1000})
            for selector in WIDGETS.split(", "):
                page.locator(selector).scroll_into_view_if_needed()
                controls = ", ".join(f"{selector} {c}" for c in CONTROLS)
                # Laid out, so the checks below look at real boxes.
                page.wait_for_function("s => document.querySelector(s)"
                                       ".getBoundingClientRect().width > 0",
                                       arg=f"{selector} button", timeout=10_000)
                assert measured(page, controls) > 8, (width, selector)
                assert axe_problems(page, f"'{selector}'") == [], (width, selector)
                assert overlapping(page, controls) == [], (width, selector)
                assert cut_labels(page, controls) == [], (width, selector)

        # The keyboard alone: Tab into the survey's first choice, arrows pick, Tab moves on.
        survey = page.locator(".circlekit-survey")
        survey.get_by_label("4 Mostly").focus()
        page.keyboard.press("Space")
        for label in ("3 Somewhat more", "5 Surely"):
            survey.get_by_label(label).focus()
            page.keyboard.press("Space")
        survey.locator("textarea").first.focus()
        page.keyboard.type("Talk about AI with my grandson")
        save = survey.get_by_role("button", name="Save")
        save.focus()
        page.keyboard.press("Enter")
        survey.locator(".circlekit-status", has_text="Saved.").wait_for(timeout=20_000)

    [row] = LocalStore(lab.home / "answers.sqlite3").list(kind="survey")
    assert row.visibility == "facilitator"
    assert row.value == {"goal_met": 4, "confident": 3, "recommend": 5,
                         "plans": "Talk about AI with my grandson", "other": "",
                         "consent": False}
    assert all(not u.startswith("http://127") for u in outside)
