"""A circle's meeting on a real `circlekit hub`, for tests/test_meeting.py and
benchmarks/meeting.py: the kit's book built with that hub as its launch hub, the hub started
as a facilitator starts it, and what each person does in JupyterLab, as they do it."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from conftest import copy_kit_content
from hubtools import CliHub, launching_kit

from circlekit.book import build_book
from circlekit.hub import free_ports
from circlekit.launch import hub_launch, read_config

WEEK1 = "notebooks/we-are-ai/01-what-is-ai.ipynb"
PROMPT = "wai-1-algorithm-this-week"
QUESTION = "Think of this past week. Where did an algorithm make a choice for you?"
SHARED = "Saved and shared with your circle."


class Meeting:
    def __init__(self, kit: Path, hub: CliHub, state: Path) -> None:
        self.kit, self.hub, self.state = kit, hub, state
        self.url = hub.url
        self.launch = hub_launch(read_config(kit))

    def link(self, notebook: str = WEEK1) -> str:
        return self.launch.link(notebook)

    def dashboard_link(self) -> str:
        """The facilitator's dashboard link, as `circlekit hub` printed it."""
        printed = [w for w in self.hub.text.split() if w.endswith("dashboard.ipynb")]
        assert printed, f"no dashboard link printed:\n{self.hub.text}"
        return printed[0]

    def home(self, name: str) -> Path:
        return self.state / "users" / name

    def log(self) -> str:
        return (self.state / "hub.log").read_text(encoding="utf-8", errors="replace")

    def token(self, name: str) -> str:
        s = requests.Session()
        s.get(f"{self.url}/hub/login", timeout=30)
        s.post(f"{self.url}/hub/login", timeout=30, allow_redirects=False,
               data={"username": name, "password": self.hub.password(name),
                     "_xsrf": s.cookies["_xsrf"]})
        r = s.post(f"{self.url}/hub/api/users/{name}/tokens", json={"note": "test"},
                   timeout=30, headers={"X-XSRFToken": s.cookies["_xsrf"]})
        assert r.status_code in (200, 201), r.text
        return r.json()["token"]


# -- what a person does in JupyterLab -------------------------------------------------------------


def sign_in(page, meeting: Meeting, name: str) -> None:
    page.locator("#username_input").wait_for(timeout=60_000)
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(meeting.hub.password(name))
    page.locator("#login_submit").click()


def notebook_shown(page, tab: str) -> None:
    """Wait until JupyterLab shows the notebook `tab` (its file name) with its cells."""
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=tab).first.wait_for(timeout=180_000)
    page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for(timeout=90_000)


def run_all(page) -> None:
    """Run > Run All Cells, from the menu, as the guides tell a first-timer."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def every_cell_ran(page, timeout: float = 150, quiet: float = 3.0) -> None:
    """Wait until Run All has run the notebook through, and no dialog opened.

    A learner's code cells are collapsed, and a collapsed cell shows no execution count, while
    JupyterLab leaves cells out of view out of the page; so "through" is read as: cells have
    run (counts on their outputs), none is waiting, and the kernel has stayed idle with nothing
    new for a few seconds (between two queued cells it is idle for milliseconds only).
    """
    panel = page.locator(".jp-NotebookPanel:visible")
    deadline = time.monotonic() + timeout
    ran: list[str] = []
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        if page.locator(".jp-Dialog").count():
            raise AssertionError("a dialog opened: " + page.locator(".jp-Dialog").inner_text())
        prompts = panel.locator(".jp-InputPrompt, .jp-OutputPrompt").all_text_contents()
        ran = [p.strip() for p in prompts if re.fullmatch(r"\[\d+\]:", p.strip())]
        idle = page.locator(".jp-StatusBar-TextItem", has_text="| Idle").count() > 0
        state = (tuple(ran), idle and not any("*" in p for p in prompts))
        if state != last:
            last, since = state, time.monotonic()
        elif state[1] and len(ran) >= 3 and time.monotonic() - since >= quiet:
            # Counts could be left in the file from an earlier run; a live widget cannot.
            if panel.locator(".jp-OutputArea-output .jupyter-widgets").count():
                return
        time.sleep(0.5)
    raise AssertionError(f"Run All did not run the notebook through; counts seen: {ran}")


def discussion(page, prompt_text: str):
    return page.locator(".circlekit-discussion", has_text=prompt_text).first




@contextlib.contextmanager
def start_meeting(base: Path) -> Iterator[Meeting]:
    """The kit in a git repository under `base`, its book built with the hub as launch hub, and
    `circlekit hub --circle tuesday --learners ana,bo --facilitator lee` on a free port."""
    port = free_ports(1)[0]
    kit = launching_kit(copy_kit_content(base / "kit"), f"http://127.0.0.1:{port}")
    build_book(kit, skip_execution=["**/*.ipynb"])  # the launch buttons are what matters here
    state = base / "state"
    hub = CliHub(["--circle", "tuesday", "--learners", "ana,bo", "--facilitator", "lee",
                  "--port", str(port), "--state", str(state)], root=kit)
    try:
        yield Meeting(kit, hub, state)
    finally:
        hub.stop()
