"""`circlekit report` on the exports of three circles (tests/fixtures/report): the figures in
the HTML and the CSV match a count by hand, the PDF holds the headline figure, a circle with 2
answers shows counts only, and nobody is named."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES
from pypdf import PdfReader

from circlekit.cli import main

EXPORTS = [FIXTURES / "report" / n for n in ("tuesday.csv", "wednesday.json", "saturday.csv")]
NAMES = {"ana", "bo", "cy", "dee", "eli", "fay", "gus", "hal", "ivy", "jo", "kai", "lou", "mo",
         "lee", "kim", "max"}

# Counted by hand from tests/fixtures/report/make_exports.py.
BY_HAND = {
    "tuesday": {"learners": "6", "attendance": "6 5 5 4 4", "survey_answers": "4",
                "goal_met": "3", "goal_met_percent": "75", "more_confident": "3",
                "more_confident_percent": "75", "would_recommend": "3",
                "would_recommend_percent": "75", "meeting_rating_mean": "4.2", "quotes": "3"},
    "wednesday": {"learners": "4", "attendance": "4 4 3 3 3", "survey_answers": "3",
                  "goal_met": "2", "goal_met_percent": "67", "more_confident": "2",
                  "more_confident_percent": "67", "would_recommend": "2",
                  "would_recommend_percent": "67", "meeting_rating_mean": "4.0", "quotes": "1"},
    "saturday": {"learners": "3", "attendance": "3 2 2", "survey_answers": "2",
                 "goal_met": "1", "goal_met_percent": "", "more_confident": "1",
                 "more_confident_percent": "", "would_recommend": "1",
                 "would_recommend_percent": "", "meeting_rating_mean": "3.0", "quotes": "1"},
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    argv = ["report", "--out", str(out)]
    for path in EXPORTS:
        argv += ["--from", str(path)]
    assert main(argv) == 0
    return out


def test_csv_matches_the_hand_count(report: Path) -> None:
    with (report / "figures.csv").open(encoding="utf-8") as handle:
        rows = {row["circle"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(BY_HAND)
    for circle, expected in BY_HAND.items():
        assert {k: rows[circle][k] for k in expected} == expected, circle


def test_html_figures_headline_and_small_group(report: Path) -> None:
    soup = BeautifulSoup((report / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert "Goal met (4 or 5 of 5): 6 of 9 (67%)" in soup.select_one(".headline").get_text()
    table = soup.select_one("#figures")
    head = [th.get_text() for th in table.select("thead th")]
    rows = {tr.td.get_text(): dict(zip(head, [td.get_text() for td in tr.find_all("td")],
                                       strict=True))
            for tr in table.select("tbody tr")}
    assert rows["tuesday"]["Goal met"] == "3 of 4 (75%)"
    assert rows["wednesday"]["Would recommend"] == "2 of 3 (67%)"
    assert rows["tuesday"]["Attendance by meeting"] == "6, 5, 5, 4, 4 (5 meetings reported)"
    # Two answers: counts, never a percentage.
    assert rows["saturday"]["Goal met"] == "1 of 2"
    assert not any("%" in v for v in rows["saturday"].values())
    # Every chart is an image with its figures in words, response counts included.
    images = soup.find_all("img")
    assert len(images) == 5 and all(img["src"].startswith("data:image/png;base64,")
                                    for img in images)
    assert "saturday: 1 of 2" in images[1]["alt"]
    assert "n = 9" in images[2]["alt"]


def test_quotes_only_with_consent_and_nobody_named(report: Path) -> None:
    soup = BeautifulSoup((report / "report.html").read_text(encoding="utf-8"), "html.parser")
    quotes = [li.q.get_text() for li in soup.select("#quotes li")]
    assert sorted(quotes) == sorted([
        "Explain AI to my book club", '=HYPERLINK("http://example.invalid")',
        "Ask how the bus app ranks routes", "I will teach my neighbour",
        "Check the facts before I share"])
    text = soup.get_text(" ")
    assert "Secret plans of Bo" not in text
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    assert words & NAMES == set()


def test_pdf_holds_the_headline(report: Path) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(report / "report.pdf").pages)
    assert "6 of 9 (67%)" in text
    assert "1 of 2" in text and "Secret plans" not in text
    # No heading broken inside a word on the narrow page.
    assert all(h in text for h in ("Learners", "Attendance", "Confident", "Recommend"))


def test_one_circle_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "one"
    assert main(["report", "--circle", "saturday", "--out", str(out),
                 *[a for p in EXPORTS for a in ("--from", str(p))]]) == 0
    with (out / "figures.csv").open(encoding="utf-8") as handle:
        assert [r["circle"] for r in csv.DictReader(handle)] == ["saturday"]
    bad = tmp_path / "notes.csv"
    bad.write_text("when,what\n1,2\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "--from", str(bad), "--out", str(tmp_path / "r2")]) == 1
    assert "notes.csv, line 1: not an answers export" in capsys.readouterr().err
    assert main(["report", "--from", str(EXPORTS[0]), "--circle", "nobody",
                 "--out", str(tmp_path / "r3")]) == 1
    assert "no answers for nobody" in capsys.readouterr().err
    assert not (tmp_path / "r2").exists() and not (tmp_path / "r3").exists()


def test_the_book_walks_through_the_cycle() -> None:
    from markdown_it import MarkdownIt

    page = FIXTURES.parent.parent / "book" / "running-a-circle.md"
    tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
    code = "\n".join(t.content for t in tokens if t.type == "fence")
    assert "circlekit plan we-are-ai" in code and "circlekit report --from" in code
    images = [child.attrs["src"] for t in tokens if t.type == "inline"
              for child in t.children or [] if child.type == "image"]
    assert {"images/pack-first-page.png", "images/report-first-page.png"} <= set(images)
    for src in images:
        assert (page.parent / src).stat().st_size > 10_000, src
