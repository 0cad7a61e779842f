"""`circlekit plan`: a facilitator pack for one circle of one course.

    circlekit plan we-are-ai --circle tuesday --start 2027-01-12 --time 18:00 \\
        --place "Room B" --facilitator Lee --learners learners.csv --out tuesday-pack

The pack (in `--out`, default `<circle>-pack`):
- `guides/NN-name.ipynb` and `.html`: each week's guide run with papermill, with the circle's
  values in its `parameters` cell, so it shows the date, the room and the agenda's clock times;
- `pack.pdf`: cover, schedule, each meeting's timed agenda, its printouts, a sign-in sheet per
  meeting, a flyer, and certificates (one per learner, or one blank);
- `meetings.ics`: every meeting as a calendar event;
- `recaps/week-N.txt`: a message to paste into an email after each meeting;
- `pack.json`: what the pack was made from (it also marks the folder as a pack, so planning
  again may replace it).
Everything is written to a hidden folder beside `--out` first and renamed into place at the end:
a bad input or a failing guide leaves no half-written pack.

The guides' parameters. `plan` passes each guide only the names its `parameters` cell declares
(read with `ast`), from this list, so older guides keep working:
- `circle_name`: the circle's name (`--circle`);
- `facilitator`: the facilitator's name (`--facilitator`);
- `place`: where the circle meets (`--place`);
- `first_meeting`: the date of week 1, "YYYY-MM-DD";
- `weekday`: the weekday of this guide's meeting, in English ("Tuesday");
- `time`: the start time, "HH:MM", 24-hour clock (`--time`);
- `group_size`: the number of learners in `--learners` (left at the guide's default without it);
- `meeting_date`: this meeting's own date, "YYYY-MM-DD". A guide that declares it shows the right
  date when `--skip` or `--every` moves meetings; one that does not can only add weeks to
  `first_meeting`;
- `hub_url`: the circle's hub address (`--hub`), or "" for none.
A guide's agenda is the literal list in its `show_agenda([...])` cell (`circlekit.agenda`);
Markdown cells tagged `printout` (activity cards, offline fallbacks) are printed in the pack.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from circlekit.agenda import MEETING_MINUTES, Agenda, agenda_rows, make_agenda
from circlekit.course import Course, course_slugs, load_course
from circlekit.errors import AgendaError, NotebookUnreadable, PlanError, ProblemsFound
from circlekit.notebooks import read_notebook, source, tags
from circlekit.pdf import MAX_FIELD, Document, odd_character

PARAMETERS = ("circle_name", "facilitator", "place", "first_meeting", "weekday", "time",
              "group_size", "meeting_date", "hub_url")
MARKER = "pack.json"
PRINTOUT_TAG = "printout"
SPARE_SIGN_IN_ROWS = 4
HIDDEN_IN_HTML = {"parameters", "injected-parameters", "hide-input"}


@dataclass(frozen=True)
class Circle:
    """One circle's plan, checked: every field is safe to print and to put in a file name."""

    course: str
    name: str
    place: str
    facilitator: str
    start: dt.date
    time: dt.time
    every: int = 7
    skip: tuple[dt.date, ...] = ()
    hub: str = ""
    learners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    week: int
    title: str
    day: dt.date
    start: dt.datetime
    guide: str  # the guide's file name
    agenda: Agenda | None
    printouts: tuple[str, ...]

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=MEETING_MINUTES)

    def when(self) -> str:
        return f"{long_date(self.day)}, {self.start:%H:%M} to {self.end:%H:%M}"


