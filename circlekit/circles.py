"""Who is in a circle and who leads it: the one place these rules are written.

The circle service (`circlekit.service.auth`), the hub's configuration
(`hub/jupyterhub_config.py`) and the Helm chart's extra configuration (`hub/helm/values.yaml`)
all call these functions, so a hub and its service can never disagree.

- A circle is a hub group whose name starts with a prefix (`circle-` by default); the circle's
  name is the rest (`circle-tuesday` is circle `tuesday`).
- Its members are the group's users.
- Its facilitators are named in the group's `facilitators` property (a list of names, or one
  text of comma-separated names), and must be members too: someone removed from the group
  loses the circle, whatever the property still says.
- Hub admins count as facilitators of every circle.
- Someone in several circles saves into the first by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

DEFAULT_PREFIX = "circle-"


def circle_name(group: str, prefix: str = DEFAULT_PREFIX) -> str | None:
    """The circle a hub group stands for, or None when the group is not a circle."""
    if not group.startswith(prefix) or len(group) == len(prefix):
        return None
    return group[len(prefix):]


def circles_of(groups: Iterable[str], prefix: str = DEFAULT_PREFIX) -> list[str]:
    """The circles among a person's group names, sorted by name."""
    return sorted(name for g in groups if (name := circle_name(g, prefix)) is not None)


def facilitators_of(properties: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The `facilitators` property as whole names (a comma-separated text is split, so one
    name never matches part of another)."""
    value = (properties or {}).get("facilitators") or ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(name).strip() for name in value if str(name).strip())


def is_facilitator(name: str, members: Iterable[str], properties: Mapping[str, Any] | None,
                   admin: bool = False) -> bool:
    """Whether `name` leads the circle with these members and group properties."""
    if admin:
        return True
    return name in set(members) and name in facilitators_of(properties)


def server_circle(user: Any, prefix: str = DEFAULT_PREFIX) -> str | None:
    """The circle a hub user's server saves into (a JupyterHub user object), or None."""
    found = circles_of((g.name for g in user.groups), prefix)
    return found[0] if found else None


def leads_a_circle(user: Any, prefix: str = DEFAULT_PREFIX) -> bool:
    """Whether a hub user (a JupyterHub user object) facilitates any circle."""
    # `user.groups` are the groups the user is in, so membership holds for each of them.
    return bool(user.admin) or any(
        is_facilitator(user.name, (user.name,), g.properties)
        for g in user.groups if circle_name(g.name, prefix) is not None
    )
