"""Papermill fills a guide's `parameters` cell, and what it fills in reaches what the guide shows.

`circlekit plan` relies on this for every circle's dated pack; here it is tried on the fixture
kit's guide and on the first guide of every course in the kit.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_GUIDE = REPO / "tests/fixtures/kit/facilitator/mini/01-counting.ipynb"
# What every guide declares, so one set of values fits all of them (CONTRIBUTING.md).
PARAMETERS = {"circle_name", "facilitator", "place", "first_meeting", "weekday", "time",
              "group_size"}
GUIDES = sorted(p for p in REPO.glob("facilitator/*/*.ipynb"))
FIRST_GUIDES = sorted({p.parent: p for p in reversed(GUIDES)}.values())


def shown(nb) -> str:
    """Everything the executed notebook shows: printed text and HTML/Markdown outputs."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for kind in ("text/plain", "text/html", "text/markdown"):
                parts.append(str(out.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def run(path: Path, out: Path, **parameters) -> nbformat.NotebookNode:
    papermill.execute_notebook(
        str(path), str(out), parameters=parameters, cwd=str(path.parent),
        progress_bar=False, kernel_name="python3",
    )
    return nbformat.read(out, as_version=4)


def test_papermill_values_reach_the_fixture_guide(tmp_path):
    nb = run(FIXTURE_GUIDE, tmp_path / "out.ipynb", circle_name="Zebra circle",
             first_meeting="2027-03-02", group_size=11)
    assert "Zebra circle 2027-03-02 11" in shown(nb)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_guide_declares_the_circle_parameters(guide):
    declared = set(papermill.inspect_notebook(str(guide)))
    assert PARAMETERS <= declared, f"{guide.name} lacks {sorted(PARAMETERS - declared)}"


@pytest.mark.parametrize("guide", FIRST_GUIDES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_circles_values_reach_each_course_guide(guide, tmp_path):
    nb = run(guide, tmp_path / guide.name, circle_name="Zebra circle", facilitator="Quinn Example",
             place="Room Z9", first_meeting="2027-03-04", weekday="Thursday", time="19:15",
             group_size=11)
    text = shown(nb)
    for value in ("Zebra circle", "Quinn Example", "Room Z9", "19:15", "2027"):
        assert value in text, f"{guide.name} does not show {value!r}"
