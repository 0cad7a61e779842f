"""What an author does after `new-course` or `import ciab`: fill in every AUTHOR placeholder."""

from __future__ import annotations

from pathlib import Path

# Longest first, so "**AUTHOR:** " goes before "AUTHOR: " and a bare "AUTHOR".
FILLS = (("**AUTHOR:** ", ""), ("AUTHOR: ", ""), ("AUTHOR:", ""), ("AUTHOR", "the author"))
SUFFIXES = (".yml", ".md", ".ipynb")


def fill_placeholders(root: Path, slug: str) -> list[str]:
    """Replace the placeholders in one course's files (both sides of the same objective alike)."""
    changed = []
    for top in ("notebooks", "facilitator"):
        for path in sorted((Path(root) / top / slug).rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            new = text
            for old, fill in FILLS:
                new = new.replace(old, fill)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(path.relative_to(root).as_posix())
    return changed
