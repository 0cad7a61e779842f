"""Under a real JupyterHub with its circle service: a learner's end-of-course survey, saved by
the `Survey` widget through the hub store, is seen by the circle's facilitator and by no other
learner; the facilitator's meeting reflection likewise; and `circlekit report`, run with the
facilitator's token, counts the survey. (Rows added to the authorization matrix: survey and
meeting-reflection answers × author, circle-mate, facilitator, other circle's people.)"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from hubtools import ADMIN, start_test_hub

from circlekit.answers.remote import HubStore
from circlekit.cli import main
from widgets import MeetingReflection, Survey, configure

# A course the service's kit does not hold, so ids are checked by pattern only: the kit's own
# courses get their survey cells from other issues.
COURSE = "survey-check"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    th = start_test_hub(tmp_path_factory.mktemp("survey-hub") / "state")
    try:
        th.group("circle-a", ["alice", "bob", "fran"], facilitators=["fran"])
        th.group("circle-b", ["carl", "gina"], facilitators=["gina"])
        th.tokens = {n: th.token(n) for n in ("alice", "bob", "fran", "carl", "gina", ADMIN)}
        yield th
    finally:
        leftovers = th.hub.stop()
    assert leftovers == [], f"processes left running after the hub stopped: {leftovers}"


def seen(hub, who: str, kind: str) -> requests.Response:
    return requests.get(f"{hub.hub.service_url}api/v1/circles/a/answers",
                        params={"course": COURSE, "kind": kind},
                        headers={"Authorization": f"token {hub.tokens[who]}"}, timeout=30)


def save_through_hub(hub, tmp_path: Path, who: str, make, fill) -> None:
    store = HubStore(hub.hub.service_url, hub.tokens[who], user=who, home=tmp_path / who)
    try:
        configure(store=store, author=who, course=COURSE, circle="a", notebook="05.ipynb",
                  lang="en")
        widget = make()
        fill(widget)
        assert widget.save(), widget.status.text
        assert store.flush(60), "the answer did not reach the circle service"
    finally:
        configure(store=None, author=None, course=None, circle=None, notebook=None, lang=None)
        store.close()


def test_survey_and_reflection_are_for_the_facilitator_only(hub, tmp_path: Path,
                                                            monkeypatch) -> None:
    def answer_survey(w: Survey) -> None:
        w.goal_met.value, w.confident.value, w.recommend.value = 5, 4, 4
        w.plans.value = "Explain recommendations to my mother"
        w.consent.value = True

    def reflect(w: MeetingReflection) -> None:
        w.attendance.value, w.rating.value = 3, 5
        w.answer.value = "Alice asked the best question."

    save_through_hub(hub, tmp_path, "alice", lambda: Survey("sc-5-survey", goal="sc-goal"),
                     answer_survey)
    save_through_hub(hub, tmp_path, "fran",
                     lambda: MeetingReflection("sc-5-meeting", week=5), reflect)

    # The matrix: who reads the survey (kind "survey") and the reflection in circle a.
    expected = {
        # reader: (status, survey authors seen, reflection authors seen)
        "alice": (200, ["alice"], []),  # her own answer, not the facilitator's reflection
        "bob": (200, [], []),  # a circle-mate sees neither
        "fran": (200, ["alice"], ["fran"]),  # the circle's facilitator sees both, with names
        "carl": (403, None, None),  # another circle's learner
        "gina": (403, None, None),  # another circle's facilitator
    }
    for reader, (status, surveys, reflections) in expected.items():
        got_survey = seen(hub, reader, "survey")
        got_reflection = seen(hub, reader, "meeting-reflection")
        assert got_survey.status_code == status, f"{reader}: {got_survey.text}"
        assert got_reflection.status_code == status, f"{reader}: {got_reflection.text}"
        if status == 200:
            assert [a["author"] for a in got_survey.json()["answers"]] == surveys, reader
            assert [a["author"] for a in got_reflection.json()["answers"]] == reflections, reader
    [stored] = seen(hub, "fran", "survey").json()["answers"]
    assert stored["visibility"] == "facilitator"
    assert stored["value"]["goal_met"] == 5 and stored["value"]["consent"] is True

    # The facilitator's report, straight from the service with their own token.
    monkeypatch.setenv("CIRCLEKIT_SERVICE_URL", hub.hub.service_url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", hub.tokens["fran"])
    out = tmp_path / "report"
    assert main(["report", "--circle", "a", "--course", COURSE, "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Goal met (4 or 5 of 5): 1 of 1 learners" in page
    assert "Explain recommendations to my mother" in page and "alice" not in page.lower()
    # bob's report cannot count what he cannot see.
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", hub.tokens["bob"])
    assert main(["report", "--circle", "a", "--course", COURSE,
                 "--out", str(tmp_path / "bob-report")]) == 1
