"""Every error the kit raises on purpose, under one root, as papermill keeps its own.

A caller (the CLI, a widget, the service) catches `CircleKitError` and shows its message: each
message is written for the person who will read it and names the file, cell or field. Tornado's
`HTTPError` subclasses in the service stay where they are: they are HTTP replies, not errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from circlekit.problems import Problem


class CircleKitError(Exception):
    """Something the person running the kit must know or fix; the message says what and where."""


class ProblemsFound(CircleKitError):
    """Raised with every problem found, not only the first; the root problem comes first."""

    def __init__(self, problems: list[Problem]):
        from circlekit.problems import root_first

        self.problems = root_first(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) found:\n{lines}")


class NotebookUnreadable(CircleKitError):
    """The file is not a notebook the kit can read; the message says why, for the author."""


class StoreError(CircleKitError):
    """An answer could not be written or read. The message is for the learner."""


class DashboardError(CircleKitError):
    """The dashboard could not read the answers; the message says why, for the facilitator."""


class HubError(CircleKitError):
    """The hub could not be started or configured; the message says why and what to do."""


class SchemaTooNew(CircleKitError):
    """The database was written by a newer circlekit; the message says what to do."""


class NotAuthenticated(CircleKitError):
    """No token, or a token the hub does not know (HTTP 401)."""


class NotAllowed(CircleKitError):
    """A known caller without the scope to use the service (HTTP 403)."""


class BadAnswer(CircleKitError):
    """The request cannot be stored; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


class AgendaError(CircleKitError):
    """A guide's agenda cannot be read or shown; the message names the guide or the row."""


class PlanError(CircleKitError):
    """`circlekit plan` cannot make the pack; the message names the option or file to fix."""


class ReportError(CircleKitError):
    """`circlekit report` cannot read the answers; the message names the file or circle."""


class ExportUnreadable(CircleKitError):
    """A file given as an answers export is not one; the message names the file and line."""


class SettingError(CircleKitError):
    """A `CIRCLEKIT_*` environment setting that cannot be read as its kind (circlekit.settings)."""
