"""Bad or unusual input on the command line, and the messages it gets."""

from __future__ import annotations

import nbformat.v3
import pytest
from conftest import make_kit

from circlekit.cli import main

GOOD_SUMMARY = "check: 1 course(s), 4 notebook(s), 0 problem(s)"


def test_root_may_come_after_the_command(kit, capsys):
    # Before: "unrecognized arguments: --root ...".
    assert main(["check", "--root", str(kit)]) == 0
    assert capsys.readouterr().out.strip() == GOOD_SUMMARY


def test_root_after_the_command_wins_over_one_before(kit, tmp_path, capsys):
    assert main(["--root", str(tmp_path), "check", "--root", str(kit)]) == 0
    assert capsys.readouterr().out.strip() == GOOD_SUMMARY


@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_jobs_below_one_is_refused_with_a_message(kit, capsys, jobs):
    # Before: 0 and -3 were accepted silently.
    with pytest.raises(SystemExit) as stop:
        main(["--root", str(kit), "build", "--jobs", jobs])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert ("argument --jobs: expected how many notebooks to execute at once, 1 or more, "
            f"got '{jobs}'") in err
    assert not (kit / "_build").exists()


@pytest.mark.parametrize("command, words", [
    ("new-course", ["--title TITLE  the course's title", "(1 to 12; default: 6)"]),
    ("hub", ["the port browsers use", "(default 8000; 1024-65535"]),
])
def test_options_have_help_with_defaults_and_limits(capsys, command, words):
    # Before: new-course --title/--weeks and hub --port had no help text.
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for word in words:
        assert " ".join(word.split()) in text


def test_an_nbformat_3_notebook_is_called_old_with_the_way_to_upgrade_it(kit, capsys):
    # Before: "not a Jupyter notebook (no 'cells' list)".
    old = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(
        cells=[nbformat.v3.new_code_cell(input="print(1)")])])
    (kit / "notebooks/mini/old.ipynb").write_text(nbformat.v3.nbjson.writes(old))
    assert main(["--root", str(kit), "check"]) == 1
    assert ("notebooks/mini/old.ipynb: an old notebook format (nbformat 3); the kit reads "
            "nbformat 4. Upgrade it with `jupyter nbconvert --to notebook --inplace "
            "notebooks/mini/old.ipynb`, or open it in JupyterLab and save it"
            ) in capsys.readouterr().out


def test_a_tab_in_course_yml_says_use_spaces_and_the_line(tmp_path, capsys):
    # Before: "not valid YAML: found character '\t' that cannot start any token".
    root = make_kit(tmp_path / "kit")
    course = root / "notebooks/mini/course.yml"
    lines = course.read_text().splitlines()
    number = lines.index("    minutes: 90") + 1
    lines[number - 1] = "\tminutes: 90"
    course.write_text("\n".join(lines) + "\n")
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"notebooks/mini/course.yml: line {number}: use spaces, not tabs, to indent "
                      "(YAML does not allow tabs)")
