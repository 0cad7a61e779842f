"""Everything at once: eight learners' hub stores, each in a process of its own as in a
kernel, save while the circle service is killed with SIGKILL (the hub restarts it), a
learner joins the circle, the service's disk fills up and one answer always gets a 500.
Afterwards every valid answer is in the service exactly once, in order, and the failing one
is parked where its learner can see it.

The 500 is a real one from the real service: a trigger in its SQLite database refuses one
prompt's rows, which is a database fault the service does not expect.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import requests
from hubtools import ADMIN, fill_disk, mount_tmpfs, start_test_hub

from circlekit.answers.record import MAX_CHARS

COURSE = "we-are-ai"
QUIZ = "wai-1-quiz-best"
BROKEN = "wai-2-quiz-label"  # the prompt whose rows the database refuses
LEARNERS = 8
SAVES = 10

LEARNER = r"""
import json, sys, time
import requests
from circlekit.answers.record import Answer
from circlekit.answers.remote import HubStore

plan = json.loads(sys.argv[1])
# The kernel has used the service before (read "me"): its token is known to the service.
requests.get(plan["url"] + "api/v1/me", timeout=30,
             headers={"Authorization": "token " + plan["token"]})
print(json.dumps({"ready": True}), flush=True)
store = HubStore(plan["url"], plan["token"], user=plan["name"], home=plan["home"], wait=0,
                 timeout=3, max_delay=2.0)
saved = []
for widget, value in plan["saves"]:
    saved.append(store.save(Answer(
        course="we-are-ai", notebook="01.ipynb", widget_id=widget, kind="quiz",
        author=plan["name"], circle="a", visibility="circle", value=value)))
    time.sleep(plan["pause"])
flushed = store.flush(plan["flush"])
print(json.dumps({"flushed": flushed, "pending": store.pending(),
                  "statuses": [store.status(s) for s in saved],
                  "parked": [[p["value"], why] for p, why in store.parked()],
                  "last_error": store.last_error,
                  "sender_alive": store._thread.is_alive()}), flush=True)
store.close()
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
        th.group("circle-a", names[:-1], facilitators=[])
        th.user(names[-1])
        th.tokens = {n: th.token(n) for n in [*names, ADMIN]}
        yield th
    finally:
        leftovers = th.hub.stop()
        if not no_tmpfs:
            subprocess.run(["umount", "-l", str(service_data)], check=False)
    assert leftovers == [], f"processes left running after the hub stopped: {leftovers}"


def call(hub, method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{hub.hub.service_url}api/v1/{path}", timeout=30,
                            headers={"Authorization": f"token {token}"}, **kwargs)


def test_every_valid_answer_arrives_once_through_every_fault(hub, tmp_path) -> None:
    database = hub.service_data / "circle-service.sqlite3"
    with sqlite3.connect(database, timeout=30) as conn:
        conn.execute(f"""CREATE TRIGGER refuse_one BEFORE INSERT ON answers
                         WHEN NEW.widget_id = '{BROKEN}'
                         BEGIN SELECT RAISE(ABORT, 'a fault the service does not expect'); END""")
    names = [f"k{n}" for n in range(LEARNERS)]
    expected = {n: [f"{n} save {i} " + "x" * 400 for i in range(SAVES)] for n in names}
    procs = {}
    for name in names:
        saves = [[QUIZ, v] for v in expected[name]]
        if name == "k0":
            saves.insert(3, [BROKEN, "this one always fails"])
        plan = {"url": hub.hub.service_url, "token": hub.tokens[name], "name": name,
                "home": str(tmp_path / name), "saves": saves, "pause": 0.8, "flush": 150}
        procs[name] = subprocess.Popen([sys.executable, "-c", LEARNER, json.dumps(plan)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
    try:
        for proc in procs.values():
            assert json.loads(proc.stdout.readline()).get("ready")
        # A membership change: the last learner joins now, after the service has seen them.
        hub.call("POST", "groups/circle-a/users", json={"users": [names[-1]]})
        time.sleep(1.5)
        filler = None
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
        results = {}
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, f"{name}: {err[-3000:]}"
            results[name] = json.loads(out.strip().splitlines()[-1])
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for name, result in results.items():
        assert result["sender_alive"], (name, result)
        assert result["flushed"] and result["pending"] == 0, (name, result)
    k0 = results["k0"]
    assert k0["statuses"][3] == "parked"
    assert k0["parked"][0][0] == "this one always fails"
    assert "internal problem" in k0["parked"][0][1]
    for name, result in results.items():
        shared = [s for i, s in enumerate(result["statuses"]) if not (name == "k0" and i == 3)]
        assert shared == ["shared"] * SAVES, (name, result)
    # Exactly once, in order, in the right circle; the probe (if stored) aside.
    r = call(hub, "GET", f"circles/a/answers?widget_id={QUIZ}", hub.tokens[ADMIN])
    assert r.status_code == 200
    rows = [a for a in r.json()["answers"] if not a["value"].startswith("probe ")]
    for name in names:
        assert [a["value"] for a in rows if a["author"] == name] == expected[name], name
    assert {a["circle"] for a in rows} == {"a"}
    r = call(hub, "GET", f"circles/a/answers?widget_id={BROKEN}", hub.tokens[ADMIN])
    assert r.json()["answers"] == []
