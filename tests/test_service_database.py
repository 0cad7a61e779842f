"""The service's database on SQLite and on a real PostgreSQL: schema, upserts, receipts."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from pathlib import Path

import pytest
from hubtools import Postgres
from sqlalchemy import inspect

from circlekit.answers.notice import Notice, check_notice
from circlekit.answers.record import Answer
from circlekit.errors import BadAnswer, SchemaTooNew
from circlekit.service import database
from circlekit.service.database import Database, Filters, database_url


@pytest.fixture(scope="module")
def postgres():
    cluster = Postgres()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path):
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'service.sqlite3'}")
    else:
        cluster = request.getfixturevalue("postgres")
        database = Database(cluster.create_database(f"t_{uuid.uuid4().hex[:10]}"))
    yield database
    database.close()


def answer(**changes) -> Answer:
    base = dict(course="we-are-ai", notebook="01.ipynb", widget_id="wai-1-first",
                kind="discussion", author="alice", circle="a", visibility="circle",
                value="hello")
    base.update(changes)
    return Answer(**base)


def test_schema_is_created_and_versioned(db: Database) -> None:
    assert db.version() == 3
    assert db.migrate() == 3  # running it again changes nothing
    assert db.count() == 0


def test_a_second_save_updates_and_keeps_created(db: Database) -> None:
    first, changed = db.save(answer(value="one", created="2026-01-01T10:00:00+00:00"))
    assert changed and first.attempt == 0
    second, _ = db.save(answer(value="two", created="2026-02-02T10:00:00+00:00"))
    assert second.created == "2026-01-01T10:00:00+00:00"
    rows = db.list(["a"])
    assert [a.value for _, a in rows] == ["two"]


def test_quiz_saves_are_kept_with_attempt_numbers(db: Database) -> None:
    for n in range(3):
        db.save(answer(kind="quiz", value=f"try {n}"))
    rows = db.list(["a"], Filters(kind="quiz"))
    assert [(a.attempt, a.value) for _, a in rows] == [(1, "try 0"), (2, "try 1"), (3, "try 2")]


def test_a_client_id_is_applied_once(db: Database) -> None:
    stored, changed = db.save(answer(kind="quiz", value="x"), client_id="c1")
    again, changed_again = db.save(answer(kind="quiz", value="x"), client_id="c1")
    assert changed and not changed_again and again.attempt == stored.attempt == 1
    # The same id from someone else is their own save, not a repeat of alice's.
    _, bob_changed = db.save(answer(kind="quiz", author="bob", value="y"), client_id="c1")
    assert bob_changed
    assert db.count() == 2


def test_a_save_alone_looks_for_its_receipt_only_when_it_is_sent_again(db: Database,
                                                                       monkeypatch) -> None:
    """Saves that come one at a time (a circle's usual pace) are batches of one: they too
    skip the receipt lookup, and a replay is still found and changes nothing."""
    looked = []
    seen = db._prepared["seen"]
    monkeypatch.setitem(db._prepared, "seen", lambda *a: looked.append(1) or seen(*a))
    [(first, changed)] = db.save_many([(answer(kind="quiz", value="try 1"), "one-1")])
    assert (first.attempt, changed, len(looked)) == (1, True, 0)
    [(again, changed)] = db.save_many([(answer(kind="quiz", value="try 1"), "one-1")])
    assert (again.attempt, changed) == (1, False) and looked
    assert [a.value for _, a in db.list(["a"])] == ["try 1"]


def test_a_batch_keeps_exactly_once_and_order_in_one_transaction(db: Database,
                                                                  monkeypatch) -> None:
    """The writer's batches (save_many) read and write receipts once per batch: repeats
    inside a batch and across batches must still be applied once, quiz attempts numbered in
    arrival order, a second save of a prompt in the same batch must update the first, and
    all of it in the one transaction (no falling back to saving one by one)."""
    db.save(answer(circle="b", widget_id="wai-1-gone", value="deleted soon"), client_id="gone")
    db.save(answer(kind="quiz", value="try 1"), client_id="q1")
    db.delete_author("alice", "b")  # keeps the receipts: a replay must not bring it back

    def no_fallback(*_):
        raise AssertionError("the batch fell back to saving answers one by one")

    monkeypatch.setattr(db, "save", no_fallback)
    results = db.save_many([
        (answer(kind="quiz", value="try 2"), "q2"),
        (answer(kind="quiz", value="try 1"), "q1"),              # replay of an earlier batch
        (answer(kind="quiz", value="try 3"), "q3"),
        (answer(kind="quiz", value="try 2"), "q2"),              # replay inside this batch
        (answer(value="first words"), "d1"),
        (answer(value="second words"), "d2"),                    # same prompt: an update
        (answer(circle="b", widget_id="wai-1-gone", value="deleted soon"), "gone"),  # deleted
        (answer(kind="quiz", author="bob", value="bob's try"), "q2"),    # bob's own id
    ])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [(a.value, a.attempt, changed) for a, changed in results] == [
        ("try 2", 2, True), ("try 1", 1, False), ("try 3", 3, True), ("try 2", 2, False),
        ("first words", 0, True), ("second words", 0, True), ("deleted soon", 0, False),
        ("bob's try", 1, True),
    ]
    rows = [a for _, a in db.list(["a"])]
    assert [(a.author, a.kind, a.attempt, a.value) for a in rows] == [
        ("alice", "quiz", 1, "try 1"), ("alice", "quiz", 2, "try 2"),
        ("alice", "quiz", 3, "try 3"), ("alice", "discussion", 0, "second words"),
        ("bob", "quiz", 1, "bob's try"),
    ]
    # The same client id for a different answer is refused, in a batch as alone.
    monkeypatch.undo()
    mixed = db.save_many([(answer(value="fine"), "ok-1"),
                          (answer(kind="quiz", widget_id="wai-1-other", value="x"), "q3")])
    assert not isinstance(mixed[0], Exception) and mixed[0][1] is True
    assert isinstance(mixed[1], BadAnswer) and mixed[1].field == "client_id"


def test_filters_circles_and_after(db: Database) -> None:
    db.save(answer(circle="a", widget_id="p-1"))
    db.save(answer(circle="b", widget_id="p-1"))
    db.save(answer(circle="a", widget_id="p-2", author="bob"))
    rows = db.list(["a"])
    assert {(a.circle, a.widget_id) for _, a in rows} == {("a", "p-1"), ("a", "p-2")}
    assert [a.author for _, a in db.list(["a"], Filters(widget_id="p-2"))] == ["bob"]
    first_id = rows[0][0]
    assert [a.widget_id for _, a in db.list(["a"], after=first_id)] == ["p-2"]
    assert db.list([]) == []


def test_delete_my_answers(db: Database) -> None:
    db.save(answer(circle="a"))
    db.save(answer(circle="b"))
    db.save(answer(circle="a", author="bob"))
    assert db.delete_author("alice", "a") == 1
    assert db.delete_author("alice") == 1
    assert [a.author for _, a in db.list(["a", "b"])] == ["bob"]


def test_structured_values_and_unicode_round_trip(db: Database) -> None:
    value = {"rating": 4, "comment": "¡sí! 🙂 <b>"}
    db.save(answer(kind="goal-check", value=value))
    assert db.list(["a"])[0][1].value == value


def test_concurrent_writers_lose_nothing(db: Database) -> None:
    def write(author: str) -> None:
        for n in range(20):
            db.save(answer(author=author, widget_id=f"p-{n}"))

    threads = [threading.Thread(target=write, args=(f"u{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.count() == 80


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Database(f"sqlite:///{path}").close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_sqlite_log_stops_growing_under_steady_saves(tmp_path: Path, monkeypatch) -> None:
    """SQLite starts its write-ahead log again only when a write finds every frame copied
    back, and with saves arriving all the time there was always a newer one: the log grew by
    every save (390 MB in a 30,000-save benchmark). It must level off instead."""
    monkeypatch.setattr(Database, "CHECKPOINT_EVERY", 0.1)
    monkeypatch.setattr(database, "WAL_RESTART_FRAMES", 64)
    path = tmp_path / "busy.sqlite3"
    db = Database(f"sqlite:///{path}")
    wal = Path(f"{path}-wal")
    try:
        started, n, sizes = time.monotonic(), 0, {}
        while time.monotonic() - started < 3:
            batch = [(answer(author=f"p{k % 40}", kind="quiz", widget_id="wai-1-q",
                             value=f"answer {n + k}"), f"id-{n + k}") for k in range(20)]
            db.save_many(batch)
            n += len(batch)
            sizes[round(time.monotonic() - started)] = wal.stat().st_size
        assert db.count() == n
    finally:
        db.close()
    # Grown for three seconds at a steady rate, a log that never restarts is three times
    # its size at one second.
    assert sizes[3] < 1.5 * sizes[1], sizes


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Database(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match="update circlekit"):
        Database(f"sqlite:///{path}")


def test_database_url_defaults_to_sqlite_in_the_data_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("CIRCLEKIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("CIRCLEKIT_SERVICE_DATA", str(tmp_path / "data"))
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'circle-service.sqlite3'}"
    monkeypatch.setenv("CIRCLEKIT_DATABASE_URL", "postgresql+psycopg://x@127.0.0.1/y")
    assert database_url() == "postgresql+psycopg://x@127.0.0.1/y"


# -- notices of parked answers (schema 2) -------------------------------------------------------


def notice(**changes) -> Notice:
    data = dict(client_id="c-parked", course="we-are-ai", notebook="01.ipynb",
                widget_id="wai-1-first", kind="discussion", reason="the service refused it",
                tries=6, parked="2026-01-05T18:00:00+00:00")
    data.update(changes)
    return check_notice(data)


def test_a_notice_is_kept_until_its_answer_arrives(db: Database) -> None:
    assert db.add_notice("alice", "a", notice())
    assert db.add_notice("alice", "a", notice(client_id="c-other", widget_id="wai-1-other"))
    assert db.add_notice("bob", "b", notice())  # bob's ids are his own
    assert [n["client_id"] for n in db.list_notices("a")] == ["c-parked", "c-other"]
    assert db.list_notices("a", author="bob") == []
    # The parked answer itself arrives (the learner tried again): its notice goes.
    db.save(answer(value="at last"), client_id="c-parked")
    assert [n["client_id"] for n in db.list_notices("a")] == ["c-other"]
    # A later save of the same prompt (pressing Save again) settles it too.
    db.save(answer(widget_id="wai-1-other", value="again"), client_id="c-new")
    assert db.list_notices("a") == []
    assert len(db.list_notices("b")) == 1


def test_a_notice_arriving_after_its_answer_is_not_kept(db: Database) -> None:
    db.save(answer(value="it arrived"), client_id="c-late")
    assert db.add_notice("alice", "a", notice(client_id="c-late")) is False
    assert db.list_notices("a") == []


def test_deleting_ones_answers_deletes_ones_notices(db: Database) -> None:
    db.add_notice("alice", "a", notice())
    db.delete_author("alice", "a")
    assert db.list_notices("a") == []


def older(url: str, version: int, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A database made by a circlekit that knew only the first `version` migrations."""
    with monkeypatch.context() as m:
        m.setattr(database, "MIGRATIONS", database.MIGRATIONS[:version])
        if version < 2:
            m.setattr(Database, "notice_count", lambda self: 0)  # no notices table yet
        return Database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return request.getfixturevalue("postgres").create_database(f"t_{uuid.uuid4().hex[:10]}")


def test_a_version_1_database_gains_the_notices_table(url: str, monkeypatch) -> None:
    first = older(url, 1, monkeypatch)
    first.save(answer(value="kept through the upgrade"))
    first.close()
    again = Database(url)
    try:
        assert again.version() == 3
        assert [a.value for _, a in again.list(["a"])] == ["kept through the upgrade"]
        assert again.add_notice("alice", "a", notice())
    finally:
        again.close()


def test_a_version_2_database_keeps_its_answers_ids_and_receipts(url: str, monkeypatch) -> None:
    """Schema 3 puts the author first in the answers key and, on SQLite, rebuilds both
    tables: every answer keeps its id (dashboards ask for what is after an id) and every
    receipt still stops a replay."""
    first = older(url, 2, monkeypatch)
    first.save(answer(author="alice", value="first"), client_id="a-1")
    first.save(answer(author="bob", kind="quiz", widget_id="wai-1-q", value="x"), client_id="b-1")
    first.save(answer(author="bob", kind="quiz", widget_id="wai-1-q", value="y"), client_id="b-2")
    first.delete_author("alice", "a")
    first.save(answer(author="carol", value="after a deletion"), client_id="c-1")
    before = first.list(["a"])
    first.close()
    again = Database(url)
    try:
        assert again.version() == 3
        shape = inspect(again.engine)
        indexes = shape.get_indexes("answers")
        assert [i["name"] for i in indexes if not i.get("duplicates_constraint")] == [
            "answers_by_widget"]
        assert [u["column_names"] for u in shape.get_unique_constraints("answers")] == [
            ["author", "course", "widget_id", "kind", "circle", "attempt"]]
        assert shape.get_pk_constraint("receipts")["constrained_columns"] == [
            "client_id", "author"]
        if again.is_sqlite:
            with again.engine.connect() as conn:
                listed = conn.exec_driver_sql("PRAGMA table_list('receipts')").one()
            assert listed.wr == 1  # the receipts' key is the table
        assert again.list(["a"]) == before
        # Replays are still known, the deleted one included; a new save goes on numbering.
        assert again.save(answer(author="bob", kind="quiz", widget_id="wai-1-q", value="y"),
                          client_id="b-2")[1] is False
        assert again.save(answer(author="alice", value="first"), client_id="a-1")[1] is False
        third, applied = again.save(answer(author="bob", kind="quiz", widget_id="wai-1-q",
                                           value="z"), client_id="b-3")
        assert applied and third.attempt == 3
        assert [i for i, _ in again.list(["a"])][:3] == [i for i, _ in before]
        assert again.delete_author("bob") == 3
    finally:
        again.close()


def test_an_interrupted_upgrade_leaves_the_old_schema_whole(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    first = older(url, 2, monkeypatch)
    first.save(answer(value="still here"), client_id="k")
    first.close()

    def half_done(conn) -> None:
        conn.exec_driver_sql("ALTER TABLE answers RENAME TO answers_2")
        raise OSError("the disk went away")

    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS[:2], half_done])
    with pytest.raises(OSError):
        Database(url)
    monkeypatch.undo()
    conn = sqlite3.connect(tmp_path / "old.sqlite3")
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    version = conn.execute("SELECT version FROM schema_version").fetchone()[0]
    conn.close()
    assert version == 2 and "answers" in tables and "answers_2" not in tables
    again = Database(url)
    try:
        assert [a.value for _, a in again.list(["a"])] == ["still here"]
    finally:
        again.close()


def test_a_replay_after_delete_stays_deleted_even_when_its_row_number_is_used_again(
        db: Database) -> None:
    """SQLite gives a new row the highest number plus one, so the number of a deleted last row
    comes back; a replay of the deleted save must not be taken for the new answer (a 409, or
    the new answer acknowledged in its place)."""
    db.save(answer(author="alice", circle="b", value="deleted soon"), client_id="mine")
    db.delete_author("alice", "b")
    db.save(answer(author="bob", circle="b", value="bob's own"), client_id="his")
    stored, applied = db.save(answer(author="alice", circle="b", value="deleted soon"),
                              client_id="mine")
    assert applied is False and stored.value == "deleted soon"
    assert [a.value for _, a in db.list(["b"])] == ["bob's own"]
