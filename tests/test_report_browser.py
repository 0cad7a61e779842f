"""The impact report as a person sees it: in headless Chromium at 1280 and 390 px, with no
serious accessibility problem, no overlapping or cut text, and no request leaving the machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from a11y import WIDTHS, axe_problems, cut_labels, overlapping
from browser import block_outside, chromium
from test_report import EXPORTS

from circlekit.report import answers_from_files, make_report


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report-browser") / "report"
    make_report(answers_from_files(EXPORTS), out)
    return out / "report.html"


def test_report_page_at_two_widths(page_file: Path) -> None:
    with chromium() as browser:
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            attempted = block_outside(page)
            page.goto(page_file.as_uri())
            assert page.locator(".headline").inner_text().startswith("Goal met")
            assert axe_problems(page) == [], width
            assert overlapping(page, "h1, h2, p, th, td, img, figcaption, li") == [], width
            assert cut_labels(page, "th, td, h1, h2, figcaption") == [], width
            # The page itself never scrolls sideways; only the wide table may, in its box.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert attempted == []
            page.close()
