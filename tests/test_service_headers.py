"""The service's header reader gives tornado's answers: the same headers, the same refusals."""

from __future__ import annotations

import random
import socket

import pytest
from tornado.httputil import HTTPHeaders, HTTPInputError

from circlekit.service import headers

# Pieces of header blocks, the plain kind and every kind tornado treats specially.
NAMES = ["Host", "Authorization", "x-forwarded-for", "Content-Length", "A", "a-b_c.d~e!#",
         "", "Bad Name", "Bad\tName", "Näme", "Name(", "Name ", " Name", "\tName"]
SEPARATORS = [":", ": ", ":\t", ":  \t ", "", " :"]
VALUE_CHARS = ["a", "Z", "0", " ", "\t", ",", ":", ";", "=", '"', "\x7e", "\x21", "\x80",
               "é", "\xff", "ā", "\x00", "\x7f", "\r", "\x0b", "\x1f"]
ENDS = ["\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\n\r\n"]


def tornado(text: str) -> object:
    """What tornado's own parser makes of `text`: its headers, or its error."""
    try:
        return list(headers._tornado_parse(HTTPHeaders, text).get_all())
    except HTTPInputError as error:
        return ("refused", str(error))


def ours(text: str) -> object:
    try:
        return list(headers.parse(HTTPHeaders, text).get_all())
    except HTTPInputError as error:
        return ("refused", str(error))


def block(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.05:
            lines.append(rng.choice(["\r\n", "\n", " folded\r\n", "\tfolded\r\n"]))
            continue
        plain = rng.random() < 0.6
        name = rng.choice(NAMES[:6] if plain else NAMES)
        value = "".join(rng.choice(VALUE_CHARS[:13] if plain else VALUE_CHARS)
                        for _ in range(rng.randint(0, 12)))
        sep = rng.choice(SEPARATORS[:4] if plain else SEPARATORS)
        end = "\r\n" if plain else rng.choice(ENDS)
        lines.append(f"{name}{sep}{value}{end}")
    text = "".join(lines)
    # As the service receives them: after the request line's LF, before a blank line.
    return rng.choice(["\n", "", "\r\n"]) + text + rng.choice(["\r\n", "", "\n", "x"])


def test_generated_blocks_read_as_tornado_reads_them() -> None:
    rng = random.Random(20261130)
    fast = 0
    for _ in range(20_000):
        text = block(rng)
        assert ours(text) == tornado(text), repr(text)
        fast += bool(headers._BLOCK.fullmatch(text))
    # Most blocks took the one-pass path; the rest, tornado's (both are checked above).
    assert 3_000 < fast < 17_000, fast


@pytest.mark.parametrize("text", [
    "\nHost: h\r\nAuthorization: token abc\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n",
    "\nA: 1\r\na: 2\r\nA:3\r\n\r\n",               # repeated: every value kept, in order
    "\nA:\r\nB: \t \r\n\r\n",                     # empty values
    "\nA: x \t y \t\r\n\r\n",                     # inner white space kept, outer dropped
    "\nA: caf\xe9\r\n\r\n",                       # latin-1 text (obs-text)
    "\nA: b\r\n folded\r\n\r\n",                  # folding: refused
    "\nA b\r\n\r\n",                              # no colon: refused
    "\nA: b\x00c\r\n\r\n",                        # a NUL: refused
    "\nA: b\rc\r\n\r\n",                          # a bare CR inside: refused
    "\nA : b\r\n\r\n",                            # space before the colon: refused
    "\nA: b\n\n",                                 # bare LF line ends (still allowed)
    "\nA: b",                                     # no final line break
])
def test_cases_that_matter(text: str) -> None:
    assert ours(text) == tornado(text)


def test_the_service_reads_headers_this_way_and_still_refuses_bad_ones(tmp_path,
                                                                       monkeypatch) -> None:
    """`make_app` installs the reader; a request with a folded header line gets tornado's
    400, and a plain one is answered."""
    import asyncio

    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    from circlekit.service.app import Settings, make_app
    from circlekit.service.auth import CircleAuth

    monkeypatch.setattr(HTTPHeaders, "parse", HTTPHeaders.parse)  # restored after the test
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    app, db = make_app(Settings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}"),
                       auth=CircleAuth())
    assert headers.installed()

    def ask(port: int, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(request)
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                reply += chunk
            return reply

    async def both() -> tuple[bytes, bytes]:
        sockets = bind_sockets(0, "127.0.0.1")
        server = HTTPServer(app)
        server.add_sockets(sockets)
        port = sockets[0].getsockname()[1]
        path = b"/services/circle/api/v1/health"
        try:
            loop = asyncio.get_running_loop()
            good = await loop.run_in_executor(None, ask, port, b"GET " + path + (
                b" HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 127.0.0.1\r\n"
                b"Connection: close\r\n\r\n"))
            bad = await loop.run_in_executor(None, ask, port, b"GET " + path + (
                b" HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n b\r\nConnection: close\r\n\r\n"))
            return good, bad
        finally:
            server.stop()

    try:
        good, bad = asyncio.run(both())
    finally:
        db.close()
    assert good.startswith(b"HTTP/1.1 200"), good
    assert bad.startswith(b"HTTP/1.1 400"), bad
