"""The built book: every page, widget JavaScript served locally, nothing loaded from outside."""

import re
import shutil
import subprocess
import sys

import yaml
from browser import block_outside, chromium
from conftest import make_kit

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["'](?:https?:)?//""", re.I)


def test_pages_load_nothing_from_outside(built_kit):
    root, _, _ = built_kit
    pages = list((root / "_build/html").rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        text = page.read_text()
        assert not EXTERNAL.search(text), (page, EXTERNAL.search(text).group(0))
    # The renderer is there for a page that draws a live widget; a page of prompt cards only
    # carries no widget state and loads no widget JavaScript.
    assert (root / "_build/html/_static/widgetjs/embed-amd.js").is_file()
    nb_page = (root / "_build/html/notebooks/mini/01-counting.html").read_text()
    assert "circlekit-card" in nb_page
    assert "embed-amd.js" not in nb_page and "require.js" not in nb_page
    assert "application/vnd.jupyter.widget-state+json" not in nb_page


def test_a_page_shows_its_plot_offline_in_chromium(built_kit, tmp_path):
    root, _, _ = built_kit
    page_path = root / "_build/html/notebooks/mini/01-counting.html"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        attempted = block_outside(page)
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        assert "Week 1: Counting" in page.inner_text("main")
        assert "total: 6" in page.inner_text("main")
        plot = page.locator("main img.circlekit-figure").first
        assert plot.evaluate("img => img.complete && img.naturalWidth > 100")
        assert "bar chart" in plot.get_attribute("alt")
        page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert attempted == []


def test_the_build_needs_no_network(tmp_path):
    """Build in a network namespace of its own, where only loopback exists."""
    if shutil.which("unshare") is None:
        raise AssertionError("unshare (util-linux) is needed to cut the network for this test")
    root = make_kit(tmp_path / "kit")
    script = f"ip link set lo up && {sys.executable} -m circlekit --root {root} build"
    done = subprocess.run(
        ["unshare", "--net", "sh", "-c", script], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "notebooks: 4 executed, 0 cached, 0 failed"
    assert (root / "_build/html/notebooks/mini/01-counting.html").is_file()


def test_the_kit_builds_every_page_of_its_table_of_contents(kit_book):
    root, report = kit_book
    assert report.failed == [], [o.describe() for o in report.failed]
    assert (root / "_build/html/index.html").is_file()
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert "book/glossary" in files and "book/learning-circles" in files
    for name in files:
        page = root / "_build/html" / f"{name}.html"
        assert page.is_file(), name
        found = EXTERNAL.search(page.read_text())
        assert not found, (name, found and found.group(0))
