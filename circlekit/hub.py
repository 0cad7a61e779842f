"""`circlekit hub`: start a JupyterHub for one circle on this machine, and stop all of it.

The hub runs `hub/jupyterhub_config.py` with its settings in environment variables (so no
secret is written anywhere in the repository), its own proxy from `node_modules`, the circle
service, and one server per learner when they log in. `RunningHub.stop()` stops the hub with
SIGTERM (the hub then stops its proxy, servers and service) and afterwards ends, by PID, any
process it had started that is still alive, so nothing is left behind.
"""

from __future__ import annotations

import errno
import json
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
# Each person's own password, kept next to the hub's cookie secret and as private as it (0600),
# so a circle keeps its logins from one meeting to the next and the summary can show them again.
LOGINS_FILE = "logins.json"
RUNNING_LINE = "JupyterHub is now running"


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
    password: str = ""  # the circle's one shared password: only with `shared_password`
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
    shared_password: bool = False
    logins: dict[str, str] = field(default_factory=dict)  # name -> that person's password
    extra_env: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        values = {
            "CIRCLEKIT_HUB_STATE": str(self.state), "CIRCLEKIT_HUB_IP": self.ip,
            "CIRCLEKIT_HUB_PORT": str(self.port), "CIRCLEKIT_HUB_API_PORT": str(self.api_port),
            "CIRCLEKIT_PROXY_API_PORT": str(self.proxy_api_port),
            "CIRCLEKIT_SERVICE_PORT": str(self.service_port),
            "CIRCLEKIT_HUB_PASSWORD": self.password if self.shared_password else "",
            "CIRCLEKIT_HUB_CIRCLE": self.circle,
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


def check_port_free(ip: str, port: int) -> None:
    """Refuse at once, naming the cause, when something already listens on the hub's port.

    Otherwise the hub's proxy fails with EADDRINUSE deep in the log while the hub itself
    starts, and all a facilitator would see is a hub that never answers.
    """
    host = "127.0.0.1" if ip in ("", "0.0.0.0") else ip
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As a listening server would bind it, so a port left in TIME_WAIT still counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise HubError(f"cannot listen on {host}:{port}: {error.strerror}") from error
            raise HubError(
                f"port {port} on {host} is already in use (EADDRINUSE): another hub or program "
                f"is listening there. Stop it, or start the hub on another port, for example "
                f"`circlekit hub --port {free_ports(1, host)[0]}`") from error


def read_logins(state: Path) -> dict[str, str]:
    """Each person's password as `circlekit hub` keeps it ({} when there is none yet)."""
    path = Path(state) / LOGINS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise HubError(f"{path}: cannot be read ({error}); delete it to make new "
                       "passwords") from error
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise HubError(f"{path}: expected {{name: password}}; delete it to make new passwords")
    return data


def write_logins(state: Path, logins: dict[str, str]) -> Path:
    """Write the logins file readable by its owner only, through a temporary file."""
    path = Path(state) / LOGINS_FILE
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(logins, out, indent=1, sort_keys=True)
    os.replace(temp, path)
    return path


def start_hub(settings: HubSettings, *, config: Path | None = None, timeout: float = 90.0,
              log: IO[str] | None = None) -> RunningHub:
    """Start a hub as `settings` say and wait until its API answers through the proxy."""
    config = config or find_config(settings.kit_root)
    if not proxy_command(config).exists():
        raise HubError(f"configurable-http-proxy is not installed at {proxy_command(config)}: "
                       "run `npm ci` in the kit's folder")
    if settings.port:
        check_port_free(settings.ip, settings.port)
    ports = free_ports(4)
    for name, port in zip(("port", "api_port", "proxy_api_port", "service_port"), ports,
                          strict=True):
        if not getattr(settings, name):
            setattr(settings, name, port)
    settings.state.mkdir(parents=True, exist_ok=True)
    if settings.admin_password:
        for admin in settings.admins:
            settings.logins.setdefault(admin, settings.admin_password)
    write_logins(settings.state, settings.logins)
    log_path = settings.state / "hub.log"
    env = {**os.environ, **settings.environment()}
    start_at = log_path.stat().st_size if log_path.exists() else 0
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
            raise HubError(f"the hub exited while starting (code {process.returncode})"
                           f"{_cause(hub, start_at)}; its log, {log_path}, ends with:\n"
                           f"{_tail(hub.log())}")
        # Ask through the proxy only once the hub says it runs: before that the proxy has no
        # route yet and every question fills the log with "404 /hub/error/404?url=/hub/api".
        if RUNNING_LINE in hub.log()[start_at:]:
            try:
                if requests.get(f"{hub.url}/hub/api", timeout=2).status_code == 200:
                    hub.remember_children()
                    return hub
            except requests.RequestException:
                pass
        if time.monotonic() > deadline:
            hub.stop()
            raise HubError(f"the hub did not answer within {timeout:.0f} s"
                           f"{_cause(hub, start_at)}; its log, {log_path}, ends with:\n"
                           f"{_tail(hub.log())}")
        time.sleep(0.3)


def _cause(hub: RunningHub, start_at: int = 0) -> str:
    """The reason to name first when the log shows one a facilitator can act on."""
    for line in hub.log()[start_at:].splitlines():
        if "EADDRINUSE" in line:
            return (f": port {hub.settings.port} is already in use; start the hub on another "
                    "port with --port")
    return ""


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
            shared_password: bool = False, root: Path | None = None, state: Path | None = None,
            echo: Callable[[str], None] = print,
            wait: Callable[[RunningHub], None] | None = None) -> int:
    """What `circlekit hub` does: start, print the address and the logins, stop on Ctrl-C.

    Each person gets a password of their own (kept from one start to the next), so nobody can
    sign in as the facilitator. One password for everyone only with `shared_password`.
    """
    learners = check_names(learners, "learner")
    facilitator = (check_names([facilitator], "facilitator") or [""])[0]
    check_names([circle], "circle")
    people = learners + ([facilitator] if facilitator else [])
    kit = Path(root or ".").resolve()
    config = find_config(kit)
    state = Path(state or kit / "_build" / "hub").resolve()
    password = password or kit_settings.get("CIRCLEKIT_HUB_PASSWORD") or None
    if password and not shared_password:
        raise HubError("a password for everyone lets any learner sign in as the facilitator; "
                       "each person gets their own password unless you add --shared-password")
    logins: dict[str, str] = {}
    if shared_password:
        if ip not in LOOPBACK and not password:
            raise HubError(f"binding {ip} lets other machines reach the hub: set a password "
                           "with --password or CIRCLEKIT_HUB_PASSWORD first")
        password = password or secrets.token_urlsafe(9)
        if len(password) < 8:
            raise HubError("the password must be at least 8 characters long")
        echo("WARNING: --shared-password: everyone signs in with the same password, so any "
             "learner can sign in as the facilitator and read the names behind anonymous "
             "answers. Use it only for a trial.")
    else:
        kept = read_logins(state)
        # Four short words' worth of randomness, easy to copy from a printed sheet.
        logins = {name: kept.get(name) or secrets.token_urlsafe(9) for name in people}
    if ip not in LOOPBACK:
        echo(f"WARNING: the hub listens on {ip}: anyone who can reach this machine can try to "
             "sign in. Use it only on a network you trust.")
    settings = HubSettings(
        state=state, password=password or "", shared_password=shared_password, logins=logins,
        ip=ip, port=port, circle=circle, learners=tuple(learners), facilitator=facilitator,
        # The courses of the kit at --root, even when it has no hub/ of its own.
        kit_root=kit if (kit / "notebooks").is_dir() else config.parent.parent,
    )
    hub = start_hub(settings, config=config)
    try:
        for line in summary(hub):
            echo(line)
        (wait or _wait_forever)(hub)
    except KeyboardInterrupt:
        echo("stopping ...")
    finally:
        killed = hub.stop()
        echo("hub stopped" + (f" (ended {len(killed)} leftover process(es))" if killed else ""))
    return 0


