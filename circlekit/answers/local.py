"""`LocalStore`: answers in one SQLite file, safe for several kernels writing at once.

Why it is shaped like this:
- WAL mode lets readers (circle panels refreshing) run while a writer commits.
- Every write is one short `BEGIN IMMEDIATE` transaction, so a writer takes the lock up front
  instead of failing half-way when it upgrades from reading to writing.
- `busy_timeout` makes SQLite wait for the lock; on top of that `_run` retries with backoff,
  because WAL-mode start-up and checkpoints can still report "database is locked".
- Nothing is opened in `__init__`: creating a widget must be cheap and must never fail.
- The schema version is SQLite's `user_version`; `MIGRATIONS[i]` takes a file from version i
  to i + 1, all inside one transaction, so an interrupted upgrade leaves the old file intact.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from circlekit.answers.record import APPEND_KINDS, Answer, check_answer
from circlekit.answers.store import Store
from circlekit.errors import BadAnswer, StoreError

T = TypeVar("T")

COLUMNS = (
    "course", "notebook", "widget_id", "kind", "author", "circle", "visibility", "value",
    "created", "updated", "attempt",
)


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE answers (
            course     TEXT NOT NULL,
            notebook   TEXT NOT NULL,
            widget_id  TEXT NOT NULL,
            kind       TEXT NOT NULL,
            author     TEXT NOT NULL,
            circle     TEXT NOT NULL,
            visibility TEXT NOT NULL,
            value      TEXT NOT NULL,
            created    TEXT NOT NULL,
            updated    TEXT NOT NULL,
            attempt    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (course, widget_id, kind, author, circle, attempt)
        )
        """
    )
    # Circle panels and polls read "everyone's answers to this widget in this circle".
    conn.execute("CREATE INDEX answers_by_widget ON answers (course, widget_id, circle)")


# Append a function to change the schema; never edit one that has shipped.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_v1]


def schema_version() -> int:
    return len(MIGRATIONS)


_READ_ONLY = ("the answers folder {folder} is read-only: answers saved earlier can be read, "
              "new ones cannot be saved there")


