"""`circlekit hub` and hub/jupyterhub_config.py: a real hub for one circle, started the way a
facilitator would start it, logged into, and stopped with Ctrl-C with nothing left behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from circlekit.errors import HubError
from circlekit.hub import HubSettings, find_config, free_ports, run_hub

REPO = Path(__file__).resolve().parent.parent
CIRCLEKIT = [sys.executable, "-m", "circlekit"]


def login(url: str, name: str, password: str) -> requests.Session:
    s = requests.Session()
    s.get(f"{url}/hub/login", timeout=30)
    r = s.post(f"{url}/hub/login", timeout=30, allow_redirects=False,
               data={"username": name, "password": password, "_xsrf": s.cookies["_xsrf"]})
    s.login_status = r.status_code  # type: ignore[attr-defined]
    return s


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """`circlekit hub` in its own process, as a facilitator would run it."""
    state = tmp_path_factory.mktemp("cli-hub")
    port = free_ports(1)[0]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*CIRCLEKIT, "--root", str(REPO), "hub", "--circle", "tuesday", "--learners",
         "ana,ben", "--facilitator", "fay", "--port", str(port), "--state", str(state)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        start_new_session=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "press Ctrl-C" in line:
            break
    text = "".join(lines)
    if "press Ctrl-C" not in text:
        proc.kill()
        raise AssertionError(f"circlekit hub did not start:\n{text}")
    password = re.search(r"ana\s+password: (\S+)", text).group(1)
    url = re.search(r"running at (http://\S+)/", text).group(1)
    yield {"proc": proc, "text": text, "password": password, "url": url, "port": port,
           "state": state}
    if proc.poll() is None:
        proc.kill()


def test_it_prints_the_address_and_the_logins(running) -> None:
    text = running["text"]
    assert f"running at http://127.0.0.1:{running['port']}/" in text
    for name in ("ana", "ben", "fay"):
        assert re.search(rf"{name}\s+password: {re.escape(running['password'])}", text)


def test_learners_log_in_with_the_password_and_strangers_do_not(running) -> None:
    assert login(running["url"], "ana", running["password"]).login_status == 302
    assert login(running["url"], "ana", "wrong-password").login_status == 403
    assert login(running["url"], "mallory", running["password"]).login_status == 403


def test_the_facilitator_gets_the_courses_and_facilitates_the_circle(running) -> None:
    url = running["url"]
    s = login(url, "fay", running["password"])
    token = s.post(f"{url}/hub/api/users/fay/tokens", json={"note": "test"}, timeout=30,
                   headers={"X-XSRFToken": s.cookies["_xsrf"]}).json()["token"]
    auth = {"Authorization": f"token {token}"}
    me = requests.get(f"{url}/services/circle/api/v1/me", headers=auth, timeout=30).json()
    assert me["facilitates"] == ["tuesday"] and me["circles"] == ["tuesday"]
    requests.post(f"{url}/hub/api/users/fay/server", headers=auth, timeout=30)
    home = running["state"] / "users" / "fay"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        model = requests.get(f"{url}/hub/api/users/fay", headers=auth, timeout=30).json()
        if (model.get("servers") or {}).get("", {}).get("ready"):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("fay's server did not start")
    assert (home / "we-are-ai" / "course.yml").is_file()
    assert (home / "we-are-ai" / "01-what-is-ai.ipynb").is_file()
    assert (home / "facilitator" / "we-are-ai").is_dir()


def test_ctrl_c_stops_everything_it_started(running) -> None:
    proc = running["proc"]
    started = {p.pid for p in psutil.Process(proc.pid).children(recursive=True)}
    assert len(started) >= 3  # the hub, its proxy, the circle service (and fay's server)
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, rest
    assert "hub stopped" in rest
    alive = [pid for pid in started if psutil.pid_exists(pid)
             and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert alive == [], f"left running: {alive}"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{running['url']}/hub/api", timeout=5)


def test_another_address_needs_a_password(monkeypatch) -> None:
    monkeypatch.delenv("CIRCLEKIT_HUB_PASSWORD", raising=False)
    with pytest.raises(HubError, match="set a password"):
        run_hub(ip="0.0.0.0", learners=["ana"], echo=lambda line: None)
    done = subprocess.run([*CIRCLEKIT, "hub", "--ip", "0.0.0.0"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "CIRCLEKIT_HUB_PASSWORD": ""})
    assert done.returncode == 1 and "set a password" in done.stderr


def test_bad_names_are_refused() -> None:
    with pytest.raises(HubError, match="lower-case"):
        run_hub(learners=["Ana Maria"], echo=lambda line: None)


def test_settings_become_the_config_environment(tmp_path: Path) -> None:
    env = HubSettings(state=tmp_path, password="p" * 10, circle="c", learners=("a", "b"),
                      facilitator="f", port=1).environment()
    assert env["CIRCLEKIT_HUB_LEARNERS"] == "a,b" and env["CIRCLEKIT_HUB_CIRCLE"] == "c"
    assert env["CIRCLEKIT_HUB_IP"] == "127.0.0.1"
    assert find_config(REPO) == REPO / "hub" / "jupyterhub_config.py"
