import argparse
import subprocess
import sys

import pytest

from circlekit.cli import main, parser


def test_python_dash_m_and_version():
    done = subprocess.run(
        [sys.executable, "-m", "circlekit", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("circlekit ")


COMMANDS = (["check"], ["toc"], ["new-course"], ["build"], ["answers"], ["answers", "export"],
            ["hub"])


def subcommands(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's own table of subcommands, not its help text (which may mention a name)."""
    actions = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_command_is_there_and_explains_itself(words, capsys):
    p = parser()
    for word in words:
        table = subcommands(p)
        assert word in table, f"no `{word}` subcommand"
        p = table[word]
    with pytest.raises(SystemExit) as done:
        main([*words, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: circlekit {' '.join(words)}")
    assert p.description or any(a.help for a in p._actions if a.dest != "help")


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


def test_answers_export_writes_this_computers_answers(tmp_path, monkeypatch, capsys):
    import json

    from circlekit.answers import Answer, LocalStore, default_path

    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path))
    store = LocalStore(default_path())
    for course, author in (("demo", "ana"), ("other", "bo")):
        store.save(Answer(course=course, notebook="01.ipynb", widget_id=f"{course}-1-a",
                          kind="discussion", author=author, circle="local",
                          visibility="circle", value=f"hello from {author}"))
    assert main(["answers", "export", "--course", "demo", "--format", "json"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert [(r["author"], r["value"]) for r in rows] == [("ana", "hello from ana")]
    assert "exported 1 answer(s)" in out.err


def test_answers_export_of_a_damaged_store_is_a_message(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path))
    (tmp_path / "answers.sqlite3").write_bytes(b"not a database" * 100)
    assert main(["answers", "export"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("circlekit: ") and "Traceback" not in err
