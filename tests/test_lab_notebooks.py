"""Every course notebook run in a real JupyterLab in Chromium, looked at as a learner sees it:
axe-core finds nothing critical or serious in the output areas, no control is drawn over
another and no label is cut, at 1280 and at 390 px wide. A Discussion and a Quiz are answered
with the keyboard alone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import axe_outputs, layout_faults, runaway_previews
from browser import block_outside, chromium
from conftest import FIXTURES, REPO, copy_kit_content
from labtools import Lab, run_all

from circlekit.answers.local import LocalStore
from circlekit.course import load_courses

WIDTHS = (1280, 390)


def course_notebooks(root: Path, prefix: str) -> list[str]:
    """The learner notebooks of every course found under root/notebooks/, from the course files."""
    courses, _problems = load_courses(root)
    return [f"{prefix}{c.notebook_path(w)}" for c in courses for w in c.weeks]


# Options far longer than one line at any width, so the wrapping of each kind of control is
# seen (the fault: radio options ran over one another, check box labels ended in "...").
LONG = [
    "A phone that unlocks when it sees your face, even in the dark and with glasses on",
    "A spam filter that learned from millions of e-mails which words and senders to distrust",
    "A thermostat that switches the heating on at 7 every morning, whatever the weather does",
]
LONG_NB = "fixture/notebooks/mini/long-options.ipynb"
LONG_CELLS = (
    "from widgets import Poll, Quiz, Timer",
    f"Quiz('long-1-quiz', 'Which one learned from examples?', {LONG!r}, 1, 'It learned.')",
    f"Poll('long-1-poll', 'Which one would you trust?', {LONG!r})",
    f"Poll('long-1-many', 'Which ones have you used?', {LONG!r}, multiple=True)",
    "Timer(2, 'Talk it over in pairs')",
)

NOTEBOOKS = [
    LONG_NB,
    *course_notebooks(FIXTURES / "kit", "fixture/"),
    "kit/book/widgets.ipynb",
    *course_notebooks(REPO, "kit/"),
]


def write_notebook(path: Path, cells: tuple[str, ...]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("labnb")
    root = base / "lab"
    root.mkdir()
    copy_kit_content(root / "kit")
    shutil.copytree(FIXTURES / "kit", root / "fixture")
    write_notebook(root / LONG_NB, LONG_CELLS)
    server = Lab(root, base / "home")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.mark.parametrize("rel", NOTEBOOKS)
def test_a_learner_sees_every_output_whole(lab: Lab, browser: object, rel: str) -> None:
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900})  # type: ignore[attr-defined]
    outside = block_outside(page)
    try:
        lab.open(page, rel)
        run_all(page)
        assert page.locator(".jp-OutputArea-output").count() > 0
        findings = {"axe": axe_outputs(page)}
        for width in WIDTHS:
            if width < 600:
                # On a phone the notebook gets the whole width: fold the file browser away.
                fold_sidebars(page)
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                          "requestAnimationFrame(r)))")
            if width < 600:
                room = page.locator(".jp-NotebookPanel:visible").first.bounding_box()["width"]
                assert room > width * 0.8, f"the notebook is only {room} px wide"
            findings[f"layout at {width} px"] = layout_faults(page)
            findings[f"code previews at {width} px"] = runaway_previews(page)
        shot = lab.root.parent / (rel.replace("/", "_") + "-390.png")
        page.screenshot(path=str(shot), full_page=True)
        faults = [f"{kind}: {fault}" for kind, found in findings.items() for fault in found]
        assert not faults, "\n".join(faults)
        assert outside == []
    finally:
        page.close()


def fold_sidebars(page: object) -> None:
    """Close JupyterLab's side panels (click each open panel's tab), as a phone user would."""
    for side in ("left", "right"):
        current = page.locator(f".jp-SideBar.jp-mod-{side} .lm-TabBar-tab.lm-mod-current")  # type: ignore[attr-defined]
        if current.count():
            current.first.click()
            current.first.wait_for(state="detached", timeout=10_000)


KEYBOARD_NB = "fixture/notebooks/mini/keyboard.ipynb"


def test_a_discussion_and_a_quiz_are_answered_with_the_keyboard_alone(
        lab: Lab, browser: object) -> None:
    write_notebook(lab.root / KEYBOARD_NB, (
        "from widgets import Discussion, Quiz",
        'Discussion("kbd-1-talk", "What did you notice?", share="facilitator")',
        'Quiz("kbd-1-quiz", "Which one is a fruit?", ["A carrot", "An apple", "A potato"], '
        '"An apple", "An apple grows from a flower.")',
    ))
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        lab.open(page, KEYBOARD_NB)
        run_all(page)
        page.locator(".circlekit-quiz").wait_for(timeout=30_000)
        # From the notebook in command mode, Tab walks the page's controls in order.
        page.locator(".jp-Notebook").first.focus()
        page.keyboard.press("Escape")

        def tab_to(selector: str, limit: int = 200) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                if page.evaluate("s => document.activeElement.matches(s)", selector):
                    return
            raise AssertionError(f"Tab never reached {selector}")

        tab_to(".circlekit-discussion textarea")
        # Key by key, as a person types. (Once only "T" was kept: later keys waited in the
        # browser for the kernel while Save went ahead; prompts' boxes now send on leaving.)
        page.keyboard.type("Typed without a mouse", delay=10)
        tab_to(".circlekit-discussion button")
        assert page.evaluate("() => document.activeElement.innerText.trim()") == "Save"
        page.keyboard.press("Enter")
        page.locator(".circlekit-discussion .circlekit-status",
                     has_text="Saved.").wait_for(timeout=20_000)

        # Each option is a stop of its own for Tab, and Space picks it. (JupyterLab keeps the
        # arrow keys for moving between cells.)
        tab_to(".circlekit-quiz input[type=radio][data-value='An%20apple']")
        page.keyboard.press("Space")
        tab_to(".circlekit-quiz button")
        page.keyboard.press("Enter")
        page.locator(".circlekit-quiz .circlekit-feedback", has_text="Right!").wait_for(
            timeout=20_000)
    finally:
        page.close()
    store = LocalStore(lab.home / "answers.sqlite3")
    [talk] = store.list(kind="discussion", widget_id="kbd-1-talk")
    assert talk.value == "Typed without a mouse"
    [attempt] = store.list(kind="quiz", widget_id="kbd-1-quiz")
    assert attempt.value == {"choice": "An apple", "correct": True}
