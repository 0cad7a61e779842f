"""One meeting of a circle on the hub, start to finish, as the circle lives it.

`circlekit hub --circle tuesday --learners ana,bo --facilitator lee`, with the kit's book built
once with that hub as its launch hub; a real headless Chromium with three people in it, each
in their own browser context (their own cookies): ana the learner, bo her circle-mate, lee the
facilitator. Book page -> launch button -> sign in with one's own login -> Run All -> answer
and Save -> the status says shared -> bo sees it without pressing anything -> lee's dashboard
shows it under its question -> the export holds it. The hub's log stays free of errors and of
the noise first-timers used to get.
"""

from __future__ import annotations

import re
import time

import pytest
import requests
from browser import block_outside, chromium
from meetingtools import (
    QUESTION,
    SHARED,
    WEEK1,
    discussion,
    every_cell_ran,
    notebook_shown,
    run_all,
    sign_in,
    start_meeting,
)

# Noise a first-timer's server, or the hub starting, must not put in the log.
NOISE = ("No nbgrader_config.py", "without encryption", "/hub/error/404?url=/hub/api",
         "course directory", "nbgrader")


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    with start_meeting(tmp_path_factory.mktemp("meeting")) as m:
        yield m


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


# -- the tests -------------------------------------------------------------------------------------


def test_run_all_right_after_opening_runs_every_cell_ten_times(meeting, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    token = meeting.token("bo")
    auth = {"Authorization": f"token {token}"}
    try:
        page = context.new_page()
        block_outside(page)
        page.goto(meeting.link())
        sign_in(page, meeting, "bo")  # the link then starts his server and opens the notebook
        for attempt in range(10):
            if attempt:
                # A fresh kernel each time: the moment a first-timer meets.
                sessions = requests.get(f"{meeting.url}/user/bo/api/sessions", headers=auth,
                                        timeout=30)
                assert sessions.status_code == 200, sessions.text
                for session in sessions.json():
                    requests.delete(f"{meeting.url}/user/bo/api/sessions/{session['id']}",
                                    headers=auth, timeout=30)
                page.goto(meeting.link())
            notebook_shown(page, "01-what-is-ai.ipynb")
            run_all(page)
            try:
                every_cell_ran(page)
            except AssertionError as error:
                raise AssertionError(f"try {attempt + 1} of 10: {error}") from None
    finally:
        context.close()


def test_a_learners_lab_has_no_teacher_tools_and_no_pop_up(meeting, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        block_outside(page)
        page.goto(f"{meeting.url}/hub/login")
        sign_in(page, meeting, "ana")
        page.wait_for_url(re.compile(r"/user/ana/lab"), timeout=180_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="File").wait_for(timeout=90_000)
        page.locator(".jp-DirListing-item").first.wait_for(timeout=90_000)
        time.sleep(3)  # give late plugins (news, nbgrader's panels) their chance to show
        menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert "File" in menus and not [m for m in menus if "nbgrader" in m.lower()], menus
        body = page.locator("body").inner_text()
        assert "Create Assignment" not in body and "Formgrader" not in body
        assert page.locator("[data-id*='nbgrader'], [id*='nbgrader']").count() == 0
        assert "Jupyter news" not in body
        assert page.locator(".jp-Notification-Toast, .Toastify__toast").count() == 0
    finally:
        context.close()


def test_one_meeting_start_to_finish(meeting, browser) -> None:
    answer = f"The bus app chose my route on Monday ({time.time_ns() % 100000})."
    contexts = {name: browser.new_context(viewport={"width": 1280, "height": 900})
                for name in ("ana", "bo", "lee")}
    try:
        # bo has week 1 open and run, as he would at the start of the meeting.
        bo = contexts["bo"].new_page()
        block_outside(bo)
        bo.goto(meeting.link())
        sign_in(bo, meeting, "bo")
        notebook_shown(bo, "01-what-is-ai.ipynb")
        run_all(bo)
        every_cell_ran(bo)

        # lee opens the dashboard from the link `circlekit hub` printed, and runs it.
        lee = contexts["lee"].new_page()
        block_outside(lee)
        lee.goto(meeting.dashboard_link())
        sign_in(lee, meeting, "lee")
        notebook_shown(lee, "dashboard.ipynb")
        run_all(lee)
        every_cell_ran(lee)

        # ana: the book's page for week 1, its launch button, her own login, Run All.
        book = contexts["ana"].new_page()
        block_outside(book)
        book.goto((meeting.kit / "_build/html" / WEEK1).with_suffix(".html").as_uri())
        book.locator(".dropdown-launch-buttons button").click()
        with contexts["ana"].expect_page() as opened:
            book.locator(".dropdown-launch-buttons a", has_text="JupyterHub").click()
        ana = opened.value
        block_outside(ana)
        sign_in(ana, meeting, "ana")
        notebook_shown(ana, "01-what-is-ai.ipynb")
        run_all(ana)
        every_cell_ran(ana)

        # She answers and saves; the status line says her circle has it.
        box = discussion(ana, QUESTION)
        box.locator("textarea").fill(answer)
        box.locator("button", has_text="Save").click()
        saved_at = time.monotonic()
        box.locator(".circlekit-status", has_text=SHARED).wait_for(timeout=60_000)

        # bo sees it under "What the circle said" without pressing anything.
        discussion(bo, QUESTION).locator(".circlekit-panel", has_text=answer).or_(
            discussion(bo, QUESTION).locator("text=" + answer)).first.wait_for(timeout=60_000)
        mate_seconds = time.monotonic() - saved_at

        # lee's dashboard shows it under its question; the export holds it.
        lee.locator(".jp-OutputArea button", has_text="Refresh").first.click()
        board = lee.locator(".ck-dash", has_text=answer).first
        board.wait_for(timeout=60_000)
        assert QUESTION in board.inner_text()
        lee.locator(".jp-OutputArea button", has_text="Save as CSV").first.click()
        lee.locator(".ck-note", has_text="Saved exports").first.wait_for(timeout=60_000)
        export = (meeting.home("lee") / meeting.launch.folder / "facilitator" / "exports"
                  / "circle-tuesday-we-are-ai.csv")
        assert answer in export.read_text(encoding="utf-8")

        # One copy of the course in each home: the hub's clone, which the link also used.
        for name in ("ana", "bo", "lee"):
            home = meeting.home(name)
            assert (home / meeting.launch.folder / WEEK1).is_file()
            assert not (home / "we-are-ai").exists()
        print(f"save -> mate sees it: {mate_seconds:.1f} s")
    finally:
        for context in contexts.values():
            context.close()

    log = meeting.log()
    errors = [line for line in log.splitlines() if line.startswith("[E ")]
    assert errors == [], "\n".join(errors)
    noise = [line for line in log.splitlines() if any(n in line for n in NOISE)]
    assert noise == [], "\n".join(noise[:20])
