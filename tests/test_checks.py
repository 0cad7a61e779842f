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
    (
        "variable-id",
        "notebooks/mini/01-counting.ipynb: cell 7",
        "Discussion() gets its id from topic, which is only known when the cell runs",
    ),
    (
        "bad-id-hyphen",
        "notebooks/mini/01-counting.ipynb: cell 7",
        "widget id 'mini-1-notice-' ends with a hyphen",
    ),
    (
        "placeholder",
        "notebooks/mini/01-counting.ipynb: cell 3",
        "still has an AUTHOR placeholder (line 3)",
    ),
    (
        "outside-iframe",
        "notebooks/mini/01-counting.ipynb: cell 3",
        "<iframe src> loads https://www.youtube.com/embed/abc123 from the internet",
    ),
    (
        "outside-image",
        "notebooks/mini/01-counting.ipynb: cell 3",
        "<img src> loads https://images.example.org/counting.png from the internet",
    ),
    (
        "missing-image",
        "notebooks/mini/01-counting.ipynb: cell 3",
        "refers to img/apples.png, which does not exist",
    ),
    (
        "objectives-mismatch",
        "notebooks/mini/01-counting.ipynb: cell 1",
        "the objectives differ from notebooks/mini/course.yml weeks[0].objectives "
        "(only in course.yml: 'Count to three.'; only in the notebook: 'Count to four.')",
    ),
    (
        "unknown-page",
        "notebooks/mini/course.yml: pages[0]",
        "unknown course page: notebooks/mini/glossary.md does not exist",
    ),
    (
        "unlisted-page",
        "notebooks/mini/01-counting.ipynb: cell 3",
        "links to words.md, which is not a page of the book; if it is a course page, list it "
        "under pages: in course.yml",
    ),
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


def test_a_prompt_with_a_keyword_id_is_known_to_check_and_the_service(tmp_path, capsys):
    from circlekit.errors import BadAnswer
    from circlekit.service.validate import PromptRegistry

    root = make_kit(tmp_path / "kit", "keyword-id")
    code, out = run_check(root, capsys)
    assert code == 0, out
    registry = PromptRegistry.from_kit(root)
    registry.check("mini", "mini-1-notice", "discussion")  # a save is accepted
    with pytest.raises(BadAnswer, match="unknown prompt id"):
        registry.check("mini", "mini-1-nope", "discussion")


def test_placeholders_in_course_yml_and_pages_are_named_by_field_and_line(kit):
    course = kit / "notebooks/mini/course.yml"
    course.write_text(
        course.read_text().replace("- Check a sum.", '- "AUTHOR: something learners can do."')
    )
    (kit / "notebooks/mini/data/DATASHEET.md").write_text("# Data\n\nAUTHOR: what a row means.\n")
    messages = [str(p) for p in check(kit).problems]
    assert (
        "notebooks/mini/course.yml: weeks[1].objectives[0]: still an AUTHOR placeholder: "
        "'AUTHOR: something learners can do.'" in messages
    ), messages
    assert (
        "notebooks/mini/data/DATASHEET.md: still has an AUTHOR placeholder (line 3): "
        "replace it with your own words" in messages
    ), messages


def test_a_plain_outbound_link_and_a_local_image_are_fine_but_a_big_image_is_warned(kit, capsys):
    path = kit / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["source"] = (
        "## Activity\n\nRead [an invented site](https://example.org/counting) or "
        '<a href="https://example.org/more">more</a>.\n\n![Chart](img/chart.png)\n\n'
        "```html\n<iframe src=\"https://example.org/not-real\"></iframe>\n```\n"
    )
    path.write_text(json.dumps(nb))
    (kit / "notebooks/mini/img").mkdir()
    (kit / "notebooks/mini/img/chart.png").write_bytes(b"\x89PNG" + bytes(600 * 1024))
    code, out = run_check(kit, capsys)
    assert code == 0, out
    assert (
        "warning: notebooks/mini/01-counting.ipynb: cell 3: img/chart.png is 600 KB; shrink it "
        "below 500 KB" in out
    )
    assert out.strip().splitlines()[-1].endswith("0 problem(s), 1 warning(s)")


def test_a_local_file_outside_the_kit_is_a_problem(kit):
    path = kit / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["source"] = '## Activity\n\n<img src="../../../secret.png" alt="x">\n'
    path.write_text(json.dumps(nb))
    (kit.parent / "secret.png").write_bytes(b"png")
    assert any(
        "<img src> ../../../secret.png points outside the kit's folder" in p.message
        for p in check(kit).problems
    )


