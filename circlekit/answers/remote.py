"""`HubStore`: answers shared with the circle through the circle service on JupyterHub.

Nothing typed is ever lost, whatever the network does:
1. `save()` first writes the answer to the learner's local answers file (`LocalStore`), so
   it is on disk before anything else happens and `get()` finds it offline;
2. then it appends the answer to an outbox (a small SQLite file beside it) with a fresh
   `client_id`;
3. a background thread sends the outbox to the service oldest first, one at a time; while
   the service cannot be reached it retries with growing, jittered pauses (0.5 s doubling
   up to `max_delay`), keeping the order. The service applies each `client_id` once, so a
   save whose reply was lost and which is sent again is still stored exactly once.

The thread never blocks the kernel: `save()` waits at most `wait` seconds (only while the
service was reachable at the last try) so that the usual case can say "shared" at once. The
outbox survives the kernel: the next kernel of the same learner sends what is left (one
kernel at a time holds the outbox's lease, so two notebooks never send the same entry).

What the sender does with each reply:
- stored (200/201): "sent";
- refused for good (a 4xx naming what is wrong with the answer): "rejected";
- "not in this circle" (403, which the service says only after reading membership again)
  and the service's own server errors (500): tried again with growing pauses, at most
  `MAX_TRIES` times; then the entry is "parked" with the reason, and later saves go on. One
  answer that always fails never stops the others;
- "not now" (no reply, a proxy's error page, 503 "cannot store right now", 429 "too many
  saves", honouring Retry-After): waits and tries again, however long it takes.
The sender survives any error of its own (a full or locked outbox file): it says what
happened in `last_error` and tries again.

A parked answer is also reported to the circle, so the facilitator sees it whatever made it
fail: parking queues a "could not share" notice (`circlekit.answers.notice`: the answer's
ids, the reason and the tries, not its text), which the sender posts to the service's
`notices` address between answers. A notice that cannot be sent now is tried again later and
never holds up an answer; one whose answer was put back in the queue meanwhile is not sent.

What a widget can read to tell the learner where their answer is:
- `status(answer)`: "shared" (the circle has it), "waiting" (kept on this computer, will be
  shared when the service can be reached), "rejected" (the service refused it; `problem()`
  says why, and the answer stays in the local file) or "parked" (tried `MAX_TRIES` times
  without success; `problem()` says why; `parked()` lists them, `retry_parked()` tries again);
- `pending()`: how many saves are waiting; `online`: whether the last contact worked;
- `subscribe(callback)`: `callback()` runs (on the sender thread) after every delivery or
  rejection, so a status line can change from "saved, will share when connected" to "shared".
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from circlekit import settings
from circlekit.answers.local import LocalStore
from circlekit.answers.notice import check_notice, short_reason
from circlekit.answers.record import Answer, now
from circlekit.answers.store import STORE_FILE, Store, kit_home
from circlekit.errors import BadAnswer, StoreError

SERVICE_URL_ENV = "CIRCLEKIT_SERVICE_URL"
OUTBOX_FILE = "hub-outbox.sqlite3"
SERVICE_HEADER = "X-Circlekit-Service"
# The service's own 4xx answers are final, except these: "not now", retried without end...
RETRY_STATUSES = {401, 408, 425, 429, 502, 503, 504}
# ...and these, retried MAX_TRIES times and then parked: they may pass a moment later (a
# membership change) or never (a server fault), and must not hold up the saves behind them.
PARK_STATUSES = {403, 500}
MAX_TRIES = 6
KEEP_SENT = 500


def new_client_id() -> str:
    """A save's id for the service's exactly-once receipts: the time first, then 64 random
    bits. The service keeps receipts in id order, so time-ordered ids go in at the end of
    that index: one page written per commit instead of a page per save (random ids slowed
    every commit as the receipts grew)."""
    return f"{time.time_ns():016x}{uuid.uuid4().hex[:16]}"


class Outbox:
    """Saves waiting to be sent, in order, in a SQLite file of their own."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("""CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                client_id TEXT NOT NULL,
                circle TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'waiting',
                problem TEXT,
                tries INTEGER NOT NULL DEFAULT 0)""")
            # Notices of parked answers for the facilitator, one per parked entry.
            conn.execute("""CREATE TABLE IF NOT EXISTS notices (
                entry INTEGER PRIMARY KEY,
                circle TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'waiting')""")
            conn.execute("CREATE TABLE IF NOT EXISTS lease "
                         "(id INTEGER PRIMARY KEY, owner TEXT, expires REAL)")
            conn.execute("INSERT OR IGNORE INTO lease VALUES (1, '', 0)")
            self._conn = conn
        return self._conn

    def add(self, circle: str, payload: dict[str, Any]) -> int:
        with self._lock:
            cur = self._db().execute(
                "INSERT INTO outbox (client_id, circle, payload) VALUES (?, ?, ?)",
                (payload["client_id"], circle, json.dumps(payload, ensure_ascii=False)),
            )
            return int(cur.lastrowid or 0)

    def next(self) -> tuple[int, str, dict[str, Any]] | None:
        with self._lock:
            row = self._db().execute(
                "SELECT id, circle, payload FROM outbox WHERE state = 'waiting' "
                "ORDER BY id LIMIT 1").fetchone()
        return None if row is None else (row[0], row[1], json.loads(row[2]))

    def mark(self, entry: int, state: str, problem: str | None = None) -> None:
        with self._lock:
            db = self._db()
            db.execute("UPDATE outbox SET state = ?, problem = ?, tries = tries + 1 "
                       "WHERE id = ?", (state, problem, entry))
            # Keep the file small: forget all but the latest deliveries.
            db.execute("DELETE FROM outbox WHERE state = 'sent' AND id <= "
                       "(SELECT MAX(id) FROM outbox) - ?", (KEEP_SENT,))

    def park(self, entry: int, problem: str | None, notice: dict[str, Any] | None) -> None:
        """Set `entry` aside (counting this try) and queue its notice, in one transaction."""
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("UPDATE outbox SET state = 'parked', problem = ?, tries = tries + 1 "
                           "WHERE id = ?", (problem, entry))
                if notice is not None:
                    db.execute("INSERT OR REPLACE INTO notices (entry, circle, payload, state) "
                               "SELECT id, circle, ?, 'waiting' FROM outbox WHERE id = ?",
                               (json.dumps(notice, ensure_ascii=False), entry))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def notices(self) -> list[tuple[int, str, dict[str, Any]]]:
        """Notices still to send, of entries that are still parked, oldest first."""
        with self._lock:
            rows = self._db().execute(
                "SELECT n.entry, n.circle, n.payload FROM notices n JOIN outbox o "
                "ON o.id = n.entry WHERE n.state = 'waiting' AND o.state = 'parked' "
                "ORDER BY n.entry").fetchall()
        return [(r[0], r[1], json.loads(r[2])) for r in rows]

    def notice_done(self, entry: int, state: str) -> None:
        with self._lock:
            self._db().execute("UPDATE notices SET state = ? WHERE entry = ?", (state, entry))

    def tried(self, entry: int) -> None:
        with self._lock:
            self._db().execute("UPDATE outbox SET tries = tries + 1 WHERE id = ?", (entry,))

    def state(self, entry: int) -> tuple[str, str | None]:
        with self._lock:
            row = self._db().execute("SELECT state, problem FROM outbox WHERE id = ?",
                                     (entry,)).fetchone()
        # Pruned entries were delivered long ago.
        return (row[0], row[1]) if row else ("sent", None)

    def tries(self, entry: int) -> int:
        with self._lock:
            row = self._db().execute("SELECT tries FROM outbox WHERE id = ?",
                                     (entry,)).fetchone()
        return row[0] if row else 0

    def unpark(self) -> int:
        with self._lock:
            return self._db().execute("UPDATE outbox SET state = 'waiting', tries = 0, "
                                      "problem = NULL WHERE state = 'parked'").rowcount

    def payloads(self, state: str) -> list[tuple[dict[str, Any], str | None]]:
        with self._lock:
            rows = self._db().execute("SELECT payload, problem FROM outbox WHERE state = ? "
                                      "ORDER BY id", (state,)).fetchall()
        return [(json.loads(r[0]), r[1]) for r in rows]

    def count(self, state: str = "waiting") -> int:
        with self._lock:
            return self._db().execute("SELECT COUNT(*) FROM outbox WHERE state = ?",
                                      (state,)).fetchone()[0]

    def waiting_payloads(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db().execute("SELECT payload FROM outbox WHERE state = 'waiting' "
                                      "ORDER BY id").fetchall()
        return [json.loads(r[0]) for r in rows]

    def claim(self, owner: str, seconds: float) -> bool:
        """Hold the right to send for `seconds`; False while another live kernel holds it."""
        now = time.time()
        with self._lock:
            cur = self._db().execute(
                "UPDATE lease SET owner = ?, expires = ? WHERE id = 1 AND "
                "(owner = ? OR expires < ?)", (owner, now + seconds, owner, now))
            return cur.rowcount == 1

    def release(self, owner: str) -> None:
        with self._lock:
            self._db().execute("UPDATE lease SET expires = 0 WHERE id = 1 AND owner = ?",
                               (owner,))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _notice(payload: dict[str, Any], problem: str | None, tries: int
            ) -> dict[str, Any] | None:
    """The "could not share" notice of a parked save (its ids and why, never its text),
    checked by the one notice validator; None if it cannot be made valid."""
    data = {"client_id": payload.get("client_id"), "course": payload.get("course", ""),
            "notebook": payload.get("notebook", ""), "widget_id": payload.get("widget_id"),
            "kind": payload.get("kind"), "reason": short_reason(problem), "tries": tries,
            "parked": now()}
    try:
        return check_notice(data).to_dict()
    except BadAnswer:
        return None


def _key(answer: Answer) -> tuple[str, str, str, str, str]:
    return (answer.course, answer.widget_id, answer.kind, answer.author, answer.circle)


class HubStore(Store):
    """Answers kept on this computer and shared with the circle through the circle service."""

    def __init__(
        self,
        url: str,
        token: str,
        *,
        user: str | None = None,
        home: str | os.PathLike[str] | None = None,
        timeout: float = 5.0,
        wait: float = 2.0,
        max_delay: float = 30.0,
        start: bool = True,
    ):
        home_path = Path(home) if home is not None else kit_home()
        self.url = url.rstrip("/") + "/"
        self.api = self.url + "api/v1/"
        self.user = user or os.environ.get("JUPYTERHUB_USER", "")
        self.local = LocalStore(home_path / STORE_FILE)
        self.outbox = Outbox(home_path / OUTBOX_FILE)
        self.timeout = timeout
        self.wait = wait
        self.max_delay = max_delay
        self.online = True
        self.last_error: str | None = None
        self._token = token
        self._owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._entries: dict[tuple[str, str, str, str, str], int] = {}
        self._listeners: list[Callable[[], None]] = []
        self._changed = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._down_until = 0.0
        self._local_http = threading.local()
        self._thread: threading.Thread | None = None
        if start:
            self.start()

    def __repr__(self) -> str:
        return f"HubStore({self.url!r}, user={self.user!r})"

    # -- HTTP --------------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        # requests.Session is not thread-safe: one per thread (kernel and sender).
        session = getattr(self._local_http, "session", None)
        if session is None:
            session = service_session(self._token)
            self._local_http.session = session
        return session

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self._session().request(method, self.api + path, timeout=self.timeout, **kwargs)

    # -- the sender ----------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="circlekit-outbox",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                delay = self._step(delay)
            except Exception as error:  # noqa: BLE001 - the sender must outlive any one fault
                # Say what happened where a widget (or a helper at the keyboard) can read it,
                # then carry on after a pause: the outbox file may be full or locked a while.
                self.last_error = f"{type(error).__name__}: {error}"
                self.online = False
                self._notify()
                self._wake.wait(delay * (1 + 0.2 * random.random()))
                self._wake.clear()
                delay = min(delay * 2, self.max_delay)
        try:
            self.outbox.release(self._owner)
        except Exception as error:  # noqa: BLE001 - the lease expires by itself
            self.last_error = f"{type(error).__name__}: {error}"

    def _step(self, delay: float) -> float:
        """Send the oldest waiting entry once; return the pause to use after a failure."""
        if not self.outbox.claim(self._owner, 30):
            self._stop.wait(5)  # another kernel of this learner is sending
            return delay
        item = self.outbox.next()
        if item is None:
            self._send_notices()
            self._wake.wait(5)
            self._wake.clear()
            return delay
        entry, circle, payload = item
        outcome, problem, retry_after = self._send(circle, payload)
        if outcome in ("retry", "park"):
            if outcome == "park" and self.outbox.tries(entry) + 1 >= MAX_TRIES:
                self.outbox.park(entry, problem, _notice(payload, problem, MAX_TRIES))
                self.last_error = None
                self._notify()
                self._send_notices()
                return 0.5
            self.outbox.tried(entry)
            self.online = outcome == "park"  # the service answered; it is reachable
            self._down_until = time.monotonic() + (0 if self.online else delay)
            self._notify()
            pause = retry_after if retry_after is not None else delay
            if retry_after is not None or outcome == "park":
                # The service answered and asked for a pause, or refused: a new save or a
                # flush() must not make the tries count faster.
                self._stop.wait(pause * (1 + 0.2 * random.random()))
            else:
                # A new save wakes the sender early: the learner just acted, try again now.
                self._wake.wait(pause * (1 + 0.2 * random.random()))
            self._wake.clear()
            return min(delay * 2, self.max_delay)
        self.online = True
        self.last_error = None
        self.outbox.mark(entry, outcome, problem)
        self._notify()
        self._send_notices()
        return 0.5

    def _send_notices(self) -> None:
        """Post the notices of parked answers, once each; stop at the first that must wait."""
        for entry, circle, notice in self.outbox.notices():
            body = json.dumps(notice, ensure_ascii=False).encode("utf-8")
            try:
                response = self._request("POST", f"circles/{circle}/notices", data=body,
                                         headers={"Content-Type": "application/json"})
            except requests.RequestException:
                return
            status = response.status_code
            if not from_service(response) or status in RETRY_STATUSES or status >= 500:
                return  # later: the next delivery, or the next quiet moment, tries again
            # Kept, or refused for good (e.g. no longer in the circle): either way, done.
            self.outbox.notice_done(entry, "sent" if status in (200, 201) else "refused")

    def _send(self, circle: str, payload: dict[str, Any]
              ) -> tuple[str, str | None, float | None]:
        """(outcome, problem, seconds the service asked to wait) for one try."""
        # UTF-8, not \u escapes: an answer the widget accepted always fits the service's cap.
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            response = self._request("POST", f"circles/{circle}/answers", data=body,
                                     headers={"Content-Type": "application/json"})
        except requests.RequestException:
            return "retry", None, None
        status = response.status_code
        if not from_service(response):
            # The proxy's or hub's error page (the service is restarting): later.
            return "retry", None, None
        if status in (200, 201):
            return "sent", None, None
        if status in RETRY_STATUSES:
            return "retry", None, _retry_after(response)
        reason = f"the circle service refused it: {service_error(response)}"
        if status in PARK_STATUSES or status >= 500:
            return "park", reason, None
        return "rejected", reason, None

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:  # noqa: BLE001 - a widget's display problem must not stop sending
                pass

    # -- what widgets can read -----------------------------------------------------------------

    def subscribe(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after every delivery, rejection or failed try (sender thread)."""
        self._listeners.append(callback)

    def unsubscribe(self, callback: Callable[[], None]) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def pending(self) -> int:
        """How many saves are waiting to be shared."""
        return self.outbox.count("waiting")

    def status(self, answer: Answer) -> str:
        """"shared", "waiting" or "rejected" for the latest save of `answer`'s widget."""
        entry = self._entries.get(_key(answer))
        if entry is None:
            return "shared" if self.pending() == 0 else "waiting"
        state, _ = self.outbox.state(entry)
        return {"sent": "shared"}.get(state, state)

    def parked(self) -> list[tuple[dict[str, Any], str | None]]:
        """Saves set aside after `MAX_TRIES` failed tries, with the reason, oldest first."""
        return self.outbox.payloads("parked")

    def retry_parked(self) -> int:
        """Put parked saves back in the queue; return how many."""
        count = self.outbox.unpark()
        self._wake.set()
        return count

    def problem(self, answer: Answer) -> str | None:
        entry = self._entries.get(_key(answer))
        return None if entry is None else self.outbox.state(entry)[1]

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until nothing is waiting (True) or `timeout` passes (False)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.pending():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.set()
                self._changed.wait(min(left, 0.5))
        return True

    # -- the Store interface ---------------------------------------------------------------------

    def save(self, answer: Answer) -> Answer:
        stored = self.local.save(answer)  # on disk first; raises StoreError with its reason
        payload = {k: v for k, v in stored.to_dict().items() if k != "attempt"}
        payload["client_id"] = new_client_id()
        try:
            entry = self.outbox.add(stored.circle, payload)
        except sqlite3.Error as error:
            raise StoreError(f"saved on this computer, but it could not be queued for the "
                             f"circle ({error})") from error
        self._entries[_key(stored)] = entry
        self._wake.set()
        if self.online and self.wait > 0:
            deadline = time.monotonic() + self.wait
            with self._changed:
                while self.outbox.state(entry)[0] == "waiting" and self.online:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._changed.wait(left)
        return stored

    def _reachable(self) -> bool:
        return time.monotonic() >= self._down_until

    def _fetch(self, circle: str, params: dict[str, str]) -> list[Answer] | None:
        """The circle's answers the service shows this learner, or None when unreachable."""
        if not self._reachable():
            return None
        try:
            response = self._request("GET", f"circles/{circle}/answers", params=params)
        except requests.RequestException:
            self._down_until = time.monotonic() + 10
            self.online = False
            return None
        if not from_service(response):
            self._down_until = time.monotonic() + 10
            self.online = False
            return None
        if response.status_code != 200:
            raise StoreError(f"the circle service said: {service_error(response)}")
        self.online = True
        return [Answer.from_dict(row) for row in response.json()["answers"]]

    def get(self, *, course: str, widget_id: str, kind: str, author: str, circle: str
            ) -> Answer | None:
        # This learner's own answers were written here first, so the local file is newest.
        found = self.local.get(course=course, widget_id=widget_id, kind=kind, author=author,
                               circle=circle)
        if found is not None:
            return found
        remote = self._fetch(circle, {"course": course, "widget_id": widget_id, "kind": kind,
                                      "author": author})
        if not remote:
            return None
        return max(remote, key=lambda a: a.attempt)

    def list(
        self,
        *,
        course: str | None = None,
        widget_id: str | None = None,
        kind: str | None = None,
        circle: str | None = None,
        author: str | None = None,
    ) -> list[Answer]:
        local = self.local.list(course=course, widget_id=widget_id, kind=kind, circle=circle,
                                author=author)
        if circle is None:
            return local  # the service is asked one circle at a time; widgets always name one
        params = {k: v for k, v in {"course": course, "widget_id": widget_id, "kind": kind,
                                    "author": author}.items() if v is not None}
        remote = self._fetch(circle, params)
        if remote is None:
            return local
        # Own answers: the local copy is newest (it may not be shared yet); others': the
        # service's. Own answers from another computer come from the service.
        mine = [a for a in local if a.author == self.user]
        have = {(*_key(a), a.attempt) for a in mine}
        merged = mine + [a for a in remote
                         if a.author != self.user or (*_key(a), a.attempt) not in have]
        return sorted(merged, key=lambda a: (a.created, a.updated))

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.timeout + 1)
        self.outbox.close()
        self.local.close()


