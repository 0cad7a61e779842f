"""Everything at once: eight learners' kernels (real Jupyter kernels, started with the
environment a hub-spawned server gives them) save through their widgets while the circle
service is killed with SIGKILL (the hub restarts it), a learner joins the circle, the
service's disk fills up and one answer always gets a 500. Afterwards every valid answer is in
the service exactly once, in order; the failing one is parked, its learner's widget says so,
and the facilitator sees it too.

The 500 is a real one from the real service: a trigger in its SQLite database refuses one
prompt's rows, which is a database fault the service does not expect.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from queue import Empty

import pytest
import requests
from hubtools import ADMIN, REPO, fill_disk, mount_tmpfs, start_test_hub
from jupyter_client import KernelManager

from circlekit.answers.record import MAX_CHARS
from circlekit.dashboard import ServiceSource, unshared_html

COURSE = "we-are-ai"
QUIZ = "wai-1-quiz-best"
BROKEN = "wai-2-quiz-label"  # the prompt whose rows the database refuses
LEARNERS = 8
SAVES = 10
FACILITATOR = "fac"

# Run in each kernel first: the store a widget gets by default must be the hub store.
SETUP = """
import json, time
from circlekit.answers.remote import HubStore, service_session
from circlekit.answers.store import default_store
from widgets import Quiz

store = default_store()
assert isinstance(store, HubStore), store
# The kernel has used the service before (read "me"): its token is known to the service.
service_session(store._token).get(store.api + "me", timeout=30)
print(json.dumps({"ready": True, "user": store.user}))
"""

# Then: each save as a learner makes it, picking an option and pressing Check.
SAVE = """
plan = json.loads({plan!r})
quiz = Quiz({quiz!r}, "A question with one option per save", plan["options"], 0, "Because.")
broken = Quiz({broken!r}, "A question the circle never takes", ["this one always fails", "no"],
              0, "Because.")
for n, option in enumerate(plan["options"]):
    if n == 3 and plan["broken"]:
        broken.radio.value = "this one always fails"
        assert broken.save(), broken.status.text
    quiz.radio.value = option
    assert quiz.save(), quiz.status.text
    time.sleep(plan["pause"])
flushed = store.flush(plan["flush"])
deadline = time.monotonic() + 30
while plan["broken"] and "several tries" not in broken.status.text \\
        and time.monotonic() < deadline:
    time.sleep(0.2)  # the widget's line changes from the sender thread
print(json.dumps({{"flushed": flushed, "pending": store.pending(),
                  "parked": [[p["widget_id"], why] for p, why in store.parked()],
                  "broken_status": broken.status.text if plan["broken"] else None,
                  "last_error": store.last_error,
                  "sender_alive": store._thread.is_alive()}}))
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    state = tmp_path_factory.mktemp("chaos") / "state"
    service_data = state / "service"
    no_tmpfs = mount_tmpfs(service_data, "6m")
    if no_tmpfs:
        print(f"the service's data folder is not a tmpfs ({no_tmpfs}): the disk will not "
              "fill up in this run")
    th = start_test_hub(state)
    try:
        th.service_data, th.no_tmpfs = service_data, no_tmpfs
        names = [f"k{n}" for n in range(LEARNERS)]
        # The last learner joins the circle during the run.
        th.group("circle-a", [*names[:-1], FACILITATOR], facilitators=[FACILITATOR])
        th.user(names[-1])
        th.tokens = {n: th.token(n) for n in [*names, FACILITATOR, ADMIN]}
        yield th
    finally:
        leftovers = th.hub.stop()
        if not no_tmpfs:
            subprocess.run(["umount", "-l", str(service_data)], check=False)
    assert leftovers == [], f"processes left running after the hub stopped: {leftovers}"


def call(hub, method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{hub.hub.service_url}api/v1/{path}", timeout=30,
                            headers={"Authorization": f"token {token}"}, **kwargs)


