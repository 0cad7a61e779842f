"""The circle and facilitator rules in one place (circlekit.circles), as the hub's
configuration and the Helm chart's snippet call them with JupyterHub's user objects."""

from __future__ import annotations

from types import SimpleNamespace

from circlekit.circles import (
    circle_name,
    circles_of,
    facilitators_of,
    is_facilitator,
    leads_a_circle,
    server_circle,
)


def hub_user(name: str, groups: dict[str, dict], admin: bool = False) -> SimpleNamespace:
    return SimpleNamespace(name=name, admin=admin, groups=[
        SimpleNamespace(name=g, properties=props) for g, props in groups.items()])


def test_circles_are_prefixed_groups_and_the_first_by_name_is_saved_into() -> None:
    assert circle_name("circle-tuesday") == "tuesday"
    assert circle_name("circle-") is None and circle_name("staff") is None
    assert circles_of(["staff", "circle-b", "circle-a"]) == ["a", "b"]
    assert server_circle(hub_user("ana", {"staff": {}, "circle-b": {}, "circle-a": {}})) == "a"
    assert server_circle(hub_user("ana", {"staff": {}})) is None


def test_a_facilitator_written_as_text_never_matches_part_of_a_name() -> None:
    # The hub's configuration once tested `name in properties["facilitators"]`: with the
    # property written as text, "ria" matched "maria, sam".
    text = {"facilitators": "maria, sam"}
    assert facilitators_of(text) == ("maria", "sam")
    assert not leads_a_circle(hub_user("ria", {"circle-tuesday": text}))
    assert leads_a_circle(hub_user("maria", {"circle-tuesday": text}))
    assert leads_a_circle(hub_user("sam", {"circle-tuesday": {"facilitators": ["sam"]}}))


def test_a_facilitator_must_be_a_member_and_admins_lead_everywhere() -> None:
    props = {"facilitators": ["fran"]}
    assert is_facilitator("fran", ["fran", "ana"], props)
    assert not is_facilitator("fran", ["ana"], props)  # removed from the group
    assert is_facilitator("root", [], {}, admin=True)
    # A facilitator named in a group that is not a circle leads nothing.
    assert not leads_a_circle(hub_user("fran", {"staff": props}))
    assert leads_a_circle(hub_user("root", {}, admin=True))
