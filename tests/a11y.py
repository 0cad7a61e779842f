"""What a person sees, checked in a real browser page: axe-core's serious and critical
findings, controls that overlap, labels cut short, controls running off the side. The one
home of these checks, for every browser test (the book, JupyterLab, reports). Used with
`browser.chromium()`."""

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
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    found = page.evaluate(AXE_RUN, scope)  # type: ignore[attr-defined]
    return [f"{v['impact']} {v['id']} ({v['help']}): {' | '.join(v['nodes'][:4])}"
            for v in found if v["impact"] in ("critical", "serious")]


def axe_problems(page: object, context: str = "document") -> list[str]:
    """axe-core's critical and serious findings on the page, or inside the elements a quoted
    CSS selector names (`"'.my-widget'"`): `axe_serious` under its older name."""
    scope = None if context == "document" else context.strip("'\"")
    return axe_serious(page, scope)


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


# -- in JupyterLab's output areas ------------------------------------------------------------


def axe_outputs(page: object) -> list[str]:
    """axe-core's critical and serious findings inside the notebook's output areas.

    axe also reports JupyterLab's own containers around the outputs; those are not ours.
    """
    return axe_serious(page, ".jp-OutputArea-output")


# Controls a learner reads or uses; each must be drawn whole and apart from the others.
CONTROLS = (
    "label, button, input[type=radio], input[type=checkbox], select, textarea,"
    " .widget-label, .widget-label-basic, .widget-readout, .widget-html-content p"
)

LAYOUT_FAULTS = """(controls) => {
  const faults = [];
  const seen = el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' ? r : null;
  };
  const describe = el => (el.tagName.toLowerCase() + ' "' +
    (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60) + '"');
  for (const area of document.querySelectorAll('.jp-OutputArea-output')) {
    const items = [...area.querySelectorAll(controls)].filter(el => seen(el));
    // A control must fit in the notebook's column and in every box around it that cuts off
    // what sticks out (a box that scrolls, too, hides it until one scrolls).
    const cell = area.closest('.jp-Cell');
    for (const el of area.querySelectorAll('input, select, textarea, button')) {
      const r = seen(el);
      if (!r) continue;
      let edge = cell ? cell.getBoundingClientRect().right : innerWidth;
      for (let box = el.parentElement; box && box !== cell; box = box.parentElement)
        if (getComputedStyle(box).overflowX !== 'visible')
          edge = Math.min(edge, box.getBoundingClientRect().right);
      // ipywidgets' 2 px margin may stick out; a box cut by more has lost its edge.
      if (r.right > edge + 3)
        faults.push('off the edge by ' + Math.round(r.right - edge) + ' px: ' + describe(el));
    }
    for (const el of items) {
      const style = getComputedStyle(el);
      const text = (el.innerText || '').trim();
      const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
      if (text && clips && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'TEXTAREA')
        faults.push('cut: ' + describe(el));
      if (text && style.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1
          && el.tagName !== 'TEXTAREA')
        faults.push('cut: ' + describe(el));
      if (el.tagName === 'SELECT' && el.selectedIndex >= 0) {
        const probe = document.createElement('span');
        probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:' +
          style.font;
        probe.textContent = el.options[el.selectedIndex].text;
        document.body.appendChild(probe);
        // About 30 px go to the arrow and the padding.
        if (probe.getBoundingClientRect().width > el.clientWidth - 30)
          faults.push('cut: ' + describe(el) + ' ' + probe.textContent.slice(0, 60));
        probe.remove();
      }
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i], b = items[j];
        if (a.contains(b) || b.contains(a)) continue;
        const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 2 && h > 2) faults.push('overlap: ' + describe(a) + ' / ' + describe(b));
      }
    }
  }
  return [...new Set(faults)];
}"""


def layout_faults(page: object) -> list[str]:
    """Controls in the output areas that overlap another, run off the notebook's side, or
    whose text is cut off."""
    return page.evaluate(LAYOUT_FAULTS, CONTROLS)  # type: ignore[attr-defined]


# A collapsed cell shows its first line as a preview; a long widget call must end inside the
# cell ("...") rather than run past its right edge. JupyterLab draws cells out of view lazily,
# so only the previews drawn are measured.
_RUNAWAY_PREVIEWS = """() => [...document.querySelectorAll('.jp-InputPlaceholder')]
  .filter(p => p.getClientRects().length && p.scrollWidth > p.clientWidth + 1)
  .map(p => `${p.textContent.trim().slice(0, 60)}: ` +
             `${p.scrollWidth - p.clientWidth} px past the cell`)
"""


def runaway_previews(page: object) -> list[str]:
    """Collapsed cells whose one-line preview runs past the cell's right edge."""
    return page.evaluate(_RUNAWAY_PREVIEWS)  # type: ignore[attr-defined]
