"""The circle service's HTTP/1.1 connections: httptools' parser on asyncio, feeding the same
tornado `Application` (its routes, handlers and the save path) that tornado's own server fed.

Why not tornado's server: under the benchmark's load, tornado's connection layer (its IOStream,
a coroutine and two timers per request, header checks in Python, Nagle switched off and on for
every reply) was about half of the service's CPU per save. A bare tornado server answering a
fixed reply used 83-130 µs of CPU a request; the same reply from an asyncio protocol with
httptools (llhttp, the parser Node.js uses) 8-20 µs. Through JupyterHub's proxy, where the
service shares two cores with the proxy and the learners, that CPU is what decides how many
saves a second get through.

What stays tornado's: the `Application` and every handler are driven through tornado's own
interfaces for this (`HTTPServerConnectionDelegate.start_request`, `HTTPMessageDelegate`,
`HTTPConnection`), so `RequestHandler`, `_CallableAdapter` and the routing are unchanged. The
rules a reply is framed by (chunked or not, `Connection` headers, HEAD and 304 without a
body, the keep-alive decision) are tornado's `HTTP1Connection` rules, written again here.

What differs, on purpose:
- llhttp is stricter than tornado in two ways: lines that end in a bare LF (tornado drops
  them in 6.7), and bytes outside ASCII in the address (clients send them percent-encoded),
  are refused with a 400. Both refuse folded header lines and Content-Length with chunked.
- Requests that arrive pipelined on one connection are parsed ahead and answered in order.
- Idle connections are closed by one sweep a minute, not by a timer per request.
- A body over `max_body_size` gets a 413 (tornado closed with a bare 400).
- Two spaces between the parts of the request line are read as one, as Node.js's server (in
  JupyterHub's proxy, in front of the service) reads them; tornado refuses them. Nothing that
  decides where a request ends is read more loosely than tornado reads it
  (`tests/test_service_http.py` holds the two servers to that on generated faults).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import httptools
from tornado.http1connection import is_transfer_encoding_chunked
from tornado.httputil import (
    HTTPConnection,
    HTTPHeaders,
    HTTPInputError,
    HTTPMessageDelegate,
    HTTPOutputError,
    HTTPServerConnectionDelegate,
    RequestStartLine,
    ResponseStartLine,
)
from tornado.iostream import StreamClosedError

app_log = logging.getLogger("tornado.application")
gen_log = logging.getLogger("tornado.general")

MAX_HEADER_SIZE = 64 * 1024  # tornado's default
IDLE_TIMEOUT = 3600.0  # tornado's default for a connection between requests
PIPELINE_DEPTH = 8  # requests parsed ahead of the one being answered, before reading pauses
_BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
_TOO_LARGE = (b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0"
              b"\r\n\r\n")
_HEADERS_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
                      b"Content-Length: 0\r\n\r\n")
_CONTINUE = b"HTTP/1.1 100 (Continue)\r\n\r\n"


class _Context:
    """What tornado's `HTTPServerRequest` reads of its connection (`remote_ip`, `protocol`)."""

    __slots__ = ("protocol", "remote_ip")

    def __init__(self, remote_ip: str | None):
        self.remote_ip = remote_ip
        self.protocol = "http"

    def __str__(self) -> str:
        return self.remote_ip or "<unknown>"


class _Message:
    """One request as read: start line, headers, body."""

    __slots__ = ("body", "headers", "start_line")

    def __init__(self, start_line: RequestStartLine, headers: HTTPHeaders, body: bytes):
        self.start_line = start_line
        self.headers = headers
        self.body = body


def _keep_alive(start_line: RequestStartLine, headers: HTTPHeaders) -> bool:
    """Tornado's rule (`HTTP1Connection._can_keep_alive`)."""
    connection = (headers.get("Connection") or "").lower()
    if start_line.version == "HTTP/1.1":
        return connection != "close"
    if ("Content-Length" in headers or is_transfer_encoding_chunked(headers)
            or start_line.method in ("HEAD", "GET")):
        return connection == "keep-alive"
    return False


def _done(exception: BaseException | None = None) -> asyncio.Future[None]:
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    if exception is None:
        future.set_result(None)
    else:
        future.set_exception(exception)
        future.exception()  # marked as seen: a write to a closed connection is not news
    return future