_from_env: HubStore | None = None
_from_env_lock = threading.Lock()


def service_session(token: str) -> requests.Session:
    """How the kit talks to the circle service (hub store, dashboard): the hub token in the
    header, and never a proxy from the environment, which would be handed the token."""
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    session.trust_env = False
    return session


def from_service(response: requests.Response) -> bool:
    """Whether a reply is the circle service's own, not a proxy's or the hub's error page."""
    return SERVICE_HEADER in response.headers  # requests' headers ignore case


def _retry_after(response: requests.Response) -> float | None:
    try:
        return min(60.0, max(0.0, float(response.headers.get("Retry-After", ""))))
    except ValueError:
        return None


def service_error(response: requests.Response) -> str:
    """The reason the circle service gave in its JSON error reply, else the HTTP reason."""
    try:
        return response.json().get("error") or response.reason
    except ValueError:
        return response.reason


def hub_store_from_env() -> HubStore | None:
    """The kernel's HubStore when it runs under a hub with the circle service, else None.

    The hub's configuration sets `CIRCLEKIT_SERVICE_URL` for every server it starts, and the
    hub gives each server (and so its kernels) `JUPYTERHUB_API_TOKEN`. One store per kernel.
    """
    global _from_env
    url = settings.get(SERVICE_URL_ENV)
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not url or not token:
        return None
    with _from_env_lock:
        if _from_env is None:
            _from_env = HubStore(url, token)
        return _from_env
