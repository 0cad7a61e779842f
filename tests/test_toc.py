
from circlekit.course import load_course
from circlekit.toc import TOC_FILE, course_page_text, stale_files, toc_data, write_toc


def test_toc_lists_book_pages_then_each_course_and_its_guides(kit):
    course = load_course(kit, "mini")
    data = toc_data(kit, [course])
    assert data["root"] == "book/index"
    captions = [p["caption"] for p in data["parts"]]
    assert captions == ["About learning circles", "Mini course", "Mini course: facilitator guides"]
    chapters = [c["file"] for c in data["parts"][1]["chapters"]]
    assert chapters == [
        "notebooks/mini/index",
        "notebooks/mini/01-counting",
        "notebooks/mini/02-checking",
    ]
    assert [c["file"] for c in data["parts"][2]["chapters"]] == [
        "facilitator/mini/01-counting",
        "facilitator/mini/02-checking",
    ]


def test_the_written_toc_is_what_jupyter_book_reads(kit):
    """Jupyter Book 1 reads _toc.yml with sphinx-external-toc: read it the same way."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    course = load_course(kit, "mini")
    (kit / TOC_FILE).unlink()
    assert write_toc(kit, [course]) == [TOC_FILE]
    site = parse_toc_yaml(kit / TOC_FILE)
    assert site.root.docname == "book/index"
    parts = [(tree.caption, list(tree.items)) for tree in site[site.root.docname].subtrees]
    assert parts == [
        ("About learning circles", [c["file"] for c in toc_data(kit, [course])["parts"][0]
                                    ["chapters"]]),
        ("Mini course", ["notebooks/mini/index", "notebooks/mini/01-counting",
                         "notebooks/mini/02-checking"]),
        ("Mini course: facilitator guides", ["facilitator/mini/01-counting",
                                             "facilitator/mini/02-checking"]),
    ]
    # Every page the reader can reach exists as a source file Jupyter Book can build.
    for docname in site:
        assert [p for p in kit.glob(docname + ".*") if p.suffix in (".md", ".ipynb")], docname
    assert write_toc(kit, [course]) == []  # nothing to do the second time
    assert stale_files(kit, [course]) == []


def test_course_page_comes_from_course_yml(kit):
    course = load_course(kit, "mini")
    text = course_page_text(course)
    assert text.splitlines()[1] == "# Mini course"
    assert "### Week 2: [Checking](02-checking.ipynb)" in text
    assert "- Check a sum." in text
    assert "(../../facilitator/mini/01-counting.ipynb)" in text


def test_editing_course_yml_makes_the_page_stale(kit):
    yml = kit / "notebooks/mini/course.yml"
    yml.write_text(yml.read_text().replace("Count to three.", "Count to four."))
    course = load_course(kit, "mini")
    assert stale_files(kit, [course]) == ["notebooks/mini/index.md"]
