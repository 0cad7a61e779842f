"""Who may do what in which circle (the hub-backed side is in test_service_api.py)."""

from __future__ import annotations

from circlekit.service.auth import Caller, facilitators_of


def test_members_facilitators_and_admins() -> None:
    learner = Caller("alice", circles=frozenset({"a"}))
    facilitator = Caller("fran", facilitates=frozenset({"a"}))
    admin = Caller("root", admin=True)
    assert learner.may_use("a") and not learner.may_use("b")
    assert not learner.facilitator_of("a")
    assert facilitator.may_use("a") and facilitator.facilitator_of("a")
    assert not facilitator.may_use("b")
    assert admin.may_use("anything") and admin.facilitator_of("anything")


def test_facilitators_property_as_list_or_text() -> None:
    assert facilitators_of({"facilitators": ["fran", "gil"]}) == ("fran", "gil")
    assert facilitators_of({"facilitators": "fran, gil"}) == ("fran", "gil")
    assert facilitators_of({}) == ()
