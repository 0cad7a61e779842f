"""A build that meets trouble while it runs: a notebook deleted half-way, a cell that prints far
too much. One build of the fixture kit carries both, so the suite stays fast."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import make_kit
from kitedit import set_cell

from circlekit.execute import CACHE_DIR
from circlekit.outputs import KEEP, TEXT_LIMIT

GONE = "notebooks/mini/02-checking.ipynb"
LOUD = "notebooks/mini/01-counting.ipynb"
HUGE = 3 * TEXT_LIMIT


@pytest.fixture(scope="module")
def troubled(tmp_path_factory):
    root = make_kit(tmp_path_factory.mktemp("trouble") / "kit")
    # With one job the notebooks run in order, so the first guide deletes a learner notebook
    # after the check has passed and before its turn comes.
    set_cell(root, "facilitator/mini/01-counting.ipynb", 3,
             f'import os\nos.remove("../../{GONE}")')
    set_cell(root, LOUD, 4, f'print("head" + "x" * {HUGE} + "tail")')
    done = subprocess.run(
        [sys.executable, "-m", "circlekit", "--root", str(root), "build", "--jobs", "1"],
        capture_output=True, text=True, timeout=600,
    )
    return root, done


def test_a_notebook_deleted_during_the_build_is_reported_and_the_rest_builds(troubled):
    # Before: FileNotFoundError, 60 lines of traceback, no book, a _build/answers-* folder left.
    root, done = troubled
    assert "Traceback" not in done.stderr, done.stderr
    assert f"failed: {GONE}: could not be read (No such file or directory): was it moved or " \
           "deleted while the build ran?" in done.stdout, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "notebooks: 3 executed, 0 cached, 1 failed"
    assert done.returncode == 1
    assert (root / "_build/html/notebooks/mini/01-counting.html").is_file(), done.stderr
    assert (root / "_build/html/facilitator/mini/02-checking.html").is_file()
    assert not list((root / "_build").glob("answers-*"))


def test_a_huge_output_is_cut_in_the_page_and_the_cache_with_a_warning(troubled):
    # Before: the whole 3 MB went into the page and the cache, and nothing was said.
    root, done = troubled
    assert (f"warning: {LOUD}: cell 4: printed 3.0 MB of text; the page shows its first and "
            f"last {KEEP:,} characters") in done.stdout, done.stdout + done.stderr
    page = (root / "_build/html/notebooks/mini/01-counting.html").read_text(encoding="utf-8")
    assert len(page) < 2 * TEXT_LIMIT
    assert "headxxx" in page and "xxxtail" in page
    assert "characters of this output were left out here" in page
    cached = [p for p in (root / CACHE_DIR).rglob("*.ipynb")]
    assert cached and all(p.stat().st_size < 2 * TEXT_LIMIT for p in cached)
    texts = ["".join(o.get("text", "")) for p in cached for c in json.loads(p.read_text())["cells"]
             for o in c.get("outputs", ())]
    (text,) = [t for t in texts if t.startswith("headxxx")]
    assert text.endswith("xxxtail\n") and len(text) < TEXT_LIMIT
