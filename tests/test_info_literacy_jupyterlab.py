"""Information literacy in a real JupyterLab and a real headless Chromium: each week runs top
to bottom (Run → Run All Cells) with no error, its widgets draw, and no control overlaps another
or has its label cut, at 1280 and at 390 pixels wide."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser import block_outside, chromium
from test_widgets_lab import Lab, menu, wait_idle

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks" / "info-literacy"
WEEKS = [w["notebook"] for w in
         yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))["weeks"]]

# Leaf elements a person reads or uses. Two of them must never cover each other, and none may
# be cut short (text wider than its box).
LAYOUT_PROBLEMS = """() => {
  const sel = '.jp-OutputArea-output .jupyter-widgets :is(button, input, select, textarea,'
    + ' label, .widget-label, .widget-readout, .noUi-target)';
  const els = [...document.querySelectorAll(sel)].filter(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0;
  });
  const problems = [];
  for (const e of els) {
    if (e.matches('label, .widget-label, button') && e.scrollWidth > e.clientWidth + 1)
      problems.push('cut: ' + (e.innerText || e.title || e.outerHTML.slice(0, 80)));
  }
  for (let i = 0; i < els.length; i++) {
    const a = els[i].getBoundingClientRect();
    for (let j = i + 1; j < els.length; j++) {
      if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
      const b = els[j].getBoundingClientRect();
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2)
        problems.push('overlap: ' + (els[i].innerText || els[i].className) + ' / '
                      + (els[j].innerText || els[j].className));
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("il-lab")
    root = base / "info-literacy"
    shutil.copytree(COURSE, root, ignore=shutil.ignore_patterns("__pycache__", "*.txt.tmp"))
    # Draw every cell, not only those on screen, so positions can be measured anywhere.
    settings = base / "jupyter" / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    server = Lab(root, base / "home")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("name", WEEKS)
def test_week_runs_in_jupyterlab_without_error_overlap_or_cut_label(course_lab: Lab,
                                                                   name: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        outside = block_outside(page)
        # A workspace of its own, so no tab from an earlier week is restored beside this one.
        page.goto(f"{course_lab.url}/lab/workspaces/{Path(name).stem}/tree/{name}"
                  f"?reset&token={course_lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
        # The reflection is the last prompt: when it is drawn, every cell above has run.
        page.locator(".circlekit-reflection textarea").first.wait_for(timeout=120_000)
        wait_idle(page)
        page.wait_for_function(
            "() => ![...document.querySelectorAll('.jp-InputArea-prompt')]"
            ".some(p => p.innerText.includes('*'))", timeout=120_000)
        text = page.inner_text(".jp-Notebook")
        assert "Traceback" not in text and "Error displaying widget" not in text
        assert page.locator(".jp-OutputArea-output[data-mime-type*='stderr']").count() == 0
        assert page.locator(".jp-OutputArea-output .jupyter-widgets").count() >= 5
        assert page.evaluate(LAYOUT_PROBLEMS) == [], 1280
        # On a phone-sized screen a person folds the file browser away first, as done here.
        page.set_viewport_size({"width": 390, "height": 1000})
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
        page.wait_for_function("() => document.querySelector('.jp-NotebookPanel')"
                               ".getBoundingClientRect().width > 300", timeout=30_000)
        assert page.evaluate(LAYOUT_PROBLEMS) == [], 390
    assert outside == []
