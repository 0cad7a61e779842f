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


# axe-core's runner lives with the other checks of what a person sees (tests/a11y.py); it is
# named here too for callers that import it from this module.
from a11y import axe_serious  # noqa: E402, F401


def console_errors(page: object) -> list[str]:
    """Collect what the page's console reports as errors, and requests for missing files."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("requestfailed", lambda r: errors.append(  # type: ignore[attr-defined]
        f"failed: {r.url}") if r.url.startswith("file://") else None)
    return errors
