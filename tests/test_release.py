import json

from circlekit.course import load_course
from circlekit.release import release_course


def test_release_makes_stubs_clears_outputs_and_brings_course_files(kit):
    out, rebuilt = release_course(kit, load_course(kit, "mini"))
    assert rebuilt
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [
        ".circlekit-release",
        "01-counting.ipynb",
        "02-checking.ipynb",
        "course.yml",
        "data/DATASHEET.md",
        "data/numbers.csv",
        "helpers.py",
    ]
    graded = (out / "02-checking.ipynb").read_text()
    assert "return a + b" not in graded  # the solution became a stub
    assert "assert add(2, 2) == 4" not in graded  # hidden tests are gone
    assert "assert add(1, 2) == 3" in graded
    plain = json.loads((out / "01-counting.ipynb").read_text())
    assert all(c.get("outputs", []) == [] for c in plain["cells"])


def test_release_is_skipped_when_nothing_changed_and_redone_when_it_did(kit):
    course = load_course(kit, "mini")
    release_course(kit, course)
    assert release_course(kit, course)[1] is False
    graded = kit / "_build/release/mini/02-checking.ipynb"
    stamp = graded.stat().st_mtime_ns
    (kit / "notebooks/mini/helpers.py").write_text("# changed\n")
    (kit / "notebooks/mini/data/DATASHEET.md").unlink()
    out, rebuilt = release_course(kit, course)
    assert rebuilt and (out / "helpers.py").read_text() == "# changed\n"
    assert not (out / "data/DATASHEET.md").exists()
    assert graded.stat().st_mtime_ns == stamp  # nbgrader did not run again for it
