"""`circlekit hub`: start a JupyterHub for one circle on this machine, and stop all of it.

The hub runs `hub/jupyterhub_config.py` with its settings in environment variables (so no
secret is written anywhere in the repository), its own proxy from `node_modules`, the circle
service, and one server per learner when they log in. `RunningHub.stop()` stops the hub with
SIGTERM (the hub then stops its proxy, servers and service) and afterwards ends, by PID, any
process it had started that is still alive, so nothing is left behind.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import psutil
import requests

from circlekit import settings as kit_settings
from circlekit.errors import HubError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct TCP ports free on `host` right now."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((host, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def find_config(root: Path | None = None) -> Path:
    """`hub/jupyterhub_config.py` of the kit at `root`, else of the kit circlekit runs from."""
    for base in (root, PACKAGE_ROOT):
        if base is not None and (Path(base) / "hub" / "jupyterhub_config.py").is_file():
            return (Path(base) / "hub" / "jupyterhub_config.py").resolve()
    raise HubError("hub/jupyterhub_config.py not found: run `circlekit hub` in the kit's folder")


def proxy_command(config: Path) -> Path:
    return config.parent.parent / "node_modules" / ".bin" / "configurable-http-proxy"


@dataclass
class HubSettings:
    """Everything that makes one hub; ports of 0 are chosen free at start."""

    state: Path
    password: str
    ip: str = "127.0.0.1"
    port: int = 0
    api_port: int = 0
    proxy_api_port: int = 0
    service_port: int = 0
    circle: str = ""
    learners: tuple[str, ...] = ()
    facilitator: str = ""
    admins: tuple[str, ...] = ()
    admin_password: str = ""
    api_token: str = ""
    kit_root: Path | None = None
    copy_courses: bool = True
    database_url: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        values = {
            "CIRCLEKIT_HUB_STATE": str(self.state), "CIRCLEKIT_HUB_IP": self.ip,
            "CIRCLEKIT_HUB_PORT": str(self.port), "CIRCLEKIT_HUB_API_PORT": str(self.api_port),
            "CIRCLEKIT_PROXY_API_PORT": str(self.proxy_api_port),
            "CIRCLEKIT_SERVICE_PORT": str(self.service_port),
            "CIRCLEKIT_HUB_PASSWORD": self.password, "CIRCLEKIT_HUB_CIRCLE": self.circle,
            "CIRCLEKIT_HUB_LEARNERS": ",".join(self.learners),
            "CIRCLEKIT_HUB_FACILITATOR": self.facilitator,
            "CIRCLEKIT_HUB_ADMINS": ",".join(self.admins),
            "CIRCLEKIT_HUB_ADMIN_PASSWORD": self.admin_password,
            "CIRCLEKIT_HUB_API_TOKEN": self.api_token,
            "CIRCLEKIT_COPY_COURSES": "1" if self.copy_courses else "0",
            "CIRCLEKIT_DATABASE_URL": self.database_url,
        }
        if self.kit_root is not None:
            values["CIRCLEKIT_KIT_ROOT"] = str(Path(self.kit_root).resolve())
        values.update(self.extra_env)
        return values


@dataclass
class RunningHub:
    settings: HubSettings
    process: subprocess.Popen[bytes]
    log_path: Path
    started: set[int] = field(default_factory=set)

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.settings.ip in ("", "0.0.0.0", "::") else self.settings.ip
        return f"http://{host}:{self.settings.port}"

    @property
    def service_url(self) -> str:
        return f"{self.url}/services/circle/"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def remember_children(self) -> set[int]:
        """Note every process the hub has started so far (servers, proxy, service)."""
        try:
            kids = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            kids = []
        self.started.update(k.pid for k in kids)
        return self.started

    def service_pid(self) -> int | None:
        """The circle service's process (started by the hub), or None when it is not running."""
        try:
            kids = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return None
        for kid in kids:
            try:
                if "circlekit.service" in " ".join(kid.cmdline()):
                    self.started.add(kid.pid)
                    return kid.pid
            except psutil.Error:
                continue
        return None

    def stop(self, timeout: float = 40.0) -> list[int]:
        """Stop the hub and all it started; return the PIDs that had to be killed."""
        self.remember_children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return _end(self.started)

    def __enter__(self) -> RunningHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _end(pids: Iterable[int]) -> list[int]:
    """Terminate, then kill, whichever of `pids` are still alive (by PID, nothing else)."""
    alive = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            if proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except psutil.NoSuchProcess:
            continue
    for proc in alive:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, still = psutil.wait_procs(alive, timeout=5)
    for proc in still:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    return [p.pid for p in alive]


