"""Acceptance: `circlekit plan we-are-ai` on the kit's own guides (they declare the plan's
parameters and call `show_agenda`): dates and clock times read from the executed guides, the
PDF's text, the .ics read back, and --skip moving the later dates."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO
from icalendar import Calendar
from pypdf import PdfReader

from circlekit.agenda import agenda_minutes
from circlekit.plan import long_date, plan

NOW = dt.datetime(2026, 12, 1, 9, 0)  # keeps the example dates in the future
START = dt.date(2027, 1, 12)
LEARNERS = ["Ana García", "Bo Chen", "Dee Okafor", "Eli Park"]  # tests/fixtures/learners.csv


def make_pack(base: Path, **extra) -> Path:
    for name in ("notebooks", "facilitator"):
        shutil.copytree(REPO / name, base / "kit" / name)
    plan(base / "kit", "we-are-ai", circle="tuesday", start=START.isoformat(), time="18:00",
         place="Room B", facilitator="Lee", out=base / "pack", now=NOW, **extra)
    return base / "pack"


def agendas(out: Path) -> list[tuple[str, list[str]]]:
    """(caption, clock times) of the agenda table each executed guide shows, week by week."""
    found = []
    for path in sorted((out / "guides").glob("*.ipynb")):
        html = "".join(o.get("data", {}).get("text/html", "")
                       for c in nbformat.read(path, as_version=4).cells
                       for o in c.get("outputs", []))
        table = BeautifulSoup(html, "html.parser").select_one("table.circlekit-agenda")
        assert table is not None, f"{path.name} shows no agenda"
        found.append((table.caption.get_text(),
                      [tr.td.get_text() for tr in table.select("tbody tr")][:-1]))
    return found


def test_plan_we_are_ai(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "a", learners=FIXTURES / "learners.csv")
    days = [START + dt.timedelta(weeks=w) for w in range(5)]
    found = agendas(pack)
    assert [caption for caption, _ in found] == [f"{long_date(d)}, 18:00 to 19:30" for d in days]
    for _, clocks in found:
        starts, ends = zip(*(c.split("-") for c in clocks), strict=True)
        assert starts[0] == "18:00" and list(starts[1:]) == list(ends[:-1]) and ends[-1] <= "19:20"
    for guide in sorted((REPO / "facilitator" / "we-are-ai").glob("*.ipynb")):
        assert sum(agenda_minutes(guide)) <= 80, guide.name
    pages = [p.extract_text() for p in PdfReader(pack / "pack.pdf").pages]
    assert all(long_date(d) in "\n".join(pages) for d in days)
    assert sum(p.startswith("Sign-in sheet") for p in pages) == 5
    certificates = [p for p in pages if "Certificate of participation" in p]
    assert len(certificates) == 4 and all(any(n in c for c in certificates) for n in LEARNERS)
    events = Calendar.from_ical((pack / "meetings.ics").read_bytes()).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [
        dt.datetime.combine(d, dt.time(18)) for d in days]
    # --skip 2027-01-26: weeks 3 to 5 move one week on, in the guides and the calendar.
    skipped = make_pack(tmp_path / "b", skip=["2027-01-26"])
    moved = days[:2] + [d + dt.timedelta(weeks=1) for d in days[2:]]
    assert [c for c, _ in agendas(skipped)] == [f"{long_date(d)}, 18:00 to 19:30" for d in moved]
    events = Calendar.from_ical((skipped / "meetings.ics").read_bytes()).walk("VEVENT")
    assert [e.decoded("dtstart").date() for e in events] == moved
