"""The circle service's database: answers kept through SQLAlchemy 2 (SQLite or PostgreSQL).

Why it is shaped like this:
- SQLAlchemy Core, not the ORM: the service does a handful of fixed queries, and Core keeps
  each write to a few statements, which is what the write benchmark measures.
- SQLite by default (a file in the service's data folder, WAL so readers never wait for the
  writer); `CIRCLEKIT_DATABASE_URL` switches to any SQLAlchemy URL, e.g. PostgreSQL for
  a hub with many circles.
- The schema is created or migrated when the service starts. `schema_version` holds one row;
  `MIGRATIONS[i]` takes a database from version i to i + 1 inside one transaction, so an
  interrupted upgrade leaves the old schema intact. Never edit a migration that has shipped.
- Every write carries a `client_id` (the hub store's outbox id). The `receipts` table
  remembers which ids were applied, so a save that is sent again (its reply was lost) is
  applied once, never twice: that is what makes the outbox "exactly once".
- Schema 3 has one index tree fewer per answer and per receipt, and receipts in the order
  of their (time-first) ids: every commit writes each page it changed, and that was most of
  what a commit cost under load.
- `notices` (schema 2) holds the "could not share" notices of answers parked on learners'
  computers (`circlekit.answers.notice`), until that answer, or a later save of the same
  prompt by the same learner, arrives.
"""

from __future__ import annotations

import json
import operator
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from circlekit import settings
from circlekit.answers.notice import Notice
from circlekit.answers.record import APPEND_KINDS, Answer
from circlekit.errors import BadAnswer, SchemaTooNew

DATABASE_URL_ENV = "CIRCLEKIT_DATABASE_URL"
DATA_DIR_ENV = "CIRCLEKIT_SERVICE_DATA"
DATABASE_FILE = "circle-service.sqlite3"
# A SQLite log this long (pages of 4 KB: 16 MB) is started again from its beginning.
WAL_RESTART_FRAMES = 4096

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, nullable=False),
)

