"""The agenda helper: clock times from the start time, the total and spare minutes, a plain
message when the plan runs long, and the rows read back from a guide with `ast`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from circlekit.agenda import agenda_minutes, agenda_rows, make_agenda, week_date
from circlekit.errors import AgendaError, CircleKitError

ROWS = [
    (15, "Log in, Run All Cells, save one answer", "Everyone starts on the same page."),
    (10, "Welcome <and> agreements", "People relax once they know the plan."),
    (50, "Activity", "The heart of the meeting."),
]


def table(html: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def test_clock_times_total_and_spare() -> None:
    agenda = make_agenda(ROWS, start="18:00", day="2027-01-12")
    rows = table(agenda.html())
    assert [r[0] for r in rows[:3]] == ["18:00-18:15", "18:15-18:25", "18:25-19:15"]
    assert rows[1][2] == "Welcome <and> agreements"  # escaped in the HTML, shown as written
    assert rows[-1][1] == "75" and "15 of the 90 minutes spare" in rows[-1][3]
    assert "Tuesday 12 January 2027, 18:00 to 19:30" in agenda.html()
    assert not agenda.too_long and "min  Total (15 spare)" in agenda.text()


def test_too_long_is_a_message_not_an_error() -> None:
    agenda = make_agenda([*ROWS, (10, "Extra", "Too much")], start="09:30")
    assert agenda.total == 85 and agenda.too_long
    soup = BeautifulSoup(agenda.html(), "html.parser")
    warning = soup.select_one(".circlekit-agenda-warning").get_text()
    assert "adds up to 85 minutes" in warning and "Cut 5 minutes" in warning


def test_without_a_start_time_there_are_no_clock_times() -> None:
    rows = table(make_agenda(ROWS).html())
    assert rows[0][0] == "" and rows[0][1] == "15"


@pytest.mark.parametrize(("rows", "start", "message"), [
    ([(0, "Nothing", "")], "18:00", "row 1 .*above 0"),
    ([(10, "Only two")], "18:00", "row 1 must be"),
    ([], "18:00", "no rows"),
    (ROWS, "6pm", "not a 24-hour time"),
    (ROWS, "25:00", "not a 24-hour time"),
])
def test_bad_rows_and_times(rows: list, start: str, message: str) -> None:
    with pytest.raises(AgendaError, match=message) as caught:
        make_agenda(rows, start=start)
    assert isinstance(caught.value, CircleKitError)


def test_week_date() -> None:
    assert week_date("2027-01-12", 3) == dt.date(2027, 1, 26)
    assert week_date("2027-01-12", 3, every=14) == dt.date(2027, 2, 9)
    assert week_date("2027-01-12", 3, meeting_date="2027-02-02") == dt.date(2027, 2, 2)
    with pytest.raises(AgendaError, match="2027-13-01"):
        week_date("2027-13-01", 1)


def guide(tmp_path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Guide"),
                nbformat.v4.new_code_cell("week = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(code)]
    path = tmp_path / "01-guide.ipynb"
    nbformat.write(nb, path)
    return path


def test_rows_read_back_from_a_guide(tmp_path: Path) -> None:
    path = guide(tmp_path, "from circlekit.agenda import show_agenda\n"
                           f"show_agenda({ROWS!r}, start=time, day=meeting_day)\n")
    assert agenda_minutes(path) == [15, 10, 50]
    assert agenda_rows(path)[0] == ROWS[0]


def test_unreadable_agendas_name_the_guide(tmp_path: Path) -> None:
    with pytest.raises(AgendaError, match="01-guide.ipynb: no cell calls show_agenda"):
        agenda_minutes(guide(tmp_path, "print('no agenda')"))
    with pytest.raises(AgendaError, match="cell 3: the agenda rows must be written out"):
        agenda_minutes(guide(tmp_path, "show_agenda(make_rows())"))