@dataclass
class PackResult:
    out: Path
    meetings: list[Meeting]
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def long_date(day: dt.date) -> str:
    """ "Tuesday 12 January 2027" (English, whatever the computer's language)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "circle"


# -- checking the inputs ------------------------------------------------------------------------


def parse_date(text: str, option: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PlanError(f"{option} {text!r} is not a date: write it as YEAR-MONTH-DAY, "
                        "like 2027-01-12") from None


def parse_clock(text: str) -> dt.time:
    try:
        if not re.fullmatch(r"\d{2}:\d{2}", text):
            raise ValueError
        return dt.time.fromisoformat(text)
    except ValueError:
        raise PlanError(f"--time {text!r} is not a time: write it on the 24-hour clock as "
                        "HH:MM, like 18:00 for 6 pm") from None


def check_text(value: str, option: str) -> str:
    value = value.strip()
    if not value:
        raise PlanError(f"{option} is empty: give a name")
    if len(value) > MAX_FIELD:
        raise PlanError(f"{option} is {len(value)} characters long; keep it under {MAX_FIELD}")
    odd = odd_character(value)
    if odd:
        raise PlanError(f"{option} {value!r} has a character that cannot be printed: {odd}")
    return value


def read_learners(path: Path) -> tuple[str, ...]:
    """Learners' names from a CSV file with a `name` column (other columns are ignored)."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlanError(f"--learners {shown}: no such file") from None
    except UnicodeDecodeError:
        raise PlanError(f"--learners {shown}: not a text file in UTF-8; save it as "
                        "'CSV UTF-8' from your spreadsheet") from None
    except OSError as error:
        raise PlanError(f"--learners {shown}: cannot be read ({error.strerror})") from None
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as error:
        raise PlanError(f"--learners {shown}: not a CSV file ({error})") from None
    if not rows:
        raise PlanError(f"--learners {shown}: the file is empty; its first line must be "
                        "a heading with a 'name' column")
    heading = [h.strip().lower() for h in rows[0]]
    if "name" not in heading:
        raise PlanError(f"--learners {shown}, line 1: no 'name' column; the first line must "
                        "be headings, like: name,email")
    column = heading.index("name")
    names: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(heading):
            raise PlanError(f"--learners {shown}, line {number}: {len(row)} values where the "
                            f"heading has {len(heading)}")
        names.append(check_text(row[column], f"--learners {shown}, line {number}: the name"))
    if not names:
        raise PlanError(f"--learners {shown}: no learners listed under the heading")
    return tuple(names)


def meeting_dates(start: dt.date, count: int, every: int,
                  skip: Sequence[dt.date]) -> list[dt.date]:
    """`count` dates from `start`, `every` days apart, leaving out the skipped dates."""
    skipped = set(skip)
    dates: list[dt.date] = []
    seen: set[dt.date] = set()
    day = start
    while len(dates) < count:
        seen.add(day)
        if day not in skipped:
            dates.append(day)
        day += dt.timedelta(days=every)
    unused = sorted(skipped - seen)
    if unused:
        raise PlanError(f"--skip {unused[0]} is not one of the meeting dates (every {every} "
                        f"days from {start}); check the date")
    return dates


def check_circle(root: Path, course: str, *, circle: str, start: str, time: str, place: str,
                 facilitator: str, every: int = 7, skip: Sequence[str] = (),
                 learners: Path | None = None, hub: str = "",
                 now: dt.datetime | None = None) -> Circle:
    """Every input checked before anything is run or written (PlanError says what to fix)."""
    known = course_slugs(root)
    if course not in known:
        listed = ", ".join(known) or "none"
        raise PlanError(f"unknown course {course!r}; the courses in {root} are: {listed}")
    first = parse_date(start, "--start")
    clock = parse_clock(time)
    now = now or dt.datetime.now()
    if dt.datetime.combine(first, clock) <= now:
        raise PlanError(f"--start {start} at {time} is in the past (it is now "
                        f"{now:%Y-%m-%d %H:%M}); give the date of a meeting still to come")
    if not 1 <= every <= 31:
        raise PlanError(f"--every {every}: give the number of days between meetings, 1 to 31")
    skipped = tuple(parse_date(s, "--skip") for s in skip)
    if hub and not re.fullmatch(r"https?://[^\s]+", hub):
        raise PlanError(f"--hub {hub!r} is not a web address starting with https://")
    return Circle(
        course=course, name=check_text(circle, "--circle"), place=check_text(place, "--place"),
        facilitator=check_text(facilitator, "--facilitator"), start=first, time=clock,
        every=every, skip=skipped, hub=hub,
        learners=read_learners(Path(learners)) if learners is not None else (),
    )


# -- the guides ---------------------------------------------------------------------------------


def declared_parameters(nb: dict) -> set[str]:
    """The names the `parameters` cell assigns, read with `ast`."""
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code" and "parameters" in tags(cell):
            try:
                tree = ast.parse(source(cell))
            except SyntaxError:
                return set()
            names = set()
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            return names
    return set()


