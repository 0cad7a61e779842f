"""Every page of the kit's built book, opened from disk in a real headless Chromium with no
network, as readers see it: axe-core finds nothing critical or serious, the console shows no
error, nothing is requested from outside, and on a phone (390 px) nothing runs off the side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser import axe_serious, block_outside, chromium, console_errors
from bs4 import BeautifulSoup
from conftest import REPO

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def toc_pages() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


@pytest.fixture(scope="module")
def html(kit_book) -> Path:
    root, _report = kit_book
    return root / "_build" / "html"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


# What runs off the side at phone width: the page itself, or a table wider than its column.
OVERFLOW = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    out.push('page is ' + document.documentElement.scrollWidth + ' px wide');
  for (const t of document.querySelectorAll('main table')) {
    const room = t.parentElement.clientWidth;
    if (t.getBoundingClientRect().width > room + 1)
      out.push('table ' + Math.round(t.getBoundingClientRect().width) + ' px in ' + room +
               ' px: ' + t.innerText.slice(0, 60));
  }
  return out;
}"""


@pytest.mark.parametrize("name", toc_pages())
def test_a_reader_meets_no_fault_on_the_page(html: Path, browser: object, name: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    outside = block_outside(page)
    errors = console_errors(page)
    try:
        page.goto((html / f"{name}.html").as_uri(), wait_until="load")
        page.locator("main").first.wait_for()
        faults = [f"axe at 1280 px: {f}" for f in axe_serious(page)]
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        faults += [f"at 390 px: {f}" for f in page.evaluate(OVERFLOW)]
        faults += [f"axe at 390 px: {f}" for f in axe_serious(page)]
        faults += [f"console: {e}" for e in errors]
        faults += [f"outside request: {u}" for u in outside]
    finally:
        page.close()
    assert not faults, "\n".join(faults)


def test_pages_without_a_live_widget_carry_no_widget_code(html: Path) -> None:
    heavy = []
    for name in toc_pages():
        text = (html / f"{name}.html").read_text(encoding="utf-8")
        if WIDGET_VIEW in text:
            continue
        soup = BeautifulSoup(text, "html.parser")
        scripts = [s.get("src", "") for s in soup.find_all("script")]
        if (soup.find("script", type="application/vnd.jupyter.widget-state+json")
                or any("embed-amd" in s or "require.js" in s for s in scripts)):
            heavy.append(name)
    assert heavy == []


def test_the_index_names_no_rocket_button_without_a_hub(html: Path) -> None:
    # The kit's own _config.yml names no hub, so no page has a launch button.
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert not config["launch_buttons"]["jupyterhub_url"]
    text = BeautifulSoup((html / "book" / "index.html").read_text(encoding="utf-8"),
                         "html.parser").main.get_text(" ")
    assert "hub" in text
    assert "rocket" not in text.lower()



def test_the_dashboard_page_is_a_static_example(html: Path, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto((html / "facilitator" / "dashboard.html").as_uri(), wait_until="load")
        main = page.locator("main")
        text = " ".join(main.inner_text().split())
        # No live controls that do nothing, no word about the machine that built the book.
        assert main.get_by_role("button", name="Refresh").count() == 0
        assert main.get_by_role("button", name="Save as CSV").count() == 0
        assert "this computer" not in text
        assert "Run All Cells" not in text
        # An example built from invented answers, with every part a facilitator sees.
        for words in ("invented", "Who has answered", "Answers as they come in",
                      "Poll results", "Goals", "My bank app flagged a payment"):
            assert words in text, words
        # No output box is left empty.
        empty = page.evaluate("() => [...document.querySelectorAll('main .cell_output')]"
                              ".filter(o => !o.innerText.trim()).length")
        assert empty == 0
    finally:
        page.close()


def test_mending_names_toggles_and_check_boxes_and_labels_table_cells() -> None:
    from circlekit.book import mend_body

    body = (
        '<details class="hide above-input"><summary aria-label="Toggle hidden content">'
        "<span>Show code cell source</span></summary></details>"
        '<ul><li class="task-list-item"><input class="task-list-item-checkbox" disabled '
        'type="checkbox"> Print the <b>handouts</b></li></ul>'
        "<table><thead><tr><th>Minutes</th><th>What</th></tr></thead>"
        "<tbody><tr><td>10</td><td>Check-in</td></tr></tbody></table>"
        "<table><tr><th>who</th><th>answer</th></tr><tr><td>Ana</td><td>hi</td></tr></table>"
        "<table><tr><td>no</td><td>header</td></tr></table>"
    )
    soup = BeautifulSoup(mend_body(body), "html.parser")
    assert soup.summary.get("aria-label") is None
    assert soup.input["aria-label"] == "Print the handouts"
    first, second, third = soup.find_all("table")
    assert [td["data-label"] for td in first.tbody.find_all("td")] == ["Minutes", "What"]
    assert "circlekit-stack" in first["class"]
    assert [td["data-label"] for td in second.find_all("td")] == ["who", "answer"]
    assert "circlekit-stack" not in third.get("class", [])


def test_the_notebook_only_box_stays_out_of_the_book(html: Path) -> None:
    import json

    first = json.loads((REPO / "book" / "widgets.ipynb").read_text(encoding="utf-8"))["cells"][0]
    assert "How to use this notebook" in "".join(first["source"])
    assert first["metadata"]["tags"] == ["remove-cell"]
    shown = BeautifulSoup((html / "book" / "widgets.html").read_text(encoding="utf-8"),
                          "html.parser").main.get_text(" ")
    assert "The widgets in a notebook" in shown
    assert "How to use this notebook" not in shown
    assert "Shift + Enter" not in shown
