"""The circle service's REST API on a real JupyterHub with its real proxy, real user tokens,
once on SQLite and once on PostgreSQL: who may do what, bad input, and escaping."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from hubtools import ADMIN, Postgres, start_test_hub

from circlekit.answers.record import MAX_CHARS
from circlekit.dashboard import ServiceSource, answers_html

COURSE = "we-are-ai"
PROMPT = "wai-1-who-decides"  # a discussion prompt of the kit's real course
POLL = "wai-1-ai-or-not"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hub(request, tmp_path_factory):
    cluster = None
    database_url = ""
    if request.param == "postgresql":
        cluster = Postgres()
        database_url = cluster.create_database("circle_service")
    th = start_test_hub(tmp_path_factory.mktemp("hub") / "state", database_url=database_url)
    try:
        th.group("circle-a", ["alice", "bob", "fran"], facilitators=["fran"])
        th.group("circle-b", ["carl", "gina"], facilitators=["gina"])
        th.tokens = {name: th.token(name)
                     for name in ("alice", "bob", "fran", "carl", "gina", ADMIN)}
        th.engine = request.param
        yield th
    finally:
        leftovers = th.hub.stop()
        if cluster is not None:
            cluster.stop()
    assert th.hub.process.returncode is not None
    assert leftovers == [], f"processes left running after the hub stopped: {leftovers}"


def call(hub, method: str, path: str, who: str | None = None, token: str | None = None,
         **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if who is not None:
        headers["Authorization"] = f"token {hub.tokens[who]}"
    elif token is not None:
        headers["Authorization"] = f"token {token}"
    return requests.request(method, f"{hub.hub.service_url}api/v1/{path}", headers=headers,
                            timeout=30, **kwargs)


def answer(**changes) -> dict:
    data = {"course": COURSE, "notebook": "01-what-is-ai.ipynb", "widget_id": PROMPT,
            "kind": "discussion", "visibility": "circle", "value": "I think so."}
    data.update(changes)
    return data


def everything(hub, circle: str) -> list[dict]:
    """What the admin sees in a circle: used to check that nothing was stored."""
    r = call(hub, "GET", f"circles/{circle}/answers", ADMIN)
    assert r.status_code == 200, r.text
    return r.json()["answers"]


# -- the authorization matrix -------------------------------------------------------------

ROLES = {
    # role: (who, circles where they may read/write/delete, circles they may export)
    "learner": ("alice", {"a"}, set()),
    "facilitator": ("fran", {"a"}, {"a"}),
    "admin": (ADMIN, {"a", "b"}, {"a", "b"}),
    "other-circle member": ("carl", {"b"}, set()),
    "bogus token": (None, set(), set()),
    "no token": (None, set(), set()),
}
CIRCLES = {"own": "a", "other": "b"}
# "notice": tell the circle an answer was parked; "notices": list the circle's parked answers.
ACTIONS = ("read", "write", "export", "notice", "notices", "delete")
FACILITATOR_ONLY = {"export", "notices"}


def expected(role: str, circle: str, action: str) -> int:
    if role in ("bogus token", "no token"):
        return 401
    _, member_of, exports = ROLES[role]
    allowed = circle in (exports if action in FACILITATOR_ONLY else member_of)
    if not allowed:
        return 403
    return 201 if action in ("write", "notice") else 200


def act(hub, role: str, circle: str, action: str) -> requests.Response:
    who = ROLES[role][0]
    token = "not-a-real-token-" + uuid.uuid4().hex if role == "bogus token" else None
    base = f"circles/{circle}/"
    if action == "read":
        return call(hub, "GET", base + "answers", who, token)
    if action == "write":
        return call(hub, "POST", base + "answers", who, token,
                    json=answer(value=f"{role} writes in {circle}"))
    if action == "export":
        return call(hub, "GET", base + "export?format=json", who, token)
    if action == "notice":
        return call(hub, "POST", base + "notices", who, token, json={
            "client_id": uuid.uuid4().hex, "course": COURSE, "notebook": "01-what-is-ai.ipynb",
            "widget_id": PROMPT, "kind": "discussion", "reason": "the service refused it",
            "tries": 6, "parked": "2026-01-05T18:00:00+00:00"})
    if action == "notices":
        return call(hub, "GET", base + "notices", who, token)
    return call(hub, "DELETE", base + "answers", who, token)


@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(hub, role: str) -> None:
    for circle_role, circle in CIRCLES.items():
        for action in ACTIONS:
            before = everything(hub, circle)
            response = act(hub, role, circle, action)
            want = expected(role, circle, action)
            cell = f"{role} × {circle_role} circle × {action}"
            assert response.status_code == want, f"{cell}: {response.status_code} {response.text}"
            if want >= 400:
                assert response.json()["error"], cell
                assert everything(hub, circle) == before, f"{cell} changed the circle"
            elif action == "write":
                stored = response.json()["answer"]
                # The author is always the token's user.
                assert stored["author"] == ROLES[role][0] and stored["circle"] == circle
                # The reply names what was kept; it does not send the text back.
                assert set(stored) == {"course", "widget_id", "kind", "author", "circle",
                                       "attempt", "created", "updated"}, stored
            elif action == "notices":
                # The notice this role posted a moment ago is among the circle's.
                found = response.json()["notices"]
                assert ROLES[role][0] in {n["author"] for n in found}, cell
                assert {n["circle"] for n in found} == {circle}, cell
            elif action == "delete":
                after = everything(hub, circle)
                assert not [a for a in after if a["author"] == ROLES[role][0]], cell


# -- who sees what ----------------------------------------------------------------------------


def test_visibility_rules(hub) -> None:
    wid = "wai-1-built-for-whom"
    for who, visibility in (("alice", "facilitator"), ("bob", "anonymous"),
                            ("fran", "private")):
        r = call(hub, "POST", "circles/a/answers", who,
                 json=answer(widget_id=wid, visibility=visibility, value=f"{who} says"))
        assert r.status_code == 201, r.text

    def seen(who: str, **params) -> dict[str, str]:
        r = call(hub, "GET", "circles/a/answers", who, params={"widget_id": wid, **params})
        return {a["value"]: a["author"] for a in r.json()["answers"]}

    # bob sees his own only: alice's is for the facilitator, fran's is private.
    assert seen("bob") == {"bob says": "bob"}
    assert seen("alice") == {"alice says": "alice", "bob says": ""}
    # Filtering by author must not unmask an anonymous answer.
    assert seen("alice", author="bob") == {}
    # The facilitator sees names and facilitator-only answers, but not others' private ones.
    assert seen("fran") == {"alice says": "alice", "bob says": "bob", "fran says": "fran"}
    # Another circle's facilitator does not reach this circle at all.
    assert call(hub, "GET", "circles/a/answers", "gina").status_code == 403


def test_tallies_goals_me_and_circle(hub) -> None:
    for who, vote in (("alice", "AI"), ("bob", "AI"), ("fran", "Not AI")):
        r = call(hub, "POST", "circles/a/answers", who,
                 json=answer(widget_id=POLL, kind="poll", visibility="anonymous", value=vote))
        assert r.status_code == 201, r.text
    tallies = call(hub, "GET", f"circles/a/tallies?widget_id={POLL}", "bob").json()
    assert tallies[POLL] == {"counts": {"AI": 2, "Not AI": 1}, "voters": 3}

    me = call(hub, "GET", "me", "fran").json()
    assert me == {"name": "fran", "admin": False, "circles": ["a"], "facilitates": ["a"]}
    circle = call(hub, "GET", "circles/a", "fran").json()
    assert circle["facilitators"] == ["fran"] and "alice" in circle["members"]
    assert "members" not in call(hub, "GET", "circles/a", "bob").json()
    assert call(hub, "GET", "circles/nope", ADMIN).status_code == 404
    assert call(hub, "GET", "circles/nope", "bob").status_code == 403

    goals = call(hub, "GET", "circles/a/goals", "fran").json()["goals"]
    assert isinstance(goals, list)


def test_export_csv_protects_spreadsheets(hub) -> None:
    r = call(hub, "POST", "circles/a/answers", "alice",
             json=answer(widget_id="wai-1-algorithm-this-week", value="=HYPERLINK(\"x\")"))
    assert r.status_code == 201
    export = call(hub, "GET", "circles/a/export?format=csv", "fran")
    assert export.status_code == 200
    assert export.headers["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in export.text and "course,notebook,widget_id" in export.text
    assert call(hub, "GET", "circles/a/export?format=xml", "fran").status_code == 400


# -- bad input: a 4xx with a clear message, and nothing stored ------------------------------

BAD = {
    "oversized answer": (answer(value="x" * (MAX_CHARS + 1)), 413, "limit is 5000"),
    "wrong type: kind": (answer(kind=5), 400, "'kind' must be text"),
    "wrong type: value": (answer(value={"a": {"b": {"c": {"d": {"e": "deep"}}}}}), 400,
                          "nested too deeply"),
    "wrong type: created": (answer(created="yesterday"), 400, "ISO 8601"),
    "unknown field": (answer(score=10), 400, "unknown field 'score'"),
    "unknown prompt id (pattern)": (answer(widget_id="Bad ID!"), 422, "unknown prompt id"),
    "unknown prompt id (course)": (answer(widget_id="wai-9-nope"), 422, "has no prompt"),
    "wrong kind for prompt": (answer(kind="poll"), 422, "is a discussion"),
    "forged author": (answer(author="bob"), 403, "you are 'alice', not 'bob'"),
    "empty answer": (answer(value="   "), 422, "empty"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_refused_and_nothing_stored(hub, case: str) -> None:
    body, status, message = BAD[case]
    before = everything(hub, "a")
    r = call(hub, "POST", "circles/a/answers", "alice", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()["error"]
    assert everything(hub, "a") == before


def _raw(**changes) -> bytes:
    return json.dumps(answer(**changes)).encode()


# Input that once got a 500 (or a 200 storing nothing): each must be a 400 naming the field.
RAW_BAD = {
    # A lone surrogate arrives as a JSON escape; UTF-8 (and so every store) cannot hold it.
    "lone surrogate": (b'{"course": "we-are-ai", "widget_id": "wai-1-who-decides", '
                       b'"kind": "discussion", "value": "half \\ud83d a smile"}', "value"),
    "nested 30,000 deep": (b'{"course": "we-are-ai", "widget_id": "wai-1-who-decides", '
                           b'"kind": "discussion", "value": ' + b"[" * 30000 + b"]" * 30000
                           + b"}", "value"),
    # Python's json writes NaN, which is not JSON: circle-mates' clients would choke on it.
    "NaN in a value": (_raw(value={"score": float("nan"), "why": "maybe"}), "value"),
    "Infinity in a value": (_raw(value=["a", float("inf")]), "value"),
    # PostgreSQL cannot store a NUL; SQLite can, but then the rule would differ by database.
    "NUL in a notebook name": (_raw(notebook="week\x001.ipynb"), "notebook"),
    "NUL in the text": (_raw(value="one\x00two"), "value"),
}


@pytest.mark.parametrize("case", RAW_BAD)
def test_bad_input_is_a_400_naming_the_field(hub, case: str) -> None:
    body, field = RAW_BAD[case]
    before = everything(hub, "a")
    r = call(hub, "POST", "circles/a/answers", "alice", data=body,
             headers={"Content-Type": "application/json"})
    assert r.status_code == 400, f"{case}: {r.status_code} {r.text}"
    assert r.json()["field"] == field and field in r.json()["error"], r.text
    assert everything(hub, "a") == before


def test_a_huge_after_is_a_400_naming_it(hub) -> None:
    r = call(hub, "GET", f"circles/a/answers?after={10**25}", "alice")
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "after"


def test_a_client_id_reused_in_another_circle_is_refused(hub) -> None:
    client_id = uuid.uuid4().hex
    first = call(hub, "POST", "circles/a/answers", ADMIN,
                 json=answer(value="in a", client_id=client_id))
    assert first.status_code == 201, first.text
    before = everything(hub, "b")
    again = call(hub, "POST", "circles/b/answers", ADMIN,
                 json=answer(value="in b", client_id=client_id))
    assert again.status_code == 409, again.text
    assert again.json()["field"] == "client_id" and "already used" in again.json()["error"]
    assert everything(hub, "b") == before


def test_replaying_a_save_after_its_answer_was_deleted_is_not_an_error(hub) -> None:
    client_id = uuid.uuid4().hex
    body = answer(widget_id="wai-1-built-for-whom", value="said once", client_id=client_id)
    assert call(hub, "POST", "circles/b/answers", "carl", json=body).status_code == 201
    assert call(hub, "DELETE", "circles/b/answers", "carl").status_code == 200
    # The reply was lost and the outbox sends it again: stored once, and not brought back.
    replay = call(hub, "POST", "circles/b/answers", "carl", json=body)
    assert replay.status_code == 200, replay.text
    assert replay.json()["applied"] is False
    assert not [a for a in everything(hub, "b") if a["author"] == "carl"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_malformed_json_is_refused(hub, raw: bytes) -> None:
    before = everything(hub, "a")
    r = call(hub, "POST", "circles/a/answers", "alice", data=raw,
             headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert "request body" in r.json()["error"]
    assert everything(hub, "a") == before


def test_unknown_address_and_health(hub) -> None:
    r = call(hub, "GET", "nothing-here", "alice")
    assert r.status_code == 404 and "api/v1" in r.json()["error"]
    health = call(hub, "GET", "health")
    assert health.status_code == 200 and health.json()["schema"] == 3


# -- escaping -------------------------------------------------------------------------------


def test_stored_xss_comes_back_escaped_in_the_dashboard(hub) -> None:
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    r = call(hub, "POST", "circles/a/answers", "alice",
             json=answer(widget_id="wai-1-reflection", kind="reflection", value=payload))
    assert r.status_code == 201
    # The API returns JSON (not HTML) and says so; browsers must not sniff it.
    raw = call(hub, "GET", "circles/a/answers?widget_id=wai-1-reflection", "fran")
    assert raw.headers["Content-Type"].startswith("application/json")
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    source = ServiceSource(hub.hub.service_url, hub.tokens["fran"])
    answers, _ = source.answers("a")
    page = answers_html(answers)
    assert "<img" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert json.dumps(payload)[1:-1] in raw.text  # stored as written, escaped only for display


def test_the_dashboard_never_hands_the_token_to_a_proxy(hub, monkeypatch) -> None:
    # A proxy from the environment (a library's web filter) must not be given the hub
    # token: the dashboard reaches the local service directly, as the hub store does.
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    source = ServiceSource(hub.hub.service_url, hub.tokens["fran"])
    assert "a" in source.circles()
