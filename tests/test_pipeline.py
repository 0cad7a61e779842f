"""The whole build on the fixture kit: caching, failures, and what it leaves behind."""

import json
import subprocess
import sys

from conftest import make_kit, tree_digest

from circlekit.pipeline import build

SUMMARY = "notebooks: {} executed, {} cached, {} failed"


def circlekit(root, *args):
    return subprocess.run(
        [sys.executable, "-m", "circlekit", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_cold_build_executes_everything_and_makes_book_and_release(built_kit):
    root, report, lines = built_kit
    assert report.summary() == SUMMARY.format(4, 0, 0)
    assert (root / "_build/html/index.html").is_file()
    for page in (
        "book/about",
        "notebooks/mini/index",
        "notebooks/mini/01-counting",
        "facilitator/mini/02-checking",
    ):
        assert (root / f"_build/html/{page}.html").is_file(), page
    assert (root / "_build/release/mini/01-counting.ipynb").is_file()
    # Seven pages: two of the book's own, the course page, two notebooks and two guides; not
    # Sphinx's search page or index (before, those were counted too).
    assert "book: _build/html/index.html (7 pages), 0 warning(s)" in lines


def test_second_build_executes_nothing_and_an_edit_reexecutes_one(tmp_path):
    root = make_kit(tmp_path / "kit")
    assert build(root, progress=False, echo=lambda s: None).summary() == SUMMARY.format(4, 0, 0)
    done = circlekit(root, "build")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == SUMMARY.format(0, 4, 0)

    path = root / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][3]["source"] = 'print("total is", helpers.total("data/numbers.csv"))'
    path.write_text(json.dumps(nb, indent=1))
    done = circlekit(root, "build")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == SUMMARY.format(1, 3, 0)
    page = (root / "_build/html/notebooks/mini/01-counting.html").read_text()
    assert "total is 6" in page


def test_a_changed_helper_module_reexecutes_the_courses_notebooks(tmp_path):
    root = make_kit(tmp_path / "kit")
    build(root, progress=False, echo=lambda s: None)
    helpers = root / "notebooks/mini/helpers.py"
    helpers.write_text(helpers.read_text().replace("return sum(", "return 10 * sum("))
    report = build(root, progress=False, echo=lambda s: None)
    # A course's helper modules are inputs of all its notebooks, its guides' too.
    assert report.summary() == SUMMARY.format(4, 0, 0)
    assert "total: 60" in (root / "_build/html/notebooks/mini/01-counting.html").read_text()


def test_a_markdown_edit_executes_nothing(built_kit):
    root, _, _ = built_kit
    path = root / "notebooks/mini/02-checking.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["source"] = "## Activity, reworded"
    path.write_text(json.dumps(nb, indent=1))
    report = build(root, progress=False, echo=lambda s: None)
    assert report.summary() == SUMMARY.format(0, 4, 0)
    assert (
        "Activity, reworded" in (root / "_build/html/notebooks/mini/02-checking.html").read_text()
    )


def test_a_failing_cell_is_named_others_still_build_and_sources_are_untouched(tmp_path):
    root = make_kit(tmp_path / "kit", "raises")
    before = tree_digest(root)
    done = circlekit(root, "build")
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert (
        "notebooks/mini/01-counting.ipynb: cell 5: ValueError: this cell fails on purpose" in out
    ), out
    assert done.stdout.strip().splitlines()[-1] == SUMMARY.format(3, 0, 1)
    for page in (
        "notebooks/mini/01-counting",
        "notebooks/mini/02-checking",
        "facilitator/mini/01-counting",
    ):
        assert (root / f"_build/html/{page}.html").is_file(), page
    # The page is built from the source, without the traceback of the failed run.
    assert (
        "ValueError: this cell fails"
        not in (root / "_build/html/notebooks/mini/01-counting.html").read_text()
    )
    assert tree_digest(root) == before


def test_course_option_builds_one_course_and_rejects_unknown_ones(built_kit):
    root, _, _ = built_kit
    report = build(root, course="mini", progress=False, echo=lambda s: None)
    assert report.count("cached") == 4
    done = circlekit(root, "build", "--course", "nope")
    assert done.returncode == 1
    assert "--course nope: no such course (courses: mini)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_kit_stops_at_check_and_builds_nothing(tmp_path):
    root = make_kit(tmp_path / "kit", "wrong-type")
    done = circlekit(root, "build")
    assert done.returncode == 1
    assert "notebooks/mini/course.yml: weeks[1].minutes" in done.stderr
    assert not (root / "_build/html").exists()
