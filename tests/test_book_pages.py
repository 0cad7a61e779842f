"""Every page of the kit's built book, opened from disk in a real headless Chromium with no
network, as readers see it: axe-core finds nothing critical or serious, the console shows no
error, nothing is requested from outside, and on a phone (390 px) nothing runs off the side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from a11y import axe_serious
from browser import block_outside, chromium, console_errors
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


# What runs off the side at phone width: the page itself, or a table wider than its column; and
# text squeezed into a narrow column.
OVERFLOW = r"""() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    out.push('page is ' + document.documentElement.scrollWidth + ' px wide');
  // Text squeezed into a column a few letters wide, one or two letters a line.
  const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const text = n.textContent.replace(/\s+/g, ' ').trim();
    if (text.length < 12) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    let hidden = false;  // inside a box of 1 px, shown to screen readers only
    for (let e = n.parentElement; e && !hidden; e = e.parentElement) {
      const b = e.getBoundingClientRect();
      hidden = b.width <= 2 || b.height <= 2;
    }
    if (!hidden && r.width > 0 && r.width < 40 && r.height > 60)
      out.push('text ' + Math.round(r.width) + ' px wide: ' + text.slice(0, 60));
  }
  for (const t of document.querySelectorAll('main table')) {
    const room = t.parentElement.clientWidth;
    if (t.getBoundingClientRect().width > room + 1)
      out.push('table ' + Math.round(t.getBoundingClientRect().width) + ' px in ' + room +
               ' px: ' + t.innerText.slice(0, 60));
  }
  return out;
}"""


def to_dark(page: object) -> None:
    """Switch the page to dark mode as the theme's colour button does, with no transitions."""
    page.emulate_media(reduced_motion="reduce")  # type: ignore[attr-defined]
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; "  # type: ignore[attr-defined]
                  "document.documentElement.dataset.mode = 'dark'; }")
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'",
        timeout=30_000)


# Short words in a table broken across two lines ("Healt" / "hy"); a long address may break, and
# so may any word after a hyphen.
BROKEN_WORDS = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('main td, main th, main caption')) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const text = n.textContent;
      let start = 0;
      for (let i = 0; i <= text.length; i++) {
        // A line may break at a space, or after a hyphen, dash or slash.
        if (i < text.length && text[i].trim() && !'-\u2013/'.includes(text[i])) continue;
        if (i - start > 1 && i - start <= 20) {
          const r = document.createRange();
          r.setStart(n, start);
          r.setEnd(n, i);
          const tops = new Set([...r.getClientRects()].filter(x => x.width > 0)
                                                     .map(x => Math.round(x.top)));
          if (tops.size > 1) out.push(text.slice(start, i));
        }
        start = i + 1;
      }
    }
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
        faults += [f"word broken in a table: {w}" for w in page.evaluate(BROKEN_WORDS)]
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        faults += [f"at 390 px: {f}" for f in page.evaluate(OVERFLOW)]
        faults += [f"axe at 390 px: {f}" for f in axe_serious(page)]
        # A reader may pick dark mode: the colours change, and so can their contrast.
        page.set_viewport_size({"width": 1280, "height": 900})
        to_dark(page)
        faults += [f"axe in dark mode: {f}" for f in axe_serious(page)]
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


# -- the trimmed theme still works (circlekit.booktrim) ------------------------------------------

# Every icon drawn on the page: the character its ::before shows, and in which font face.
ICONS = """() => [...document.querySelectorAll('[class*="fa-"]')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
}).map(e => {
  const b = getComputedStyle(e, '::before');
  return {cls: e.className, text: b.content, family: b.fontFamily, weight: b.fontWeight};
}).filter(i => i.text && i.text !== 'none' && i.family.includes('Font Awesome'))"""


def icon_font(html: Path, family: str, weight: str) -> set[int]:
    """The characters the book's copy of a Font Awesome face can draw."""
    from fontTools.ttLib import TTFont

    name = ("fa-brands-400" if "Brands" in family else
            "fa-solid-900" if weight == "900" else "fa-regular-400")
    font = html / "_static" / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
    return set(TTFont(font).getBestCmap())


def missing_icons(page: object, html: Path) -> list[str]:
    icons = page.evaluate(ICONS)  # type: ignore[attr-defined]
    assert icons, "no icon drawn: the icon rules or the font face are gone"
    missing = []
    for icon in icons:
        char = icon["text"].strip('"')
        if len(char) != 1 or ord(char) not in icon_font(html, icon["family"], icon["weight"]):
            missing.append(f"{icon['cls']}: {icon['text']!r}")
    return missing


