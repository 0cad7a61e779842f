"""The widget renderer the book serves itself, copied from the npm packages in node_modules/.

Only the files a page needs are copied (about 4.5 MB of the 220 MB npm installs): require.js,
@jupyter-widgets/html-manager's embed-amd.js, its icon fonts, and both licences. `make book`
runs `npm ci` first; package.json pins the versions myst-nb itself would load from a CDN.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from circlekit.errors import CircleKitError

TARGET = "_build/widgetjs/widgetjs"
HTML_MANAGER = "node_modules/@jupyter-widgets/html-manager"
REQUIREJS = "node_modules/requirejs"
NEEDED = ("require.js", "embed-amd.js")


def _sources(root: Path) -> Path | None:
    """The folder holding node_modules: the kit itself, else the circlekit checkout it runs from."""
    for base in (Path(root), Path(__file__).resolve().parents[1]):
        if (base / HTML_MANAGER / "dist" / "embed-amd.js").is_file():
            return base
    return None


MISSING = (
    "the widget JavaScript for the book is missing (_build/widgetjs/): run `make book`, "
    "or `npm ci` in the kit's folder, then build again"
)


def widget_js_problem(root: Path) -> str | None:
    """Why the book could not get its widget renderer, or None when it can (checked early)."""
    target = Path(root) / TARGET
    if all((target / name).is_file() for name in NEEDED) or _sources(root) is not None:
        return None
    return MISSING


def ensure_widget_js(root: Path) -> Path:
    """Make sure _build/widgetjs/ holds the renderer; copy it from node_modules when missing."""
    target = Path(root) / TARGET
    if all((target / name).is_file() for name in NEEDED):
        return target
    base = _sources(root)
    if base is None:
        raise CircleKitError(MISSING)
    target.mkdir(parents=True, exist_ok=True)
    dist = base / HTML_MANAGER / "dist"
    shutil.copy2(base / REQUIREJS / "require.js", target / "require.js")
    shutil.copy2(dist / "embed-amd.js", target / "embed-amd.js")
    for font in [*dist.glob("*.woff*"), *dist.glob("*.ttf")]:
        shutil.copy2(font, target / font.name)
    shutil.copy2(base / HTML_MANAGER / "LICENSE", target / "LICENSE-html-manager.txt")
    license_js = base / REQUIREJS / "LICENSE"
    if license_js.is_file():
        shutil.copy2(license_js, target / "LICENSE-requirejs.txt")
    (target / "SOURCE.txt").write_text(
        "Copied by circlekit from npm: @jupyter-widgets/html-manager (BSD-3-Clause) and requirejs "
        "(MIT), versions pinned in package.json.\n",
        encoding="utf-8",
    )
    return target
