"""The dashboard's "last meeting" view: the learners' closing reflections grouped by question,
without names, and the facilitator's own notes on that meeting; in the notebook too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import papermill
from bs4 import BeautifulSoup
from conftest import make_answer

from circlekit.answers.local import LocalStore
from circlekit.dashboard import last_meeting_html

REPO = Path(__file__).resolve().parent.parent
XSS = "<img src=x onerror=alert(1)>"


def reflections() -> list:
    common = dict(course="we-are-ai", circle="local", kind="reflection",
                  widget_id="wai-1-reflection", visibility="facilitator")
    return [
        make_answer(author="alice", value={"learned": "Algorithms are recipes", "liked": XSS,
                                           "wish": "", "wonder": "Who picks the data?"},
                    **common),
        make_answer(author="bob", value={"learned": "Order matters", "liked": "The soup game",
                                         "wish": "More time", "wonder": ""}, **common),
        make_answer(author="fran", kind="meeting-reflection", widget_id="wai-1-meeting",
                    course="we-are-ai", circle="local", visibility="facilitator",
                    value={"week": 1, "attendance": 7, "present": "alice, bob", "rating": 4,
                           "prompt": "surprised", "answer": "How fast they got it."}),
        make_answer(author="fran", kind="meeting-reflection", widget_id="wai-2-meeting",
                    course="we-are-ai", circle="local", visibility="facilitator",
                    value={"week": 2, "attendance": 5, "present": "", "rating": 1,
                           "prompt": "challenging", "answer": "Week two note"}),
    ]


def test_grouped_by_question_without_names() -> None:
    page = last_meeting_html(reflections(), 1, ["wai-1-reflection", "wai-1-goal"])
    soup = BeautifulSoup(page, "html.parser")
    groups = {h.get_text(): [li.get_text() for li in h.find_next("ul").find_all("li")]
              for h in soup.find_all("h4") if h.find_next("ul")}
    assert groups["What people learned (2)"] == ["Algorithms are recipes", "Order matters"]
    assert groups["What people wished (1)"] == ["More time"]  # blank answers left out
    assert groups["What people liked (2)"][0] == XSS and "<img" not in page
    cells = {th.get_text(): th.find_next("td").get_text() for th in soup.find_all("th")}
    assert cells["People present"] == "7" and cells["How it went"] == "Good"
    assert cells["What surprised you today?"] == "How fast they got it."
    text = soup.get_text(" ")
    assert "alice" not in text and "bob" not in text and "Week two note" not in text


def test_other_weeks_reflections_are_left_out() -> None:
    page = last_meeting_html(reflections(), 2, ["wai-2-reflection"])
    assert "Algorithms are recipes" not in page and "Week two note" in page
    assert "No reflections from meeting 3 yet" in last_meeting_html([], 3, [])


def test_the_notebook_shows_last_meeting(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = LocalStore(home / "answers.sqlite3")
    for answer in reflections():
        store.save(answer)
    store.close()
    kit = tmp_path / "kit"
    shutil.copytree(REPO / "notebooks" / "we-are-ai", kit / "notebooks" / "we-are-ai")
    (kit / "facilitator").mkdir()
    shutil.copy(REPO / "facilitator" / "dashboard.ipynb", kit / "facilitator")
    saved = {k: os.environ.pop(k, None)
             for k in ("CIRCLEKIT_SERVICE_URL", "JUPYTERHUB_API_TOKEN", "CIRCLEKIT_HOME")}
    os.environ["CIRCLEKIT_HOME"] = str(home)
    try:
        nb = papermill.execute_notebook(
            str(kit / "facilitator" / "dashboard.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"week": 2, "circle": "local"}, cwd=str(kit / "facilitator"),
            progress_bar=False)
    finally:
        os.environ.pop("CIRCLEKIT_HOME", None)
        os.environ.update({k: v for k, v in saved.items() if v is not None})
    html = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb["cells"]
                   if c["cell_type"] == "code" for o in c.get("outputs", []))
    soup = BeautifulSoup(html, "html.parser")
    view = soup.select_one(".ck-last-meeting")
    assert view is not None and view.h3.get_text() == "Meeting 1"
    assert "Order matters" in view.get_text() and "How fast they got it." in view.get_text()
