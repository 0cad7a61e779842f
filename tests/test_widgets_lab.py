"""The widgets in a real JupyterLab, in a real headless Chromium: type, Save, restart the
kernel, run again and see the answer; vote and see the tally; see a circle member's answer
arrive without pressing Refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from browser import block_outside, chromium
from labtools import Lab, menu, wait_idle

from circlekit.answers.local import LocalStore
from circlekit.answers.record import Answer

TYPED = "Patterns <b>everywhere</b> & more"

CELLS = [
    "from widgets import Discussion, Poll, Timer",
    'Discussion("lab-1-talk", "What did you notice?")',
    'Poll("lab-1-poll", "Which colour?", ["Red", "Blue"])',
    'Timer(1, "Talk in pairs")',
    "import time",
]
# Typed key by key into the Discussion while the kernel is busy, then saved at once.
FAST = "Typed fast, then Save at once"


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    root = tmp_path / "lab"
    root.mkdir()
    (root / "course.yml").write_text("title: Lab\nslug: lab-course\nlanguage: en\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "circle.ipynb")
    server = Lab(root, tmp_path / "home")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_discussion_survives_a_restart_and_poll_shows_the_tally(lab: Lab) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        outside = block_outside(page)
        page.goto(f"{lab.url}/lab/tree/circle.ipynb?token={lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        wait_idle(page)

        menu(page, "Run", "Run All Cells")
        box = page.locator(".circlekit-discussion textarea")
        box.wait_for(timeout=60_000)
        discussion = page.locator(".circlekit-discussion")
        assert "What did you notice?" in discussion.inner_text()
        box.fill(TYPED)
        discussion.get_by_role("button", name="Save").click()
        discussion.locator(".circlekit-status", has_text="Saved.").wait_for(timeout=20_000)

        # What the kernel wrote: the context came from course.yml and jupyter-server.
        [row] = LocalStore(lab.home / "answers.sqlite3").list(kind="discussion")
        assert (row.course, row.notebook, row.author, row.value) == (
            "lab-course", "circle.ipynb", "lab-learner", TYPED)

        # Another learner answers; the panel shows it without anyone pressing Refresh.
        LocalStore(lab.home / "answers.sqlite3").save(Answer(
            course="lab-course", notebook="circle.ipynb", widget_id="lab-1-talk",
            kind="discussion", author="bea", circle="local", visibility="circle",
            value="<img src=x onerror=alert(1)> from Bea",
        ))
        other = discussion.locator(".circlekit-answers li", has_text="from Bea")
        other.wait_for(timeout=20_000)
        assert "<img src=x onerror=alert(1)> from Bea" in other.inner_text()
        assert discussion.locator(".circlekit-answers img").count() == 0

        # Restart the kernel and clear every output, so nothing old can pass for the answer.
        menu(page, "Kernel", "Restart Kernel and Clear Outputs of All Cells")
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.locator(".circlekit-discussion").wait_for(state="detached", timeout=30_000)
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
        box = page.locator(".circlekit-discussion textarea")
        box.wait_for(timeout=60_000)
        page.wait_for_function(
            "text => document.querySelector('.circlekit-discussion textarea').value === text",
            arg=TYPED, timeout=20_000,
        )
        assert "saved answer is shown" in page.locator(".circlekit-discussion").inner_text()

        # The kernel busy (a slow cell, a loaded hub); the learner types key by key and presses
        # Save at once. ipywidgets holds later keys in the browser until the kernel answers the
        # first, and the click went ahead of them: "Saved." with only the first letter kept.
        slow = page.locator(".jp-Cell").nth(len(CELLS) - 1)
        slow.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text("time.sleep(4)")
        page.keyboard.press("Control+Enter")
        page.locator(".jp-StatusBar-TextItem", has_text="| Busy").first.wait_for(timeout=10_000)
        box.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(FAST, delay=15)
        discussion.get_by_role("button", name="Save").click()
        discussion.locator(".circlekit-status", has_text="Saved.").wait_for(timeout=60_000)
        [row] = [a for a in LocalStore(lab.home / "answers.sqlite3").list(kind="discussion")
                 if a.author == "lab-learner"]
        assert row.value == FAST, f"kept {row.value!r} of {FAST!r}"
        wait_idle(page)

        # Vote in the poll: the tally appears as bars.
        poll = page.locator(".circlekit-poll")
        poll.get_by_label("Blue").check()
        poll.get_by_role("button", name="Vote").click()
        tally = poll.locator(".circlekit-tally")
        tally.wait_for(timeout=20_000)
        assert "Blue: 1 of 1 votes" in " ".join(tally.inner_text().split())
        assert "Red: 0 of 1 votes" in " ".join(tally.inner_text().split())
        page.screenshot(path=str(lab.root.parent / "lab.png"), full_page=True)

        # The timer counts down in the browser alone: it keeps going with the kernel shut down.
        timer = page.locator(".circlekit-timer")
        shown = "() => { const s = document.querySelector('.circlekit-timer select'); " \
                "return s.options[s.selectedIndex].text.trim(); }"
        assert page.evaluate(shown) == "1:00"
        timer.get_by_role("button", name="Start / pause").click()
        page.wait_for_function(
            f"() => ({shown})() !== '1:00'", timeout=10_000)
        menu(page, "Kernel", "Shut Down Kernel")
        page.locator(".jp-StatusBar-TextItem", has_text="No Kernel").first.wait_for(
            timeout=30_000)
        before = page.evaluate(shown)
        page.wait_for_timeout(2500)
        after = page.evaluate(shown)
        assert after < before, (before, after)  # "0:55" < "0:57": still counting down

    votes = LocalStore(lab.home / "answers.sqlite3").list(kind="poll")
    assert [v.value for v in votes] == ["Blue"]
    assert outside == [], f"JupyterLab asked for something outside this machine: {outside}"
