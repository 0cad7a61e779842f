"""The facilitator's dashboard: escaping, and the notebook running with no hub around."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from circlekit.answers.local import LocalStore
from circlekit.answers.record import Answer
from circlekit.dashboard import (
    NO_SERVICE,
    LocalSource,
    answers_html,
    goals_html,
    tallies,
    tallies_html,
    who_answered_html,
)

REPO = Path(__file__).resolve().parent.parent
XSS = "<img src=x onerror=alert(1)>"


def answer(**changes) -> Answer:
    base = dict(course="we-are-ai", notebook="01-what-is-ai.ipynb",
                widget_id="wai-1-who-decides", kind="discussion", author="alice",
                circle="local", visibility="circle", value=XSS)
    base.update(changes)
    return Answer(**base)


def test_everything_a_person_wrote_is_escaped() -> None:
    rows = [answer(), answer(author=XSS, widget_id="wai-1-built-for-whom"),
            answer(kind="poll", widget_id="wai-1-ai-or-not", value=XSS),
            answer(kind="goal", widget_id="wai-1-goal", value=XSS),
            answer(kind="goal-check", widget_id="wai-1-goal",
                   value={"rating": 3, "comment": XSS})]
    pages = [answers_html(rows), tallies_html(tallies(rows)), goals_html(rows),
             who_answered_html([XSS, "bob"], rows, ["wai-1-who-decides"])]
    for page in pages:
        assert "<img" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_notebook_runs_with_no_hub_and_escapes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    LocalStore(home / "answers.sqlite3").save(answer())
    kit = tmp_path / "kit"
    shutil.copytree(REPO / "notebooks" / "we-are-ai", kit / "notebooks" / "we-are-ai")
    (kit / "facilitator").mkdir()
    shutil.copy(REPO / "facilitator" / "dashboard.ipynb", kit / "facilitator")
    env = {k: v for k, v in os.environ.items()
           if k not in ("CIRCLEKIT_SERVICE_URL", "JUPYTERHUB_API_TOKEN")}
    nb = nbformat.read(kit / "facilitator" / "dashboard.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(kit / "facilitator")}}
                   ).execute(env={**env, "CIRCLEKIT_HOME": str(home)})
    html = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)
    assert "No circle service here" in html and NO_SERVICE.startswith("No circle service")
    assert "<img" not in html
    assert "we-are-ai" in html and "9 prompts this week" in html
    assert "<td><bdi>alice</bdi></td>" in html  # the answer saved on this computer was found


def test_a_computer_with_no_answers_file_shows_nothing_and_creates_nothing(tmp_path) -> None:
    source = LocalSource(None)
    assert source.answers("local") == ([], 0) and source.circles() == ["local"]
    assert list(tmp_path.iterdir()) == []