class _Exchange(HTTPConnection):
    """One request and its reply: the `HTTPConnection` tornado's handlers write to."""

    def __init__(self, owner: _Connection, message: _Message):
        self.owner = owner
        self.context = owner.context
        self.message = message
        self.keep_alive = _keep_alive(message.start_line, message.headers) and owner.reusable
        self.chunking = False
        self.remaining: int | None = None
        self.close_callback: Callable[[], None] | None = None

    # -- tornado's HTTPConnection ------------------------------------------------------------

    def set_close_callback(self, callback: Callable[[], None] | None) -> None:
        self.close_callback = callback

    def write_headers(self, start_line: RequestStartLine | ResponseStartLine,
                      headers: HTTPHeaders, chunk: bytes | None = None) -> asyncio.Future[None]:
        assert isinstance(start_line, ResponseStartLine)
        request = self.message.start_line
        code = start_line.code
        self.chunking = (request.version == "HTTP/1.1" and request.method != "HEAD"
                         and code not in (204, 304) and not 100 <= code < 200
                         and "Content-Length" not in headers)
        if request.version == "HTTP/1.1" and not self.keep_alive:
            headers["Connection"] = "close"
        if (request.version == "HTTP/1.0"
                and self.message.headers.get("Connection", "").lower() == "keep-alive"):
            headers["Connection"] = "Keep-Alive"
        if self.chunking:
            headers["Transfer-Encoding"] = "chunked"
        if request.method == "HEAD" or code == 304:
            self.remaining = 0
        elif "Content-Length" in headers:
            self.remaining = int(headers["Content-Length"])
        else:
            self.remaining = None
        lines = [f"HTTP/1.1 {code} {start_line.reason}"]
        lines.extend(f"{name}: {value}" for name, value in headers.get_all())
        for line in lines:
            if "\r" in line or "\n" in line:
                raise ValueError(f"Illegal characters (CR or LF) in header: {line!r}")
        data = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n"
        if chunk:
            data += self._frame(chunk)
        return self.owner.send(data)

    def write(self, chunk: bytes) -> asyncio.Future[None]:
        return self.owner.send(self._frame(chunk))

    def finish(self) -> None:
        if self.remaining and not self.owner.closed:
            self.owner.abort()
            raise HTTPOutputError(f"Tried to write {self.remaining} bytes less than "
                                  "Content-Length")
        if self.chunking:
            self.owner.send(b"0\r\n\r\n")
        self.owner.answered(self)

    # -- framing ------------------------------------------------------------------------------

    def _frame(self, chunk: bytes) -> bytes:
        if self.remaining is not None:
            self.remaining -= len(chunk)
            if self.remaining < 0:
                self.owner.abort()
                raise HTTPOutputError("Tried to write more data than Content-Length")
        if self.chunking and chunk:
            return b"%x\r\n%b\r\n" % (len(chunk), chunk)
        return chunk


