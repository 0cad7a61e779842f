"""Render the pictures of "Running a circle: plan, print, run, survey, report" from the test
fixtures: the first page of a facilitator pack and the first page of an impact report.

    .venv/bin/python book/images/make_cycle_pictures.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pypdfium2

from circlekit.plan import plan
from circlekit.report import answers_from_files, make_report

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "tests" / "fixtures"


def first_page_png(pdf: Path, png: Path, width: int = 900) -> None:
    document = pypdfium2.PdfDocument(str(pdf))
    page = document[0]
    scale = width / page.get_width()
    page.render(scale=scale).to_pil().save(png, optimize=True)
    document.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = base / "kit"
        shutil.copytree(FIXTURES / "kit", root)
        shutil.copytree(FIXTURES / "plan", root, dirs_exist_ok=True)
        learners = base / "learners.csv"
        learners.write_text("name\nAna García\nBo Chen\nZoë Łukasz\n", encoding="utf-8")
        plan(root, "mini", circle="Tuesday evenings", start="2027-01-12", time="18:00",
             place="Room B, Central Library", facilitator="Lee", learners=learners,
             out=base / "pack", now=dt.datetime(2026, 12, 1))
        first_page_png(base / "pack" / "pack.pdf", HERE / "pack-first-page.png")
        exports = sorted((FIXTURES / "report").glob("*.csv")) + sorted(
            (FIXTURES / "report").glob("*.json"))
        make_report(answers_from_files(exports), base / "report")
        first_page_png(base / "report" / "report.pdf", HERE / "report-first-page.png")


if __name__ == "__main__":
    main()