def guide_parameters(circle: Circle, meeting_day: dt.date, first: dt.date) -> dict[str, object]:
    values: dict[str, object] = {
        "circle_name": circle.name, "facilitator": circle.facilitator, "place": circle.place,
        "first_meeting": first.isoformat(), "weekday": f"{meeting_day:%A}",
        "time": f"{circle.time:%H:%M}", "meeting_date": meeting_day.isoformat(),
        "hub_url": circle.hub,
    }
    if circle.learners:
        values["group_size"] = len(circle.learners)
    return values


@contextlib.contextmanager
def kernel_environment(home: Path) -> Iterator[None]:
    """Guides run with an empty answer store of their own: a pack never reads anyone's answers."""
    saved = {k: os.environ.get(k) for k in ("CIRCLEKIT_HOME", "MPLBACKEND")}
    os.environ["CIRCLEKIT_HOME"] = str(home)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_guide(path: Path, out: Path, parameters: dict[str, object], home: Path) -> dict:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with kernel_environment(home):
        try:
            return papermill.execute_notebook(
                str(path), str(out), parameters=parameters, cwd=str(path.parent),
                progress_bar=False, log_output=False, report_mode=False,
            )
        except PapermillExecutionError as error:
            raise PlanError(f"{path.name}, cell {error.exec_count or error.cell_index + 1}: "
                            f"{error.ename}: {error.evalue}") from None


def html_of(nb: dict) -> str:
    """The executed guide as a page, without the code the facilitator does not need to see."""
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_input_tags = HIDDEN_IN_HTML
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, template_name="lab")
    body, _ = exporter.from_notebook_node(nbformat.from_dict(nb))
    return body


def printouts(nb: dict) -> tuple[str, ...]:
    return tuple(source(c) for c in nb["cells"]
                 if c.get("cell_type") == "markdown" and PRINTOUT_TAG in tags(c))


# -- the pack's files ---------------------------------------------------------------------------


def write_calendar(course: Course, circle: Circle, meetings: list[Meeting], path: Path) -> None:
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//circlekit//plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{course.title}: {circle.name}")
    stamp = dt.datetime.now(dt.UTC)
    for m in meetings:
        event = Event()
        event.add("uid", f"{course.slug}-{slug(circle.name)}-week-{m.week}@circlekit")
        event.add("dtstamp", stamp)
        # Floating times: 18:00 wherever the circle meets, whatever the laptop's time zone.
        event.add("dtstart", m.start)
        event.add("dtend", m.end)
        event.add("summary", f"{course.title}, week {m.week}: {m.title}")
        event.add("location", circle.place)
        lines = [f"Learning circle {circle.name}, facilitated by {circle.facilitator}."]
        if circle.hub:
            lines.append(f"Notebooks: {circle.hub}")
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    path.write_bytes(cal.to_ical())


def recap(course: Course, circle: Circle, meetings: list[Meeting], index: int) -> str:
    m = meetings[index]
    lines = [f"Subject: {course.title}, week {m.week}: {m.title}", "", "Hello everyone,", "",
             f"Thank you for coming to week {m.week} of {course.title} on {long_date(m.day)}."]
    if m.agenda is not None:
        lines += ["Here is what we did together:", ""]
        lines += [f"- {slot.what}" for slot in m.agenda.slots]
    lines.append("")
    if index + 1 < len(meetings):
        nxt = meetings[index + 1]
        lines.append(f"Next time is week {nxt.week}, \"{nxt.title}\": {nxt.when()}, at "
                     f"{circle.place}.")
    else:
        lines.append("That was our last meeting. Thank you for being part of this circle.")
    if circle.hub:
        lines.append(f"Your notebooks and answers are on the hub: {circle.hub}")
    lines += ["", "[Add a line of your own: something someone said, or a thank-you.]", "",
              "See you soon,", circle.facilitator, ""]
    return "\n".join(lines)


