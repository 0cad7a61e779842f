"""LocalStore on real SQLite: upserts, quiz attempts, schema version and migration, failures,
and several processes writing at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from conftest import make_answer

from circlekit.answers import local
from circlekit.answers.local import LocalStore, schema_version
from circlekit.answers.record import Answer
from circlekit.answers.store import default_path, default_store
from circlekit.errors import StoreError

answer = make_answer  # a discussion answer by ana in circle tuesday


def get(store: LocalStore, **changes: object) -> Answer | None:
    a = answer(**changes)
    return store.get(course=a.course, widget_id=a.widget_id, kind=a.kind, author=a.author,
                     circle=a.circle)


def test_opening_is_lazy_and_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "answers.sqlite3"
    store = LocalStore(path)
    assert not path.exists()
    assert get(store) is None
    assert path.exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()


def test_save_again_updates_in_place_and_keeps_created(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "a.sqlite3")
    first = store.save(answer(value="one", created="2026-01-01T00:00:00+00:00",
                              updated="2026-01-01T00:00:00+00:00"))
    second = store.save(answer(value="two", notebook="01-renamed.ipynb"))
    assert second.created == first.created == "2026-01-01T00:00:00+00:00"
    assert second.updated > first.updated
    rows = store.list(course="demo")
    assert [(r.value, r.notebook, r.created) for r in rows] == [
        ("two", "01-renamed.ipynb", "2026-01-01T00:00:00+00:00")
    ]
    assert get(store) == rows[0]


def test_values_keep_their_structure(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "a.sqlite3")
    store.save(answer(kind="reflection", value={"plus": "ñ ✓", "delta": ""}))
    assert get(store, kind="reflection").value == {"plus": "ñ ✓", "delta": ""}  # type: ignore[union-attr]


def test_quiz_keeps_every_attempt(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "a.sqlite3")
    for choice in ("a", "b", "c"):
        stored = store.save(answer(kind="quiz", value={"choice": choice, "correct": False}))
    assert stored.attempt == 3
    attempts = store.list(kind="quiz")
    assert [a.attempt for a in attempts] == [1, 2, 3]
    assert get(store, kind="quiz").value["choice"] == "c"  # type: ignore[union-attr,index]


def test_list_filters(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "a.sqlite3")
    store.save(answer(author="ana"))
    store.save(answer(author="bob"))
    store.save(answer(author="bob", circle="thursday"))
    store.save(answer(author="bob", course="other"))
    assert len(store.list()) == 4
    assert len(store.list(course="demo", circle="tuesday")) == 2
    assert [a.author for a in store.list(author="bob", course="demo")] == ["bob", "bob"]


def test_two_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    one, two = LocalStore(tmp_path / "a.sqlite3"), LocalStore(tmp_path / "a.sqlite3")
    one.save(answer(author="ana"))
    two.save(answer(author="bob"))
    assert {a.author for a in one.list()} == {"ana", "bob"}


def test_default_path_follows_circlekit_home(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / "answers.sqlite3"
    store = default_store()
    assert isinstance(store, LocalStore) and store.path == default_path()
    monkeypatch.delenv("CIRCLEKIT_HOME")
    assert default_path().name == "answers.sqlite3"
    assert "circlekit" in str(default_path())


def test_unwritable_path_is_a_store_error(tmp_path: Path) -> None:
    # A file where the folder should be: fails for root too.
    (tmp_path / "blocker").write_text("not a folder")
    store = LocalStore(tmp_path / "blocker" / "a.sqlite3")
    with pytest.raises(StoreError, match="cannot be opened"):
        store.save(answer())


def test_damaged_file_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        LocalStore(path).save(answer())


def test_a_lock_that_does_not_clear_gives_up_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    LocalStore(path).save(answer())
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="busy"):
            LocalStore(path, timeout=0.6).save(answer(value="blocked"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert get(LocalStore(path)).value == "hi"  # type: ignore[union-attr]


def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {schema_version() + 5}")
    with pytest.raises(StoreError, match="newer circlekit"):
        LocalStore(path).list()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version() + 5


def test_migrations_run_once_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.sqlite3"
    LocalStore(path).save(answer())  # a file at today's version

    calls: list[int] = []

    def add_note_column(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("ALTER TABLE answers ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(local, "MIGRATIONS", [*local.MIGRATIONS, add_note_column])
    store = LocalStore(path)
    assert get(store).value == "hi"  # type: ignore[union-attr]
    LocalStore(path).list()
    assert calls == [1]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert "note" in [row[1] for row in conn.execute("PRAGMA table_info(answers)")]


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.sqlite3"
    LocalStore(path).save(answer())
    before = schema_version()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE answers ADD COLUMN half TEXT")
        raise sqlite3.OperationalError("disk I/O error while migrating")

    monkeypatch.setattr(local, "MIGRATIONS", [*local.MIGRATIONS, broken])
    with pytest.raises(StoreError):
        LocalStore(path).list()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == before
        assert "half" not in [row[1] for row in conn.execute("PRAGMA table_info(answers)")]


# -- several kernels at once ---------------------------------------------------------------

PROCESSES, SAVES = 8, 200


def _learner(path: str, number: int, barrier: object, results: object) -> None:
    """One kernel: a learner saving 200 answers through Discussion widgets."""
    import widgets

    widgets.configure(store=LocalStore(path), author=f"learner-{number}", course="load",
                      circle="c", notebook="load.ipynb")
    problems = []
    barrier.wait()  # type: ignore[attr-defined]  # start together, so the writers overlap
    for i in range(SAVES):
        prompt = widgets.Discussion(f"load-{i}", "Say something", share="private")
        prompt.value = f"answer {i} from {number}"
        if not prompt.save():
            problems.append(prompt.status.text)
    results.put((number, problems))  # type: ignore[attr-defined]


def test_eight_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "answers.sqlite3")
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    workers = [ctx.Process(target=_learner, args=(path, n, barrier, results))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    reports = dict(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert sorted(reports) == list(range(PROCESSES))
    assert [p for problems in reports.values() for p in problems] == []
    rows = LocalStore(path).list(course="load")
    assert len(rows) == PROCESSES * SAVES
    assert len({(r.author, r.widget_id) for r in rows}) == PROCESSES * SAVES
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
