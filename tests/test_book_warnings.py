"""Build warnings (a broken reference, a missing picture) reach the terminal; --strict fails;
and a guide reaches its course's pictures by their path from the kit's root, with no warning.

One build serves the module: the fixture kit with a broken reference in a learner notebook and
a picture in a guide.
"""

import pytest
from browser import block_outside, chromium
from conftest import make_kit

from circlekit.book import build_warnings
from circlekit.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(root, printed lines) of one `circlekit build` of the kit with both overlays."""
    import contextlib
    import io

    root = make_kit(tmp_path_factory.mktemp("warned") / "kit", "broken-reference", "guide-image")
    # What running the tests or ruff leaves in an author's checkout: not pages of the book, so
    # no warning of their own (pytest's README once made a third).
    for cache in (".pytest_cache", ".ruff_cache"):
        (root / cache).mkdir()
        (root / cache / "README.md").write_text("# a tool's cache\n", encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(root), "build"])
    assert code == 0, out.getvalue()
    return root, out.getvalue().splitlines()


def test_a_broken_reference_is_printed_with_its_page_and_counted(built):
    root, out = built
    warned = [line for line in out if line.startswith("book warning: ")]
    assert len(warned) == 2, out  # the guide's picture gives none
    assert all(
        line.startswith("book warning: notebooks/mini/01-counting.ipynb: cell 3: ")
        for line in warned
    ), warned
    assert any("no-such-label" in line for line in warned)
    assert any("no-such-directive" in line for line in warned)
    assert any(line.endswith("2 warning(s) (full log: _build/book.log)") for line in out[-3:]), out
    assert "no-such-label" in (root / "_build/book.log").read_text()


def test_a_guide_shows_a_course_picture_by_its_path_from_the_root(built):
    root, _ = built
    guide = root / "_build/html/facilitator/mini/01-counting.html"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        attempted = block_outside(page)
        page.goto(guide.as_uri())
        page.wait_for_load_state("load")
        picture = page.locator("main img[alt='Three apples']")
        assert picture.evaluate("i => i.complete && i.naturalWidth === 30")
    assert attempted == []


def test_strict_fails_on_the_warning_even_when_nothing_changed(built, capsys):
    root, _ = built
    # Nothing changed, yet the page is read again, so --strict still sees both warnings
    # (Sphinx gives one while reading a page, the other while writing it).
    assert main(["--root", str(root), "build", "--strict"]) == 1
    captured = capsys.readouterr()
    assert any("no-such-directive" in line for line in captured.out.splitlines())
    assert "--strict: the book has 2 warning(s)" in captured.err


def test_check_resolves_a_picture_by_its_path_from_the_root(tmp_path, capsys):
    root = make_kit(tmp_path / "kit", "guide-image")
    assert main(["--root", str(root), "check"]) == 0
    (root / "notebooks/mini/img/apples.png").unlink()
    assert main(["--root", str(root), "check"]) == 1
    assert (
        "facilitator/mini/01-counting.ipynb: cell 1: refers to /notebooks/mini/img/apples.png, "
        "which does not exist" in capsys.readouterr().out
    )


def test_sphinx_log_lines_become_warnings_naming_the_page(tmp_path):
    log = (
        f"\x1b[91m{tmp_path}/book/about.md:7: WARNING: image file not readable: img/x.png"
        "\x1b[39;49;00m\n"
        f"{tmp_path}/notebooks/a/01.ipynb:30002: WARNING: undefined label: 'nope'\n"
        "WARNING: a warning with no page\nreading sources... done\n"
    )
    assert [str(w) for w in build_warnings(log, tmp_path)] == [
        "book/about.md: line 7: image file not readable: img/x.png",
        "notebooks/a/01.ipynb: cell 3: undefined label: 'nope'",
        "a warning with no page",
    ]
