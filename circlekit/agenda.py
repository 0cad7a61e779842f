"""A meeting's agenda as data: clock times, minutes, what and why, and the spare minutes.

A guide's agenda cell lists its rows as a literal, so the same rows can be shown in the guide
with the circle's own clock times and read back without running it (`agenda_rows`):

    from circlekit.agenda import show_agenda, week_date
    meeting_day = week_date(first_meeting, week, meeting_date)
    show_agenda([
        (15, "Log in, Run All Cells, save one answer", "Everyone starts on the same page."),
        (10, "Welcome; what a learning circle is", "People relax once they know the plan."),
    ], start=time, day=meeting_day)

A meeting lasts 90 minutes; the plan fills at most 80, so 10 stay spare for a break and overruns.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from circlekit.errors import AgendaError, NotebookUnreadable

MEETING_MINUTES = 90
PLANNED_LIMIT = 80

Row = tuple[int, str, str]


@dataclass(frozen=True)
class Slot:
    minutes: int
    what: str
    why: str
    start: dt.time | None  # None when the agenda has no start time
    end: dt.time | None

    @property
    def clock(self) -> str:
        """"18:00-18:15", or "" without a start time."""
        if self.start is None or self.end is None:
            return ""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Agenda:
    slots: tuple[Slot, ...]
    day: dt.date | None
    start: dt.time | None

    @property
    def total(self) -> int:
        return sum(s.minutes for s in self.slots)

    @property
    def spare(self) -> int:
        return MEETING_MINUTES - self.total

    @property
    def too_long(self) -> bool:
        return self.total > PLANNED_LIMIT

    def warning(self) -> str:
        """The message shown when the plan fills more than 80 minutes, else ""."""
        if not self.too_long:
            return ""
        return (f"This agenda adds up to {self.total} minutes. A meeting has {MEETING_MINUTES} "
                f"and the plan should fill at most {PLANNED_LIMIT}, to leave time for a break "
                f"and overruns. Cut {self.total - PLANNED_LIMIT} minutes.")

    def heading(self) -> str:
        parts = []
        if self.day is not None:
            parts.append(f"{self.day:%A} {self.day.day} {self.day:%B %Y}")
        if self.start is not None:
            end = _add(self.start, MEETING_MINUTES)
            parts.append(f"{self.start:%H:%M} to {end:%H:%M}")
        return ", ".join(parts)

    def html(self) -> str:
        e = html.escape
        head = "".join(f'<th scope="col">{e(h)}</th>' for h in ("Time", "Minutes", "What", "Why"))
        body = "".join(
            f"<tr><td>{e(s.clock)}</td><td>{s.minutes}</td><td>{e(s.what)}</td>"
            f"<td>{e(s.why)}</td></tr>" for s in self.slots)
        total = (f'<tr class="circlekit-agenda-total"><td></td><td><strong>{self.total}</strong>'
                 f"</td><td><strong>Total</strong></td><td>{max(self.spare, 0)} of the "
                 f"{MEETING_MINUTES} minutes spare for a break and overruns</td></tr>")
        caption = f"<caption>{e(self.heading())}</caption>" if self.heading() else ""
        warning = (f'<p class="circlekit-agenda-warning" role="alert" style="color:#a4000f">'
                   f"<strong>{e(self.warning())}</strong></p>" if self.too_long else "")
        return (f'{warning}<table class="circlekit-agenda">{caption}<thead><tr>{head}</tr>'
                f"</thead><tbody>{body}{total}</tbody></table>")

    def _repr_html_(self) -> str:
        return self.html()

    def text(self) -> str:
        """Plain text, one row a line, for recap messages and terminals."""
        lines = [self.heading()] if self.heading() else []
        lines += [f"{s.clock or '':<12}{s.minutes:>3} min  {s.what}" for s in self.slots]
        lines.append(f"{'':<12}{self.total:>3} min  Total ({max(self.spare, 0)} spare)")
        if self.too_long:
            lines.append(self.warning())
        return "\n".join(lines)


def _add(start: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).time()


def parse_time(text: str | dt.time | None) -> dt.time | None:
    """ "18:00" (24-hour clock) as a time; "" or None as None."""
    if text is None or text == "":
        return None
    if isinstance(text, dt.time):
        return text
    try:
        if len(str(text)) != 5:
            raise ValueError
        return dt.time.fromisoformat(str(text))
    except ValueError:
        raise AgendaError(f"start time {text!r} is not a 24-hour time like 18:00") from None


def parse_day(day: str | dt.date | None) -> dt.date | None:
    """ "2027-01-12" as a date; "" or None as None."""
    if day is None or day == "":
        return None
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(str(day))
    except ValueError:
        raise AgendaError(f"date {day!r} is not a date like 2027-01-12 (year-month-day)") from None


def week_date(first_meeting: str | dt.date, week: int, meeting_date: str | dt.date = "",
              every: int = 7) -> dt.date:
    """The date of meeting `week`: `meeting_date` when given (the plan sets it, so skipped
    dates count), else `first_meeting` plus `every` days per week."""
    given = parse_day(meeting_date)
    if given is not None:
        return given
    first = parse_day(first_meeting)
    if first is None:
        raise AgendaError("first_meeting is empty: give the date of week 1, like 2027-01-12")
    return first + dt.timedelta(days=every * (week - 1))


def make_agenda(rows: Iterable[Sequence[object]], start: str | dt.time | None = "",
                day: str | dt.date | None = None) -> Agenda:
    """The agenda with each row's clock time; AgendaError names a malformed row."""
    begin = parse_time(start)
    slots = []
    offset = 0
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, (tuple, list)) or len(row) != 3:
            raise AgendaError(f"agenda row {n} must be (minutes, what, why), not {row!r}")
        minutes, what, why = row
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise AgendaError(f"agenda row {n} ({what!r}): minutes must be a whole number above "
                              f"0, not {minutes!r}")
        slot_start = None if begin is None else _add(begin, offset)
        slot_end = None if begin is None else _add(begin, offset + minutes)
        slots.append(Slot(minutes, str(what), str(why), slot_start, slot_end))
        offset += minutes
    if not slots:
        raise AgendaError("the agenda has no rows")
    return Agenda(tuple(slots), parse_day(day), begin)


