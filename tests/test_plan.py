"""`circlekit plan` on the fixture kit, whose guides declare the parameters and call
`show_agenda`: dates and clock times read back from the executed guides, the PDF's text, the
calendar file; bad inputs give one clear message, exit 1, and leave no pack behind."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, make_kit
from icalendar import Calendar
from pypdf import PdfReader

from circlekit.cli import main
from circlekit.plan import long_date, meeting_dates

LEARNERS = ["Ana García", "Bo Chen", "Zoë Łukasz"]
# Far enough ahead that "a time in the past" never trips, on a Tuesday like the example.
_SOON = dt.date.today() + dt.timedelta(days=60)
START = _SOON + dt.timedelta(days=(1 - _SOON.weekday()) % 7)


def plan_kit(dest: Path) -> Path:
    root = make_kit(dest)
    shutil.copytree(FIXTURES / "plan", root, dirs_exist_ok=True)
    return root


def learners_file(folder: Path) -> Path:
    path = folder / "learners.csv"
    path.write_text("name,email\n" + "".join(f"{n},{i}@example.org\n"
                                             for i, n in enumerate(LEARNERS)), encoding="utf-8")
    return path


def run_plan(root: Path, out: Path, *extra: str) -> int:
    return main(["--root", str(root), "plan", "mini", "--circle", "tuesday", "--start",
                 START.isoformat(), "--time", "18:00", "--place", "Room B", "--facilitator",
                 "Lee", "--out", str(out), *extra])


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("plan")
    root = plan_kit(base / "kit")
    out = base / "tuesday-pack"
    assert run_plan(root, out, "--learners", str(learners_file(base)),
                    "--hub", "https://hub.example.org") == 0
    return out


def agenda_table(nb: nbformat.NotebookNode) -> tuple[str, list[list[str]]]:
    """(caption, rows) of the agenda the executed guide displayed."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if "circlekit-agenda" in html:
                soup = BeautifulSoup(html, "html.parser")
                rows = [[td.get_text() for td in tr.find_all("td")]
                        for tr in soup.select("tbody tr")]
                return soup.caption.get_text(), rows
    raise AssertionError("no agenda table in the executed guide")


def printed(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def test_guides_are_run_with_the_circles_dates_and_clock_times(pack: Path) -> None:
    dates = [START, START + dt.timedelta(days=7)]
    for name, day in zip(("01-counting", "02-checking"), dates, strict=True):
        nb = nbformat.read(pack / "guides" / f"{name}.ipynb", as_version=4)
        caption, rows = agenda_table(nb)
        assert caption == f"{long_date(day)}, 18:00 to 19:30"
        assert rows[0][0] == ("18:00-18:15" if name == "01-counting" else "18:00-18:10")
        assert f"{day:%A %d %B %Y} at 18:00, Room B" in printed(nb)
        assert "Hub: https://hub.example.org" in printed(nb)
        html = (pack / "guides" / f"{name}.html").read_text(encoding="utf-8")
        assert long_date(day) in html and "meeting_date =" not in html  # code cells hidden
    first = nbformat.read(pack / "guides" / "01-counting.ipynb", as_version=4)
    assert [r[0] for r in agenda_table(first)[1][:4]] == [
        "18:00-18:15", "18:15-18:25", "18:25-18:55", "18:55-19:05"]


def test_pdf_has_every_date_sign_in_sheets_and_a_certificate_per_learner(pack: Path) -> None:
    pages = [p.extract_text() for p in PdfReader(pack / "pack.pdf").pages]
    text = "\n".join(pages)
    for day in (START, START + dt.timedelta(days=7)):
        assert long_date(day) in text
    assert "18:15-18:25" in text and "Printout: bean cards" in text
    sheets = [p for p in pages if p.startswith("Sign-in sheet")]
    assert len(sheets) == 2 and all(all(n in s for n in LEARNERS) for s in sheets)
    certificates = [p for p in pages if "Certificate of participation" in p]
    assert len(certificates) == len(LEARNERS)
    assert [next(n for n in LEARNERS if n in c) for c in certificates] == LEARNERS
    assert any("Join a free learning circle" in p and "How to sign up" in p for p in pages)


def test_calendar_has_each_meeting(pack: Path) -> None:
    events = Calendar.from_ical((pack / "meetings.ics").read_bytes()).walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events]
    assert starts == [dt.datetime.combine(START + dt.timedelta(days=7 * n), dt.time(18))
                      for n in range(2)]
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in events] == [
        dt.timedelta(minutes=90)] * 2
    assert all(str(e["location"]) == "Room B" for e in events)


