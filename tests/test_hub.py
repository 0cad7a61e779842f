"""`circlekit hub` and hub/jupyterhub_config.py: a real hub for one circle, started the way a
facilitator would start it, logged into, and stopped with Ctrl-C with nothing left behind.

Each test stands alone: the read-only ones share one hub (module fixture), and the one that
stops a hub with Ctrl-C starts its own. Every hub is ended by `CliHub.stop()`, which ends the
process groups the CLI started, so a failure half-way leaves nothing running.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests
from hubtools import CliHub

from circlekit.errors import HubError
from circlekit.hub import HubSettings, find_config, free_ports, read_logins, run_hub

REPO = Path(__file__).resolve().parent.parent
CIRCLEKIT = [sys.executable, "-m", "circlekit"]


def login(url: str, name: str, password: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{url}/hub/login", timeout=30)
    r = s.post(f"{url}/hub/login", timeout=30, allow_redirects=False,
               data={"username": name, "password": password, "_xsrf": s.cookies["_xsrf"]})
    s.login_status = r.status_code  # type: ignore[attr-defined]
    return s


def cli_hub(state: Path, *extra: str) -> CliHub:
    return CliHub(["--circle", "tuesday", "--learners", "ana,ben", "--facilitator", "fay",
                   "--port", str(free_ports(1)[0]), "--state", str(state), *extra])


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """`circlekit hub` in its own process, as a facilitator would run it."""
    state = tmp_path_factory.mktemp("cli-hub")
    hub = cli_hub(state)
    try:
        yield hub, state
    finally:
        hub.stop()


def test_it_prints_the_address_each_persons_login_and_the_dashboard(running) -> None:
    hub, state = running
    assert hub.url.startswith("http://127.0.0.1:")
    passwords = {name: hub.password(name) for name in ("ana", "ben", "fay")}
    assert len(set(passwords.values())) == 3  # one each, nobody shares
    assert read_logins(state) == passwords
    assert stat.S_IMODE((state / "logins.json").stat().st_mode) == 0o600
    assert f"{hub.url}/hub/user-redirect/lab/tree/facilitator/dashboard.ipynb" in hub.text
    assert "dashboard" in hub.text and "export" in hub.text


def test_each_person_signs_in_with_their_own_password_only(running) -> None:
    hub, _ = running
    ana, fay = hub.password("ana"), hub.password("fay")
    assert login(hub.url, "ana", ana).login_status == 302
    assert login(hub.url, "fay", fay).login_status == 302
    # A learner using another person's login: ana's password does not open fay's account.
    assert login(hub.url, "fay", ana).login_status == 403
    assert login(hub.url, "ben", ana).login_status == 403
    assert login(hub.url, "ana", "wrong-password").login_status == 403
    assert login(hub.url, "mallory", ana).login_status == 403


def test_the_sign_in_page_names_the_circle_and_where_passwords_come_from(running) -> None:
    hub, _ = running
    page = requests.get(f"{hub.url}/hub/login", timeout=30).text
    assert 'Learning circle "tuesday"' in page
    assert "password your facilitator gave you" in page


def test_the_facilitator_gets_the_courses_and_facilitates_the_circle(running) -> None:
    hub, state = running
    url = hub.url
    s = login(url, "fay", hub.password("fay"))
    token = s.post(f"{url}/hub/api/users/fay/tokens", json={"note": "test"}, timeout=30,
                   headers={"X-XSRFToken": s.cookies["_xsrf"]}).json()["token"]
    auth = {"Authorization": f"token {token}"}
    me = requests.get(f"{url}/services/circle/api/v1/me", headers=auth, timeout=30).json()
    assert me["facilitates"] == ["tuesday"] and me["circles"] == ["tuesday"]
    requests.post(f"{url}/hub/api/users/fay/server", headers=auth, timeout=30)
    home = state / "users" / "fay"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        hub.note_groups()
        model = requests.get(f"{url}/hub/api/users/fay", headers=auth, timeout=30).json()
        if (model.get("servers") or {}).get("", {}).get("ready"):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("fay's server did not start")
    assert (home / "we-are-ai" / "course.yml").is_file()
    assert (home / "we-are-ai" / "01-what-is-ai.ipynb").is_file()
    assert (home / "facilitator" / "we-are-ai").is_dir()
    assert (home / "facilitator" / "dashboard.ipynb").is_file()


def test_ctrl_c_stops_everything_it_started(tmp_path: Path) -> None:
    hub = cli_hub(tmp_path / "state")
    try:
        started = {p.pid for p in psutil.Process(hub.proc.pid).children(recursive=True)}
        assert len(started) >= 3  # the hub, its proxy, the circle service
        hub.proc.send_signal(2)  # SIGINT: Ctrl-C
        rest, _ = hub.proc.communicate(timeout=90)
        assert hub.proc.returncode == 0, rest
        assert "hub stopped" in rest
        alive = [pid for pid in started if psutil.pid_exists(pid)
                 and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
        assert alive == [], f"left running: {alive}"
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{hub.url}/hub/api", timeout=5)
    finally:
        hub.stop()


def test_a_busy_port_is_named_at_once_with_the_way_out(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run(
            [*CIRCLEKIT, "--root", str(REPO), "hub", "--learners", "ana", "--port", str(port),
             "--state", str(tmp_path / "state")],
            capture_output=True, text=True, timeout=120, start_new_session=True,
        )
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use (EADDRINUSE)" in done.stderr
    assert "--port" in done.stderr
    assert "did not answer" not in done.stderr
    # Refused before any hub started, not after the 90 s start-up wait.
    assert time.monotonic() - started < 60, "the busy port was found only after a wait"
    assert not (tmp_path / "state" / "hub.log").exists()


def test_port_has_help_text() -> None:
    done = subprocess.run([*CIRCLEKIT, "hub", "--help"], capture_output=True, text=True,
                          timeout=60)
    text = " ".join(done.stdout.split())
    assert "--port PORT the port browsers use (default 8000" in text
    assert "--shared-password" in text


def test_a_shared_password_needs_the_explicit_flag_and_warns(monkeypatch) -> None:
    monkeypatch.delenv("CIRCLEKIT_HUB_PASSWORD", raising=False)
    with pytest.raises(HubError, match="--shared-password"):
        run_hub(password="everyone-1234", learners=["ana"], echo=lambda line: None)
    said: list[str] = []
    with pytest.raises(HubError, match="set a password"):
        run_hub(ip="0.0.0.0", learners=["ana"], shared_password=True, echo=said.append)
    done = subprocess.run([*CIRCLEKIT, "hub", "--ip", "0.0.0.0", "--shared-password"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CIRCLEKIT_HUB_PASSWORD": ""})
    assert done.returncode == 1 and "set a password" in done.stderr


def test_bad_names_are_refused() -> None:
    with pytest.raises(HubError, match="lower-case"):
        run_hub(learners=["Ana Maria"], echo=lambda line: None)


def test_settings_become_the_config_environment(tmp_path: Path) -> None:
    env = HubSettings(state=tmp_path, password="p" * 10, circle="c", learners=("a", "b"),
                      facilitator="f", port=1).environment()
    assert env["CIRCLEKIT_HUB_LEARNERS"] == "a,b" and env["CIRCLEKIT_HUB_CIRCLE"] == "c"
    assert env["CIRCLEKIT_HUB_IP"] == "127.0.0.1"
    # Without --shared-password the password never reaches the hub: each person has their own.
    assert env["CIRCLEKIT_HUB_PASSWORD"] == ""
    assert find_config(REPO) == REPO / "hub" / "jupyterhub_config.py"
