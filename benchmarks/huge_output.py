"""A cell that prints far too much: what the build's cap saves, in page, cache and memory.

Builds a copy of the fixture kit whose first learner notebook prints `--megabytes` MB in one
cell, with the cap (as the kit runs) and without it (the cap switched off in this process),
and prints for each: the build's time, the biggest process's peak memory (the build, its
workers and kernels), the notebook's page and its cache entry; then `ratio=<page without /
page with>`.

    .venv/bin/python benchmarks/huge_output.py [--megabytes 100]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "notebooks/mini/01-counting.ipynb"

# Run in a child process, so that its peak memory is its own; "off" lifts the cap.
CHILD = """
import sys
from circlekit import outputs
if sys.argv[2] == "off":
    outputs.TEXT_LIMIT = outputs.CELL_LIMIT = 10**12
from circlekit.pipeline import build
build(sys.argv[1], progress=False, echo=lambda line: None)
"""


def kit(dest: Path, megabytes: int) -> Path:
    shutil.copytree(REPO / "tests/fixtures/kit", dest)
    shutil.copy2(REPO / "_config.yml", dest / "_config.yml")
    path = dest / NOTEBOOK
    nb = json.loads(path.read_text())
    nb["cells"][3]["source"] = f'print("x" * {megabytes * 1_000_000})'
    path.write_text(json.dumps(nb, indent=1))
    return dest


def measure(root: Path, cap: str) -> dict[str, float]:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD, str(root), cap], check=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
    page = root / "_build/html" / Path(NOTEBOOK).with_suffix(".html")
    cache = max(p.stat().st_size for p in (root / "_build/.jupyter_cache").rglob("*.ipynb"))
    return {"seconds": seconds, "peak_mb": peak, "page_mb": page.stat().st_size / 1e6,
            "cache_mb": cache / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="huge-output-") as tmp:
        # With the cap first: the peak is the largest child's so far, so the second run's
        # figure is only meaningful if it is the larger one.
        for cap in ("on", "off"):
            root = kit(Path(tmp) / cap, args.megabytes)
            results[cap] = measure(root, cap)
            figures = ", ".join(f"{k}={v:.1f}" for k, v in results[cap].items())
            print(f"cap {cap}: {figures}")
    print(f"ratio={results['off']['page_mb'] / results['on']['page_mb']:.1f}")


if __name__ == "__main__":
    main()
