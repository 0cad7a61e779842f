import json

import pytest

from circlekit.notebooks import (
    NotebookUnreadable,
    data_references,
    file_references,
    has_nbgrader_cells,
    id_fault,
    kit_notebooks,
    read_notebook,
    sections,
    widget_id_problems,
    widget_uses,
)


def nb(*sources, tags=()):
    cells = [
        {
            "cell_type": "code",
            "metadata": {"tags": list(tags)},
            "source": s,
            "outputs": [],
            "execution_count": None,
            "id": f"c{i}",
        }
        for i, s in enumerate(sources)
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_widget_ids_are_found_with_their_cell():
    uses = widget_uses(nb("x = 1", 'Discussion("a-1", "Why?")\nPoll(\'a-2\', "Q", ["x"])'))
    assert [(u.kind, u.id, u.cell) for u in uses] == [("Discussion", "a-1", 2), ("Poll", "a-2", 2)]


def test_a_goal_check_refers_back():
    (use,) = widget_uses(nb('Goal("wai-goal").check()'))
    assert use.refers_back and use.id == "wai-goal"


def test_data_references_and_nbgrader_detection():
    book = nb('open("data/a.csv")', "print('data/ is a folder')")
    assert data_references(book) == [("data/a.csv", 1)]
    assert not has_nbgrader_cells(book)
    book["cells"][0]["metadata"]["nbgrader"] = {"solution": True}
    assert has_nbgrader_cells(book)


def test_markdown_links_to_local_files_are_found():
    book = nb()
    book["cells"] = [{"cell_type": "markdown", "metadata": {}, "id": "m", "source": (
        "See [week 2](02-next.ipynb#start), ![a chart](images/chart.png \"Chart\"), "
        "[the web](https://example.org), [mail](mailto:a@b.c) and [here](#top)."
    )}]
    assert file_references(book) == [("02-next.ipynb", 1), ("images/chart.png", 1)]


def test_sections_follow_tags():
    book = nb("a", "b", "c")
    book["cells"][0]["metadata"]["tags"] = ["section:header"]
    book["cells"][2]["metadata"]["tags"] = ["hide-input", "section:reflection"]
    assert sections(book) == [("header", 1), ("reflection", 3)]


def test_unreadable_notebooks_say_why(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [')
    with pytest.raises(NotebookUnreadable, match="not valid notebook JSON"):
        read_notebook(bad, "bad.ipynb")
    bad.write_text(
        json.dumps(
            {"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}
        )
    )
    with pytest.raises(NotebookUnreadable, match="not a valid nbformat 4 notebook"):
        read_notebook(bad, "bad.ipynb")


def test_kit_notebooks_skip_checkpoints(kit):
    (kit / "notebooks/mini/.ipynb_checkpoints").mkdir()
    (kit / "notebooks/mini/.ipynb_checkpoints/01-counting-checkpoint.ipynb").write_text("{}")
    assert kit_notebooks(kit) == [
        "facilitator/mini/01-counting.ipynb",
        "facilitator/mini/02-checking.ipynb",
        "notebooks/mini/01-counting.ipynb",
        "notebooks/mini/02-checking.ipynb",
    ]


def test_ids_are_read_from_the_code_not_from_text_that_looks_like_code():
    uses = widget_uses(nb(
        'Discussion(id="kw-1", prompt="Why?")',
        '# Discussion("in-a-comment", "no")\ntext = \'Poll("in-a-string", "no", [])\'',
        '%matplotlib inline\nwidgets.Quiz(\n    "split-over-lines", "Q?", ["a", "b"], answer=0)',
    ))
    assert [(u.kind, u.id, u.cell) for u in uses] == [
        ("Discussion", "kw-1", 1), ("Quiz", "split-over-lines", 3)
    ]


def test_an_id_known_only_at_run_time_is_a_problem_naming_the_cell():
    book = nb('topic = "a-1"\nDiscussion(topic, "Why?")', 'Poll(f"p-{n}", "Q", [])', "Poll()")
    assert widget_uses(book) == []
    assert [str(p) for p in widget_id_problems(book, "w.ipynb")] == [
        "w.ipynb: cell 1: Discussion() gets its id from topic, which is only known when the cell "
        'runs; write the id itself, e.g. Discussion("my-id", ...)',
        "w.ipynb: cell 2: Poll() gets its id from f'p-{n}', which is only known when the cell "
        'runs; write the id itself, e.g. Poll("my-id", ...)',
        'w.ipynb: cell 3: Poll() has no id: write Poll("my-id", ...)',
    ]


def test_code_that_is_not_python_is_named():
    (problem,) = widget_id_problems(nb("Discussion(\"a-1\", "), "w.ipynb")
    assert problem.where == "cell 1" and problem.message.startswith("is not valid Python (line 1")


@pytest.mark.parametrize(("wid", "fault"), [
    ("wai-1-", "ends with a hyphen"),
    ("-wai", "starts with a hyphen"),
    ("wai--1", "has two hyphens in a row"),
    ("Wai-1", "has capital letters (use 'wai-1')"),
    ("wai 1", "has a space in it (use hyphens: 'my-week-1')"),
    ("wai_1", "has '_'; use only lower-case letters, digits and hyphens"),
    ("", "is empty"),
    ("wai-1", None),
])
def test_a_bad_widget_id_is_told_its_exact_fault(wid, fault):
    assert id_fault(wid) == fault


def test_raw_html_and_myst_images_are_found_but_not_inside_code_blocks():
    from circlekit.markup import references

    text = (
        "# Title\n\n<iframe src=\"https://video.example.org/embed/1\"></iframe>\n\n"
        "Some <img src=\"img/a.png\" width=\"200\"> and <a href=\"b.md\">b</a>.\n\n"
        "```{figure} img/c.png\nA caption\n```\n\n"
        "```\n<img src=\"https://no.example.org/x.png\">\n```\n\n    ![indented](code.png)\n"
    )
    assert [(r.target, r.what, r.loads, r.line) for r in references(text)] == [
        ("https://video.example.org/embed/1", "<iframe src>", True, 3),
        ("img/a.png", "<img src>", True, 5),
        ("b.md", "<a href>", False, 5),
        ("img/c.png", "image", True, 7),
    ]
