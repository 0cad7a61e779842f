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
    ServiceSource,
    answers_html,
    goals_html,
    source,
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
    from circlekit.notebooks import read_notebook, widget_uses

    week1 = REPO / "notebooks" / "we-are-ai" / "01-what-is-ai.ipynb"
    count = len({u.id for u in widget_uses(read_notebook(week1, str(week1)))})
    assert count >= 5
    assert "we-are-ai" in html and f"{count} prompts this week" in html
    assert "<td><bdi>alice</bdi></td>" in html  # the answer saved on this computer was found


def test_a_computer_with_no_answers_file_shows_nothing_and_creates_nothing(
    tmp_path, monkeypatch
) -> None:
    """The choice `source()` makes with no hub around: this computer's file, never created."""
    monkeypatch.delenv("CIRCLEKIT_SERVICE_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("CIRCLEKIT_HOME", str(home))
    chosen = source()
    assert isinstance(chosen, LocalSource)
    assert chosen.answers("local") == ([], 0) and chosen.circles() == ["local"]
    assert chosen.message == NO_SERVICE
    assert not home.exists()  # reading nothing made no folder and no database

    LocalStore(home / "answers.sqlite3").save(answer())
    found, _ = source().answers("local")
    assert [a.author for a in found] == ["alice"]  # the same decision finds a file once it exists


def test_under_a_hub_the_dashboard_asks_the_circle_service(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path))
    monkeypatch.setenv("CIRCLEKIT_SERVICE_URL", "http://127.0.0.1:9/services/circle/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "a-token")
    chosen = source()
    assert isinstance(chosen, ServiceSource)
    assert (chosen.url, chosen.token) == ("http://127.0.0.1:9/services/circle/", "a-token")
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN")
    assert isinstance(source(), LocalSource)  # a service address without a token is not a hub
