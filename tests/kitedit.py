"""Small edits to a copy of the fixture kit, as an author (or a test of bad input) makes them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def set_cell(root: Path, rel: str, number: int, source: str) -> None:
    """Replace the source of cell `number` (1-based, as people count) of a notebook."""
    path = Path(root) / rel
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][number - 1]["source"] = source
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def set_config(root: Path, section: str, key: str, value: object) -> None:
    """Change one setting of the kit's _config.yml."""
    path = Path(root) / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.setdefault(section, {})[key] = value
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