answers = Table(
    "answers", metadata,
    # The order answers arrived in: "answers arriving live" and "in order" both read it.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("course", String(200), nullable=False),
    Column("notebook", String(300), nullable=False),
    Column("widget_id", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("author", String(255), nullable=False),
    Column("circle", String(255), nullable=False),
    Column("visibility", String(40), nullable=False),
    Column("value", Text, nullable=False),
    Column("created", String(40), nullable=False),
    Column("updated", String(40), nullable=False),
    Column("attempt", Integer, nullable=False, default=0),
    # Author first (schema 3): the key then also finds everything one person wrote, which
    # an index of its own did before. Every save writes each index's page for its author, so
    # under load one index fewer is a third fewer pages written per commit.
    UniqueConstraint("author", "course", "widget_id", "kind", "circle", "attempt",
                     name="answers_key"),
    Index("answers_by_widget", "circle", "course", "widget_id"),
)

receipts = Table(
    "receipts", metadata,
    # Scoped by author: one learner's ids can never collide with, or reveal, another's.
    # The id first (schema 3): the hub store's ids start with the time, so new receipts go
    # in at the end of the key, not on a page of their author's anywhere in it. Every
    # commit writes each page it changed, and those pages grew with the table.
    Column("client_id", String(100), primary_key=True),
    Column("author", String(255), primary_key=True),
    Column("answer_id", Integer, nullable=False),
    # On SQLite the key is the table (schema 3): one tree to write per receipt, not two.
    sqlite_with_rowid=False,
)

notices = Table(
    "notices", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("author", String(255), nullable=False),
    Column("circle", String(255), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("course", String(200), nullable=False),
    Column("notebook", String(300), nullable=False),
    Column("widget_id", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("tries", Integer, nullable=False),
    Column("parked", String(40), nullable=False),
    UniqueConstraint("author", "client_id", name="notices_key"),
    Index("notices_by_circle", "circle", "author"),
)


# The service's JSON, for the answers it keeps and the replies it sends (api.py). Made once:
# json.dumps makes a new encoder on each call that passes an option.
to_json = json.JSONEncoder(ensure_ascii=False).encode

# Statements built once: building them per request cost more than SQLite's own work.
_KEY = (
    (answers.c.course == bindparam("course")) & (answers.c.widget_id == bindparam("widget_id"))
    & (answers.c.kind == bindparam("kind")) & (answers.c.author == bindparam("author"))
    & (answers.c.circle == bindparam("circle"))
)
_ANSWER_COLUMNS = tuple(c.name for c in answers.c)
_SEEN = select(receipts.c.answer_id).where(
    (receipts.c.author == bindparam("author")) & (receipts.c.client_id == bindparam("client_id")))
_BY_ID = select(*answers.c).where(answers.c.id == bindparam("answer_id"))
_LAST_ATTEMPT = select(func.max(answers.c.attempt)).where(_KEY)
_CURRENT = select(answers.c.id, answers.c.created).where(_KEY & (answers.c.attempt == 0))
_INSERT = insert(answers).values({c: bindparam(c) for c in _ANSWER_COLUMNS if c != "id"}
                                 ).returning(answers.c.id)
_UPDATE = answers.update().where(answers.c.id == bindparam("answer_id")).values(
    notebook=bindparam("new_notebook"), visibility=bindparam("new_visibility"),
    value=bindparam("new_value"), updated=bindparam("new_updated"),
)
_RECEIPT = insert(receipts).values(author=bindparam("author"), client_id=bindparam("client_id"),
                                   answer_id=bindparam("answer_id"))
# A stored answer settles the notices of its own save and of earlier saves of its prompt.
_SETTLE = delete(notices).where(
    (notices.c.author == bindparam("author")) & (notices.c.circle == bindparam("circle")) & (
        (notices.c.client_id == bindparam("client_id")) | (
            (notices.c.course == bindparam("course"))
            & (notices.c.widget_id == bindparam("widget_id"))
            & (notices.c.kind == bindparam("kind")))))
_WRITES = {"seen": _SEEN, "by_id": _BY_ID, "last_attempt": _LAST_ATTEMPT, "current": _CURRENT,
           "insert": _INSERT, "update": _UPDATE, "receipt": _RECEIPT, "settle": _SETTLE}


class _Prepared:
    """A statement compiled once for one database's dialect, run on the driver's own cursor
    inside the SQLAlchemy transaction. Profiled under the benchmark's load, SQLAlchemy's work
    per call (execution context, result objects) held the GIL longer than SQLite's own work
    and was a seventh of the service's time; this leaves only the driver's."""

    def __init__(self, statement: Any, dialect: Any):
        self.driver_error = dialect.loaded_dbapi.Error
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.fixed = dict(compiled.params)  # literals in the statement (attempt == 0)
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        # Positional drivers (sqlite3) take a tuple in the statement's order.
        self.arrange: Callable[[dict[str, Any]], Any] | None = None
        if order is not None:
            pick = operator.itemgetter(*order)
            self.arrange = (lambda v: (pick(v),)) if len(order) == 1 else pick

    def __call__(self, cursor: Any, params: dict[str, Any]) -> Any:
        values = {**self.fixed, **params} if self.fixed else params
        try:
            cursor.execute(self.sql, values if self.arrange is None else self.arrange(values))
        except self.driver_error as error:
            # As SQLAlchemy would raise it (IntegrityError, OperationalError, ...): callers
            # catch those, and the driver's own passed them by (`save` never retried a race
            # for a quiz attempt).
            raise DBAPIError.instance(self.sql, None, error, self.driver_error) from error
        return cursor


# The tables as schema 1 made them: the migrations below change them step by step, so a
# new database passes through the same steps as one that has been in use since schema 1.
_schema_1 = MetaData()
_answers_1 = Table(
    "answers", _schema_1,
    *(Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
             autoincrement=c.autoincrement) for c in answers.c),
    UniqueConstraint("course", "widget_id", "kind", "author", "circle", "attempt",
                     name="answers_key"),
    Index("answers_by_widget", "circle", "course", "widget_id"),
    Index("answers_by_author", "author"),
)
_receipts_1 = Table(
    "receipts", _schema_1,
    Column("author", String(255), primary_key=True),
    Column("client_id", String(100), primary_key=True),
    Column("answer_id", Integer, nullable=False),
)


def _create_v1(conn: Connection) -> None:
    _schema_1.create_all(conn)


def _notices_v2(conn: Connection) -> None:
    notices.create(conn)


def _fewer_trees_v3(conn: Connection) -> None:
    """The answers key author first in place of the author index; the receipts keyed id
    first, and on SQLite without a rowid. SQLite cannot change a table's constraints, so
    there both tables are rebuilt."""
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE answers DROP CONSTRAINT answers_key")
        conn.exec_driver_sql("ALTER TABLE answers ADD CONSTRAINT answers_key UNIQUE "
                             "(author, course, widget_id, kind, circle, attempt)")
        conn.exec_driver_sql("DROP INDEX answers_by_author")
        conn.exec_driver_sql("ALTER TABLE receipts DROP CONSTRAINT receipts_pkey")
        conn.exec_driver_sql("ALTER TABLE receipts ADD PRIMARY KEY (client_id, author)")
        return
    conn.exec_driver_sql("DROP INDEX answers_by_widget")
    conn.exec_driver_sql("DROP INDEX answers_by_author")
    for table in (answers, receipts):
        names = ", ".join(c.name for c in table.c)
        conn.exec_driver_sql(f"ALTER TABLE {table.name} RENAME TO {table.name}_2")
        table.create(conn)
        # Ids are copied as they are: receipts and the dashboards' "after" point at them.
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) "
                             f"SELECT {names} FROM {table.name}_2")
        conn.exec_driver_sql(f"DROP TABLE {table.name}_2")