def write_pdf(course: Course, circle: Circle, meetings: list[Meeting], path: Path) -> None:
    doc = Document(f"{course.title}: {circle.name}")
    first, last = meetings[0], meetings[-1]

    doc.add_page()
    doc.ln(30)
    doc.heading(course.title, size=30)
    doc.para("Facilitator pack", size=16, style="B", gap=8)
    doc.para(f"Circle: {circle.name}")
    doc.para(f"Facilitator: {circle.facilitator}")
    doc.para(f"Place: {circle.place}")
    doc.para(f"{len(meetings)} meetings of {MEETING_MINUTES} minutes, from "
             f"{long_date(first.day)} to {long_date(last.day)}, starting at "
             f"{circle.time:%H:%M}.")
    if circle.hub:
        doc.para(f"Hub: {circle.hub}")
    doc.ln(6)
    doc.para("Inside: the schedule; each meeting's agenda with clock times, its printouts and a "
             "sign-in sheet; a flyer; certificates of participation.", size=10, style="I")

    doc.add_page()
    doc.heading("Schedule")
    doc.grid([("Week", "Date", "Time", "Topic")] + [
        (str(m.week), long_date(m.day), f"{m.start:%H:%M}-{m.end:%H:%M}", m.title)
        for m in meetings], widths=(12, 50, 25, 60))

    for m in meetings:
        doc.add_page()
        doc.heading(f"Week {m.week}: {m.title}")
        doc.para(f"{m.when()}, {circle.place}", style="B")
        if m.agenda is None:
            doc.para("This guide has no timed agenda; see the guide itself.")
        else:
            rows = [("Time", "Min", "What", "Why")]
            rows += [(s.clock, str(s.minutes), s.what, s.why) for s in m.agenda.slots]
            rows.append(("", str(m.agenda.total), "Total",
                         f"{max(m.agenda.spare, 0)} of {MEETING_MINUTES} minutes spare"))
            doc.grid(rows, widths=(25, 12, 60, 73))
        for text in m.printouts:
            doc.add_page()
            doc.para(f"Printout for week {m.week}: {m.title}", size=9, style="I")
            doc.markdown(text)
        doc.add_page()
        doc.heading(f"Sign-in sheet, week {m.week}")
        doc.para(f"{course.title}: {m.title}. {m.when()}, {circle.place}.")
        names = list(circle.learners) + [""] * SPARE_SIGN_IN_ROWS
        if not circle.learners:
            names = [""] * 12
        doc.grid([("Name", "Here today (tick)", "Signature")] + [(n, "", "") for n in names],
                 widths=(70, 35, 65), min_row_height=9)

    doc.add_page()
    doc.ln(10)
    doc.heading(f"Join a free learning circle: {course.title}", size=24)
    doc.para(course.summary.strip(), size=13, gap=6)
    doc.para(f"First meeting: {first.when()}", size=13, style="B")
    doc.para(f"Place: {circle.place}", size=13, style="B")
    doc.para(f"{len(meetings)} meetings, every {circle.every} days, {MEETING_MINUTES} minutes "
             "each. No experience needed; computers are provided.", size=13, gap=6)
    doc.para(f"How to sign up: ask at the library desk, or speak to {circle.facilitator}, your "
             "facilitator.", size=13)

    for name in circle.learners or ("",):
        doc.add_page()
        doc.ln(40)
        doc.heading("Certificate of participation", size=28)
        doc.ln(6)
        doc.para("This certifies that", size=14)
        doc.para(name or "_" * 40, size=22, style="B", gap=6)
        doc.para(f"took part in the learning circle \"{course.title}\" at {circle.place}, from "
                 f"{long_date(first.day)} to {long_date(last.day)}.", size=14, gap=20)
        doc.para(f"{circle.facilitator}, facilitator", size=12)
    doc.output(str(path))


# -- putting it together -----------------------------------------------------------------------


def default_out(circle: str) -> Path:
    return Path(f"{slug(circle)}-pack")


def _staging(out: Path) -> Path:
    parent = out.parent
    if not parent.is_dir():
        raise PlanError(f"--out {out}: the folder {parent} does not exist")
    if out.exists() and not out.is_dir():
        raise PlanError(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PlanError(f"--out {out} already has files that are not a circlekit pack; "
                        "choose an empty or new folder")
    try:
        return Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}."))
    except OSError as error:
        raise PlanError(f"--out {out}: cannot write in {parent} ({error.strerror})") from None


