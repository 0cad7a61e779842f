"""Ctrl-C during a build, as a person at a terminal sends it: SIGINT to the build's whole
process group, in a real `circlekit build` subprocess."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import make_kit
from kitedit import set_cell

from circlekit.execute import DEPS_FILE, needs_executing
from circlekit.notebooks import kit_notebooks

SLOW = "notebooks/mini/02-checking.ipynb"
DEADLINE = 300  # seconds; generous, since the machine is shared


def start_build(root: Path, out: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "circlekit", "--root", str(root), "build"],
        stdout=(out / "stdout").open("w"), stderr=(out / "stderr").open("w"),
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        start_new_session=True,  # its own process group, as a terminal gives a command
    )


def wait_for(condition, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.2)


def interrupt(proc: subprocess.Popen, out: Path) -> str:
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=DEADLINE) == 130, (out / "stderr").read_text()
    return (out / "stderr").read_text()


def said(stderr: str) -> list[str]:
    """What the build wrote to the terminal, but for its progress bar."""
    parts = stderr.replace("\r", "\n").splitlines()
    return [p for p in parts if p.strip() and not p.startswith("executing:")]


def finished(root: Path) -> int:
    """Notebooks the build has recorded as executed so far."""
    try:
        return len(json.loads((root / DEPS_FILE).read_text()))
    except (OSError, ValueError):  # not written yet
        return 0


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_while_notebooks_run_keeps_what_finished_and_leaves_nothing(tmp_path):
    # Before: asyncio tracebacks from the workers, the finished notebooks thrown away (the next
    # build ran all of them again) and a _build/answers-* folder left behind.
    root = make_kit(tmp_path / "kit")
    mark = tmp_path / "kernel.pid"
    set_cell(root, SLOW, 2, "from widgets import Discussion, Reflection\nimport helpers\n"
             "import os, time\n"
             'open(os.environ["SLOW_KERNEL_PID"], "w").write(str(os.getpid()))\n'
             "time.sleep(600)")
    proc = start_build(root, tmp_path, SLOW_KERNEL_PID=str(mark))
    try:
        # (Before the fix this record was written only at the end, so this wait gave up.)
        wait_for(lambda: mark.is_file() and mark.read_text() and finished(root) == 3,
                 "three notebooks executed and the fourth running")
        stderr = interrupt(proc, tmp_path)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert said(stderr) == ["circlekit: stopped"], stderr
    assert not list((root / "_build").glob("answers-*"))
    kernel = int(mark.read_text())
    wait_for(lambda: not alive(kernel), "the stopped notebook's kernel to end")

    # The next build executes the one notebook that had not finished, and nothing else.
    assert needs_executing(root, kit_notebooks(root)) == [SLOW]


def test_ctrl_c_in_the_book_step_stops_the_build_every_time(tmp_path):
    # Before: exit 1 with "['Interrupted!']", and now and then exit 0, the interrupt lost.
    root = make_kit(tmp_path / "kit")
    stdout = tmp_path / "stdout"
    moments = {
        "as the book step starts": lambda: "release and book" in stdout.read_text(),
        "while Sphinx reads the pages": lambda: any((root / "_build/.doctrees").rglob("*.doctree")),
    }
    for moment, ready in moments.items():
        for made in ("_build/html", "_build/.doctrees"):
            shutil.rmtree(root / made, ignore_errors=True)
        proc = start_build(root, tmp_path)
        try:
            wait_for(lambda ready=ready: stdout.is_file() and ready(), moment)
            stderr = interrupt(proc, tmp_path)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        assert said(stderr) == ["circlekit: stopped"], (moment, stderr)
        leftovers = [p.name for p in (root / "_build").iterdir()
                     if p.name.startswith(("answers-", "tmp")) or p.name.endswith(".tmp")]
        assert leftovers == [], moment
