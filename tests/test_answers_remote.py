"""The hub store: the outbox, its retries and its order, against a real hub, a real proxy and
the real circle service; and a real kernel on a spawned server saving through a Discussion."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
import requests
from hubtools import ADMIN, start_test_hub

from circlekit.answers.record import Answer
from circlekit.answers.remote import HubStore, Outbox, hub_store_from_env, new_client_id
from circlekit.hub import free_ports

COURSE = "we-are-ai"


def answer(**changes) -> Answer:
    base = dict(course=COURSE, notebook="01-what-is-ai.ipynb", widget_id="wai-1-who-decides",
                kind="discussion", author="alice", circle="a", visibility="circle",
                value="hello")
    base.update(changes)
    return Answer(**base)


# -- without a service -------------------------------------------------------------------------


def nowhere() -> str:
    return f"http://127.0.0.1:{free_ports(1)[0]}/services/circle/"


def test_offline_saves_are_kept_and_wait(tmp_path: Path) -> None:
    store = HubStore(nowhere(), "token", user="alice", home=tmp_path, timeout=1,
                     max_delay=0.5)
    try:
        started = time.monotonic()
        stored = store.save(answer(value="typed offline"))
        assert time.monotonic() - started < 5  # never hangs the kernel
        assert store.status(stored) == "waiting" and store.pending() == 1
        # Still readable: from this computer's file.
        again = store.get(course=COURSE, widget_id="wai-1-who-decides", kind="discussion",
                          author="alice", circle="a")
        assert again is not None and again.value == "typed offline"
        assert [a.value for a in store.list(circle="a")] == ["typed offline"]
        assert not store.flush(timeout=1.5)
        assert not store.online
    finally:
        store.close()
    # The outbox outlives the kernel: a new store finds the save still waiting.
    reopened = HubStore(nowhere(), "token", user="alice", home=tmp_path, start=False)
    assert reopened.pending() == 1
    reopened.close()


def test_saves_are_sent_with_ids_in_the_order_they_were_made(tmp_path: Path) -> None:
    """The service keeps its receipts in id order: time-ordered ids go in at the end of that
    index instead of anywhere in it."""
    store = HubStore(nowhere(), "token", user="alice", home=tmp_path, start=False)
    try:
        for n in range(5):
            store.save(answer(value=f"typed {n}"))
        with sqlite3.connect(store.outbox.path) as conn:
            ids = [i for (i,) in conn.execute("SELECT client_id FROM outbox ORDER BY rowid")]
    finally:
        store.close()
    made = ids + [new_client_id() for _ in range(2000)]
    assert len(set(made)) == len(made) and made == sorted(made)
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in made)


def test_one_kernel_at_a_time_holds_the_outbox(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    assert outbox.claim("k1", 30)
    assert not outbox.claim("k2", 30)
    assert outbox.claim("k1", 30)  # renewing is fine
    outbox.release("k1")
    assert outbox.claim("k2", 30)
    outbox.close()


def test_hub_store_from_env_needs_both_url_and_token(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("CIRCLEKIT_SERVICE_URL", raising=False)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    assert hub_store_from_env() is None


# -- against a real hub ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    th = start_test_hub(tmp_path_factory.mktemp("remote") / "state")
    try:
        th.group("circle-a", ["alice", "bob"], facilitators=["fran"])
        th.user("fran")
        th.tokens = {n: th.token(n) for n in ("alice", "bob", "fran", ADMIN)}
        yield th
    finally:
        leftovers = th.hub.stop()
    assert leftovers == [], f"processes left running after the hub stopped: {leftovers}"


def read(hub, who: str, **params) -> list[dict]:
    r = requests.get(f"{hub.hub.service_url}api/v1/circles/a/answers", params=params,
                     headers={"Authorization": f"token {hub.tokens[who]}"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["answers"]


def test_a_save_is_shared_and_a_circle_mate_sees_it(hub, tmp_path: Path) -> None:
    alice = HubStore(hub.hub.service_url, hub.tokens["alice"], user="alice",
                     home=tmp_path / "alice")
    bob = HubStore(hub.hub.service_url, hub.tokens["bob"], user="bob", home=tmp_path / "bob")
    try:
        stored = alice.save(answer(value="shared at once"))
        assert alice.flush(30) and alice.status(stored) == "shared"
        seen = bob.list(course=COURSE, widget_id="wai-1-who-decides", kind="discussion",
                        circle="a")
        assert [(a.author, a.value) for a in seen] == [("alice", "shared at once")]
        # A refused save is not retried forever, and says why.
        bad = alice.save(answer(widget_id="wai-9-unknown", value="x"))
        assert alice.flush(30) and alice.status(bad) == "rejected"
        assert "has no prompt" in alice.problem(bad)
    finally:
        alice.close()
        bob.close()


def _service_answers(hub, widget_id: str) -> list[tuple[int, str]]:
    rows = read(hub, ADMIN, widget_id=widget_id)
    return [(r["attempt"], r["value"]) for r in rows if r["author"] == "alice"]


def test_fault_service_stopped_twenty_saves_all_arrive_in_order_once(hub, tmp_path) -> None:
    widget = "wai-1-quiz-best"  # a quiz: every save is its own row, so order and count show
    store = HubStore(hub.hub.service_url, hub.tokens["alice"], user="alice", home=tmp_path,
                     timeout=2, wait=0, max_delay=1.0)
    pid = hub.hub.service_pid()
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    try:
        deadline = time.monotonic() + 30
        while hub.hub.service_pid() == pid and time.monotonic() < deadline:
            time.sleep(0.2)
        saved = [store.save(answer(widget_id=widget, kind="quiz", value=f"answer {n}"))
                 for n in range(1, 21)]
        assert store.pending() == 20
        assert {store.status(s) for s in saved} == {"waiting"}
        # Nothing typed is lost while the service is away: it is all on this computer.
        assert len(store.local.list(widget_id=widget)) == 20
        # The hub restarts its managed service by itself (it polls every 30 s or so).
        assert store.flush(timeout=100), "the outbox was not delivered after the restart"
    finally:
        store.close()
    assert _service_answers(hub, widget) == [(n, f"answer {n}") for n in range(1, 21)]


def test_fault_replies_lost_still_exactly_once(hub, tmp_path) -> None:
    # SIGSTOP freezes the service: requests reach it but their replies never come back in
    # time, so the store sends the same save again. Each must be stored once.
    widget = "wai-2-quiz-label"
    store = HubStore(hub.hub.service_url, hub.tokens["alice"], user="alice", home=tmp_path,
                     timeout=1, wait=0, max_delay=0.5)
    pid = hub.hub.service_pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        for n in range(1, 6):
            store.save(answer(widget_id=widget, kind="quiz", value=f"frozen {n}"))
        time.sleep(4)  # several timed-out tries of the first save queue up in the service
    finally:
        os.kill(pid, signal.SIGCONT)
    try:
        assert store.flush(timeout=60)
    finally:
        store.close()
    assert _service_answers(hub, widget) == [(n, f"frozen {n}") for n in range(1, 6)]


# -- a real kernel on a spawned single-user server ------------------------------------------


async def _execute(server_url: str, token: str, code: str, timeout: float = 90) -> str:
    """Run `code` in a new kernel of the server at `server_url`; return what it printed."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Authorization": f"token {token}"}
    client = AsyncHTTPClient()
    made = await client.fetch(HTTPRequest(f"{server_url}api/kernels", method="POST",
                                          headers=headers, body="{}"))
    kernel = json.loads(made.body)["id"]
    ws_url = server_url.replace("http", "ws", 1) + f"api/kernels/{kernel}/channels"
    conn = await websocket_connect(HTTPRequest(ws_url, headers=headers))
    msg_id = uuid.uuid4().hex
    conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    printed, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(conn.read_message(), deadline - time.monotonic())
            if raw is None:
                break
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                printed.append(msg["content"]["text"])
            elif kind == "error":
                trace = "\n".join(msg["content"]["traceback"])
                raise AssertionError(f"the kernel raised:\n{trace}")
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        conn.close()
        await client.fetch(HTTPRequest(f"{server_url}api/kernels/{kernel}", method="DELETE",
                                       headers=headers))
    return "".join(printed)