def _move_into_place(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def plan(root: Path, course_slug: str, *, circle: str, start: str, time: str, place: str,
         facilitator: str, every: int = 7, skip: Sequence[str] = (),
         learners: Path | None = None, hub: str = "", out: Path | None = None,
         now: dt.datetime | None = None,
         echo: Callable[[str], None] = lambda line: None) -> PackResult:
    """Make the pack for one circle; PlanError (and no pack) when something is wrong."""
    root = Path(root)
    spec = check_circle(root, course_slug, circle=circle, start=start, time=time, place=place,
                        facilitator=facilitator, every=every, skip=skip, learners=learners,
                        hub=hub, now=now)
    try:
        course = load_course(root, course_slug)
    except ProblemsFound as error:
        raise PlanError(f"course {course_slug!r} has problems; run `circlekit check`:\n"
                        + "\n".join(f"  {p}" for p in error.problems)) from None
    out = Path(out) if out is not None else default_out(spec.name)
    dates = meeting_dates(spec.start, len(course.weeks), spec.every, spec.skip)
    staging = _staging(out)
    try:
        result = _write_pack(root, course, spec, dates, staging, echo)
        _move_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.out = out
    return result


def _run_job(guide: Path, out: Path, parameters: dict[str, object], home: Path) -> None:
    """Run one guide and save it as a notebook and a page (in a worker process)."""
    executed = run_guide(guide, out, parameters, home)
    out.with_suffix(".html").write_text(html_of(executed), encoding="utf-8")


def _write_pack(root: Path, course: Course, circle: Circle, dates: list[dt.date],
                staging: Path, echo: Callable[[str], None]) -> PackResult:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    import papermill  # noqa: F401 - imported once here, so forked workers need not

    from circlekit.execute import default_jobs

    (staging / "guides").mkdir()
    (staging / "recaps").mkdir()
    meetings: list[Meeting] = []
    notes: list[str] = []
    jobs: list[tuple[Path, Path, dict[str, object]]] = []
    for week, day in zip(course.weeks, dates, strict=True):
        guide = root / course.guide_path(week)
        try:
            nb = read_notebook(guide, course.guide_path(week))
        except NotebookUnreadable as error:
            raise PlanError(f"{course.guide_path(week)}: {error}") from None
        declared = declared_parameters(nb)
        given = {k: v for k, v in guide_parameters(circle, day, dates[0]).items()
                 if k in declared}
        jobs.append((guide, staging / "guides" / week.guide, given))
        try:
            agenda = make_agenda(agenda_rows(guide), start=circle.time, day=day)
        except AgendaError as error:
            agenda = None
            notes.append(f"week {week.number}: no timed agenda in the pack ({error})")
        meetings.append(Meeting(week.number, week.title, day,
                                dt.datetime.combine(day, circle.time), week.guide, agenda,
                                printouts(nb)))
    echo(f"running {len(jobs)} guides with the circle's dates")
    with tempfile.TemporaryDirectory(prefix="circlekit-plan-home-") as home, \
            ProcessPoolExecutor(max_workers=min(default_jobs(), len(jobs)),
                                mp_context=get_context("fork")) as pool:
        # Worker processes, not threads: kernels and their event loops are not safe to share.
        futures = [pool.submit(_run_job, guide, out, given, Path(home))
                   for guide, out, given in jobs]
        for future in futures:
            future.result()  # the first failing guide's PlanError, in week order
    echo("writing the PDF, calendar and recaps")
    write_pdf(course, circle, meetings, staging / "pack.pdf")
    write_calendar(course, circle, meetings, staging / "meetings.ics")
    for i, m in enumerate(meetings):
        (staging / "recaps" / f"week-{m.week}.txt").write_text(
            recap(course, circle, meetings, i), encoding="utf-8")
    manifest = {
        "course": course.slug, "title": course.title,
        "circle": {**asdict(circle), "start": circle.start.isoformat(),
                   "time": f"{circle.time:%H:%M}",
                   "skip": [d.isoformat() for d in circle.skip]},
        "meetings": [{"week": m.week, "title": m.title, "date": m.day.isoformat(),
                      "start": m.start.isoformat(timespec="minutes"), "guide": m.guide}
                     for m in meetings],
    }
    (staging / MARKER).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                  encoding="utf-8")
    files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    return PackResult(staging, meetings, files, notes)
