"""Per-notebook execution time and the kernel's peak memory, one line per notebook:

    <path> <seconds> <peak kernel RSS in MB>

Each notebook runs top to bottom in a fresh kernel with its folder as working directory (as the
build and JupyterLab do); seconds include starting the kernel. Targets: 15 s and 250 MB.

    .venv/bin/python benchmarks/notebooks.py [PATH ...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]


def measure(path: Path) -> tuple[float, float]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    peak = 0
    stop = threading.Event()

    def sample(pid: int) -> None:
        nonlocal peak
        proc = psutil.Process(pid)
        while not stop.is_set():
            try:
                peak = max(peak, proc.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.02)

    start = time.perf_counter()
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's start-up notices
        pid = client.km.provisioner.process.pid
        sampler = threading.Thread(target=sample, args=(pid,), daemon=True)
        sampler.start()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        stop.set()
        sampler.join()
    return time.perf_counter() - start, peak / 2**20


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    from circlekit.notebooks import kit_notebooks

    os.environ.setdefault("CIRCLEKIT_HOME", tempfile.mkdtemp(prefix="circlekit-bench-home-"))
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    paths = [Path(p).resolve() for p in argv] or [REPO / p for p in kit_notebooks(REPO)]
    worst_s = worst_mb = 0.0
    for path in paths:
        seconds, mb = measure(path)
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
        print(f"{path.relative_to(REPO)} {seconds:.2f} {mb:.0f}", flush=True)
    print(f"max: {worst_s:.2f} s, {worst_mb:.0f} MB (targets: 15 s, 250 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
