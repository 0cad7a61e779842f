"""Every `CIRCLEKIT_*` environment setting: its name, its default and what it is for.

This is the one reader of the kit's settings. Code asks `get(NAME)` (or `get_int`,
`get_float`, `get_names`) instead of reading `os.environ` itself, so a default lives in one
place and `circlekit settings`-style documentation can be printed from `SETTINGS`. The hub's
configuration file (`hub/jupyterhub_config.py`) reads them through here too.

Settings are read when asked for, not at import: a test or a kernel may change them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from circlekit.errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    doc: str


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    # -- where a learner's answers are kept, and who they are ---------------------------------
    Setting("CIRCLEKIT_HOME", "", "folder for this person's answers file and outbox "
            "(default: the user's data folder)"),
    Setting("CIRCLEKIT_USER", "", "the author name of answers outside a hub (default: the "
            "login name)"),
    Setting("CIRCLEKIT_CIRCLE", "", "the circle widgets save into (the hub sets it; default "
            "'local')"),
    Setting("CIRCLEKIT_LANG", "", "the widgets' language (default: the course's language)"),
    Setting("CIRCLEKIT_SERVICE_URL", "", "the circle service's address; set by the hub for "
            "every server, it makes widgets share answers through the hub store"),
    # -- the hub (`circlekit hub`, hub/jupyterhub_config.py) -----------------------------------
    Setting("CIRCLEKIT_HUB_STATE", "", "the hub's folder: database, secrets, homes, the "
            "service's data (default ~/.local/share/circlekit/hub)"),
    Setting("CIRCLEKIT_HUB_IP", "127.0.0.1", "the address the hub listens on"),
    Setting("CIRCLEKIT_HUB_PORT", "8000", "the hub's port for browsers"),
    Setting("CIRCLEKIT_HUB_API_PORT", "8081", "the hub's own API port (127.0.0.1)"),
    Setting("CIRCLEKIT_PROXY_API_PORT", "8001", "the proxy's API port (127.0.0.1)"),
    Setting("CIRCLEKIT_SERVICE_PORT", "10101", "the circle service's port (127.0.0.1)"),
    Setting("CIRCLEKIT_HUB_PASSWORD", "", "the circle's shared password (8+ characters)"),
    Setting("CIRCLEKIT_HUB_CIRCLE", "", "the circle's name (hub group circle-<name>)"),
    Setting("CIRCLEKIT_HUB_LEARNERS", "", "learners' login names, comma-separated"),
    Setting("CIRCLEKIT_HUB_FACILITATOR", "", "the facilitator's login name"),
    Setting("CIRCLEKIT_HUB_ADMINS", "", "hub admins' login names, comma-separated"),
    Setting("CIRCLEKIT_HUB_ADMIN_PASSWORD", "", "the admins' password"),
    Setting("CIRCLEKIT_HUB_API_TOKEN", "", "a token for the circlekit-admin service "
            "(tests, automation); none by default"),
    Setting("CIRCLEKIT_KIT_ROOT", "", "the kit folder: courses copied into homes, and the "
            "prompt ids the service accepts"),
    Setting("CIRCLEKIT_COPY_COURSES", "1", "'0' leaves learners' homes empty"),
    Setting("CIRCLEKIT_FACILITATES", "0", "'1' on the server of someone who leads a circle "
            "(set by the hub): `circlekit place-courses` adds the facilitator guides"),
    # -- the circle service ---------------------------------------------------------------------
    Setting("CIRCLEKIT_DATABASE_URL", "", "the circle service's database as an SQLAlchemy URL "
            "(default: SQLite in CIRCLEKIT_SERVICE_DATA)"),
    Setting("CIRCLEKIT_SERVICE_DATA", ".", "the circle service's data folder"),
    Setting("CIRCLEKIT_CIRCLE_PREFIX", "circle-", "which hub groups are circles"),
    Setting("CIRCLEKIT_MEMBERSHIP_MAX_AGE", "2", "seconds the service may reuse the hub's list "
            "of circles (a removed learner loses access within this, plus one hub reply)"),
    # Every active token is checked with the hub again this often: 2 s cost the 600-learner
    # run two thirds of its throughput; 5 s is the promise in book/deploying.md.
    Setting("CIRCLEKIT_TOKEN_MAX_AGE", "5", "seconds the service may reuse what the hub said "
            "about a token (a stopped server's token stops working within this)"),
    Setting("CIRCLEKIT_SAVES_PER_SECOND", "4", "per person: saves per second the service "
            "accepts on average (more get 429 and are sent again later)"),
    Setting("CIRCLEKIT_SAVES_BURST", "40", "per person: saves the service accepts at once "
            "before the per-second rate applies"),
    Setting("CIRCLEKIT_WRITE_QUEUE", "5000", "saves waiting for the database at most; more "
            "get 429"),
)}


def _setting(name: str) -> Setting:
    try:
        return SETTINGS[name]
    except KeyError:
        raise SettingError(f"{name} is not a circlekit setting; add it to "
                           "circlekit/settings.py") from None


def get(name: str) -> str:
    """The setting's value from the environment, else its default ('' when unset and empty)."""
    setting = _setting(name)
    value = os.environ.get(name)
    return setting.default if value is None or value == "" else value


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, got {value!r}") from None


def get_float(name: str) -> float:
    value = get(name)
    try:
        return float(value)
    except ValueError:
        raise SettingError(f"{name} must be a number, got {value!r}") from None


def get_names(name: str) -> list[str]:
    """A comma-separated list of names, blanks dropped."""
    return [part.strip() for part in get(name).split(",") if part.strip()]


def describe() -> str:
    """Every setting with its default and what it is for, one per line."""
    return "\n".join(f"{s.name}={s.default!r}: {s.doc}" for s in SETTINGS.values())
