"""Shared fixtures: a copy of the fixture kit in a temporary folder, ready to check and build."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
KIT_CONTENT = ("_config.yml", "_toc.yml", "book", "notebooks", "facilitator")
sys.path.insert(0, str(TESTS))  # so tests can import browser.py


def make_kit(dest: Path, *overlays: str) -> Path:
    """Copy the good fixture kit to dest, with the kit's real _config.yml, then apply overlays."""
    shutil.copytree(FIXTURES / "kit", dest)
    shutil.copy2(REPO / "_config.yml", dest / "_config.yml")
    for name in overlays:
        shutil.copytree(FIXTURES / "broken" / name, dest, dirs_exist_ok=True)
    return dest


def tree_digest(root: Path, skip: tuple[str, ...] = ("_build",)) -> dict[str, str]:
    """Every file under root except those under `skip`, with a hash of its bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and rel.parts[0] not in skip:
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return make_kit(tmp_path / "kit")


@pytest.fixture(scope="module")
def built_kit(tmp_path_factory: pytest.TempPathFactory):
    """The fixture kit built once for a module's tests: (root, BuildReport, printed lines)."""
    from circlekit.pipeline import build

    root = make_kit(tmp_path_factory.mktemp("built") / "kit")
    lines: list[str] = []
    report = build(root, progress=False, echo=lines.append)
    return root, report, lines


def copy_kit_content(dest: Path) -> Path:
    """Copy the kit's own content (not its build output or virtual environment) to dest."""
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in KIT_CONTENT:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def kit_book(tmp_path_factory: pytest.TempPathFactory):
    """The kit's own courses and book built once per test session, in a temporary copy.

    Returns (root, BuildReport). Tests that look at the real book share this one build.
    """
    from circlekit.pipeline import build

    root = copy_kit_content(tmp_path_factory.mktemp("kitbook") / "kit")
    report = build(root, progress=False, echo=lambda line: None)
    return root, report


@pytest.fixture
def answers_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh LocalStore; widgets configured for learner 'ana', course 'demo', circle 'c1'."""
    from circlekit.answers.local import LocalStore
    from widgets import configure

    monkeypatch.delenv("CIRCLEKIT_LANG", raising=False)
    store = LocalStore(tmp_path / "answers.sqlite3")
    configure(store=store, author="ana", course="demo", circle="c1", lang=None,
              notebook="01-intro.ipynb")
    yield store
    configure(store=None, author=None, course=None, circle=None, lang=None, notebook=None)


def make_answer(**changes: object):
    """An Answer with sensible defaults (a discussion answer by ana in circle tuesday)."""
    from circlekit.answers.record import Answer

    fields: dict[str, object] = dict(
        course="demo", notebook="01.ipynb", widget_id="demo-1-hello", kind="discussion",
        author="ana", circle="tuesday", visibility="circle", value="hi",
    )
    fields.update(changes)
    return Answer(**fields)  # type: ignore[arg-type]