def test_course_pages_go_in_the_toc_after_the_weeks_and_links_to_them_resolve(kit, capsys):
    course = kit / "notebooks/mini/course.yml"
    course.write_text(course.read_text().replace("data:\n", "pages:\n  - glossary.md\ndata:\n"))
    (kit / "notebooks/mini/glossary.md").write_text("# Word list\n\n- **Sum:** a total.\n")
    path = kit / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["source"] = "## Activity\n\nNew words are in the [word list](glossary.md).\n"
    path.write_text(json.dumps(nb))
    code, out = run_check(kit, capsys, "--fix")
    assert code == 0, out
    toc = (kit / "_toc.yml").read_text()
    assert toc.index("notebooks/mini/02-checking") < toc.index("notebooks/mini/glossary")
    assert "- [Word list](glossary.md)" in (kit / "notebooks/mini/index.md").read_text()


def test_sections_out_of_order_are_named(kit):
    path = kit / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["metadata"]["tags"] = ["section:key-points"]  # before the discussion
    path.write_text(json.dumps(nb))
    assert (
        "notebooks/mini/01-counting.ipynb: cell 6: section 'discussion' comes after 'key-points'; "
        "the order is header, check-in, reading, activity, discussion, key-points, reflection, "
        "take-home" in [str(p) for p in check(kit).problems]
    )


def test_check_finds_bad_launch_settings_before_anything_is_executed(kit):
    config = kit / "_config.yml"
    config.write_text(
        config.read_text().replace('jupyterhub_url: ""', 'jupyterhub_url: "hub.example.org"')
    )
    assert any(
        p.path == "_config.yml" and p.message.startswith("launch_buttons.jupyterhub_url")
        for p in check(kit).problems
    )


def test_check_finds_missing_widget_javascript(kit, monkeypatch):
    import circlekit.widgetjs as widgetjs

    monkeypatch.setattr(widgetjs, "HTML_MANAGER", "node_modules/no-such-package")
    assert any(
        p.path == "_build/widgetjs" and "widget JavaScript for the book is missing" in p.message
        for p in check(kit).problems
    )


@pytest.mark.parametrize(("line", "placeholder"), [
    ("AUTHOR: what learners do, step by step.", True),
    ("> ✏️ **AUTHOR:** every line that starts with AUTHOR is a placeholder.", True),
    ("| 10 | Check-in | AUTHOR |", True),
    ('CheckIn("demo-1-check-in", "AUTHOR: a check-in question")', True),
    ("Replace every line marked AUTHOR.", False),
    ("The `AUTHOR` lines are placeholders.", False),
])
def test_a_placeholder_is_told_from_a_mention_of_the_word(line, placeholder):
    from circlekit.checks import placeholder_lines

    assert bool(placeholder_lines(line)) is placeholder


def test_a_local_file_named_only_in_raw_html_is_a_problem(kit):
    path = kit / "notebooks/mini/01-counting.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][2]["source"] = (
        '## Activity\n\nSee <a href="02-checking.ipynb">next week</a> and '
        '<a href="#activity">this section</a>.\n\n'
        '<p align="center"><img src="../../mini/data/numbers.csv" alt="x"></p>\n\n'
        '<img src="data/numbers.csv" alt="a lone picture is made a book picture" width="50">\n'
    )
    path.write_text(json.dumps(nb))
    assert [str(p) for p in check(kit).problems] == [
        "notebooks/mini/01-counting.ipynb: cell 3: <a href> 02-checking.ipynb: the book does not "
        "carry a local file named in raw HTML; write it in Markdown, e.g. [words](file) or "
        "![what it shows](file)",
        "notebooks/mini/01-counting.ipynb: cell 3: <img src> inside other HTML "
        "../../mini/data/numbers.csv: the book does not carry a local file named in raw HTML; "
        "write it in Markdown, e.g. [words](file) or ![what it shows](file)",
    ]


def test_a_broken_course_file_comes_first_and_fix_leaves_the_toc_alone(tmp_path, capsys):
    # Before: the first line said "_toc.yml ... run circlekit check --fix", and --fix then
    # dropped the course from the table of contents.
    root = make_kit(tmp_path / "kit", "bad-yaml")
    code, out = run_check(root, capsys)
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[0].startswith("notebooks/mini/course.yml: line "), lines
    assert lines[-2] == ("_toc.yml: table of contents is out of step with the course files; "
                         "fix notebooks/mini/course.yml first, then run `circlekit check --fix`")
    toc = (root / "_toc.yml").read_bytes()
    code = main(["--root", str(root), "check", "--fix"])
    err = capsys.readouterr().err
    assert code == 1
    assert "the table of contents was not rewritten" in err
    assert "notebooks/mini/course.yml: line " in err
    assert (root / "_toc.yml").read_bytes() == toc


def test_fix_refuses_a_folder_that_is_not_a_kit(tmp_path, capsys):
    # Before: it wrote a stray _toc.yml and reported 0 problems.
    code = main(["--root", str(tmp_path), "check", "--fix"])
    assert code == 1
    assert f"{tmp_path} is not a circlekit kit" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_build_stopped_by_a_broken_course_file_names_it_first(tmp_path, capsys):
    root = make_kit(tmp_path / "kit", "bad-yaml")
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("notebooks/mini/course.yml: line "), err
    assert err[1].startswith("_toc.yml: table of contents is out of step"), err
