"""The kit's errors have one root, so the CLI (and any caller) catches one class."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import circlekit.errors as errors
from circlekit import cli

REPO = Path(__file__).resolve().parent.parent
# Tornado's HTTPError subclasses are HTTP replies, not kit errors.
HTTP_BASES = {"HTTPError", "web.HTTPError"}


def test_every_error_class_has_the_one_root():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)
               if c.__module__ == errors.__name__]
    assert len(classes) >= 9
    for cls in classes:
        assert issubclass(cls, errors.CircleKitError), cls


def test_no_module_defines_an_error_outside_errors_py():
    stray = []
    sources = [*REPO.joinpath("circlekit").rglob("*.py"), *REPO.joinpath("widgets").rglob("*.py")]
    for path in sources:
        if path.name == "errors.py" or "templates" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                if bases & HTTP_BASES:
                    continue
                if any(b.endswith(("Error", "Exception")) for b in bases):
                    stray.append(f"{path.relative_to(REPO)}: {node.name}")
    assert stray == []


def test_cli_catches_the_root_alone(monkeypatch, capsys):
    class Odd(errors.CircleKitError):
        pass

    def boom(args):
        raise Odd("notebooks/x/course.yml: title: missing")

    parser = cli.parser()
    args = parser.parse_args(["toc"])
    args.func = boom
    monkeypatch.setattr(cli, "parser", lambda: type("P", (), {"parse_args": lambda s, a: args})())
    assert cli.main(["toc"]) == 1
    assert "circlekit: notebooks/x/course.yml: title: missing" in capsys.readouterr().err
    handlers = [
        h for node in ast.walk(ast.parse(inspect.getsource(cli.main)))
        if isinstance(node, ast.Try) for h in node.handlers
    ]
    caught = {ast.unparse(h.type) for h in handlers if h.type is not None}
    assert caught == {"CircleKitError", "KeyboardInterrupt"}
