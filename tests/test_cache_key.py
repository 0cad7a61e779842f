"""The execution cache knows every input of a notebook, not only its code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import REPO, make_kit
from kitedit import set_cell

from circlekit.execute import execute, needs_executing
from circlekit.notebooks import kit_notebooks


def test_a_helper_package_and_a_file_read_from_elsewhere_are_inputs(kit):
    lab = kit / "notebooks/mini/lab"
    lab.mkdir()
    (lab / "__init__.py").write_text("")
    week1 = lab / "week1.py"
    week1.write_text("def double(x):\n    return 2 * x\n")
    (kit / "shared").mkdir()
    words = kit / "shared/words.txt"
    words.write_text("one two three\n")
    set_cell(kit, "notebooks/mini/01-counting.ipynb", 4,
             'from lab.week1 import double\nprint(double(helpers.total("data/numbers.csv")))')
    set_cell(kit, "notebooks/mini/02-checking.ipynb", 2,
             "from widgets import Discussion, Reflection\nimport helpers\n"
             'print(open("../../shared/words.txt").read())')
    paths = kit_notebooks(kit)
    outcomes = execute(kit, paths, progress=False)
    assert [o.status for o in outcomes] == ["executed"] * 4, [o.describe() for o in outcomes]
    assert needs_executing(kit, paths) == []

    # Before: only *.py right beside the notebook counted, so lab/ was not an input.
    original = week1.read_text()
    week1.write_text(original.replace("2 * x", "3 * x"))
    assert needs_executing(kit, paths) == paths  # the course's notebooks, guides too
    week1.write_text(original)
    assert needs_executing(kit, paths) == []

    # Before: a file outside the course folder was no input at all.
    words.write_text("four five six\n")
    assert needs_executing(kit, paths) == ["notebooks/mini/02-checking.ipynb"]


def test_editing_the_widgets_code_renders_the_pages_that_use_it_again(tmp_path):
    # The kernels import this copy of `widgets` (PYTHONPATH comes before the installed kit).
    packages = tmp_path / "packages"
    shutil.copytree(REPO / "widgets", packages / "widgets",
                    ignore=shutil.ignore_patterns("__pycache__"))
    root = make_kit(tmp_path / "kit")
    env = {**os.environ, "PYTHONPATH": str(packages)}

    def build():
        done = subprocess.run(
            [sys.executable, "-m", "circlekit", "--root", str(root), "build"],
            capture_output=True, text=True, timeout=600, env=env,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert build() == "notebooks: 4 executed, 0 cached, 0 failed"
    base = packages / "widgets/base.py"
    base.write_text(base.read_text().replace(
        'class="circlekit-card-kind"', 'class="circlekit-card-kind edited-card"'))
    # Before: nothing was executed again, and the pages kept the old cards.
    assert build() == "notebooks: 2 executed, 2 cached, 0 failed"  # the guides use no widgets
    page = root / "_build/html/notebooks/mini/01-counting.html"
    assert "edited-card" in page.read_text(encoding="utf-8")
