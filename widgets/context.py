"""Who is answering, where, and in which language; and which store keeps the answers.

Everything here is worked out when a widget is made, from the kernel's surroundings:
- course slug and language: the nearest `course.yml` from the working directory upwards
  (JupyterLab and the build both start a notebook's kernel in the notebook's folder);
- notebook: `JPY_SESSION_NAME`, which jupyter-server sets for each kernel it starts;
- author: `JUPYTERHUB_USER`, else `CIRCLEKIT_USER`, else the login name;
- circle: `CIRCLEKIT_CIRCLE`, else "local";
- language: `CIRCLEKIT_LANG`, else the course's language, else English.
`configure()` overrides any of these (tests and scripts use it).
"""

from __future__ import annotations

import getpass
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from circlekit import settings
from circlekit.answers.store import Store, default_path

COURSE_FILE = "course.yml"
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Context:
    course: str
    notebook: str
    author: str
    circle: str
    language: str


_KEEP: Any = object()
_overrides: dict[str, Any] = {}
_default_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


def configure(
    *,
    store: Store | None = _KEEP,
    lang: str | None = _KEEP,
    author: str | None = _KEEP,
    circle: str | None = _KEEP,
    course: str | None = _KEEP,
    notebook: str | None = _KEEP,
) -> None:
    """Choose explicitly instead of automatically. Pass None to go back to the automatic choice.

    Arguments left out keep whatever was configured before.
    """
    given = {
        "store": store, "lang": lang, "author": author, "circle": circle, "course": course,
        "notebook": notebook,
    }
    for name, value in given.items():
        if value is _KEEP:
            continue
        if value is None:
            _overrides.pop(name, None)
        else:
            _overrides[name] = value


def find_course_file(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / COURSE_FILE
        if candidate.is_file():
            return candidate
    return None


def _course_info() -> dict[str, Any]:
    path = find_course_file()
    if path is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        # A broken course file is the author's to fix (`circlekit check` says how);
        # a learner's widget should still work.
        return {}
    return data if isinstance(data, dict) else {}


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # Containers may run as a user id with no name.
        return "learner"


def current() -> Context:
    """The context a widget made now belongs to."""
    course_info: dict[str, Any] | None = None

    def course_value(key: str) -> str:
        nonlocal course_info
        if course_info is None:
            course_info = _course_info()
        value = course_info.get(key)
        return str(value) if value else ""

    course = _overrides.get("course") or course_value("slug")
    session = os.environ.get("JPY_SESSION_NAME", "")
    notebook = _overrides.get("notebook") or (os.path.basename(session) if session else "")
    author = (
        _overrides.get("author")
        or os.environ.get("JUPYTERHUB_USER")
        or settings.get("CIRCLEKIT_USER")
        or _login_name()
    )
    circle = _overrides.get("circle") or settings.get("CIRCLEKIT_CIRCLE") or "local"
    language = (
        _overrides.get("lang")
        or settings.get("CIRCLEKIT_LANG")
        or course_value("language")
        or "en"
    )
    language = language.strip().lower().split("-")[0].split("_")[0]
    if language not in LANGUAGES:
        language = "en"
    return Context(course=course, notebook=notebook, author=author, circle=circle,
                   language=language)


def current_store() -> Store:
    """The configured store, else one shared LocalStore per answers file."""
    store = _overrides.get("store")
    if store is not None:
        return store
    from circlekit.answers.remote import hub_store_from_env

    hub = hub_store_from_env()
    if hub is not None:
        return hub
    from circlekit.answers.local import LocalStore

    path = default_path()
    # One store (so one SQLite connection) per file, however many widgets a notebook shows.
    with _stores_lock:
        if path not in _default_stores:
            _default_stores[path] = LocalStore(path)
        return _default_stores[path]
