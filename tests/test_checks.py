import json

import pytest
from conftest import make_kit

from circlekit.checks import check
from circlekit.cli import main


def run_check(root, capsys, *extra):
    code = main(["--root", str(root), "check", *extra])
    return code, capsys.readouterr().out


def test_the_good_kit_passes_with_a_one_line_summary(kit, capsys):
    code, out = run_check(kit, capsys)
    assert code == 0
    assert out.strip().splitlines() == ["check: 1 course(s), 4 notebook(s), 0 problem(s)"]


# One case per broken fixture: (overlay, file named, words the message must contain)
CASES = [
    ("bad-yaml", "notebooks/mini/course.yml", "not valid YAML"),
    ("missing-field", "notebooks/mini/course.yml: summary", "missing: this field is required"),
    (
        "wrong-type",
        "notebooks/mini/course.yml: weeks[1].minutes",
        "expected a whole number of minutes, got 'ninety'",
    ),
    ("invalid-json", "notebooks/mini/01-counting.ipynb", "not valid notebook JSON"),
    (
        "duplicate-id",
        "notebooks/mini/02-checking.ipynb: cell 8",
        "widget id 'mini-1-notice' is already used in notebooks/mini/01-counting.ipynb cell 7",
    ),
    ("committed-outputs", "notebooks/mini/01-counting.ipynb: cell 4", "has outputs committed"),
    (
        "missing-data",
        "notebooks/mini/01-counting.ipynb: cell 4",
        "refers to data/missing.csv, which does not exist",
    ),
    ("toc-drift", "_toc.yml", "out of step with the course files"),
]


@pytest.mark.parametrize(("case", "where", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_broken_fixture_is_named_and_fails(tmp_path, capsys, case, where, words):
    root = make_kit(tmp_path / "kit", case)
    code, out = run_check(root, capsys)
    assert code == 1
    assert any(line.startswith(where) and words in line for line in out.splitlines()), out
    assert out.strip().splitlines()[-1].startswith("check: ")


def test_fix_rewrites_a_drifted_toc(tmp_path, capsys):
    root = make_kit(tmp_path / "kit", "toc-drift")
    code, _ = run_check(root, capsys, "--fix")
    assert code == 0
    assert "notebooks/mini/02-checking" in (root / "_toc.yml").read_text()


def test_fix_collapses_cells_tagged_hide_input_in_jupyterlab(kit, capsys):
    path = kit / "notebooks/mini/01-counting.ipynb"
    before = json.loads(path.read_text())
    tagged = [i for i, c in enumerate(before["cells"])
              if "hide-input" in c["metadata"].get("tags", [])]
    assert tagged and not any(
        c["metadata"].get("jupyter", {}).get("source_hidden") for c in before["cells"])
    code, _ = run_check(kit, capsys)
    assert code == 0 and json.loads(path.read_text()) == before  # plain check writes nothing
    code, _ = run_check(kit, capsys, "--fix")
    assert code == 0
    after = json.loads(path.read_text())
    hidden = [i for i, c in enumerate(after["cells"])
              if c["metadata"].get("jupyter", {}).get("source_hidden") is True]
    assert hidden == tagged
    assert [c["source"] for c in after["cells"]] == [c["source"] for c in before["cells"]]


def test_a_learner_notebook_without_sections_or_prompt_is_named(kit):
    path = kit / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell["metadata"].pop("tags", None)
        if cell["cell_type"] == "code":
            cell["source"] = "print('no prompt here')"
    path.write_text(json.dumps(nb))
    messages = [str(p) for p in check(kit).problems]
    shown = "notebooks/mini/01-counting.ipynb: "
    assert (
        shown + "missing the header section (a Markdown cell tagged 'section:header')" in messages
    )
    assert (
        shown + "missing the reflection section (a Markdown cell tagged 'section:reflection')"
        in messages
    )
    assert any(m.startswith(shown + "has no prompt") for m in messages)


def test_a_guide_without_parameters_cell_is_named(kit):
    path = kit / "facilitator/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["metadata"]["tags"] = []
    path.write_text(json.dumps(nb))
    assert any(
        p.path == "facilitator/mini/01-counting.ipynb" and "tagged 'parameters'" in p.message
        for p in check(kit).problems
    )


def test_a_goal_check_must_refer_to_a_goal_set_somewhere(kit):
    path = kit / "notebooks/mini/02-checking.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "source": 'Goal("mini-goal").check()',
            "outputs": [],
            "execution_count": None,
            "id": "goalcheck",
        }
    )
    path.write_text(json.dumps(nb))
    assert any(
        "Goal('mini-goal').check() refers to no Goal" in p.message for p in check(kit).problems
    )
    nb2 = json.loads((kit / "notebooks/mini/01-counting.ipynb").read_text())
    nb2["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "source": 'Goal("mini-goal")',
            "outputs": [],
            "execution_count": None,
            "id": "goalset",
        }
    )
    (kit / "notebooks/mini/01-counting.ipynb").write_text(json.dumps(nb2))
    assert check(kit).problems == []


def test_a_missing_week_notebook_is_named_in_course_yml(kit):
    (kit / "facilitator/mini/02-checking.ipynb").unlink()
    messages = [str(p) for p in check(kit).problems]
    assert (
        "notebooks/mini/course.yml: weeks[1].guide: "
        "facilitator/mini/02-checking.ipynb does not exist" in messages
    )
