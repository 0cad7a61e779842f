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


def test_an_nbgrader_failure_is_a_message_and_keeps_what_was_released(kit):
    """A solution region left open makes nbgrader fail: say which course, keep the old copy."""
    import pytest

    from circlekit.errors import CircleKitError

    course = load_course(kit, "mini")
    out, _ = release_course(kit, course)
    before = (out / "02-checking.ipynb").read_bytes()
    manifest = (out / ".circlekit-release").read_bytes()

    source = kit / "notebooks/mini/02-checking.ipynb"
    nb = json.loads(source.read_text())
    graded = next(c for c in nb["cells"] if "### BEGIN SOLUTION" in "".join(c["source"]))
    text = "".join(graded["source"]).replace("### END SOLUTION", "")
    graded["source"] = text
    source.write_text(json.dumps(nb))

    with pytest.raises(CircleKitError) as failed:
        release_course(kit, course)
    message = str(failed.value)
    assert message.startswith(
        "nbgrader could not make the learner copy of notebooks/mini/02-checking.ipynb: "
        "No end solution statement found. (")
    assert "Traceback" not in message and "/tmp" not in message
    assert (out / "02-checking.ipynb").read_bytes() == before  # the last good copy stays
    assert (out / ".circlekit-release").read_bytes() == manifest  # so the next build retries