def dashboard_link(hub: RunningHub) -> str:
    """The facilitator's dashboard notebook, opened in JupyterLab on their own server."""
    from circlekit.launch import clone_folder

    root = hub.settings.kit_root or PACKAGE_ROOT
    folder = clone_folder(root)
    path = f"{folder}/facilitator/dashboard.ipynb" if folder else "facilitator/dashboard.ipynb"
    return f"{hub.url}/hub/user-redirect/lab/tree/{path}"


def summary(hub: RunningHub) -> list[str]:
    """What `circlekit hub` prints once the hub answers: where, who, and how."""
    s = hub.settings
    lines = [f"circle hub for circle {s.circle!r} is running at {hub.url}/"]
    for role, name in [("learner", n) for n in s.learners] + (
            [("facilitator", s.facilitator)] if s.facilitator else []):
        secret = s.password if s.shared_password else s.logins.get(name, "")
        lines.append(f"  {role + ':':<13}{name:<16} password: {secret}")
    if s.facilitator:
        lines += [
            "the facilitator's dashboard (answers as they come in, and the export to CSV):",
            f"  {dashboard_link(hub)}",
            "  sign in as the facilitator, then choose Run > Run All Cells; the Save buttons "
            "at its end write the export into facilitator/exports/",
        ]
    if not s.shared_password:
        lines.append(f"each person's password is kept in {s.state / LOGINS_FILE}")
    lines += [f"log: {hub.log_path}", "press Ctrl-C to stop the hub and everything it started"]
    return lines


def _wait_forever(hub: RunningHub) -> None:
    while hub.process.poll() is None:
        time.sleep(0.5)
        hub.remember_children()
    raise HubError(f"the hub stopped by itself; see {hub.log_path}")
