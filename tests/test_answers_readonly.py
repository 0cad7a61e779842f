"""A learner's answers folder that has become read-only (a locked-down lab computer, a
backup mount): what was saved before can still be read, and the message says why nothing new
can be saved. The folder is a real read-only mount (a plain chmod does not stop root)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import make_answer

from circlekit.answers.local import LocalStore
from circlekit.errors import StoreError


@pytest.fixture
def mounted(tmp_path: Path):
    folder = tmp_path / "mnt"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_answers_saved_earlier_are_read_from_a_read_only_folder(mounted: Path) -> None:
    path = mounted / "answers" / "answers.sqlite3"
    store = LocalStore(path)
    store.save(make_answer(value="written before"))
    store.close()
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)

    store = LocalStore(path)
    try:
        found = store.get(course="demo", widget_id="demo-1-hello", kind="discussion", author="ana",
                          circle="tuesday")
        assert found is not None and found.value == "written before"
        assert [a.value for a in store.list()] == ["written before"]
        with pytest.raises(StoreError) as error:
            store.save(make_answer(value="new"))
        assert "read-only" in str(error.value) and str(path.parent) in str(error.value)
        assert "cannot be opened" not in str(error.value)
    finally:
        store.close()
