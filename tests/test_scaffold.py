import pytest
from authoring import fill_placeholders

from circlekit.checks import check
from circlekit.cli import main
from circlekit.errors import CircleKitError
from circlekit.pipeline import build
from circlekit.scaffold import new_course


def test_new_course_checks_and_builds(kit, capsys):
    assert main(["--root", str(kit), "new-course", "demo", "--title", "Demo", "--weeks", "3"]) == 0
    assert "fill in every line marked AUTHOR" in capsys.readouterr().out
    for week in (1, 2, 3):
        assert (kit / f"notebooks/demo/0{week}-week-{week}.ipynb").is_file()
        assert (kit / f"facilitator/demo/0{week}-week-{week}.ipynb").is_file()
    assert (kit / "notebooks/demo/data/DATASHEET.md").is_file()
    assert "/notebooks/demo/img/name.png" in (kit / "notebooks/demo/img/README.md").read_text()
    assert "notebooks/demo/03-week-3" in (kit / "_toc.yml").read_text()
    assert main(["--root", str(kit), "check"]) == 1  # the AUTHOR lines are not filled in yet
    assert "still an AUTHOR placeholder" in capsys.readouterr().out
    fill_placeholders(kit, "demo")
    assert main(["--root", str(kit), "check", "--fix"]) == 0, capsys.readouterr().out
    report = build(kit, course="demo", progress=False, echo=lambda s: None)
    assert report.summary() == "notebooks: 6 executed, 0 cached, 0 failed"
    assert (kit / "_build/html/notebooks/demo/02-week-2.html").is_file()
    assert (kit / "_build/release/demo/data/example.csv").is_file()


def test_placeholders_are_marked_for_the_author(kit):
    new_course(kit, "demo", "Demo", 1)
    text = (kit / "notebooks/demo/01-week-1.ipynb").read_text()
    assert text.count("AUTHOR") >= 5
    assert "demo-1-discussion" in text


def test_new_notebooks_say_how_to_run_them_and_hide_the_prompt_code(kit):
    import json

    import nbformat

    new_course(kit, "demo", "Demo", 1)
    for rel in ("notebooks/demo/01-week-1.ipynb", "facilitator/demo/01-week-1.ipynb"):
        nb = json.loads((kit / rel).read_text())
        nbformat.validate(nbformat.from_dict(nb), version=4)
        first = nb["cells"][0]
        assert "How to use this notebook" in "".join(first["source"]), rel
        assert "Run All Cells" in "".join(first["source"]), rel
        # The notebook-only box is dropped from the book.
        assert first["metadata"]["tags"] == ["remove-cell"], rel
    nb = json.loads((kit / "notebooks/demo/01-week-1.ipynb").read_text())
    prompts = [c for c in nb["cells"] if c["cell_type"] == "code"
               and "demo-1-" in "".join(c["source"])]
    assert len(prompts) == 3
    for cell in prompts:
        assert "hide-input" in cell["metadata"]["tags"]
        assert cell["metadata"]["jupyter"]["source_hidden"] is True


def test_new_course_refuses_to_overwrite(kit):
    new_course(kit, "demo", "Demo", 1)
    marker = kit / "notebooks/demo/01-week-1.ipynb"
    marker.write_text(marker.read_text() + " ")
    saved = marker.read_text()
    with pytest.raises(CircleKitError, match="already exists"):
        new_course(kit, "demo", "Demo again", 2)
    assert marker.read_text() == saved
    assert [p for p in check(kit).problems if "AUTHOR" not in p.message] == []


@pytest.mark.parametrize(
    ("slug", "title", "weeks", "words"),
    [
        ("Bad Name", "T", 2, "lower-case letters"),
        ("ok", " ", 2, "--title"),
        ("ok", "T", 0, "--weeks"),
    ],
)
def test_bad_arguments_get_clear_messages(kit, slug, title, weeks, words):
    with pytest.raises(CircleKitError, match=words):
        new_course(kit, slug, title, weeks)
    assert not (kit / "notebooks/ok").exists()
