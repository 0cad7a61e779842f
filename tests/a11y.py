"""What a person sees, checked in a real browser page: axe-core's serious and critical
findings, controls that overlap, and labels cut short. Used with `browser.chromium()`."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)

_OVERLAPS = """(selector) => {
  const els = [...document.querySelectorAll(selector)].filter(e => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  });
  const found = [];
  for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
    const a = els[i], b = els[j];
    if (a.contains(b) || b.contains(a)) continue;
    const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
    const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
    const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
    if (w > 1 && h > 1) found.push(`${a.outerHTML.slice(0, 80)} | ${b.outerHTML.slice(0, 80)}`);
  }
  return found;
}"""

_CUT = """(selector) => [...document.querySelectorAll(selector)].filter(e => {
  const s = getComputedStyle(e);
  if (e.getBoundingClientRect().width === 0) return false;
  const clips = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
  return clips && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.textContent.trim().slice(0, 80))"""


def axe_problems(page: object, context: str = "document") -> list[str]:
    """axe-core's critical and serious findings on the page (or inside `context`)."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    results = page.evaluate(  # type: ignore[attr-defined]
        f"async () => (await axe.run({context}, {{resultTypes: ['violations']}})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
            for v in results if v["impact"] in ("critical", "serious")]


def overlapping(page: object, selector: str) -> list[str]:
    return page.evaluate(_OVERLAPS, selector)  # type: ignore[attr-defined]


def cut_labels(page: object, selector: str) -> list[str]:
    return page.evaluate(_CUT, selector)  # type: ignore[attr-defined]


def measured(page: object, selector: str) -> int:
    """How many elements matching `selector` are laid out (JupyterLab skips laying out cells
    out of view, and checks on elements of no size would pass without looking)."""
    return page.evaluate(  # type: ignore[attr-defined]
        "s => [...document.querySelectorAll(s)].filter(e => e.getBoundingClientRect().width > 0)"
        ".length", selector)
