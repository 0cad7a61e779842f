"""Week 3's ethical matrix in words: each learner's notes are saved, kept apart from other
learners', and shown back after a restart; headless, then in a real JupyterLab in a real
headless Chromium, where every control has a label and nothing scrolls sideways. Also in
JupyterLab: every slider handle of the labs has a name a screen reader can read."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import block_outside, chromium
from labtools import Lab, menu, wait_idle

from circlekit.answers.local import LocalStore
from widgets import configure

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks" / "we-are-ai"
NOTEBOOK = "03-who-decides.ipynb"
NOTE = "Could be hit <b>at night</b> & nobody asked them"


@pytest.fixture(scope="module")
def lab():
    spec = importlib.util.spec_from_file_location(
        "we_are_ai_lab", COURSE / "lab" / "__init__.py",
        submodule_search_locations=[str(COURSE / "lab")],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == spec.name]:
            sys.modules.pop(name)


# --- headless ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("answers_store")
def test_notes_are_saved_per_learner_and_shown_back_after_a_restart(
    lab, answers_store: LocalStore
) -> None:
    notes = lab.MatrixNotes("wai-3-matrix-notes")
    notes.boxes["Safety"].value = NOTE
    notes.pick.value = "The car company"  # another row: what was typed stays
    notes.boxes["Money"].value = "Saves money by testing on public roads"
    notes.pick.value = lab.LEFT_OUT
    notes.left_out.value = "People who use wheelchairs"
    notes.boxes["Fairness"].value = "Nobody asked them"
    notes.save_button.click()
    assert notes.status.text == "Saved."
    assert "&lt;b&gt;at night&lt;/b&gt;" in notes.table.value  # escaped in the table
    [row] = answers_store.list(widget_id="wai-3-matrix-notes")
    assert row.author == "ana" and row.visibility == "facilitator"
    assert row.value == {
        "People walking or cycling / Safety": NOTE,
        "The car company / Money": "Saves money by testing on public roads",
        f"{lab.LEFT_OUT} / Fairness": "Nobody asked them",
        "left out": "People who use wheelchairs",
    }

    # A restart: a new widget with the same id shows every note again, row by row.
    again = lab.MatrixNotes("wai-3-matrix-notes")
    assert again.pick.value == "People walking or cycling"
    assert again.boxes["Safety"].value == NOTE
    assert again.left_out.value == "People who use wheelchairs"
    again.pick.value = "The car company"
    assert again.boxes["Money"].value == "Saves money by testing on public roads"
    assert "Saves money" in again.table.value

    # Another learner starts with an empty matrix; ana's notes stay hers.
    configure(author="bea")
    other = lab.MatrixNotes("wai-3-matrix-notes")
    assert other.boxes["Safety"].value == "" and other.saved_value is None
    assert "No notes yet" in other.table.value


@pytest.mark.usefixtures("answers_store")
def test_an_empty_matrix_is_not_saved_and_says_why(lab, answers_store: LocalStore) -> None:
    notes = lab.MatrixNotes("wai-3-matrix-notes")
    notes.boxes["Safety"].value = "   "
    notes.save_button.click()
    assert notes.status.tone == "warning"
    assert answers_store.list() == []


@pytest.mark.usefixtures("answers_store")
def test_a_note_for_a_box_the_matrix_lacks_is_refused(lab) -> None:
    notes = lab.MatrixNotes("wai-3-matrix-notes")
    with pytest.raises(KeyError, match="no box"):
        notes.value = {"The city and its leaders / Safety": "gone"}


def test_the_card_names_every_row_for_the_book(lab) -> None:
    configure(store=LocalStore(Path("/nonexistent-dir/never-written.sqlite3")))
    try:
        html = lab.MatrixNotes("wai-3-matrix-notes").card_html()
    finally:
        configure(store=None)
    for row in lab.MATRIX_ROWS:
        assert row.replace("'", "&#x27;") in html


# --- JupyterLab in Chromium -------------------------------------------------------------------


def course_lab(tmp_path: Path, notebook: str) -> Lab:
    """A JupyterLab on a copy of the course folder with one week's notebook (not started)."""
    root = tmp_path / "we-are-ai"
    root.mkdir()
    for name in ("course.yml", notebook):
        shutil.copy(COURSE / name, root / name)
    for folder in ("lab", "data"):
        shutil.copytree(COURSE / folder, root / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return Lab(root, tmp_path / "home")


@pytest.fixture
def week3_lab(tmp_path: Path) -> Iterator[Lab]:
    server = course_lab(tmp_path, NOTEBOOK)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def week5_lab(tmp_path: Path) -> Iterator[Lab]:
    server = course_lab(tmp_path, "05-we-are-ai.ipynb")
    server.start()
    try:
        yield server
    finally:
        server.stop()


NO_SIDEWAYS_SCROLL = """el => {
    // Boxes that scroll sideways; a text box scrolling its own long line is not counted, but a
    // text box narrower than half the matrix is (it would cut what people type).
    const controls = 'input:not([type=radio]):not([type=checkbox]), textarea, select';
    const wide = [el, ...el.querySelectorAll('*')].filter(e => e.matches(controls)
        ? e.getBoundingClientRect().width < el.getBoundingClientRect().width / 2
        : e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible');
    return wide.map(e => `${e.tagName}.${e.className} ${e.scrollWidth}>${e.clientWidth}`)
        .slice(0, 5);
}"""
OVERLAPS = """el => {
    const parts = [...el.querySelectorAll('.widget-label, input, textarea, select, button')]
        .filter(e => e.getBoundingClientRect().width > 0);
    const hits = [];
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
        const a = parts[i].getBoundingClientRect(), b = parts[j].getBoundingClientRect();
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
            && b.top < a.bottom - 1) hits.push(`${parts[i].textContent} / ${parts[j].textContent}`);
    }
    return hits;
}"""
LABELS_CUT = """el => [...el.querySelectorAll('.widget-label')]
    .filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)"""


def test_notes_come_back_after_a_kernel_restart_in_jupyterlab(week3_lab: Lab, lab) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        block_outside(page)  # the notebook must work with no network
        page.goto(f"{week3_lab.url}/lab/tree/{NOTEBOOK}?token={week3_lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
        matrix = page.locator(".wai-matrix")
        matrix.wait_for(timeout=90_000)
        matrix.scroll_into_view_if_needed()

        # Every control is found by its label, as a screen reader would name it.
        matrix.get_by_label("Who we left out (name them)").fill("People who use wheelchairs")
        matrix.get_by_label("Safety", exact=True).fill(NOTE)
        matrix.get_by_label("The car company").check()
        matrix.get_by_label("Money", exact=True).fill("Saves money")
        matrix.get_by_role("button", name="Save").click()
        matrix.locator(".circlekit-status", has_text="Saved.").wait_for(timeout=20_000)
        assert matrix.evaluate(NO_SIDEWAYS_SCROLL) == []
        assert matrix.evaluate(LABELS_CUT) == []
        assert matrix.evaluate(OVERLAPS) == []

        [saved] = LocalStore(week3_lab.home / "answers.sqlite3").list(kind="discussion")
        assert (saved.course, saved.widget_id, saved.author) == (
            "we-are-ai", "wai-3-matrix-notes", "lab-learner")
        assert saved.value["People walking or cycling / Safety"] == NOTE

        # Restart and clear every output, so nothing old can pass for the notes.
        menu(page, "Kernel", "Restart Kernel and Clear Outputs of All Cells")
        page.locator(".jp-Dialog .jp-mod-accept").click()
        matrix.wait_for(state="detached", timeout=30_000)
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
        matrix.wait_for(timeout=90_000)
        matrix.scroll_into_view_if_needed()
        safety = matrix.get_by_label("Safety", exact=True)
        page.wait_for_function("([el, text]) => el.value === text",
                               arg=[safety.element_handle(), NOTE], timeout=20_000)
        assert matrix.get_by_label("Who we left out (name them)").input_value() == (
            "People who use wheelchairs")
        assert matrix.get_by_label("People walking or cycling").is_checked()
        matrix.get_by_label("The car company").check()
        page.wait_for_function("([el]) => el.value === 'Saves money'",
                               arg=[matrix.get_by_label("Money", exact=True).element_handle()],
                               timeout=20_000)

        # On a phone-sized screen the matrix still fits: no sideways scroll, no label cut.
        # (A phone user closes the file browser first: click its open tab to fold it away.)
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_function("el => el.getBoundingClientRect().width > 250",
                               arg=matrix.element_handle(), timeout=20_000)
        matrix.scroll_into_view_if_needed()
        assert matrix.evaluate(NO_SIDEWAYS_SCROLL) == []
        assert matrix.evaluate(LABELS_CUT) == []
        assert matrix.evaluate(OVERLAPS) == []
        page.screenshot(path=str(week3_lab.root.parent / "matrix-390.png"), full_page=False)


def test_every_slider_handle_has_its_sliders_name_in_jupyterlab(week5_lab: Lab) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        block_outside(page)
        page.goto(f"{week5_lab.url}/lab/tree/05-we-are-ai.ipynb?token={week5_lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        wait_idle(page)
        menu(page, "Run", "Run All Cells")
        handle = page.locator(".widget-slider [role=slider]").first
        handle.wait_for(state="attached", timeout=90_000)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.widget-slider [role=slider]')]"
            ".every(h => h.getAttribute('aria-label'))", timeout=20_000)
        names = page.locator(".widget-slider").evaluate_all(
            "sliders => sliders.map(s => [s.querySelector('.widget-label').textContent.trim(),"
            " s.querySelector('[role=slider]').getAttribute('aria-label')])")
        assert names and all(label and label == name for label, name in names), names
        assert page.get_by_role("slider", name="Threshold").count() == 1
