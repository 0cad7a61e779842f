"""The interface every answer store offers, and the automatic choice of store.

Widgets talk only to this interface, so the hub store (issue 5) can slot in behind it.
Stores raise `StoreError` (and nothing else) with a message a learner can read; widgets show
that message in their status line instead of a traceback.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from circlekit import settings
from circlekit.answers.record import Answer

STORE_FILE = "answers.sqlite3"


class Store(ABC):
    """Where answers are kept."""

    @abstractmethod
    def save(self, answer: Answer) -> Answer:
        """Keep `answer` and return what was stored.

        For most kinds this replaces the learner's earlier answer but keeps its `created` time;
        for kinds in `APPEND_KINDS` it adds a new row with the next `attempt` number.
        """

    @abstractmethod
    def get(
        self, *, course: str, widget_id: str, kind: str, author: str, circle: str
    ) -> Answer | None:
        """The learner's latest answer to one widget, or None."""

    @abstractmethod
    def list(
        self,
        *,
        course: str | None = None,
        widget_id: str | None = None,
        kind: str | None = None,
        circle: str | None = None,
        author: str | None = None,
    ) -> list[Answer]:
        """Answers matching every filter given, oldest first."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release what the store holds open."""


def kit_home() -> Path:
    """`$CIRCLEKIT_HOME`, else the user's data folder (created on first write, not here)."""
    home = settings.get("CIRCLEKIT_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("circlekit", appauthor=False))


def default_path() -> Path:
    return kit_home() / STORE_FILE


def default_store() -> Store:
    """The store to use when nobody chose one.

    Under a hub with the circle service (the hub sets CIRCLEKIT_SERVICE_URL and gives the
    kernel its JUPYTERHUB_API_TOKEN) that is the hub store, whose outbox keeps what cannot be
    sent yet; anywhere else it is the local file.
    """
    from circlekit.answers.remote import hub_store_from_env

    hub = hub_store_from_env()
    if hub is not None:
        return hub
    from circlekit.answers.local import LocalStore

    return LocalStore(default_path())
