import pytest
from conftest import make_kit
from kitedit import set_cell, set_config

from circlekit.errors import CircleKitError
from circlekit.execute import execute

PATHS = ["notebooks/mini/01-counting.ipynb", "notebooks/mini/02-checking.ipynb"]


def test_execute_runs_in_parallel_then_serves_from_cache(kit):
    first = execute(kit, PATHS, jobs=2, progress=False)
    assert [(o.path, o.status) for o in first] == [(p, "executed") for p in PATHS]
    again = execute(kit, PATHS, jobs=2, progress=False)
    assert [o.status for o in again] == ["cached", "cached"]
    forced = execute(kit, PATHS[:1], jobs=1, force=True, progress=False)
    assert [o.status for o in forced] == ["executed"]


def test_a_failure_names_the_cell_and_the_last_line(tmp_path):
    root = make_kit(tmp_path / "kit", "raises")
    (outcome,) = execute(root, PATHS[:1], jobs=1, progress=False)
    assert outcome.status == "failed"
    assert outcome.cell == 5
    assert outcome.error == "ValueError: this cell fails on purpose"
    assert outcome.describe() == (
        "notebooks/mini/01-counting.ipynb: cell 5: ValueError: this cell fails on purpose"
    )


def test_the_kernel_writes_nothing_into_the_course_folder(kit):
    before = sorted(p.name for p in (kit / "notebooks/mini").iterdir())
    execute(kit, PATHS[:1], jobs=1, progress=False)
    assert sorted(p.name for p in (kit / "notebooks/mini").iterdir()) == before  # no __pycache__


KILL_ONCE = """import os, pathlib, signal
mark = pathlib.Path(os.environ["KILLED_ONCE"])
if not mark.exists():
    mark.write_text("the first kernel killed itself here")
    os.kill(os.getpid(), signal.SIGKILL)"""


def test_a_kernel_killed_mid_cell_gets_one_more_try(kit, tmp_path, monkeypatch):
    # A real DeadKernelError: the kernel dies in cell 4, the first time only.
    mark = tmp_path / "killed"
    monkeypatch.setenv("KILLED_ONCE", str(mark))
    set_cell(kit, PATHS[0], 4, KILL_ONCE)
    (outcome,) = execute(kit, PATHS[:1], jobs=1, progress=False)
    assert mark.is_file()
    assert (outcome.status, outcome.error) == ("executed", "")


def test_a_kernel_that_dies_every_time_is_named_with_its_cell(kit):
    set_cell(kit, PATHS[0], 4, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    (outcome,) = execute(kit, PATHS[:1], jobs=1, progress=False)
    assert (outcome.status, outcome.cell) == ("failed", 4)
    assert outcome.error.startswith("the kernel died ("), outcome.error


def test_a_failing_cell_is_not_tried_twice(tmp_path, monkeypatch):
    from circlekit import execute as ex

    root = make_kit(tmp_path / "kit", "raises")
    real, calls = ex._run_once, []
    monkeypatch.setattr(ex, "_run_once", lambda p, t: calls.append(p) or real(p, t))
    run = ex.run_notebook(str(root / PATHS[0]), 60, str(root / "home"))
    assert len(calls) == 1 and run.cell == 5 and run.error.startswith("ValueError")


def test_the_cell_timeout_comes_from_the_config(kit):
    # Before, 120 s was hard-coded: this cell ran for two minutes, then "longer than 120 s".
    set_config(kit, "execute", "timeout", 3)
    set_cell(kit, PATHS[0], 4, "while True:\n    pass")
    (outcome,) = execute(kit, PATHS[:1], jobs=1, progress=False)
    assert (outcome.status, outcome.cell, outcome.error) == ("failed", 4, "took longer than 3 s")


def test_a_bad_timeout_in_the_config_names_the_field(kit):
    set_config(kit, "execute", "timeout", "soon")
    with pytest.raises(CircleKitError, match=r"_config.yml: execute.timeout: .* got 'soon'"):
        execute(kit, PATHS[:1], jobs=1, progress=False)
