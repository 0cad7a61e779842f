import subprocess
import sys

from circlekit.cli import main, parser


def test_python_dash_m_and_version():
    done = subprocess.run(
        [sys.executable, "-m", "circlekit", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("circlekit ")


def test_every_command_is_there():
    text = parser().format_help()
    for command in ("check", "toc", "new-course", "build", "answers"):
        assert command in text


def test_toc_command_rewrites_generated_files(kit, capsys):
    (kit / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    assert main(["--root", str(kit), "toc"]) == 0
    assert capsys.readouterr().out.startswith("toc: 1 file(s) rewritten: _toc.yml")
    assert main(["--root", str(kit), "check"]) == 0


def test_errors_are_messages_not_tracebacks(kit, capsys):
    assert main(["--root", str(kit), "new-course", "mini", "--title", "Again", "--weeks", "2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("circlekit: notebooks/mini already exists")
    assert "Traceback" not in err