def test_recaps_say_what_was_done_and_what_comes_next(pack: Path) -> None:
    week1 = (pack / "recaps" / "week-1.txt").read_text(encoding="utf-8")
    assert "- Count the beans" in week1
    assert f"Next time is week 2, \"Checking\": {long_date(START + dt.timedelta(days=7))}" in week1
    assert "last meeting" in (pack / "recaps" / "week-2.txt").read_text(encoding="utf-8")


def test_skip_moves_the_later_dates(tmp_path: Path) -> None:
    root = plan_kit(tmp_path / "kit")
    holiday = START + dt.timedelta(days=7)
    out = tmp_path / "pack"
    out.mkdir()  # an earlier pack of this circle: planning again replaces it whole
    (out / "pack.json").write_text("{}", encoding="utf-8")
    (out / "old-recap.txt").write_text("old", encoding="utf-8")
    assert run_plan(root, out, "--skip", holiday.isoformat()) == 0
    assert not (out / "old-recap.txt").exists() and (out / "pack.pdf").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    moved = START + dt.timedelta(days=14)
    caption, _ = agenda_table(nbformat.read(out / "guides" / "02-checking.ipynb", as_version=4))
    assert caption.startswith(long_date(moved))
    events = Calendar.from_ical((out / "meetings.ics").read_bytes()).walk("VEVENT")
    assert [e.decoded("dtstart").date() for e in events] == [START, moved]
    text = "\n".join(p.extract_text() for p in PdfReader(out / "pack.pdf").pages)
    assert long_date(moved) in text and long_date(holiday) not in text
    assert sum("Certificate of participation" in p.extract_text()
               for p in PdfReader(out / "pack.pdf").pages) == 1  # a blank one


def test_meeting_dates() -> None:
    start = dt.date(2027, 1, 12)
    assert meeting_dates(start, 3, 14, [dt.date(2027, 1, 26)]) == [
        dt.date(2027, 1, 12), dt.date(2027, 2, 9), dt.date(2027, 2, 23)]


def bad_csv(folder: Path) -> Path:
    path = folder / "people.csv"
    path.write_text("first,last\nAna,García\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    ({"--start": "2027-02-30"}, "--start '2027-02-30' is not a date"),
    ({"--start": "2020-01-07"}, "is in the past"),
    ({"--time": "6pm"}, "--time '6pm' is not a time"),
    ({"--time": "25:00"}, "--time '25:00' is not a time"),
    ({"course": "no-such-course"}, "unknown course 'no-such-course'; the courses in"),
    ({"--learners": "missing.csv"}, "missing.csv: no such file"),
    ({"--learners": bad_csv}, "people.csv, line 1: no 'name' column"),
    ({"--out": "/sys/circlekit-pack"}, "--out /sys/circlekit-pack: cannot write in /sys"),
    ({"--place": "Room\x07B"}, "--place 'Room\\x07B' has a character that cannot be printed"),
    ({"--skip": "2020-01-01"}, "--skip 2020-01-01 is not one of the meeting dates"),
])
def test_bad_input_is_one_clear_message_and_no_pack(
        kit: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict,
        message: str) -> None:
    shutil.copytree(FIXTURES / "plan", kit, dirs_exist_ok=True)
    outs = tmp_path / "outs"
    outs.mkdir()
    out = outs / "pack"
    args = {"course": "mini", "--circle": "tuesday", "--start": START.isoformat(),
            "--time": "18:00", "--place": "Room B", "--facilitator": "Lee",
            "--out": str(out)}
    for key, value in change.items():
        args[key] = str(value(tmp_path) if callable(value) else value)
    argv = ["--root", str(kit), "plan", args.pop("course")]
    for key, value in args.items():
        argv += [key, value]
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(outs.iterdir()) == []  # no pack, no hidden half-written folder


def test_a_folder_that_is_not_a_pack_is_left_alone(
        kit: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES / "plan", kit, dirs_exist_ok=True)
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.txt").write_text("my thesis", encoding="utf-8")
    assert run_plan(kit, out) == 1
    assert "already has files that are not a circlekit pack" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]


def test_a_failing_guide_leaves_no_half_written_pack(
        kit: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES / "plan", kit, dirs_exist_ok=True)
    guide = kit / "facilitator" / "mini" / "02-checking.ipynb"
    nb = nbformat.read(guide, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('the projector caught fire')"))
    nbformat.write(nb, guide)
    outs = tmp_path / "outs"
    outs.mkdir()
    assert run_plan(kit, outs / "pack") == 1
    err = capsys.readouterr().err
    assert "02-checking.ipynb, cell" in err and "the projector caught fire" in err
    assert list(outs.iterdir()) == []  # week 1 had been written: it is gone too
