"""Every CIRCLEKIT_* setting is read in one place (circlekit.settings), with its default and a
line of documentation; the code is read with `ast`, so a new reader elsewhere is caught."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from circlekit import settings
from circlekit.errors import SettingError

REPO = Path(__file__).resolve().parent.parent


def _env_reads(path: Path) -> list[tuple[int, str]]:
    """CIRCLEKIT_* names read from os.environ (get, [], getenv) in one file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        name = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("get", "getenv") and node.args:
            target = node.func.value
            is_env = (isinstance(target, ast.Attribute) and target.attr == "environ") or (
                isinstance(target, ast.Name) and target.id == "os")
            if is_env and isinstance(node.args[0], ast.Constant):
                name = node.args[0].value
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "environ" and isinstance(node.ctx, ast.Load) \
                and isinstance(node.slice, ast.Constant):
            name = node.slice.value
        if isinstance(name, str) and name.startswith("CIRCLEKIT_"):
            found.append((node.lineno, name))
    return found


def test_no_setting_is_read_outside_the_settings_module() -> None:
    files = [*(REPO / "circlekit").rglob("*.py"), *(REPO / "widgets").rglob("*.py"),
             REPO / "hub" / "jupyterhub_config.py"]
    readers = {f"{p.relative_to(REPO)}:{line} {name}" for p in files
               if p.name != "settings.py" for line, name in _env_reads(p)}
    assert readers == set()


def test_every_setting_has_a_default_and_a_line_of_documentation(monkeypatch) -> None:
    assert len(settings.SETTINGS) >= 23
    for setting in settings.SETTINGS.values():
        assert setting.doc and setting.name.startswith("CIRCLEKIT_")
    monkeypatch.delenv("CIRCLEKIT_HUB_PORT", raising=False)
    assert settings.get_int("CIRCLEKIT_HUB_PORT") == 8000
    monkeypatch.setenv("CIRCLEKIT_HUB_PORT", "eighty")
    with pytest.raises(SettingError, match="CIRCLEKIT_HUB_PORT must be a whole number"):
        settings.get_int("CIRCLEKIT_HUB_PORT")
    with pytest.raises(SettingError, match="not a circlekit setting"):
        settings.get("CIRCLEKIT_NO_SUCH_THING")
    assert "CIRCLEKIT_SAVES_BURST=" in settings.describe()
