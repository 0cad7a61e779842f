import json

import pytest

from circlekit.notebooks import (
    NotebookUnreadable,
    data_references,
    file_references,
    has_nbgrader_cells,
    kit_notebooks,
    read_notebook,
    sections,
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