class _Connection(asyncio.Protocol):
    """One client connection: parses requests and hands them to the application in order."""

    def __init__(self, server: HttpServer):
        self.server = server
        self.delegate = server.delegate
        self.transport: asyncio.Transport | None = None
        self.context = _Context(None)
        self.parser = httptools.HttpRequestParser(self)
        self.closed = False
        self.reusable = True  # False once the stream cannot be read past the current request
        self.waiting: deque[_Message] = deque()
        self.current: _Exchange | None = None
        self.refused: bytes | None = None  # the reply that ends a connection whose input is bad
        self.refusal = _BAD_REQUEST  # the reply a callback chose for the request it refused
        self.paused = False
        self.drained: asyncio.Future[None] | None = None
        self.last_active = 0.0
        self._reset()

    def _reset(self) -> None:
        self.url = b""
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.head_size = 0
        self.body: list[bytes] = []
        self.body_size = 0

    # -- asyncio's Protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment] - uvloop's is not a subclass
        peer = transport.get_extra_info("peername")
        self.context = _Context(peer[0] if isinstance(peer, tuple) else None)
        self.last_active = self.server.loop.time()
        self.server.connections.add(self)

    def data_received(self, data: bytes) -> None:
        if self.refused is not None or not self.reusable:
            return  # what follows a refused or final request is not read
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # No protocol upgrades here (no websockets): the request is answered, then the
            # connection closes, since what follows it is not HTTP/1.1.
            self.reusable = False
            if self.current is None and not self.waiting:
                self.close()
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, HTTPInputError):  # raised by `_bad` below
                self.refuse(self.refusal, str(cause))
            else:
                app_log.error("Uncaught exception", exc_info=cause)
                self.abort()
        except httptools.HttpParserError as error:
            self.refuse(_BAD_REQUEST, f"Malformed HTTP message: {error}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server.connections.discard(self)
        if self.drained is not None and not self.drained.done():
            self.drained.set_result(None)
        current, self.current = self.current, None
        self.waiting.clear()
        if current is not None and current.close_callback is not None:
            callback, current.close_callback = current.close_callback, None
            callback()

    def pause_writing(self) -> None:
        self.drained = self.server.loop.create_future()

    def resume_writing(self) -> None:
        if self.drained is not None and not self.drained.done():
            self.drained.set_result(None)
        self.drained = None

    # -- httptools' callbacks -----------------------------------------------------------------

    def on_url(self, url: bytes) -> None:
        self.url += url
        self._grow(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self.raw_headers.append((name, value))
        self._grow(len(name) + len(value) + 4)

    def on_headers_complete(self) -> None:
        headers = HTTPHeaders()
        for raw_name, raw_value in self.raw_headers:
            name = raw_name.decode("latin-1")
            value = raw_value.decode("latin-1").rstrip(" \t")
            if name in headers:
                headers.add(name, value)  # a repeated header keeps every value
            else:
                headers[name] = value
        if self.parser.get_http_version() not in ("1.1", "1.0"):
            # llhttp reads a request line without a version as HTTP/0.9; tornado refuses it.
            raise self._bad(_BAD_REQUEST, "Not an HTTP/1.x request")
        # Tornado's rule: "chunked" alone. llhttp allows other codings before it and leaves
        # them to the reader, so the handlers would get, say, gzip bytes as the body.
        is_transfer_encoding_chunked(headers)  # HTTPInputError, a 400, for anything else
        length = headers.get("Content-Length")
        if length is not None and int(length) > self.server.max_body_size:
            raise self._bad(_TOO_LARGE, "Content-Length too long")
        self.headers = headers
        if (headers.get("Expect") == "100-continue" and self.current is None
                and not self.waiting and self.transport is not None):
            self.transport.write(_CONTINUE)

    def on_body(self, body: bytes) -> None:
        self.body_size += len(body)
        if self.body_size > self.server.max_body_size:
            raise self._bad(_TOO_LARGE, "body too long")
        self.body.append(body)

    def on_message_complete(self) -> None:
        method = self.parser.get_method().decode("latin-1")
        version = f"HTTP/{self.parser.get_http_version()}"
        start_line = RequestStartLine(method, self.url.decode("latin-1"), version)
        body = self.body[0] if len(self.body) == 1 else b"".join(self.body)
        self.waiting.append(_Message(start_line, self.headers, body))
        self._reset()
        if self.current is None:
            self.next()
        elif len(self.waiting) >= PIPELINE_DEPTH and self.transport is not None:
            self.transport.pause_reading()
            self.paused = True

    def _grow(self, size: int) -> None:
        self.head_size += size
        if self.head_size > MAX_HEADER_SIZE:
            raise self._bad(_HEADERS_TOO_LARGE, "request headers too long")

    # -- requests, one at a time ----------------------------------------------------------------

    def next(self) -> None:
        """Answer the next request read, if any; then a refusal, if one is due."""
        while self.current is None and self.waiting and not self.closed:
            exchange = self.current = _Exchange(self, self.waiting.popleft())
            if self.paused and len(self.waiting) < PIPELINE_DEPTH // 2:
                assert self.transport is not None
                self.transport.resume_reading()
                self.paused = False
            self.dispatch(exchange)
        if self.current is None and not self.closed:
            if self.refused is not None:
                self.close(self.refused)
            elif not self.reusable:
                self.close()

    def dispatch(self, exchange: _Exchange) -> None:
        message = exchange.message
        delegate = self.delegate.start_request(self, exchange)
        try:
            waiting = delegate.headers_received(message.start_line, message.headers)
            if waiting is None:
                if message.body:
                    waiting = delegate.data_received(message.body)
                if waiting is None:
                    delegate.finish()
                    return
            asyncio.ensure_future(self._dispatch_slowly(delegate, waiting, message))
        except HTTPInputError as error:
            self._input_error(error)
        except Exception:  # noqa: BLE001 - logged, and the connection closes, as tornado does
            app_log.error("Uncaught exception", exc_info=True)
            self.abort()

    async def _dispatch_slowly(self, delegate: HTTPMessageDelegate, waiting: Awaitable[Any],
                               message: _Message) -> None:
        """The rare request whose handler waits between reading headers and body (a handler
        that streams its body); the usual one is dispatched without a coroutine."""
        try:
            await waiting
            if message.body and (more := delegate.data_received(message.body)) is not None:
                await more
            delegate.finish()
        except HTTPInputError as error:
            self._input_error(error)
        except Exception:  # noqa: BLE001 - logged, and the connection closes, as tornado does
            app_log.error("Uncaught exception", exc_info=True)
            self.abort()

    def _input_error(self, error: HTTPInputError) -> None:
        gen_log.info("Malformed HTTP message from %s: %s", self.context, error)
        self.close(_BAD_REQUEST)

    def answered(self, exchange: _Exchange) -> None:
        """The application finished `exchange`'s reply."""
        if exchange is not self.current:
            return
        self.current = None
        self.last_active = self.server.loop.time()
        if not exchange.keep_alive or not self.reusable and not self.waiting:
            self.close()
        elif self.waiting or self.refused is not None:
            # Not from inside the handler that just finished: pipelined requests would
            # otherwise nest one call deeper each.
            self.server.loop.call_soon(self.next)

    def _bad(self, reply: bytes, why: str) -> HTTPInputError:
        """For a callback to raise: stops the parser, and `reply` is sent before closing."""
        self.refusal = reply
        return HTTPInputError(why)

    def refuse(self, reply: bytes, why: str) -> None:
        gen_log.info("Refused a request from %s: %s", self.context, why)
        self.refused = reply
        if self.current is None and not self.waiting:
            self.close(reply)

    # -- writing --------------------------------------------------------------------------------

    def send(self, data: bytes) -> asyncio.Future[None]:
        if self.closed or self.transport is None or self.transport.is_closing():
            return _done(StreamClosedError())
        self.transport.write(data)
        if self.drained is not None:
            return asyncio.shield(self.drained)
        return _done()

    def close(self, last: bytes = b"") -> None:
        """Close once what was written has gone (after `last`, if given)."""
        if self.transport is not None and not self.transport.is_closing():
            if last:
                self.transport.write(last)
            self.transport.close()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def idle_since(self) -> float | None:
        """When the connection was opened or its last reply sent; None while it has a request
        being answered or waiting. As tornado's header timeout, this bounds the time to send the
        next request's headers, and a client sending one byte now and then does not reset it."""
        return None if self.current is not None or self.waiting else self.last_active


class HttpServer:
    """Serves `delegate` (a tornado `Application`) over HTTP/1.1 on asyncio."""

    def __init__(self, delegate: HTTPServerConnectionDelegate, max_body_size: int,
                 idle_timeout: float = IDLE_TIMEOUT):
        self.delegate = delegate
        self.max_body_size = max_body_size
        self.idle_timeout = idle_timeout
        self.connections: set[_Connection] = set()
        self.loop = asyncio.get_running_loop()
        self._server: asyncio.base_events.Server | None = None
        self._sweeper: asyncio.TimerHandle | None = None

    async def listen(self, port: int, host: str) -> int:
        """Start listening; the port (useful when `port` is 0)."""
        self._server = await self.loop.create_server(lambda: _Connection(self), host, port,
                                                     reuse_address=True)
        self._sweeper = self.loop.call_later(self._sweep_every(), self._sweep)
        return self._server.sockets[0].getsockname()[1]

    def _sweep_every(self) -> float:
        return min(60.0, max(self.idle_timeout / 4, 0.05))

    def _sweep(self) -> None:
        """Close connections idle for longer than `idle_timeout` (one timer for them all)."""
        cutoff = self.loop.time() - self.idle_timeout
        for connection in list(self.connections):
            since = connection.idle_since()
            if since is not None and since < cutoff:
                connection.close()
        self._sweeper = self.loop.call_later(self._sweep_every(), self._sweep)

    def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections):
            connection.close()
