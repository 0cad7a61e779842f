"""Assemble the circle service from its environment and serve it until told to stop.

JupyterHub starts the service (see hub/jupyterhub_config.py) and gives it, in environment
variables, its token (`JUPYTERHUB_API_TOKEN`), the hub's API (`JUPYTERHUB_API_URL`), its URL
prefix (`JUPYTERHUB_SERVICE_PREFIX`) and where to listen (`JUPYTERHUB_SERVICE_URL`). The kit
adds `CIRCLEKIT_DATABASE_URL` or `CIRCLEKIT_SERVICE_DATA` (where answers are kept),
`CIRCLEKIT_CIRCLE_PREFIX` (which hub groups are circles) and `CIRCLEKIT_KIT_ROOT` (the kit,
so the service knows each course's prompt ids).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from tornado.web import Application

from circlekit import settings
from circlekit.service.api import ServiceState, log_request, routes
from circlekit.service.auth import DEFAULT_PREFIX, CircleAuth
from circlekit.service.database import Database, database_url
from circlekit.service.http import HttpServer
from circlekit.service.validate import PromptRegistry

log = logging.getLogger("circlekit.service")
# Far above any answer the service accepts (api.py refuses those with a message of its own);
# a body this large is refused before it is read.
MAX_BODY_SIZE = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    prefix: str = "/services/circle/"
    host: str = "127.0.0.1"
    port: int = 10101
    database_url: str = ""
    circle_prefix: str = DEFAULT_PREFIX
    kit_root: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/circle/")
        return cls(
            prefix=prefix if prefix.endswith("/") else prefix + "/",
            host=url.hostname or "127.0.0.1",
            port=url.port or 10101,
            database_url=database_url(),
            circle_prefix=settings.get("CIRCLEKIT_CIRCLE_PREFIX"),
            kit_root=settings.get("CIRCLEKIT_KIT_ROOT") or None,
        )


def make_app(settings: Settings, auth: CircleAuth | None = None) -> tuple[Application, Database]:
    db = Database(settings.database_url)
    # SQLite has one writer at a time: one database thread avoids lock contention entirely.
    workers = 1 if db.is_sqlite else 8
    registry = PromptRegistry.from_kit(settings.kit_root) if settings.kit_root else None
    state = ServiceState(
        db=db, auth=auth or CircleAuth(prefix=settings.circle_prefix),
        executor=ThreadPoolExecutor(workers, thread_name_prefix="circle-db"),
        registry=registry,
    )
    return Application(routes(settings.prefix, state), xsrf_cookies=False,
                       log_function=log_request), db


async def serve(settings: Settings) -> None:
    app, db = make_app(settings)
    # The caller's address is the proxy's (no X-Forwarded-For is read): nothing here uses it,
    # since people are known by their token.
    server = HttpServer(app, max_body_size=MAX_BODY_SIZE)
    await server.listen(settings.port, settings.host)
    log.info("circle service on http://%s:%s%s (database %s; event loop %s)", settings.host,
             settings.port, settings.prefix,
             db.engine.url.render_as_string(hide_password=True),
             type(asyncio.get_running_loop()).__module__.split(".")[0])
    # Everything made so far lives as long as the service: keep the collector off it, so
    # its full collections stay short under load.
    gc.freeze()
    # A save makes a few hundred short-lived objects, so the default threshold (700) ran a
    # young-generation collection every two or three saves: a tenth of the service's CPU per
    # save under load. Collecting every 50,000 costs a pause of a millisecond or two instead.
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(50_000, older, oldest)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # JupyterHub stops services with SIGINT then SIGTERM. A hub started in the background
    # hands its children SIGINT ignored, so install both handlers explicitly (feasibility §6).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()
    db.close()
    log.info("circle service stopped")


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="[circle-service %(levelname)s %(asctime)s] %(message)s")
    # One line per answer saved would bury what matters; errors are still logged.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    try:
        settings = Settings.from_env()
    except OSError as error:
        print(f"circle service: cannot prepare its data folder: {error}", file=sys.stderr)
        return 1
    run(serve(settings))
    return 0


def run(main: Coroutine[Any, Any, None]) -> None:
    """Run the service on uvloop where it is installed (everywhere but Windows), else on
    asyncio's own loop. Under the benchmark's load through the proxy, uvloop took the service
    from about 218 to 199 µs of CPU per save: asyncio's loop and its selector, in Python, were
    a sixth of the service's time."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
    else:
        uvloop.run(main)
