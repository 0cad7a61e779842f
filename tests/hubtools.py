"""A real JupyterHub for tests: start it on free loopback ports, manage users, groups, tokens
and servers through its REST API with an admin token, and stop everything it started."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import requests

from circlekit.hub import HubSettings, RunningHub, start_hub

REPO = Path(__file__).resolve().parent.parent
# The hub's one admin, declared in its configuration (an API token cannot make admins).
ADMIN = "hubadmin"


class TestHub:
    """A started hub plus an admin client for its REST API."""

    def __init__(self, hub: RunningHub):
        self.hub = hub
        self.url = hub.url
        self.api = f"{hub.url}/hub/api"
        self.admin = requests.Session()
        self.admin.headers["Authorization"] = f"token {hub.settings.api_token}"

    # -- REST API ----------------------------------------------------------------------------

    def call(self, method: str, path: str, expect: tuple[int, ...] = (200, 201, 204),
             **kwargs: Any) -> Any:
        response = self.admin.request(method, f"{self.api}/{path.lstrip('/')}", timeout=30,
                                      **kwargs)
        if response.status_code not in expect:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def user(self, name: str) -> str:
        """Make sure `name` exists. (Admins are made by the hub's config: see ADMIN.)"""
        if self.admin.get(f"{self.api}/users/{name}", timeout=30).status_code == 404:
            self.call("POST", f"users/{name}")
        return name

    def group(self, name: str, users: list[str], facilitators: list[str] = ()) -> str:
        for user in users:
            self.user(user)
        if self.admin.get(f"{self.api}/groups/{name}", timeout=30).status_code == 404:
            self.call("POST", f"groups/{name}")
        if users:
            self.call("POST", f"groups/{name}/users", json={"users": list(users)})
        self.call("PUT", f"groups/{name}/properties",
                  json={"facilitators": list(facilitators)})
        return name

    def token(self, name: str) -> str:
        data = self.call("POST", f"users/{name}/tokens", json={"note": "test"})
        return data["token"]

    def start_server(self, name: str, timeout: float = 120) -> str:
        """Start `name`'s server and wait until it answers; return its base URL."""
        self.call("POST", f"users/{name}/server", expect=(201, 202, 400))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.call("GET", f"users/{name}")
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready"):
                self.hub.remember_children()
                return f"{self.url}{server['url']}"
            time.sleep(0.5)
        raise AssertionError(f"{name}'s server did not start in {timeout} s:\n"
                             + self.hub.log()[-4000:])

    def stop_server(self, name: str) -> None:
        self.call("DELETE", f"users/{name}/server", expect=(202, 204, 400))

    def home(self, name: str) -> Path:
        """`name`'s home folder: where their server starts, and nbgitpuller clones into."""
        return self.hub.settings.state / "users" / name

    def password(self, name: str) -> str:
        """`name`'s own password, as `circlekit hub` would have printed it."""
        return self.hub.settings.logins[name]

    def browser_login(self, page: Any, name: str, password: str | None = None) -> None:
        """Sign `name` in through the hub's own login form, which `page` is showing."""
        page.locator("#username_input").fill(name)
        page.locator("#password_input").fill(password or self.password(name))
        page.locator("#login_submit").click()

    def service_up(self, timeout: float = 60) -> None:
        """Wait until the circle service answers through the proxy."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                r = requests.get(f"{self.hub.service_url}api/v1/health", timeout=2)
                if r.status_code == 200:
                    self.hub.service_pid()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError("the circle service did not come up:\n" + self.hub.log()[-4000:])


def start_test_hub(state: Path, **overrides: Any) -> TestHub:
    people = (*overrides.get("learners", ()), overrides.get("facilitator", ""))
    settings = HubSettings(
        state=state, api_token=secrets.token_hex(24),
        logins={name: secrets.token_urlsafe(12) for name in people if name},
        kit_root=REPO, copy_courses=False, admins=(ADMIN,),
        admin_password=secrets.token_urlsafe(32), **overrides,
    )
    hub = TestHub(start_hub(settings))
    try:
        hub.service_up()
    except BaseException:
        hub.hub.stop()
        raise
    return hub


# -- a PostgreSQL cluster of the test's own ---------------------------------------------------

PG_BIN = Path("/usr/lib/postgresql")


def _pg_bin() -> Path:
    found = sorted(PG_BIN.glob("*/bin/postgres"))
    if not found:
        raise AssertionError("PostgreSQL is not installed: run `make system` (Debian postgresql)")
    return found[-1].parent


class Postgres:
    """A throw-away PostgreSQL cluster in a temporary folder on a free loopback port.

    PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user
    (created by Debian's package), in a folder that user owns. Stopped by its PID.
    """

    def __init__(self) -> None:
        import os
        import shutil
        import subprocess
        import tempfile

        from circlekit.hub import free_ports

        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="circlekit-pg-"))
        self.port = free_ports(1)[0]
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        data = self.dir / "data"
        self._run([str(self.bin / "initdb"), "-D", str(data), "-U", "postgres",
                   "--auth=trust", "-E", "UTF8", "--no-sync"])
        self._run([str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"),
                   "-w", "-t", "60", "-o",
                   f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                   "start"])
        self.pid = int((data / "postmaster.pid").read_text().split()[0])
        self._shutil, self._subprocess = shutil, subprocess

    def _run(self, cmd: list[str]) -> None:
        import subprocess

        done = subprocess.run(self.prefix + cmd, capture_output=True, text=True, cwd=self.dir)
        if done.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        import os
        import signal

        import psutil

        try:
            proc = psutil.Process(self.pid)
            os.kill(self.pid, signal.SIGINT)  # PostgreSQL's "fast shutdown"
            proc.wait(30)
        except psutil.NoSuchProcess:
            pass
        except psutil.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
        self._shutil.rmtree(self.dir, ignore_errors=True)


# -- a small disk of the test's own ---------------------------------------------------------


def mount_tmpfs(path: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` at `path`; the reason it cannot be done, or None."""
    import subprocess

    path.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(path)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"mount could not run: {error}"
    if done.returncode != 0:
        return f"mount refused: {done.stderr.strip() or done.returncode}"
    return None


def fill_disk(folder: Path) -> Path:
    """Fill the file system under `folder` to the last byte; return the file to delete."""
    import os

    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 16, 1 << 10, 1):  # big blocks first, then what is left
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


# -- `circlekit hub` run as a facilitator runs it ----------------------------------------------


class CliHub:
    """`circlekit hub` in a process (and process group) of its own, read until it is ready.

    The hub it starts runs in a session, so a process group, of its own: `stop()` ends the
    CLI's group and every group its children lead, so a test that fails half-way leaves no hub,
    proxy, service or server running.
    """

    def __init__(self, args: list[str], timeout: float = 150, root: Path = REPO) -> None:
        import os
        import subprocess
        import sys

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "circlekit", "--root", str(root), "hub", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            start_new_session=True,
        )
        self.groups: set[int] = {self.proc.pid}
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            self.note_groups()
            if "press Ctrl-C" in line:
                break
        self.text = "".join(lines)
        if "press Ctrl-C" not in self.text:
            self.stop()
            raise AssertionError(f"circlekit hub did not start:\n{self.text}")
        self.url = self.text.split("running at ", 1)[1].split()[0].rstrip("/")

    def note_groups(self) -> set[int]:
        """Remember the process group of everything the CLI has started so far."""
        import os

        import psutil

        try:
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            kids = []
        for kid in kids:
            try:
                self.groups.add(os.getpgid(kid.pid))
            except ProcessLookupError:
                continue
        return self.groups

    def password(self, name: str) -> str:
        for line in self.text.splitlines():
            words = line.split()
            if len(words) >= 4 and words[1] == name and words[2] == "password:":
                return words[3]
        raise AssertionError(f"no password printed for {name}:\n{self.text}")

    def stop(self) -> None:
        import os
        import signal
        import subprocess

        self.note_groups()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # what Ctrl-C does: the CLI stops the hub
            try:
                self.proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            alive = False
            for group in self.groups:
                try:
                    os.killpg(group, sig)
                    alive = True
                except (ProcessLookupError, PermissionError):
                    continue
            if not alive:
                break
            time.sleep(3)
        if self.proc.poll() is None:
            self.proc.wait(10)


# -- a kit in a git repository whose book launches to a hub -------------------------------------


def git(cwd: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "-c", "user.name=Course Author", "-c", "user.email=author@example.org",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, f"git {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip()


def launching_kit(kit: Path, hub_url: str) -> Path:
    """Make `kit` (a folder with the kit's content) a git repository whose book's launch
    buttons open its notebooks in JupyterLab on the hub at `hub_url`; return `kit`."""
    import yaml

    from circlekit.launch import read_config

    config = read_config(kit)
    config["launch_buttons"] = {**(config.get("launch_buttons") or {}),
                                "jupyterhub_url": hub_url, "notebook_interface": "jupyterlab"}
    config["repository"] = {**(config.get("repository") or {}), "url": kit.as_uri(),
                            "branch": "main", "path_to_book": ""}
    (kit / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (kit / ".gitignore").write_text("_build/\n", encoding="utf-8")
    git(kit, "init", "-q")
    git(kit, "add", "-A")
    git(kit, "commit", "-q", "-m", "the course")
    return kit
