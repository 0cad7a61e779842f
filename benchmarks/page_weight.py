"""Page weight of the built book: total bytes per page, the HTML plus everything it loads.

Each page is opened in Debian's Chromium (headless, no network) and every file it requests is
counted once at its size on disk; requests for files that do not exist count nothing. Prints,
for each build given, the median and the largest page, the widget state carried in HTML, and
what the median page loads, file by file, raw and gzipped.

    .venv/bin/python benchmarks/page_weight.py [LABEL=]_build/html [[LABEL=]OTHER/_build/html ...]

Give the "before" build first to get ratios, e.g. before=/tmp/main/_build/html after=_build/html.
"""

from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import block_outside, chromium  # noqa: E402


def widget_state_bytes(html: str) -> int:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return sum(len(s.get_text().encode()) for s in
               soup.find_all("script", type="application/vnd.jupyter.widget-state+json"))


def gzipped(path: Path) -> int:
    """The file's size as a web server that compresses (gzip, level 6) would send it."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


Row = tuple[str, int, int, int, int, list[Path]]


def weigh(browser: object, root: Path) -> list[Row]:
    """(page, total bytes, HTML bytes, widget-state bytes, total gzipped, files loaded) for
    every page."""
    rows = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("_", ".", "genindex", "search")):
            continue
        page = browser.new_page()  # type: ignore[attr-defined]
        block_outside(page)
        files: set[Path] = set()
        page.on("request", lambda r, files=files: files.add(Path(unquote(urlparse(r.url).path)))
                if r.url.startswith("file://") else None)
        page.goto(path.as_uri(), wait_until="load")
        # Fonts and widget scripts are asked for after "load": wait until a second passes
        # with no new request (file:// pages never report network idle).
        count = -1
        for _ in range(20):
            if len(files) == count:
                break
            count = len(files)
            page.wait_for_timeout(1000)
        page.close()
        found = [f for f in files if f.is_file()]
        total = sum(f.stat().st_size for f in found)
        text = path.read_text(encoding="utf-8")
        rows.append((rel, total, path.stat().st_size, widget_state_bytes(text),
                     sum(gzipped(f) for f in found), found))
    return rows


def breakdown(root: Path, row: Row) -> None:
    """What one page loads, largest first: raw and gzipped bytes of each file."""
    print(f"  what the median page loads ({row[0]}):")
    for f in sorted(row[5], key=lambda f: -f.stat().st_size):
        try:
            name = f.relative_to(root.resolve()).as_posix()
        except ValueError:
            name = str(f)
        print(f"    {f.stat().st_size / 1024:7.1f} KB  {gzipped(f) / 1024:6.1f} KB gz  {name}")


def main(args: list[str]) -> None:
    builds = []
    for arg in args or [str(REPO / "_build" / "html")]:
        label, _, where = arg.rpartition("=")
        builds.append((label or where, Path(where).resolve()))
    medians = []
    with chromium() as browser:
        for label, root in builds:
            rows = weigh(browser, root)
            totals = [r[1] for r in rows]
            median = statistics.median(totals)
            big = max(rows, key=lambda r: r[1])
            state = sum(r[3] for r in rows)
            html = sum(r[2] for r in rows)
            medians.append(median)
            print(f"{label}: {len(rows)} pages")
            print(f"  median total bytes per page: {median / 1024:.0f} KB "
                  f"({statistics.median(r[4] for r in rows) / 1024:.0f} KB gzipped)")
            print(f"  largest: {big[1] / 1024:.0f} KB ({big[4] / 1024:.0f} KB gzipped; {big[0]})")
            print(f"  widget state in HTML: {state / 1024:.0f} KB of {html / 1024:.0f} KB "
                  f"({100 * state / max(html, 1):.0f}%)")
            for rel, total, size, st, _gz, _files in sorted(rows, key=lambda r: -r[1])[:5]:
                print(f"    {total / 1024:7.0f} KB  html {size / 1024:5.0f} KB  "
                      f"state {st / 1024:4.0f} KB  {rel}")
            # The page whose total is the median (the lower of the two middle ones).
            by_total = sorted(rows, key=lambda r: r[1])
            breakdown(root, by_total[(len(by_total) - 1) // 2])
    if len(medians) > 1:
        print(f"ratio median {builds[-1][0]}/{builds[0][0]} = {medians[-1] / medians[0]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
