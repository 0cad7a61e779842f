"""Reading grade of the We Are AI notebooks' prose.

Prints, for every learner notebook and facilitator guide of the course, the Flesch-Kincaid grade
of its Markdown prose (code, links, HTML and Markdown marks stripped), then the course averages.
P2PU asks for plain language at about grade 8 to 10; the course aims for 9 or lower on average.

    .venv/bin/python benchmarks/readability.py [course-slug]

textstat 0.7.4 is used on purpose: it counts syllables with pyphen and works offline (later
versions download a dictionary the first time they are used).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 9.0

_FENCE = re.compile(r"```.*?```", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"`[^`]*`")
_MARKS = re.compile(r"[*_~]+")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s+)?")
_HEADING = re.compile(r"^\s*#+\s*")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")


def _sentence(unit: str) -> str:
    """One unit of text (paragraph, list item, heading, table row) as a full sentence."""
    unit = re.sub(r"\s+", " ", unit).strip()
    if not unit:
        return ""
    if unit[-1] in ":;,":
        unit = unit[:-1]
    if unit[-1] not in ".!?\"'”)":
        unit += "."
    return unit


def prose_of_markdown(text: str) -> str:
    """The readable prose of one Markdown cell: what a person reads, as plain sentences."""
    text = _FENCE.sub(" ", text)
    units: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            units.append(_sentence(" ".join(current)))
            current.clear()

    for raw in text.splitlines():
        line = _QUOTE.sub("", raw)
        if not line.strip():
            flush()
            continue
        if _TABLE_RULE.match(line):
            continue
        if line.strip().startswith("|"):
            flush()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            units.append(_sentence(", ".join(c for c in cells if c)))
            continue
        if _HEADING.match(line) or _ITEM.match(line):
            flush()
            line = _ITEM.sub("", _HEADING.sub("", line))
        current.append(line.strip())
    flush()
    out = " ".join(u for u in units if u)
    for pattern, repl in (
        (_IMAGE, r"\1"), (_LINK, r"\1"), (_URL, ""), (_TAG, ""), (_CODE, ""), (_MARKS, "")
    ):
        out = pattern.sub(repl, out)
    out = re.sub(r"\s+([.,!?])", r"\1", out)
    out = re.sub(r"(?<=[.!?])\s*\.", "", out)  # a sentence emptied by stripping
    return re.sub(r"\s+", " ", out).strip()


def notebook_prose(path: Path) -> str:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            src = cell["source"]
            parts.append(prose_of_markdown("".join(src) if isinstance(src, list) else src))
    return " ".join(p for p in parts if p)


def grade(text: str) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def consensus(text: str) -> float:
    """textstat's consensus of several grade formulas, as a second opinion."""
    import textstat

    return float(textstat.text_standard(text, float_output=True))


def course_grades(slug: str = "we-are-ai", root: Path = ROOT) -> dict[str, dict[str, float]]:
    """{'learner': {notebook: grade}, 'guide': {notebook: grade}} for one course."""
    import yaml

    course = yaml.safe_load((root / "notebooks" / slug / "course.yml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, float]] = {"learner": {}, "guide": {}}
    for week in course["weeks"]:
        learner = root / "notebooks" / slug / week["notebook"]
        guide = root / "facilitator" / slug / week["guide"]
        out["learner"][learner.relative_to(root).as_posix()] = grade(notebook_prose(learner))
        if guide.is_file():
            out["guide"][guide.relative_to(root).as_posix()] = grade(notebook_prose(guide))
    return out


def average(grades: dict[str, float]) -> float:
    return sum(grades.values()) / len(grades) if grades else float("nan")


def main(argv: list[str]) -> int:
    slug = argv[0] if argv else "we-are-ai"
    grades = course_grades(slug)
    print(f"Reading grade, course {slug} (Flesch-Kincaid; target: average <= {TARGET:g})")
    print("     FK  consensus  words  notebook")
    for kind in ("learner", "guide"):
        for name, g in grades[kind].items():
            text = notebook_prose(ROOT / name)
            print(f"  {g:5.1f}  {consensus(text):9.1f}  {len(text.split()):5d}  {name}")
        avg = average(grades[kind])
        print(f"  {avg:5.1f}  average of the {kind} notebooks ({avg / TARGET:.2f} of the target)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