def kernel_env(hub, name: str, home: Path) -> dict[str, str]:
    """What a kernel of `name`'s hub-spawned server has: the hub's token and user, the
    service's address (c.Spawner.environment), the circle and home (the hub's pre_spawn)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTERHUB_", "CIRCLEKIT_"))}
    env.update({
        "JUPYTERHUB_API_TOKEN": hub.tokens[name], "JUPYTERHUB_USER": name,
        "CIRCLEKIT_SERVICE_URL": hub.hub.service_url, "CIRCLEKIT_CIRCLE": "a",
        "CIRCLEKIT_HOME": str(home), "JPY_SESSION_NAME": "01-what-is-ai.ipynb",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start(hub, name: str, home: Path) -> KernelManager:
    # The venv's python3 kernel, started in the course's folder as JupyterLab starts it
    # (the widgets find the course from there).
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=kernel_env(hub, name, home), cwd=str(REPO / "notebooks" / COURSE))
    return km


def output(kc, msg_id: str, timeout: float) -> str:
    """Everything cell `msg_id` printed, once it has finished; fails on an error."""
    deadline = time.monotonic() + timeout
    printed = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"the cell did not finish in {timeout} s: {''.join(printed)}")
        try:
            msg = kc.get_iopub_msg(timeout=min(left, 5))
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            printed.append(content["text"])
        elif kind == "error":
            raise AssertionError("\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(printed)


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_every_valid_answer_arrives_once_through_every_fault(hub, tmp_path) -> None:
    database = hub.service_data / "circle-service.sqlite3"
    with sqlite3.connect(database, timeout=30) as conn:
        conn.execute(f"""CREATE TRIGGER refuse_one BEFORE INSERT ON answers
                         WHEN NEW.widget_id = '{BROKEN}'
                         BEGIN SELECT RAISE(ABORT, 'a fault the service does not expect'); END""")
    names = [f"k{n}" for n in range(LEARNERS)]
    expected = {n: [f"{n} save {i} " + "x" * 400 for i in range(SAVES)] for n in names}
    kernels: dict[str, tuple[KernelManager, object]] = {}
    try:
        for name in names:
            km = start(hub, name, tmp_path / name)
            kernels[name] = (km, None)
        for name in names:
            km, _ = kernels[name]
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
            kernels[name] = (km, kc)
        for name in names:
            kc = kernels[name][1]
            ready = last_json(output(kc, kc.execute(SETUP), 120))
            assert ready == {"ready": True, "user": name}, ready
        runs = {}
        for name in names:
            plan = {"options": expected[name], "broken": name == "k0", "pause": 0.8,
                    "flush": 150}
            code = SAVE.format(plan=json.dumps(plan), quiz=QUIZ, broken=BROKEN)
            runs[name] = kernels[name][1].execute(code)
        # A membership change: the last learner joins now, after the service has seen them.
        hub.call("POST", "groups/circle-a/users", json={"users": [names[-1]]})
        time.sleep(1.5)
        if not hub.no_tmpfs:
            filler = fill_disk(hub.service_data)
            # Saves made now get "cannot store right now" and wait in their outboxes.
            r = call(hub, "POST", "circles/a/answers", token=hub.tokens["k1"], json={
                "course": COURSE, "widget_id": QUIZ, "kind": "quiz",
                "value": "probe " + "p" * (MAX_CHARS - 6)})
            time.sleep(2)
            filler.unlink()
            assert r.status_code in (201, 503), r.text
        pid = hub.hub.service_pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # the hub notices and starts it again (about 30 s)
        results = {name: last_json(output(kernels[name][1], runs[name], 300))
                   for name in names}
    finally:
        for km, kc in kernels.values():
            if kc is not None:
                kc.stop_channels()
            km.shutdown_kernel(now=False)
    assert all(not km.is_alive() for km, _ in kernels.values())

    for name, result in results.items():
        assert result["sender_alive"], (name, result)
        assert result["flushed"] and result["pending"] == 0, (name, result)
    k0 = results["k0"]
    ((widget_id, why),) = k0["parked"]
    assert widget_id == BROKEN and "internal problem" in why
    # The learner's widget says so...
    assert "several tries" in k0["broken_status"] and "internal problem" in k0["broken_status"]
    for name in names[1:]:
        assert results[name]["parked"] == [], (name, results[name])
    # ...and the facilitator sees it, through the service.
    notices = call(hub, "GET", "circles/a/notices", hub.tokens[FACILITATOR])
    assert notices.status_code == 200, notices.text
    (notice,) = notices.json()["notices"]
    assert (notice["author"], notice["widget_id"]) == ("k0", BROKEN)
    assert "internal problem" in notice["reason"]
    page = unshared_html(ServiceSource(hub.hub.service_url,
                                       hub.tokens[FACILITATOR]).notices("a"))
    assert "1 answer from <bdi>k0</bdi> could not be shared yet" in page
    # Exactly once, in order, in the right circle; the probe (if stored) aside.
    r = call(hub, "GET", f"circles/a/answers?widget_id={QUIZ}", hub.tokens[ADMIN])
    assert r.status_code == 200
    rows = [a for a in r.json()["answers"] if not isinstance(a["value"], str)]
    for name in names:
        assert [a["value"]["choice"] for a in rows if a["author"] == name] == expected[name], \
            name
    assert {a["circle"] for a in rows} == {"a"}
    r = call(hub, "GET", f"circles/a/answers?widget_id={BROKEN}", hub.tokens[ADMIN])
    assert r.json()["answers"] == []