KERNEL_CODE = """
import os
import widgets
from widgets.context import current_store
# No store is chosen here: under the hub the widgets must find the hub store themselves.
widgets.configure(course="we-are-ai", notebook="01-what-is-ai.ipynb")
store = current_store()
print("store", type(store).__name__)
d = widgets.Discussion("wai-1-built-for-whom", "Who is it built for?")
d.text.value = "Written in alice's own kernel <b>on the hub</b>"
print("saved", d.save(), "flushed", store.flush(60), "pending", store.pending(),
      "circle", os.environ.get("CIRCLEKIT_CIRCLE"))
"""


def test_a_real_kernel_saves_through_a_discussion_and_bob_reads_it(hub) -> None:
    server = hub.start_server("alice")
    try:
        printed = asyncio.run(_execute(server, hub.tokens["alice"], KERNEL_CODE))
    finally:
        hub.stop_server("alice")
    assert "store HubStore" in printed, printed
    assert "saved True flushed True pending 0 circle a" in printed, printed
    seen = read(hub, "bob", widget_id="wai-1-built-for-whom")
    assert [(a["author"], a["value"]) for a in seen] == [
        ("alice", "Written in alice's own kernel <b>on the hub</b>")]


def test_default_store_is_the_hub_store_under_a_hub(monkeypatch, tmp_path):
    from circlekit.answers import remote, store
    from circlekit.answers.local import LocalStore

    monkeypatch.setenv("CIRCLEKIT_HOME", str(tmp_path))
    monkeypatch.delenv("CIRCLEKIT_SERVICE_URL", raising=False)
    assert isinstance(store.default_store(), LocalStore)
    monkeypatch.setenv("CIRCLEKIT_SERVICE_URL", "http://127.0.0.1:9/services/circle/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "kernel-token")
    monkeypatch.setattr(remote, "_from_env", None)
    chosen = store.default_store()
    try:
        assert isinstance(chosen, remote.HubStore)
    finally:
        chosen.close()
        monkeypatch.setattr(remote, "_from_env", None)