def _read_only(folder: Path) -> bool:
    """Whether `folder` (or the nearest existing folder above it) cannot be written, even by
    root: a read-only mount, or no write permission."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(folder, os.W_OK)


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _for_people(error: BaseException) -> str:
    """Say what went wrong in words a learner can pass on to their facilitator."""
    text = str(error).lower()
    if "readonly" in text or "read-only" in text or isinstance(error, PermissionError):
        return "the answers file cannot be written (the folder or disk is read-only)"
    if _is_busy(error if isinstance(error, sqlite3.Error) else sqlite3.Error(text)):
        return "the answers file is busy (another program is holding it); try again in a moment"
    if "full" in text:
        return "the disk is full"
    if "unable to open" in text or isinstance(error, OSError):
        return "the answers file cannot be opened"
    if "not a database" in text or "malformed" in text:
        return "the answers file is damaged"
    return f"the answers file had a problem ({error})"


class LocalStore(Store):
    """Answers in a SQLite file at `path` (created with its folder on first use)."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 15.0):
        self.path = Path(path)
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        # The circle panel refreshes from the kernel's event loop; one connection, one user.
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"LocalStore({str(self.path)!r})"

    # -- connection and schema ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # A connection inherited through fork() must not be used by the child.
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if _read_only(self.path.parent):
            conn = self._connect_read_only()
            self._conn, self._pid = conn, os.getpid()
            return conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite's own wait is a slice of our deadline, so `_run` can retry (or give up) in time.
        wait = min(5.0, self.timeout / 3)
        conn = sqlite3.connect(
            self.path, timeout=wait, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            # Durable against a crashed kernel; only a power cut can lose the last commit.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """Answers saved earlier, readable from a read-only folder (a locked-down lab computer,
        a full backup mount). SQLite's WAL mode needs to create files beside the database, so
        the file is opened as immutable: nobody can be writing to it."""
        if not self.path.exists():
            raise StoreError(_READ_ONLY.format(folder=self.path.parent))
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                               isolation_level=None, check_same_thread=False)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except BaseException:
            conn.close()
            raise
        if version != schema_version():
            conn.close()
            raise StoreError(_READ_ONLY.format(folder=self.path.parent)
                             + f"; its answers file has schema {version}, not "
                             f"{schema_version()}")
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        target = schema_version()
        if conn.execute("PRAGMA user_version").fetchone()[0] == target:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another kernel may have just migrated.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > target:
                raise StoreError(
                    f"the answers file {self.path} was written by a newer circlekit "
                    f"(schema {version}, this one knows {target}); update circlekit"
                )
            for step in MIGRATIONS[version:]:
                step(conn)
            conn.execute(f"PRAGMA user_version = {int(target)}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            try:
                with self._lock:
                    return work(self._connect())
            except StoreError:
                raise
            except sqlite3.Error as error:
                if _is_busy(error) and time.monotonic() < deadline:
                    # Jitter keeps several kernels from retrying in lock-step.
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 0.25)
                    continue
                self._drop_connection()
                raise StoreError(_for_people(error)) from error
            except OSError as error:
                self._drop_connection()
                raise StoreError(_for_people(error)) from error

    def _drop_connection(self) -> None:
        # After an error the connection may be half-made or mid-transaction; start afresh.
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except sqlite3.Error:
                    pass
            self._conn = None

    def close(self) -> None:
        self._drop_connection()

    # -- the Store interface ---------------------------------------------------------------

    def save(self, answer: Answer) -> Answer:
        try:
            check_answer(answer)
        except BadAnswer as bad:
            raise StoreError(f"the answer cannot be kept: {bad.message}") from None
        if _read_only(self.path.parent):
            raise StoreError(_READ_ONLY.format(folder=self.path.parent))
        value = json.dumps(answer.value, ensure_ascii=False)

        def work(conn: sqlite3.Connection) -> Answer:
            conn.execute("BEGIN IMMEDIATE")
            try:
                stored = self._write(conn, answer, value)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            return stored

        return self._run(work)

    @staticmethod
    def _write(conn: sqlite3.Connection, answer: Answer, value: str) -> Answer:
        key = (answer.course, answer.widget_id, answer.kind, answer.author, answer.circle)
        where = "course = ? AND widget_id = ? AND kind = ? AND author = ? AND circle = ?"
        if answer.kind in APPEND_KINDS:
            last = conn.execute(f"SELECT MAX(attempt) FROM answers WHERE {where}", key)
            stored = answer.with_(attempt=(last.fetchone()[0] or 0) + 1)
            conn.execute(
                f"INSERT INTO answers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 11)})",
                _row(stored, value),
            )
            return stored
        stored = answer.with_(attempt=0)
        conn.execute(
            f"""INSERT INTO answers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 11)})
                ON CONFLICT (course, widget_id, kind, author, circle, attempt) DO UPDATE SET
                    notebook = excluded.notebook, visibility = excluded.visibility,
                    value = excluded.value, updated = excluded.updated""",
            _row(stored, value),
        )
        created = conn.execute(f"SELECT created FROM answers WHERE {where} AND attempt = 0", key)
        return stored.with_(created=created.fetchone()[0])

    def get(
        self, *, course: str, widget_id: str, kind: str, author: str, circle: str
    ) -> Answer | None:
        def work(conn: sqlite3.Connection) -> Answer | None:
            row = conn.execute(
                f"""SELECT {', '.join(COLUMNS)} FROM answers
                    WHERE course = ? AND widget_id = ? AND kind = ? AND author = ? AND circle = ?
                    ORDER BY attempt DESC LIMIT 1""",
                (course, widget_id, kind, author, circle),
            ).fetchone()
            return _answer(row) if row else None

        return self._run(work)

    def list(
        self,
        *,
        course: str | None = None,
        widget_id: str | None = None,
        kind: str | None = None,
        circle: str | None = None,
        author: str | None = None,
    ) -> list[Answer]:
        filters = {
            "course": course, "widget_id": widget_id, "kind": kind, "circle": circle,
            "author": author,
        }
        given = {k: v for k, v in filters.items() if v is not None}
        where = " AND ".join(f"{k} = ?" for k in given) or "1"

        def work(conn: sqlite3.Connection) -> list[Answer]:
            rows = conn.execute(
                f"""SELECT {', '.join(COLUMNS)} FROM answers WHERE {where}
                    ORDER BY created, updated, rowid""",
                tuple(given.values()),
            ).fetchall()
            return [_answer(row) for row in rows]

        return self._run(work)


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite may already have rolled back (e.g. after a full disk); the first error matters.
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _row(answer: Answer, value: str) -> tuple[Any, ...]:
    return (
        answer.course, answer.notebook, answer.widget_id, answer.kind, answer.author,
        answer.circle, answer.visibility, value, answer.created, answer.updated, answer.attempt,
    )


def _answer(row: tuple[Any, ...]) -> Answer:
    data = dict(zip(COLUMNS, row, strict=True))
    data["value"] = json.loads(data["value"])
    return Answer(**data)
