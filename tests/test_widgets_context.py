"""Where course, notebook, author, circle and language come from; configure() overrides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from circlekit.answers.local import LocalStore
from widgets import configure
from widgets.context import current, current_store

ENV = ("CIRCLEKIT_LANG", "JPY_SESSION_NAME", "JUPYTERHUB_USER", "CIRCLEKIT_USER",
       "CIRCLEKIT_CIRCLE", "CIRCLEKIT_HOME")


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    configure(store=None, lang=None, author=None, circle=None, course=None, notebook=None)
    yield
    configure(store=None, lang=None, author=None, circle=None, course=None, notebook=None)


def write_course(folder: Path, slug: str = "we-are-ai", language: str = "es") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(f"title: T\nslug: {slug}\nlanguage: {language}\n")
    return folder


def test_defaults_without_a_course(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = current()
    assert ctx.course == "" and ctx.notebook == "" and ctx.circle == "local"
    assert ctx.language == "en"
    assert ctx.author  # the login name


def test_course_comes_from_the_nearest_course_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write_course(tmp_path / "notebooks" / "we-are-ai")
    inner = tmp_path / "notebooks" / "we-are-ai" / "extra"
    inner.mkdir()
    monkeypatch.chdir(inner)
    ctx = current()
    assert (ctx.course, ctx.language) == ("we-are-ai", "es")


def test_a_broken_course_file_does_not_break_widgets(tmp_path: Path) -> None:
    (tmp_path / "course.yml").write_text("title: [unclosed\n")
    assert current().course == ""


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/ana/notebooks/demo/01-intro.ipynb")
    monkeypatch.setenv("CIRCLEKIT_USER", "cku")
    monkeypatch.setenv("CIRCLEKIT_CIRCLE", "tuesday")
    ctx = current()
    assert (ctx.notebook, ctx.author, ctx.circle) == ("01-intro.ipynb", "cku", "tuesday")
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    assert current().author == "hubuser"


def test_language_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_course(tmp_path, language="es")
    assert current().language == "es"
    monkeypatch.setenv("CIRCLEKIT_LANG", "en_GB")
    assert current().language == "en"
    monkeypatch.setenv("CIRCLEKIT_LANG", "fr")  # no catalogue: English
    assert current().language == "en"


def test_configure_overrides_and_resets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLEKIT_USER", "env-user")
    store = LocalStore(tmp_path / "x.sqlite3")
    configure(store=store, lang="es", author="ana", circle="c", course="demo", notebook="n")
    ctx = current()
    assert (ctx.author, ctx.circle, ctx.course, ctx.notebook, ctx.language) == (
        "ana", "c", "demo", "n", "es")
    assert current_store() is store
    configure(circle="d")  # the others are kept
    assert current().author == "ana" and current().circle == "d"
    configure(author=None, store=None)
    assert current().author == "env-user"
    assert current_store() is not store


def test_default_store_is_shared_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path / "one"))
    first = current_store()
    assert isinstance(first, LocalStore)
    assert first.path == tmp_path / "one" / "answers.sqlite3"
    assert current_store() is first
    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path / "two"))
    assert current_store() is not first
