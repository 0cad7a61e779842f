"""The service's settings come from the environment JupyterHub gives it."""

from __future__ import annotations

from circlekit.service.app import Settings, make_app
from circlekit.service.auth import CircleAuth


def test_settings_from_the_hub_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:12345")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/services/circle")
    monkeypatch.setenv("CIRCLEKIT_SERVICE_DATA", str(tmp_path))
    monkeypatch.delenv("CIRCLEKIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("CIRCLEKIT_CIRCLE_PREFIX", "group-")
    s = Settings.from_env()
    assert (s.host, s.port, s.prefix, s.circle_prefix) == (
        "127.0.0.1", 12345, "/services/circle/", "group-")
    assert s.database_url.endswith("circle-service.sqlite3")


def test_make_app_creates_the_schema(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}")
    app, db = make_app(settings, auth=CircleAuth())
    try:
        assert db.version() == 3 and app.wildcard_router.rules
    finally:
        db.close()


def test_health_replies_with_the_service_headers_and_logs_only_what_is_asked(
        tmp_path, monkeypatch, caplog) -> None:
    """A real request to the app on a loopback port: the fixed headers are on the reply, and
    the access line is written at INFO only when that level is on (the service turns it
    off), for errors always."""
    import asyncio
    import json
    import logging

    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    from circlekit.service.app import MAX_BODY_SIZE
    from circlekit.service.http import HttpServer

    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    app, db = make_app(Settings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}"),
                       auth=CircleAuth())

    async def fetch_twice() -> tuple:
        server = HttpServer(app, max_body_size=MAX_BODY_SIZE)  # as `serve` runs it
        port = await server.listen(0, "127.0.0.1")
        base = f"http://127.0.0.1:{port}/services/circle/api/v1/"
        try:
            ok = await AsyncHTTPClient().fetch(base + "health")
            try:
                await AsyncHTTPClient().fetch(base + "nowhere")
            except HTTPClientError as error:
                missing = error.code
            # A save without a token: the save path is served apart from the handlers.
            try:
                await AsyncHTTPClient().fetch(base + "circles/a/answers", method="POST",
                                              body="{}")
            except HTTPClientError as error:
                refused = error.response
            return ok, missing, refused
        finally:
            server.stop()

    access = logging.getLogger("tornado.access")
    try:
        for level, lines in ((logging.WARNING, ["404", "401"]),
                             (logging.INFO, ["200", "404", "401"])):
            access.setLevel(level)
            caplog.clear()
            with caplog.at_level(level, logger="tornado.access"):
                ok, missing, refused = asyncio.run(fetch_twice())
            assert ok.code == 200 and missing == 404 and refused.code == 401
            for reply in (ok, refused):
                assert reply.headers["X-Circlekit-Service"] == "v1"
                assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
                assert reply.headers["Cache-Control"] == "no-store"
                assert reply.headers["X-Content-Type-Options"] == "nosniff"
            assert json.loads(refused.body)["error"].startswith("no hub token")
            logged = [r.getMessage().split()[:2] for r in caplog.records
                      if r.name == "tornado.access"]
            assert [status for status, _ in logged] == lines, (level, logged)
            assert logged[-1] == ["401", "POST"]
    finally:
        access.setLevel(logging.NOTSET)
        db.close()
