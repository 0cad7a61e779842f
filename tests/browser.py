"""A real headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Browsers cannot be downloaded on the build machines, so Playwright is pointed at the system
Chromium. `make test` installs it; a missing browser fails loudly rather than skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator

CHROMIUM = os.environ.get("CIRCLEKIT_CHROMIUM", "/usr/bin/chromium")

# Without the background-networking flags Chromium keeps dialling out at start-up, and those
# calls are refused on a closed network, which slows every launch.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Yield a Playwright Browser running Debian's Chromium."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh, empty profile of its own.
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def block_outside(
    page: object,
    allowed: tuple[str, ...] = (
        "file://",
        "data:",
        "blob:",
        "http://127.0.0.1",
        "http://localhost",
        "ws://127.0.0.1",
    ),
) -> list[str]:
    """Abort every request that leaves this machine; return the list that was attempted."""
    attempted: list[str] = []

    def handle(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(allowed):
            route.continue_()  # type: ignore[attr-defined]
        else:
            attempted.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", handle)  # type: ignore[attr-defined]
    return attempted


AXE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "node_modules", "axe-core", "axe.min.js")

# axe-core run on the page (or inside `scope` only); the violations with their nodes' elements
# kept, so a caller can tell whose markup each one is.
AXE_RUN = """async (scope) => {
  const context = scope ? {include: [...document.querySelectorAll(scope)].map(e => [e])}
                        : document;
  if (scope && !context.include.length) return [];
  const result = await axe.run(context, {resultTypes: ['violations'], elementRef: true,
                                          preload: false});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter(n => !scope || (n.element && n.element.closest(scope)))
                  .map(n => n.html.slice(0, 200)),
  })).filter(v => v.nodes.length);
}"""


def axe_serious(page: object, scope: str | None = None) -> list[str]:
    """axe-core's critical and serious findings on the page, or inside the `scope` elements."""
    page.add_script_tag(path=AXE)  # type: ignore[attr-defined]
    found = page.evaluate(AXE_RUN, scope)  # type: ignore[attr-defined]
    return [f"{v['impact']} {v['id']} ({v['help']}): {' | '.join(v['nodes'][:4])}"
            for v in found if v["impact"] in ("critical", "serious")]


def console_errors(page: object) -> list[str]:
    """Collect what the page's console reports as errors, and requests for missing files."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("requestfailed", lambda r: errors.append(  # type: ignore[attr-defined]
        f"failed: {r.url}") if r.url.startswith("file://") else None)
    return errors
