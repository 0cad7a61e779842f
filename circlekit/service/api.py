"""The circle service's REST API, version 1: request handlers, who may do what, JSON out.

Every path is under `<service prefix>api/v1/`:

    GET    health                         no token needed; {"ok": true, "schema": n}
    GET    me                             who you are, your circles, the circles you facilitate
    DELETE me/answers                     delete everything you wrote, in every circle
    GET    circles/<c>                    the circle (members: facilitators only)
    GET    circles/<c>/answers            the answers you may see (filters: course, widget_id,
                                          kind, author, after=<id> for "only what is new")
    POST   circles/<c>/answers            save your answer (JSON object; see validate.py);
                                          the reply: {"answer": its key and times, "applied"}
    DELETE circles/<c>/answers            delete your own answers in the circle
    GET    circles/<c>/tallies            poll counts per prompt (course, widget_id)
    GET    circles/<c>/goals              goals and goal-met ratings (yours; all for facilitators)
    GET    circles/<c>/export             facilitators: every answer, ?format=csv|json
    POST   circles/<c>/notices            "could not share": your hub store parked an answer
                                          (see circlekit/answers/notice.py)
    GET    circles/<c>/notices            facilitators: the circle's parked answers, by whom
                                          and why; a member may ask for their own (?author=)

Who sees what (the caller is always the token's user):
- your own answers, always, whatever their visibility;
- a circle member: others' answers shared with the circle ("anonymous" ones without a name);
- the circle's facilitator (or an admin): every answer in it except "private" ones, names
  included, and the export;
- nobody reaches a circle they neither belong to nor facilitate (403, the same answer whether
  or not the circle exists, so names of circles do not leak).
Errors are JSON `{"error": message, "field": name-or-null}` with a 4xx status.

A save (POST circles/<c>/answers) is served by `AnswerSaver`, without a tornado
RequestHandler, by the same rules as every other request (see its docstring for why).
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.exc import OperationalError
from tornado.httputil import HTTPHeaders, HTTPServerRequest, ResponseStartLine, responses
from tornado.routing import PathMatches, Rule
from tornado.web import HTTPError, RequestHandler

from circlekit import settings
from circlekit.answers.export import export_answers
from circlekit.answers.notice import check_notice
from circlekit.answers.record import Answer
from circlekit.answers.store import Store
from circlekit.answers.tally import tally
from circlekit.errors import BadAnswer, NotAllowed, NotAuthenticated
from circlekit.service.auth import Caller, CircleAuth
from circlekit.service.database import Database, Filters, to_json
from circlekit.service.validate import PromptRegistry, parse_answer, parse_body

log = logging.getLogger("circlekit.service")

T = TypeVar("T")
# The largest id either database can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1
API_VERSION = "v1"
SERVICE_HEADER = "X-Circlekit-Service"
DEFAULT_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    # Lets a client tell the service's own answers from a proxy's error page.
    SERVICE_HEADER: API_VERSION,
}
access_log = logging.getLogger("tornado.access")
# What the reply to a save says about the answer kept: its key and times, not its text.
SAVED_FIELDS = ("course", "widget_id", "kind", "author", "circle", "attempt", "created",
                "updated")


class Writer:
    """The service's one database writer: saves that arrive while a commit is under way are
    committed together in the next one. One commit per batch instead of per answer is what
    lets a circle's burst of saves (everyone clicks Save at the end of a prompt) go through.

    On SQLite the batch is written on the event loop itself: a commit there never waits for
    the disk (WAL, synchronous=NORMAL, checkpoints on a thread of their own), and a full disk
    fails at once. Profiled under the benchmark's load, handing each batch to a thread cost
    more than the writing: both threads took turns holding the GIL after every SQLite call.
    A server database (PostgreSQL) answers over the network, so there a thread waits for it.
    """

    MAX_BATCH = 200

    def __init__(self, db: Database, executor: Executor, max_queue: int | None = None):
        self.db = db
        self.executor = executor
        self.inline = db.is_sqlite
        self.max_queue = max_queue or settings.get_int("CIRCLEKIT_WRITE_QUEUE")
        self._queue: list[tuple[Answer, str | None, asyncio.Future[Any]]] = []
        self._draining = False

    def full(self) -> bool:
        return len(self._queue) >= self.max_queue

    def submit(self, answer: Answer, client_id: str | None) -> asyncio.Future[Any]:
        """Queue `answer`: the future of (what is stored, whether it changed anything)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((answer, client_id, future))
        if not self._draining:
            self._draining = True
            asyncio.ensure_future(self._drain())
        return future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch = self._queue[:self.MAX_BATCH]
                del self._queue[:self.MAX_BATCH]
                items = [(a, c) for a, c, _ in batch]
                try:
                    if self.inline:
                        results = self.db.save_many(items)
                    else:
                        results = await loop.run_in_executor(self.executor, self.db.save_many,
                                                             items)
                except Exception as error:  # noqa: BLE001 - every waiting request hears of it
                    results = [error] * len(batch)
                for (_, _, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining = False


class RateLimit:
    """Saves per person: a bucket of `burst` that refills at `rate` a second. One learner
    sending hundreds of long answers must not fill their circle's screens or the disk."""

    def __init__(self, rate: float | None = None, burst: float | None = None):
        self.rate = rate if rate is not None else settings.get_float("CIRCLEKIT_SAVES_PER_SECOND")
        self.burst = burst if burst is not None else settings.get_float("CIRCLEKIT_SAVES_BURST")
        self._buckets: dict[str, tuple[float, float]] = {}

    def wait(self, who: str) -> float:
        """0 when `who` may save now (and count it), else the seconds until they may."""
        now = time.monotonic()
        tokens, then = self._buckets.get(who, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1:
            self._buckets[who] = (tokens - 1, now)
            return 0.0
        self._buckets[who] = (tokens, now)
        return (1 - tokens) / self.rate if self.rate > 0 else 60.0


@dataclass
class ServiceState:
    """What every handler shares."""

    db: Database
    auth: CircleAuth
    executor: Executor
    registry: PromptRegistry | None = None
    writer: Writer | None = None
    limits: RateLimit | None = None

    def __post_init__(self) -> None:
        if self.writer is None:
            self.writer = Writer(self.db, self.executor)
        if self.limits is None:
            self.limits = RateLimit()


class ApiError(HTTPError):
    """An answer for the caller: tornado sends it with `write_error` below."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 retry_after: float | None = None):
        super().__init__(status, reason=None)
        self.message, self.field = message, field
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.status_code}: {self.message}"


# -- who sees what ---------------------------------------------------------------------------


def visible(caller: Caller, answer: Answer) -> Answer | None:
    """`answer` as `caller` may see it: whole, without its author's name, or not at all."""
    if answer.author == caller.name:
        return answer
    if caller.facilitator_of(answer.circle):
        return None if answer.visibility == "private" else answer
    if answer.visibility == "circle":
        return answer
    if answer.visibility == "anonymous":
        return answer.with_(author="")
    return None


def answer_json(answer_id: int | None, answer: Answer) -> dict[str, Any]:
    data = answer.to_dict()
    if answer_id is not None:
        data["id"] = answer_id
    return data


class _Listed(Store):
    """A read-only store over answers already fetched, so the kit's one CSV/JSON writer
    (with its spreadsheet-formula protection) makes the facilitator's export too."""

    def __init__(self, answers: list[Answer]):
        self.answers = answers

    def save(self, answer: Answer) -> Answer:
        raise NotImplementedError("an export is read-only")

    def get(self, **_: Any) -> Answer | None:
        raise NotImplementedError("an export is read-only")

    def list(self, **_: Any) -> list[Answer]:
        return list(self.answers)


def log_request(handler: RequestHandler) -> None:
    """Tornado's access log line, made only when the logger would print it (the service
    logs saves at WARNING and above): tornado formats the line for every request first."""
    log_access(handler.get_status(), handler.request)


def log_access(status: int, request: HTTPServerRequest) -> None:
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    if access_log.isEnabledFor(level):
        access_log.log(level, "%d %s %s (%s) %.2fms", status, request.method, request.uri,
                       request.remote_ip, 1000.0 * request.request_time())


# -- who is asking, and what they may do: one rule each, for both kinds of request ------------


class _Asking:
    """What JupyterHub's token parser reads of a request handler, for a request that has
    none (the save path below)."""

    def __init__(self, request: HTTPServerRequest):
        self.request = request

    def get_argument(self, name: str, default: str) -> str:
        values = self.request.query_arguments.get(name)
        return values[-1].decode("utf-8", "replace") if values else default


def request_token(state: ServiceState, asking: RequestHandler | _Asking) -> str | None:
    """The hub token a request came with."""
    # "Authorization: token <t>" is how every client of the kit sends it; anything else
    # (a bearer header, a token in the URL where allowed) goes through HubAuth's parser.
    scheme, _, given = (asking.request.headers.get("Authorization") or "").partition(" ")
    token = given.strip() if scheme.lower() == "token" else ""
    return token or state.auth.hub_auth.get_token(asking, in_cookie=False)


async def identify(state: ServiceState, asking: RequestHandler | _Asking) -> Caller:
    """The person whose token came with the request; ApiError 401 or 403 when none may."""
    try:
        return await state.auth.caller(request_token(state, asking))
    except NotAuthenticated as error:
        raise ApiError(401, str(error)) from None
    except NotAllowed as error:
        raise ApiError(403, str(error)) from None


async def member(state: ServiceState, caller: Caller, circle: str, arrived: float) -> Caller:
    """`caller`, as sure as can be that they are in `circle`; ApiError 403 when not."""
    if not caller.may_use(circle):
        # The kept list of circles may predate this learner joining: look again first.
        caller = await state.auth.recheck(caller, arrived)
    if not caller.may_use(circle):
        raise ApiError(403, f"{caller.name} is not in circle {circle!r}")
    return caller


def submit_answer(state: ServiceState, caller: Caller, circle: str, body: bytes
                  ) -> asyncio.Future[Any]:
    """Check the answer posted in `body` and queue it; its future goes to `saved_reply`.
    ApiError when it cannot be queued."""
    assert state.writer is not None and state.limits is not None
    wait = state.limits.wait(caller.name)
    if wait > 0 or state.writer.full():
        wait = max(wait, 1.0)
        raise ApiError(429, f"too many saves at once; this one is sent again in "
                            f"{math.ceil(wait)} s", retry_after=wait)
    try:
        posted = parse_answer(parse_body(body), caller=caller.name, circle=circle,
                              registry=state.registry)
    except BadAnswer as bad:
        raise ApiError(bad.status, bad.message, bad.field) from None
    return state.writer.submit(posted.answer, posted.client_id)


def saved_reply(saving: asyncio.Future[Any]) -> tuple[int, dict[str, Any]]:
    """(status, reply) of a save queued by `submit_answer`, once done; ApiError when it
    failed."""
    try:
        stored, changed = saving.result()
    except BadAnswer as bad:
        raise ApiError(bad.status, bad.message, bad.field) from None
    except OperationalError:
        # A full disk, a locked or unreachable database: not the answer's fault, and it
        # waits in the learner's outbox until it can be stored.
        log.exception("could not store an answer")
        raise ApiError(503, "the circle service cannot store answers right now (its "
                            "database or disk has a problem); your answer waits on your "
                            "computer and is sent again", retry_after=5) from None
    # The saver has the text already: the reply says what was kept under which key, not
    # the text again (echoing it was a few percent of the service's time per save).
    return (201 if changed else 200,
            {"answer": {name: getattr(stored, name) for name in SAVED_FIELDS},
             "applied": changed})


def error_reply(status: int, exc: BaseException | None, reason: str
                ) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON body and extra headers of an error reply."""
    message, field, headers = reason, None, {}
    if isinstance(exc, ApiError):
        message, field = exc.message, exc.field
        if exc.retry_after is not None:
            headers["Retry-After"] = str(math.ceil(exc.retry_after))
    elif isinstance(exc, HTTPError) and exc.log_message:
        message = exc.log_message
    elif status >= 500:
        message = "the circle service had an internal problem; the hub admin can see its log"
    return {"error": message, "field": field}, headers


# -- handlers ----------------------------------------------------------------------------------


class ApiHandler(RequestHandler):
    """JSON in and out, the caller worked out before any method runs."""

    public = False
    caller: Caller

    def initialize(self, state: ServiceState) -> None:
        self.state = state

    def set_default_headers(self) -> None:
        # Fixed, known-good values: set_header's per-value conversion and checks are skipped.
        self._headers.update(DEFAULT_HEADERS)

    def check_xsrf_cookie(self) -> None:
        # Token-authenticated API with no cookies: there is no cross-site form to forge.
        return None

    async def prepare(self) -> None:
        self.arrived = time.monotonic()
        if not self.public:
            self.caller = await identify(self.state, self)

    async def db(self, work: Callable[..., T], *args: Any) -> T:
        """Run a database call off the event loop, so a slow disk never stalls other callers."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.state.executor, work, *args)

    def send(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(to_json(data))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        data, headers = error_reply(status_code, exc, self._reason)
        for name, value in headers.items():
            # After tornado's clear(): a header set before the error would be gone.
            self.set_header(name, value)
        self.finish(to_json(data))

    # -- shared checks ---------------------------------------------------------------------

    async def require_member(self, circle: str) -> None:
        self.caller = await member(self.state, self.caller, circle, self.arrived)

    async def require_facilitator(self, circle: str) -> None:
        await self.require_member(circle)
        if not self.caller.facilitator_of(circle):
            self.caller = await self.state.auth.recheck(self.caller, self.arrived)
        if not self.caller.facilitator_of(circle):
            raise ApiError(403, f"only the facilitators of circle {circle!r} may do this")

    def filters(self) -> Filters:
        values = {}
        for name in ("course", "widget_id", "kind", "author"):
            value = self.get_query_argument(name, None)
            if value is not None and len(value) > 300:
                raise ApiError(400, f"query parameter {name!r} is too long", name)
            values[name] = value
        return Filters(**values)

    def after(self) -> int:
        raw = self.get_query_argument("after", "0")
        try:
            value = max(0, int(raw))
        except ValueError:
            raise ApiError(400, f"'after' must be a whole number, got {raw!r}", "after") from None
        if value > MAX_ID:
            raise ApiError(400, f"'after' must be at most {MAX_ID}, got {raw!r}", "after")
        return value

    async def visible_answers(self, circle: str, filters: Filters, after: int = 0
                              ) -> list[tuple[int, Answer]]:
        wanted_author = filters.author
        sees_names = self.caller.facilitator_of(circle) or wanted_author == self.caller.name
        # Filtering others' answers by author must not unmask anonymous ones: filter after
        # the names have been hidden, not in the database.
        query = filters if sees_names else Filters(filters.course, filters.widget_id,
                                                    filters.kind, None)
        rows = await self.db(self.state.db.list, [circle], query, after)
        shown = []
        for answer_id, answer in rows:
            seen = visible(self.caller, answer)
            if seen is None or (wanted_author is not None and seen.author != wanted_author):
                continue
            shown.append((answer_id, seen))
        return shown


class HealthHandler(ApiHandler):
    public = True

    async def get(self) -> None:
        version = await self.db(self.state.db.version)
        self.send({"ok": True, "api": API_VERSION, "schema": version})


class MeHandler(ApiHandler):
    async def get(self) -> None:
        self.send(self.caller.to_dict())


class MyAnswersHandler(ApiHandler):
    async def delete(self) -> None:
        deleted = await self.db(self.state.db.delete_author, self.caller.name, None)
        self.send({"deleted": deleted})


class CircleHandler(ApiHandler):
    async def get(self, circle: str) -> None:
        await self.require_member(circle)
        found = (await self.state.auth.circles()).get(circle)
        if found is None:
            raise ApiError(404, f"there is no circle {circle!r} on this hub")
        data: dict[str, Any] = {
            "name": circle, "facilitators": list(found.facilitators),
            "you": {"facilitator": self.caller.facilitator_of(circle)},
        }
        if self.caller.facilitator_of(circle):
            data["members"] = list(found.members)
        self.send(data)


class AnswersHandler(ApiHandler):
    async def get(self, circle: str) -> None:
        await self.require_member(circle)
        rows = await self.visible_answers(circle, self.filters(), self.after())
        last = max((answer_id for answer_id, _ in rows), default=self.after())
        self.send({"answers": [answer_json(i, a) for i, a in rows], "last": last})

    async def delete(self, circle: str) -> None:
        await self.require_member(circle)
        deleted = await self.db(self.state.db.delete_author, self.caller.name, circle)
        self.send({"deleted": deleted})


class TalliesHandler(ApiHandler):
    async def get(self, circle: str) -> None:
        await self.require_member(circle)
        f = self.filters()
        rows = await self.db(self.state.db.list, [circle],
                             Filters(course=f.course, widget_id=f.widget_id, kind="poll"))
        # Others' private votes stay out of the count, as they stay out of every list.
        shown = [a for _, a in rows if a.visibility != "private" or a.author == self.caller.name]
        self.send({wid: t.to_dict() for wid, t in tally(shown).items()})


class GoalsHandler(ApiHandler):
    async def get(self, circle: str) -> None:
        await self.require_member(circle)
        course = self.get_query_argument("course", None)
        goals: dict[tuple[str, str], dict[str, Any]] = {}
        for kind in ("goal", "goal-check"):
            for _, answer in await self.visible_answers(circle, Filters(course=course, kind=kind)):
                if not answer.author:
                    continue  # a goal without a name cannot be followed up; leave it out
                entry = goals.setdefault((answer.author, answer.widget_id), {
                    "author": answer.author, "course": answer.course,
                    "widget_id": answer.widget_id, "goal": None, "rating": None,
                    "comment": None, "updated": answer.updated,
                })
                if kind == "goal":
                    entry["goal"] = answer.value
                elif isinstance(answer.value, dict):
                    entry["rating"] = answer.value.get("rating")
                    entry["comment"] = answer.value.get("comment")
                entry["updated"] = max(entry["updated"], answer.updated)
        self.send({"goals": list(goals.values())})


class ExportHandler(ApiHandler):
    async def get(self, circle: str) -> None:
        await self.require_facilitator(circle)
        fmt = self.get_query_argument("format", "csv")
        if fmt not in ("csv", "json"):
            raise ApiError(400, f"format must be csv or json, not {fmt!r}", "format")
        rows = await self.visible_answers(circle, self.filters())
        out = io.StringIO()
        export_answers(_Listed([a for _, a in rows]), fmt=fmt, out=out)  # type: ignore[arg-type]
        self.set_header("Content-Type", "text/csv; charset=utf-8" if fmt == "csv"
                        else "application/json; charset=utf-8")
        self.set_header("Content-Disposition",
                        f'attachment; filename="circle-{circle}-answers.{fmt}"')
        self.finish(out.getvalue())


class NoticesHandler(ApiHandler):
    async def get(self, circle: str) -> None:
        author = self.get_query_argument("author", None)
        if author is not None and author == self.caller.name:
            await self.require_member(circle)  # one's own notices, like one's own answers
        else:
            await self.require_facilitator(circle)
        found = await self.db(self.state.db.list_notices, circle, author)
        self.send({"notices": found})

    async def post(self, circle: str) -> None:
        await self.require_member(circle)
        assert self.state.limits is not None
        wait = self.state.limits.wait(self.caller.name)
        if wait > 0:
            raise ApiError(429, f"too many saves at once; this notice is sent again in "
                                f"{math.ceil(wait)} s", retry_after=max(wait, 1.0))
        try:
            notice = check_notice(parse_body(self.request.body))
            kept = await self.db(self.state.db.add_notice, self.caller.name, circle, notice)
        except BadAnswer as bad:
            raise ApiError(bad.status, bad.message, bad.field) from None
        except OperationalError:
            log.exception("could not store a notice")
            raise ApiError(503, "the circle service cannot store notices right now",
                           retry_after=5) from None
        self.send({"notice": notice.to_dict(), "kept": kept}, 201 if kept else 200)


class NotFoundHandler(ApiHandler):
    public = True

    async def get(self, *_: str) -> None:
        raise ApiError(404, f"no such address in the circle service's API: {self.request.path}"
                            f" (the API is under api/{API_VERSION}/)")

    post = put = delete = patch = get


class AnswerSaver:
    """POST circles/<c>/answers, the one request every learner's Save sends, served without
    a RequestHandler. Making a handler for each request (its headers, date, coroutine and
    finishing steps) cost about 25 µs, a seventh of a save's time (measured on a bare tornado
    server: 140 µs of CPU per request with a handler, 115 µs without). The rules are the ones
    every handler uses (`identify`, `member`, `submit_answer`, `error_reply`); only the HTTP
    around them is thin.
    Tornado calls it with each whole request (a "callable" routing target)."""

    def __init__(self, state: ServiceState):
        self.state = state

    def __call__(self, request: HTTPServerRequest, path_args: list[bytes],
                 path_kwargs: dict[str, Any]) -> None:
        arrived = time.monotonic()
        try:
            try:
                circle = path_args[0].decode("utf-8")
            except UnicodeDecodeError:
                raise ApiError(400, "the circle's name in the address is not UTF-8 text",
                               "circle") from None
            caller = self.state.auth.known(request_token(self.state, _Asking(request)))
        except Exception as error:  # noqa: BLE001 - every failure is answered in JSON
            self.fail(request, error)
            return
        if caller is None or not caller.may_use(circle):
            # The hub is asked first (a new token, or a list of circles that may be out of
            # date); the usual save needs no question and no task of its own.
            asyncio.ensure_future(self.respond(request, circle, arrived))
        else:
            self.queue(request, caller, circle)

    async def respond(self, request: HTTPServerRequest, circle: str, arrived: float) -> None:
        try:
            caller = await identify(self.state, _Asking(request))
            caller = await member(self.state, caller, circle, arrived)
        except Exception as error:  # noqa: BLE001 - every failure is answered in JSON
            self.fail(request, error)
            return
        self.queue(request, caller, circle)

    def queue(self, request: HTTPServerRequest, caller: Caller, circle: str) -> None:
        """Hand the save to the writer; the reply goes once it is stored (`saved`)."""
        try:
            saving = submit_answer(self.state, caller, circle, request.body)
        except Exception as error:  # noqa: BLE001 - every failure is answered in JSON
            self.fail(request, error)
            return
        saving.add_done_callback(lambda done: self.saved(request, done))

    def saved(self, request: HTTPServerRequest, saving: asyncio.Future[Any]) -> None:
        try:
            status, data = saved_reply(saving)
        except Exception as error:  # noqa: BLE001 - every failure is answered in JSON
            self.fail(request, error)
            return
        self.send(request, status, data)

    def fail(self, request: HTTPServerRequest, error: Exception) -> None:
        status = error.status_code if isinstance(error, HTTPError) else 500
        if status >= 500 and not isinstance(error, ApiError):
            log.error("could not save an answer", exc_info=error)
        data, extra = error_reply(status, error, responses.get(status, "Unknown"))
        self.send(request, status, data, extra)

    @staticmethod
    def send(request: HTTPServerRequest, status: int, data: dict[str, Any],
             extra: dict[str, str] | None = None) -> None:
        body = to_json(data).encode("utf-8")
        headers = HTTPHeaders(DEFAULT_HEADERS)
        if extra:
            headers.update(extra)
        headers["Content-Length"] = str(len(body))
        connection = request.connection
        assert connection is not None
        connection.write_headers(
            ResponseStartLine(request.version, status, responses.get(status, "Unknown")),
            headers, body)
        connection.finish()
        log_access(status, request)


class _PostTo(PathMatches):
    """A path, for POST requests only (the others go on to the rules after it)."""

    def match(self, request: HTTPServerRequest) -> dict[str, Any] | None:
        return super().match(request) if request.method == "POST" else None


CIRCLE = r"([^/]+)"


def routes(prefix: str, state: ServiceState) -> list[Any]:
    """Tornado routes for the API under `prefix` (the service's URL prefix, ending in /)."""
    base = f"{prefix}api/{API_VERSION}/"
    args = {"state": state}
    return [
        Rule(_PostTo(base + f"circles/{CIRCLE}/answers$"), AnswerSaver(state)),
        (base + "health", HealthHandler, args),
        (base + "me", MeHandler, args),
        (base + "me/answers", MyAnswersHandler, args),
        (base + f"circles/{CIRCLE}", CircleHandler, args),
        (base + f"circles/{CIRCLE}/answers", AnswersHandler, args),
        (base + f"circles/{CIRCLE}/tallies", TalliesHandler, args),
        (base + f"circles/{CIRCLE}/goals", GoalsHandler, args),
        (base + f"circles/{CIRCLE}/export", ExportHandler, args),
        (base + f"circles/{CIRCLE}/notices", NoticesHandler, args),
        (prefix + r"(.*)", NotFoundHandler, args),
    ]