def show_agenda(rows: Iterable[Sequence[object]], start: str | dt.time | None = "",
                day: str | dt.date | None = None) -> None:
    """Show the agenda as a table (with a plain message, not a traceback, when it runs long)."""
    from IPython.display import HTML, display

    display(HTML(make_agenda(rows, start=start, day=day).html()))


# -- reading a guide's agenda back, without running it ----------------------------------------


def agenda_rows(notebook_path: str | Path) -> list[Row]:
    """The rows of the guide's `show_agenda([...])` call, read with `ast`."""
    path = Path(notebook_path)
    from circlekit.notebooks import read_notebook, source

    try:
        nb = read_notebook(path, str(path))
    except NotebookUnreadable as error:
        raise AgendaError(f"{path}: {error}") from None
    for number, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") != "code" or "show_agenda" not in source(cell):
            continue
        try:
            tree = ast.parse(source(cell))
        except SyntaxError as error:
            raise AgendaError(f"{path}, cell {number}: not valid Python ({error.msg})") from None
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and _name(node.func) == "show_agenda"
                    and node.args):
                try:
                    rows = ast.literal_eval(node.args[0])
                except ValueError:
                    raise AgendaError(f"{path}, cell {number}: the agenda rows must be written "
                                      "out as a list of (minutes, what, why)") from None
                agenda = make_agenda(rows)  # checks every row
                return [(s.minutes, s.what, s.why) for s in agenda.slots]
    raise AgendaError(f"{path}: no cell calls show_agenda([...])")


def agenda_minutes(notebook_path: str | Path) -> list[int]:
    """Each agenda row's minutes, read back from the guide (to sum in tests and checks)."""
    return [minutes for minutes, _, _ in agenda_rows(notebook_path)]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""