def _reset_signals() -> None:
    # A hub started from a background shell would inherit SIGINT ignored and pass that on.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_hub(settings: HubSettings, *, config: Path | None = None, timeout: float = 90.0,
              log: IO[str] | None = None) -> RunningHub:
    """Start a hub as `settings` say and wait until its API answers through the proxy."""
    config = config or find_config(settings.kit_root)
    if not proxy_command(config).exists():
        raise HubError(f"configurable-http-proxy is not installed at {proxy_command(config)}: "
                       "run `npm ci` in the kit's folder")
    ports = free_ports(4)
    for name, port in zip(("port", "api_port", "proxy_api_port", "service_port"), ports,
                          strict=True):
        if not getattr(settings, name):
            setattr(settings, name, port)
    settings.state.mkdir(parents=True, exist_ok=True)
    log_path = settings.state / "hub.log"
    env = {**os.environ, **settings.environment()}
    out = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=settings.state, env=env, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=_reset_signals,
    )
    out.close()
    hub = RunningHub(settings, process, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            hub.stop()
            raise HubError(f"the hub exited while starting (code {process.returncode}); "
                           f"its log, {log_path}, ends with:\n{_tail(hub.log())}")
        try:
            if requests.get(f"{hub.url}/hub/api", timeout=2).status_code == 200:
                hub.remember_children()
                return hub
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            hub.stop()
            raise HubError(f"the hub did not answer within {timeout:.0f} s; its log, "
                           f"{log_path}, ends with:\n{_tail(hub.log())}")
        time.sleep(0.3)


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.splitlines()[-lines:])


def check_names(names: Iterable[str], what: str) -> list[str]:
    out = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        if not all(ch.isalnum() or ch in "-_." for ch in name) or name != name.lower():
            raise HubError(f"{what} {name!r}: use lower-case letters, digits, '-', '_' or '.'")
        out.append(name)
    return out


def run_hub(*, circle: str = "circle", learners: Iterable[str] = (), facilitator: str = "",
            ip: str = "127.0.0.1", port: int = 8000, password: str | None = None,
            root: Path | None = None, state: Path | None = None,
            echo: Callable[[str], None] = print,
            wait: Callable[[RunningHub], None] | None = None) -> int:
    """What `circlekit hub` does: start, print the address and the logins, stop on Ctrl-C."""
    learners = check_names(learners, "learner")
    facilitator = (check_names([facilitator], "facilitator") or [""])[0]
    check_names([circle], "circle")
    password = password or kit_settings.get("CIRCLEKIT_HUB_PASSWORD")
    if ip not in LOOPBACK:
        if not password:
            raise HubError(f"binding {ip} lets other machines reach the hub: set a password "
                           "with --password or CIRCLEKIT_HUB_PASSWORD first")
        echo(f"WARNING: the hub listens on {ip}: anyone who can reach this machine and knows "
             "the password can log in as any learner. Use it only on a network you trust.")
    if not password:
        password = secrets.token_urlsafe(9)
    if len(password) < 8:
        raise HubError("the password must be at least 8 characters long")
    kit = Path(root or ".").resolve()
    config = find_config(kit)
    settings = HubSettings(
        state=Path(state or kit / "_build" / "hub").resolve(), password=password, ip=ip,
        port=port, circle=circle, learners=tuple(learners), facilitator=facilitator,
        kit_root=config.parent.parent,
    )
    hub = start_hub(settings, config=config)
    try:
        echo(f"circle hub for circle {circle!r} is running at {hub.url}/")
        for name in learners:
            echo(f"  learner:     {name:<16} password: {password}")
        if facilitator:
            echo(f"  facilitator: {facilitator:<16} password: {password}")
        echo(f"log: {hub.log_path}")
        echo("press Ctrl-C to stop the hub and everything it started")
        (wait or _wait_forever)(hub)
    except KeyboardInterrupt:
        echo("stopping ...")
    finally:
        killed = hub.stop()
        echo("hub stopped" + (f" (ended {len(killed)} leftover process(es))" if killed else ""))
    return 0


def _wait_forever(hub: RunningHub) -> None:
    while hub.process.poll() is None:
        time.sleep(0.5)
        hub.remember_children()
    raise HubError(f"the hub stopped by itself; see {hub.log_path}")