def luminance(colour: str) -> float:
    """Relative brightness (0 black .. 1 white) of a CSS rgb()/rgba() colour."""
    r, g, b = (int(float(v)) for v in colour[colour.index("(") + 1:-1].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


COURSE_PAGE = "notebooks/we-are-ai/01-what-is-ai.html"


def test_the_colour_mode_button_and_the_icons_work(html: Path, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors = console_errors(page)
    page.emulate_media(reduced_motion="reduce")  # colours change at once, not over 0.3 s
    try:
        page.goto((html / COURSE_PAGE).as_uri(), wait_until="load")
        page.wait_for_function("() => [...document.fonts].some(f => "
                               "f.family.includes('Font Awesome') && f.status === 'loaded')",
                               timeout=30_000)
        assert missing_icons(page, html) == []
        background = "() => getComputedStyle(document.body).backgroundColor"
        assert luminance(page.evaluate(background)) > 0.9
        button = page.get_by_role("button", name="Color mode")
        # The button goes light -> dark -> auto -> light; stop at dark.
        for _ in range(3):
            if page.evaluate("() => document.documentElement.dataset.theme") == "dark":
                break
            button.click()
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        page.wait_for_function(f"() => ({background})() !== 'rgb(255, 255, 255)'",
                               timeout=30_000)
        assert luminance(page.evaluate(background)) < 0.2
        # Colour contrast in dark mode depends on the trimmed style sheets too.
        assert axe_serious(page) == []
        assert missing_icons(page, html) == []
        assert errors == []
    finally:
        page.close()


def test_code_toggles_and_the_download_menu_open(html: Path, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto((html / COURSE_PAGE).as_uri(), wait_until="load")
        toggle = page.locator("details.hide").first
        code = toggle.locator(".cell_input, pre").first
        assert not code.is_visible()
        toggle.get_by_text("Show code cell source").click()
        code.wait_for(state="visible", timeout=30_000)
        assert toggle.evaluate("d => d.open") is True
        assert code.bounding_box()["height"] > 10
        page.get_by_role("button", name="Download this page").click()
        menu = page.locator(".dropdown-menu.show")
        menu.wait_for(state="visible", timeout=30_000)
        assert "ipynb" in menu.inner_text().lower()
    finally:
        page.close()


# Whether a link with exactly this text is shown, whole across the window (a long list of
# links may run below it).
LINK_IN_VIEW = """(text) => [...document.querySelectorAll('a')].some(a => {
  const r = a.getBoundingClientRect();
  return a.textContent.trim() === text && r.width > 0 && r.height > 0 && r.left >= 0 &&
    r.right <= innerWidth && getComputedStyle(a).visibility !== 'hidden';
})"""


def test_the_sidebar_buttons_work(html: Path, browser: object) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    errors = console_errors(page)
    try:
        page.goto((html / COURSE_PAGE).as_uri(), wait_until="load")
        # On a phone the site's navigation is hidden until its button opens it.
        week2 = "Week 2: Learning from data"
        assert not page.evaluate(LINK_IN_VIEW, week2)
        page.get_by_role("button", name="Toggle primary sidebar").click()
        page.wait_for_function(LINK_IN_VIEW, arg=week2, timeout=30_000)
        assert axe_serious(page) == []
        page.keyboard.press("Escape")
        page.wait_for_function(f"(t) => !({LINK_IN_VIEW})(t)", arg=week2, timeout=30_000)
        # ... and so is the list of the page's sections.
        assert not page.evaluate(LINK_IN_VIEW, "Key points")
        page.get_by_role("button", name="Toggle secondary sidebar").click()
        page.wait_for_function(LINK_IN_VIEW, arg="Key points", timeout=30_000)
        page.keyboard.press("Escape")
        # On a wide screen the navigation is shown, and its button hides it for more room.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function(LINK_IN_VIEW, arg=week2, timeout=30_000)
        page.get_by_role("button", name="Toggle primary sidebar").click()
        page.wait_for_function(f"(t) => !({LINK_IN_VIEW})(t)", arg=week2, timeout=30_000)
        assert errors == []
    finally:
        page.close()


@pytest.fixture
def served(html: Path) -> Iterator[str]:
    """The book served over HTTP on 127.0.0.1, as a library's web server would: the search page
    reads the pages it lists, which a browser refuses to do for pages opened from disk."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


def test_searching_finds_a_course_page(served: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    errors = console_errors(page)
    outside = block_outside(page)
    try:
        page.goto(f"{served}/{COURSE_PAGE}", wait_until="load")
        page.keyboard.press("Control+k")
        box = page.locator("#pst-search-dialog input[name=q]")
        box.wait_for(state="visible", timeout=30_000)
        box.fill("algorithm")
        box.press("Enter")
        page.wait_for_url("**/search.html?q=algorithm*", timeout=30_000)
        results = page.locator("#search-results li")
        results.first.wait_for(timeout=60_000)
        assert "What is AI" in page.locator("#search-results").inner_text()
        assert axe_serious(page) == []
        assert errors == [] and outside == []
    finally:
        page.close()
