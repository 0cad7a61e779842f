"""The We Are AI datasheet's figures are the data's figures.

Each count the datasheet states is worked out here from the shipped CSV file, written the way
the datasheet writes it ("49 of the 400 households (12%)"), and looked for in that file's
section. A datasheet that says "about 15%" while the file holds 12% fails.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "notebooks" / "we-are-ai" / "data"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def section(name: str) -> str:
    """The datasheet's section about one file, its lines joined into one line of words."""
    text = (DATA / "DATASHEET.md").read_text(encoding="utf-8")
    parts = text.split("\n## ")
    found = [p for p in parts if p.startswith(f"data/{name}\n")]
    assert len(found) == 1, f"DATASHEET.md needs one section '## data/{name}'"
    return " ".join(found[0].split())


def share(part: int, whole: int, what: str) -> str:
    return f"{part} of the {whole} {what} ({round(100 * part / whole)}%)"


def test_risk_scores_figures() -> None:
    data = rows("risk_scores.csv")
    text = section("risk_scores.csv")
    needed = [r for r in data if r["needed_help"] == "yes"]
    assert share(len(needed), len(data), "households") in text
    for group in ("used public services", "used private services"):
        members = [r for r in data if r["group"] == group]
        helped = sum(r["needed_help"] == "yes" for r in members)
        assert share(helped, len(members), f"that {group}") in text, group


def test_hiring_figures() -> None:
    data = rows("hiring.csv")
    text = section("hiring.csv")
    group_b = [r for r in data if r["group"] == "B"]
    group_a = [r for r in data if r["group"] == "A"]
    assert share(len(group_b), len(data), "applicants") in text
    b_river = sum(r["neighbourhood"] == "Riverside" for r in group_b)
    a_river = sum(r["neighbourhood"] == "Riverside" for r in group_a)
    assert share(b_river, len(group_b), "Group B applicants") in text
    assert share(a_river, len(group_a), "Group A applicants") in text


def test_transactions_figures() -> None:
    data = rows("transactions.csv")
    fraud = sum(r["fraud"] == "yes" for r in data)
    assert share(fraud, len(data), "purchases") in section("transactions.csv")


@pytest.mark.parametrize("name", ["recipes.csv", "light_training.csv", "light_new.csv"])
def test_small_files_have_the_row_counts_the_datasheet_says(name: str) -> None:
    words = {6: "six", 12: "twelve", 4: "four"}
    assert words[len(rows(name))] in section(name).lower()
