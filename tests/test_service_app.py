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
        assert db.version() == 2 and app.wildcard_router.rules
    finally:
        db.close()
