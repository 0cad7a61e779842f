"""The widgets in a real JupyterLab, in a real headless Chromium: type, Save, restart the
kernel, run again and see the answer; vote and see the tally; see a circle member's answer
arrive without pressing Refresh."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from browser import block_outside, chromium

from circlekit.answers.local import LocalStore
from circlekit.answers.record import Answer

ROOT = Path(__file__).resolve().parents[1]
TYPED = "Patterns <b>everywhere</b> & more"

CELLS = [
    "from widgets import Discussion, Poll, Timer",
    'Discussion("lab-1-talk", "What did you notice?")',
    'Poll("lab-1-poll", "Which colour?", ["Red", "Blue"])',
    'Timer(1, "Talk in pairs")',
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, root: Path, home: Path):
        self.root, self.home = root, home
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = root.parent / "lab.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        state = self.root.parent / "jupyter"
        env = {
            **os.environ,
            "CIRCLEKIT_HOME": str(self.home),
            "CIRCLEKIT_USER": "lab-learner",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            # A fresh Jupyter state, so nothing from this machine's settings leaks in.
            "JUPYTER_CONFIG_DIR": str(state / "config"),
            "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        }
        for name in ("CIRCLEKIT_LANG", "JUPYTERHUB_USER", "CIRCLEKIT_CIRCLE"):
            env.pop(name, None)
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log,
                                            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}",
                                            timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("JupyterLab did not start:\n" + self.log.read_text()[-3000:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM lets the server shut its kernels down; the group kill catches stragglers
        # (the group is the one this test started: start_new_session above).
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


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


def menu(page: object, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()  # type: ignore[attr-defined]
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()  # type: ignore[attr-defined]


def wait_idle(page: object) -> None:
    """Wait until the kernel has started and is idle (the status bar says so).

    The toolbar's execution indicator reads "idle" before the kernel is even connected,
    and a Run All issued then can be lost, so the status bar is the one to trust.
    """
    page.locator(  # type: ignore[attr-defined]
        ".jp-StatusBar-TextItem", has_text="| Idle").first.wait_for(timeout=90_000)


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
        readout = timer.locator(".widget-readout")
        assert readout.inner_text().strip() == "1:00"
        timer.get_by_role("button", name="Start / pause").click()
        page.wait_for_function(
            "() => document.querySelector('.circlekit-timer .widget-readout')"
            ".textContent.trim() !== '1:00'", timeout=10_000)
        menu(page, "Kernel", "Shut Down Kernel")
        page.locator(".jp-StatusBar-TextItem", has_text="No Kernel").first.wait_for(
            timeout=30_000)
        before = readout.inner_text().strip()
        page.wait_for_timeout(2500)
        after = readout.inner_text().strip()
        assert after < before, (before, after)  # "0:55" < "0:57": still counting down

    votes = LocalStore(lab.home / "answers.sqlite3").list(kind="poll")
    assert [v.value for v in votes] == ["Blue"]
    assert outside == [], f"JupyterLab asked for something outside this machine: {outside}"
