import os
import stat

import pytest

from circlekit import fileio


def test_write_atomic_replaces_whole(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    fileio.write_atomic(target, "one")
    fileio.write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_text("precious")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OSError):
        fileio.write_atomic(target, "new")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left behind


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_permissions_open_would_give_it(tmp_path, umask, expected):
    """Not a temporary file's (owner only): a built book is read by a web server, a course by
    its co-authors."""
    old = os.umask(umask)
    try:
        fileio.write_atomic(tmp_path / "page.html", "<p>hello</p>")
        fileio.write_atomic(tmp_path / "data.bin", b"\x00\x01")
    finally:
        os.umask(old)
    for name in ("page.html", "data.bin"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected, name


def test_a_replaced_file_keeps_its_own_permissions(tmp_path):
    script = tmp_path / "run.sh"
    script.write_text("echo one\n")
    script.chmod(0o750)
    fileio.write_atomic(script, "echo two\n")
    assert stat.S_IMODE(script.stat().st_mode) == 0o750
    assert script.read_text() == "echo two\n"
