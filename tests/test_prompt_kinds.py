"""The prompt classes and the answer kinds they save are written once (record.PROMPT_CLASSES);
every prompt widget the kit exports saves exactly the kind that table gives it."""

from __future__ import annotations

import inspect

import widgets
from circlekit.answers.record import KINDS, PROMPT_CLASSES
from circlekit.notebooks import PROMPT_KINDS, _prompt_kind_of
from widgets.base import Prompt
from widgets.goal import GoalCheck


def test_every_exported_prompt_widget_is_in_the_table_with_its_kind():
    exported = {name: obj for name, obj in vars(widgets).items()
                if inspect.isclass(obj) and issubclass(obj, Prompt)}
    assert set(exported) == set(PROMPT_CLASSES)
    for name, cls in exported.items():
        assert cls.kind == PROMPT_CLASSES[name][0], name
    assert GoalCheck.kind in PROMPT_CLASSES["Goal"]


def test_check_and_the_service_read_the_same_table():
    assert PROMPT_KINDS == tuple(PROMPT_CLASSES)
    assert sorted(KINDS) == sorted({k for kinds in PROMPT_CLASSES.values() for k in kinds})
    for name, kinds in PROMPT_CLASSES.items():
        for kind in kinds:
            assert _prompt_kind_of(kind) == name
