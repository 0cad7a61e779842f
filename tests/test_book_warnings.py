"""Build warnings (a broken reference, a missing picture) reach the terminal; --strict fails."""

from conftest import make_kit

from circlekit.book import build_warnings
from circlekit.cli import main


def test_a_broken_reference_is_printed_with_its_page_and_strict_fails(tmp_path, capsys):
    root = make_kit(tmp_path / "kit", "broken-reference")
    assert main(["--root", str(root), "build"]) == 0
    out = capsys.readouterr().out.splitlines()
    warned = [line for line in out if line.startswith("book warning: ")]
    assert any(
        line.startswith("book warning: notebooks/mini/01-counting.ipynb: cell 3: ")
        and "no-such-label" in line
        for line in warned
    ), out
    assert any(line.endswith(f"{len(warned)} warning(s) (full log: _build/book.log)")
               for line in out[-3:]), out
    assert "no-such-label" in (root / "_build/book.log").read_text()

    # Nothing changed, yet the page is read again, so --strict still sees the warning.
    assert main(["--root", str(root), "build", "--strict"]) == 1
    captured = capsys.readouterr()
    assert any("no-such-label" in line for line in captured.out.splitlines())
    assert "--strict: the book has" in captured.err


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
