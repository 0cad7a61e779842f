"""The dashboard finds the week's prompts, and shows their questions, wherever the course is
in a facilitator's home on a hub: copied in by the hub, or in a clone made by a launch link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from circlekit.answers.local import LocalStore
from circlekit.answers.record import Answer
from circlekit.dashboard import find_course, week_questions

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Think of this past week. Where did an algorithm make a choice for you?"


def week1_prompt_count() -> int:
    """How many prompts week 1 has, counted from the notebook itself."""
    from circlekit.notebooks import read_notebook, widget_uses

    path = REPO / "notebooks" / "we-are-ai" / "01-what-is-ai.ipynb"
    return len({u.id for u in widget_uses(read_notebook(path, str(path)))})


def home_with(layout: str, home: Path) -> Path:
    """A facilitator's home as a hub makes it; returns the dashboard's folder."""
    if layout == "copied":  # hub/jupyterhub_config.py copying the courses
        shutil.copytree(REPO / "notebooks" / "we-are-ai", home / "we-are-ai")
        folder = home / "facilitator"
    else:  # the hub's clone of the kit, where the book's launch links open notebooks
        shutil.copytree(REPO / "notebooks" / "we-are-ai", home / "kit" / "notebooks" / "we-are-ai")
        folder = home / "kit" / "facilitator"
    folder.mkdir(parents=True)
    shutil.copy(REPO / "facilitator" / "dashboard.ipynb", folder)
    return folder


@pytest.mark.parametrize("layout", ["copied", "cloned"])
def test_the_dashboard_shows_the_questions_in_a_hub_home(tmp_path: Path, layout: str) -> None:
    home = tmp_path / "home"
    folder = home_with(layout, home)
    data = tmp_path / "data"
    LocalStore(data / "answers.sqlite3").save(Answer(
        course="we-are-ai", notebook="01-what-is-ai.ipynb", widget_id="wai-1-algorithm-this-week",
        kind="discussion", author="ana", circle="local", visibility="circle",
        value="The bus app chose my route."))
    env = {k: v for k, v in os.environ.items()
           if k not in ("CIRCLEKIT_SERVICE_URL", "JUPYTERHUB_API_TOKEN")}
    nb = nbformat.read(folder / "dashboard.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(folder)}}
                   ).execute(env={**env, "CIRCLEKIT_HOME": str(data)})
    html = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)
    widget_html = "".join(str(o.get("data", {}).get("application/vnd.jupyter.widget-view+json", ""))
                          for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert f"{week1_prompt_count()} prompts this week" in html, html[:2000]
    # The board (a live HTML widget) heads the answer with its question, not only its id.
    states = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    board = " ".join(str(m.get("state", {}).get("value", ""))
                     for m in states.get("state", {}).values())
    assert QUESTION in board, (widget_html, board[:2000])
    assert "The bus app chose my route." in board


def test_find_course_and_week_questions(tmp_path: Path) -> None:
    folder = home_with("copied", tmp_path / "home")
    assert find_course("we-are-ai", folder) == tmp_path / "home" / "we-are-ai"
    assert find_course("no-such-course", folder) is None
    questions = week_questions("we-are-ai", 1, folder)
    assert len(questions) == week1_prompt_count() >= 5
    assert questions["wai-1-algorithm-this-week"].startswith(QUESTION)