# Append a function to change the schema; never edit one that has shipped.
MIGRATIONS: list[Callable[[Connection], None]] = [_create_v1, _notices_v2, _fewer_trees_v3]


def database_url(data_dir: str | os.PathLike[str] | None = None) -> str:
    """`$CIRCLEKIT_DATABASE_URL`, else a SQLite file in the service's data folder."""
    url = settings.get(DATABASE_URL_ENV)
    if url:
        return url
    folder = Path(data_dir or settings.get(DATA_DIR_ENV)).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DATABASE_FILE}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    # A crashed service loses nothing committed; only a power cut can lose the last commit.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    # Checkpoints run on their own thread (`Database._checkpoints`), not inside a learner's
    # commit, where they would add their disk flush to that learner's wait.
    cursor.execute("PRAGMA wal_autocheckpoint = 0")
    # After a burst, the log file is cut back to this size when it starts again.
    cursor.execute("PRAGMA journal_size_limit = 67108864")
    cursor.close()


@dataclass(frozen=True)
class Filters:
    """What a read asks for; None means any."""

    course: str | None = None
    widget_id: str | None = None
    kind: str | None = None
    author: str | None = None


class Database:
    """The answers table and the few questions the service asks of it."""

    CHECKPOINT_EVERY = 1.0  # seconds between SQLite checkpoints

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            # One connection per thread is plenty: the service writes from one worker thread.
            self.engine: Engine = create_engine(url, connect_args={"timeout": 10})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self._stop = threading.Event()
            self._checkpointer = threading.Thread(target=self._checkpoints, daemon=True,
                                                  name="circle-db-checkpoint")
        else:
            self.engine = create_engine(url, pool_size=8, max_overflow=4, pool_pre_ping=True)
        self.migrate()
        self._prepared = {name: _Prepared(statement, self.engine.dialect)
                          for name, statement in _WRITES.items()}
        # Whether any notice may be stored: while none is (the usual case), a save skips
        # settling them. Bumped under the lock by every notice kept, so a save that found
        # none never clears the flag over a notice kept meanwhile.
        self._notice_lock = threading.Lock()
        self._notice_gen = 0
        self._notices_maybe = self.notice_count() > 0
        self._settled = False
        self._restart_due = False
        if self.is_sqlite:
            self._checkpointer.start()

    def _checkpoints(self) -> None:
        # PASSIVE never waits for, or blocks, the writer; it copies what it can.
        while not self._stop.wait(self.CHECKPOINT_EVERY):
            try:
                with self.engine.connect() as conn:
                    _, frames, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
            except OperationalError:
                continue
            if frames >= WAL_RESTART_FRAMES:
                self._restart_due = True

    def _restart_log(self) -> None:
        """Start a long SQLite log again from its beginning, between two of the writer's
        batches. SQLite does that only when a write finds every frame copied back, and with
        saves arriving all the time there was always a newer frame: the log grew by every
        save (390 MB in 30,000), and commits and reads slowed as it grew. A RESTART from
        another thread rarely got its turn between batches. Here, just after a PASSIVE
        checkpoint, it has only the last moment's frames left to copy."""
        self._restart_due = False
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(RESTART)").one()
        except OperationalError:
            pass  # a reader still on the old frames: the next checkpoint asks again

    def close(self) -> None:
        if self.is_sqlite:
            self._stop.set()
            self._checkpointer.join(timeout=5)
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()

    # -- schema ----------------------------------------------------------------------------

    def version(self) -> int:
        with self.engine.connect() as conn:
            return self._version(conn)

    @staticmethod
    def _version(conn: Connection) -> int:
        if not conn.dialect.has_table(conn, "schema_version"):
            return 0
        row = conn.execute(select(schema_version.c.version)).first()
        return row[0] if row else 0

    def migrate(self) -> int:
        """Bring the schema up to date; return the version now in place."""
        target = len(MIGRATIONS)
        with self.engine.begin() as conn:
            if self.is_sqlite:
                # Python's sqlite3 begins a transaction only before a row is written, so a
                # step that only changes tables would be applied piece by piece: begin here,
                # and an interrupted upgrade leaves the old schema whole. IMMEDIATE: a second
                # service starting at the same moment waits instead of migrating too.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            if not conn.dialect.has_table(conn, "schema_version"):
                schema_version.create(conn)
            version = self._version(conn)
            if version > target:
                raise SchemaTooNew(
                    f"the circle service's database ({self._shown_url()}) has schema "
                    f"version {version}, but this circlekit knows only up to {target}; "
                    "update circlekit on the hub"
                )
            for step in MIGRATIONS[version:]:
                step(conn)
            if version != target:
                conn.execute(delete(schema_version))
                conn.execute(insert(schema_version).values(version=target))
        return target

    def _shown_url(self) -> str:
        # Never print a password in an error message.
        return self.engine.url.render_as_string(hide_password=True)

    # -- writes ----------------------------------------------------------------------------

    def save(self, answer: Answer, client_id: str | None = None) -> tuple[Answer, bool]:
        """Keep `answer`; return (what is stored, whether this call changed anything).

        A `client_id` seen before returns the answer it produced and changes nothing.
        """
        for attempt in range(5):
            try:
                with self.engine.begin() as conn:
                    result = self._save(conn, answer, client_id)
                self._after_settling()
                return result
            except (IntegrityError, OperationalError):
                # Two writers raced for the next quiz attempt (or SQLite was busy): try again.
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def _after_settling(self) -> None:
        if self._settled:
            self._settled = False
            self.notice_count()  # the last one settled: saves stop looking

    def _save(self, conn: Connection, answer: Answer, client_id: str | None
              ) -> tuple[Answer, bool]:
        return self._save_all(conn, [(answer, client_id)], True)[0]

    def _save_all(self, conn: Connection, items: list[tuple[Answer, str | None]],
                  look_for_replay: bool) -> list[tuple[Answer, bool]]:
        run, cursor = self._prepared, conn.connection.driver_connection.cursor()
        try:
            return [self._save_with(run, cursor, a, c, look_for_replay) for a, c in items]
        finally:
            cursor.close()

    def _save_with(self, run: dict[str, _Prepared], cursor: Any, answer: Answer,
                   client_id: str | None, look_for_replay: bool) -> tuple[Answer, bool]:
        if client_id and look_for_replay:
            seen = run["seen"](cursor, {"author": answer.author,
                                        "client_id": client_id}).fetchone()
            if seen is not None:
                row = run["by_id"](cursor, {"answer_id": seen[0]}).fetchone()
                if row is None:
                    # Applied once, deleted since: a replay must neither bring it back nor
                    # fail (a failure would be retried forever).
                    return answer, False
                earlier = _answer(dict(zip(_ANSWER_COLUMNS, row, strict=True)))
                if earlier.key[:5] != answer.key[:5]:
                    raise BadAnswer(409, f"client_id {client_id!r} was already used for "
                                         "another answer; send each answer with an id of its "
                                         "own", "client_id")
                return earlier, False
        key = {"course": answer.course, "widget_id": answer.widget_id, "kind": answer.kind,
               "author": answer.author, "circle": answer.circle}
        value = to_json(answer.value)
        if answer.kind in APPEND_KINDS:
            last = run["last_attempt"](cursor, key).fetchone()[0]
            stored = answer.with_(attempt=(last or 0) + 1)
            new_id = run["insert"](cursor, _columns(stored, value)).fetchone()[0]
        else:
            stored = answer.with_(attempt=0)
            row = run["current"](cursor, key).fetchone()
            if row is None:
                new_id = run["insert"](cursor, _columns(stored, value)).fetchone()[0]
            else:
                # Keep `created`: "when did they first answer" survives edits.
                new_id = row[0]
                stored = stored.with_(created=row[1])
                run["update"](cursor, {
                    "answer_id": new_id, "new_notebook": stored.notebook,
                    "new_visibility": stored.visibility, "new_value": value,
                    "new_updated": stored.updated,
                })
        if client_id:
            run["receipt"](cursor, {"client_id": client_id, "author": answer.author,
                                    "answer_id": new_id})
        if self._notices_maybe and run["settle"](
                cursor, {**key, "client_id": client_id or ""}).rowcount:
            self._settled = True
        return stored, True

    def save_many(self, items: list[tuple[Answer, str | None]]
                  ) -> list[tuple[Answer, bool] | Exception]:
        """Save several answers in one transaction (one commit for all: "group commit").

        When any of them fails the batch is rolled back and each is saved on its own, so one
        bad answer never costs another learner theirs. A batch (of one too: when saves come
        a few a second, as in a circle, each is a batch of its own) first goes without
        looking for receipts, one statement fewer per save: a replay (rare: its reply was
        lost) then fails on the receipt's key, and the batch is done again looking for them.
        """
        if self._restart_due:
            self._restart_log()
        if items:
            for look in (False, True):
                try:
                    with self.engine.begin() as conn:
                        together = self._save_all(conn, items, look)
                    self._after_settling()
                    return list(together)
                except IntegrityError:
                    continue  # a replay, or two saves racing for a quiz attempt
                except Exception:  # noqa: BLE001 - found again below, for the one answer
                    break
        results: list[tuple[Answer, bool] | Exception] = []
        for a, c in items:
            try:
                results.append(self.save(a, c))
            except Exception as error:  # noqa: BLE001 - handed back to that answer's request
                results.append(error)
        return results

    def delete_author(self, author: str, circle: str | None = None) -> int:
        """Delete everything `author` wrote (in `circle` when given); return rows deleted."""
        where = answers.c.author == author
        if circle is not None:
            where &= answers.c.circle == circle
        gone = notices.c.author == author
        if circle is not None:
            gone &= notices.c.circle == circle
        # Receipts have no index by author (it would cost every save a page): deleting
        # someone's answers reads them all, which is rare and quick enough.
        with self.engine.begin() as conn:
            if circle is None:
                conn.execute(delete(receipts).where(receipts.c.author == author))
            else:
                # The receipts stay, so a replay of a deleted save is known and not stored
                # again; they point at no row (0), because SQLite hands a deleted last row's
                # number to the next answer, and a replay must not be taken for that one.
                conn.execute(receipts.update().where(
                    (receipts.c.author == author)
                    & receipts.c.answer_id.in_(select(answers.c.id).where(where))
                ).values(answer_id=0))
            deleted = conn.execute(delete(answers).where(where)).rowcount
            conn.execute(delete(notices).where(gone))
        return deleted

    # -- notices of parked answers -----------------------------------------------------------

    def add_notice(self, author: str, circle: str, notice: Notice) -> bool:
        """Keep `notice` of `author`'s parked answer in `circle`; False when that answer has
        arrived meanwhile (the notice came late), so there is nothing to tell."""
        with self._notice_lock:
            self._notice_gen += 1
            self._notices_maybe = True
        with self.engine.begin() as conn:
            seen = conn.execute(_SEEN, {"author": author, "client_id": notice.client_id}).first()
            if seen is not None:
                return False
            conn.execute(delete(notices).where((notices.c.author == author)
                                               & (notices.c.client_id == notice.client_id)))
            conn.execute(insert(notices).values(author=author, circle=circle,
                                                **notice.to_dict()))
        return True

    def list_notices(self, circle: str, author: str | None = None) -> list[dict[str, Any]]:
        """The notices kept for `circle` (of `author` only, when given), oldest first."""
        query = select(notices).where(notices.c.circle == circle)
        if author is not None:
            query = query.where(notices.c.author == author)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(notices.c.id)).all()
        return [{k: v for k, v in row._mapping.items() if k != "id"} for row in rows]

    def notice_count(self) -> int:
        """How many notices are kept; at 0 saves stop looking for notices to settle."""
        with self._notice_lock:
            gen = self._notice_gen
        with self.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(notices)).scalar() or 0
        with self._notice_lock:
            if count == 0 and gen == self._notice_gen:
                self._notices_maybe = False
        return count

    # -- reads -----------------------------------------------------------------------------

    def list(self, circles: Iterable[str], filters: Filters = Filters(),
             after: int = 0) -> list[tuple[int, Answer]]:
        """(arrival id, answer) for every answer in `circles` matching `filters`, in arrival
        order; `after` skips what a caller has already seen (the dashboard's live view)."""
        circles = list(circles)
        if not circles:
            return []
        query = select(answers).where(answers.c.circle.in_(circles))
        for name in ("course", "widget_id", "kind", "author"):
            wanted = getattr(filters, name)
            if wanted is not None:
                query = query.where(answers.c[name] == wanted)
        if after:
            query = query.where(answers.c.id > after)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(answers.c.id)).all()
        return [(row.id, _answer(row)) for row in rows]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(answers)).scalar() or 0


def _columns(answer: Answer, value: str) -> dict[str, Any]:
    data = answer.to_dict()
    data["value"] = value
    return data


def _answer(row: Any) -> Answer:
    data = dict(row if isinstance(row, dict) else row._mapping)
    data.pop("id", None)
    data["value"] = json.loads(data["value"])
    return Answer(**data)
