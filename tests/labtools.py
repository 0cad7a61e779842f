"""A real JupyterLab for browser tests, and what a learner must be able to see in it.

`Lab` starts JupyterLab on 127.0.0.1 with a fresh Jupyter state; the page helpers run a
notebook's cells. What a learner must be able to see in its output areas is checked by
`a11y.axe_outputs` and `a11y.layout_faults`.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Their home is tests/a11y.py; named here too for callers that import them from this module.
from a11y import axe_outputs, layout_faults  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


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

    def open(self, page: object, rel: str) -> None:
        """Open a notebook, alone (`reset`: no tab from an earlier page comes back), and wait
        until its kernel is ready."""
        page.goto(f"{self.url}/lab/tree/{rel}?reset&token={self.token}")  # type: ignore[attr-defined]
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)  # type: ignore[attr-defined]
        wait_idle(page)


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


ERRORS = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], " \
    ".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']"

# A learner's notebook collapses its code cells (jupyter.source_hidden), and a collapsed cell
# shows no execution count; JupyterLab also leaves cells out of view out of the page. So "Run
# All is done" is read from the kernel: idle, and staying idle with no new output, for a few
# seconds (between two queued cells the kernel is idle for milliseconds only), or a cell failed.
SETTLED = """(errors) => {
  if (document.querySelector(errors)) return 'error';
  const idle = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .some(t => t.textContent.includes('| Idle'));
  const running = [...document.querySelectorAll('.jp-InputPrompt, .jp-OutputPrompt')]
    .some(p => p.textContent.includes('*'));
  return (idle && !running ? 'idle:' : 'busy:') +
    document.querySelectorAll('.jp-OutputArea-output').length;
}"""


def run_all(page: object, timeout_ms: int = 240_000, quiet_s: float = 3.0) -> None:
    """Run every cell and wait until the kernel has finished them all (or one failed)."""
    menu(page, "Run", "Run All Cells")
    deadline = time.monotonic() + timeout_ms / 1000
    last, since = "", time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(SETTLED, ERRORS)  # type: ignore[attr-defined]
        if state == "error":
            break
        if state != last:
            last, since = state, time.monotonic()
        elif state.startswith("idle:") and time.monotonic() - since >= quiet_s:
            break
        page.wait_for_timeout(250)  # type: ignore[attr-defined]
    else:
        raise AssertionError(f"Run All did not finish within {timeout_ms / 1000:.0f} s ({last})")
    errors = page.locator(ERRORS)  # type: ignore[attr-defined]
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    wait_idle(page)
