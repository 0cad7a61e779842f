"""Prompts the service must know before anyone runs a notebook: those in the facilitator guides
(meeting reflections, the end survey) and those a course defines in its own helper code (We Are
AI's matrix notes). Before, both were refused on a hub as "unknown prompt id"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from circlekit.errors import BadAnswer
from circlekit.notebooks import course_prompt_classes, widget_uses
from circlekit.service.validate import PromptRegistry

REPO = Path(__file__).resolve().parent.parent


def notebook(*codes: str) -> dict:
    return {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
                       "execution_count": None} for c in codes],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_the_kit_s_guides_and_course_widgets_are_known_to_the_service():
    registry = PromptRegistry.from_kit(REPO)
    registry.check("we-are-ai", "wai-1-meeting", "meeting-reflection")
    registry.check("we-are-ai", "wai-facilitator-survey", "facilitator-survey")
    registry.check("we-are-ai", "wai-3-matrix-notes", "discussion")
    registry.check("info-literacy", "il-6-meeting", "meeting-reflection")
    with pytest.raises(BadAnswer, match="unknown prompt id"):
        registry.check("we-are-ai", "wai-3-no-such-prompt", "discussion")


def test_a_course_prompt_class_is_found_with_ast(tmp_path):
    lab = tmp_path / "notebooks" / "demo" / "lab"
    lab.mkdir(parents=True)
    (lab / "__init__.py").write_text("from .notes import Notes, Ballot\n")
    (lab / "notes.py").write_text(
        "from widgets.base import Prompt\nfrom widgets import Poll\n\n"
        "class Notes(Prompt):\n    kind = 'discussion'\n\n"
        "class Ballot(Poll):\n    pass\n\n"
        "class Helper:\n    kind = 'discussion'\n"
    )
    kinds = course_prompt_classes(lab.parent)
    assert kinds == {"Notes": "Discussion", "Ballot": "Poll"}
    nb = notebook("import lab\nlab.Notes('demo-1-notes')", "lab.Helper('not-a-prompt')",
                  "lab.Ballot(id='demo-1-vote')")
    assert [(u.kind, u.id) for u in widget_uses(nb, kinds)] == [
        ("Discussion", "demo-1-notes"), ("Poll", "demo-1-vote")]
    assert widget_uses(nb) == []  # without the course's classes, none of these is a prompt

    (lab.parent / "course.yml").write_text("title: Demo\n")
    (lab.parent / "01.ipynb").write_text(json.dumps(nb))
    PromptRegistry.from_kit(tmp_path).check("demo", "demo-1-notes", "discussion")
