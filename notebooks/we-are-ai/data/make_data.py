"""Make the invented data for the We Are AI course. The seed is fixed, so every file comes out
byte for byte the same each time.

Run it from the course folder:  python data/make_data.py

Every person, household, shop and company in these files is invented. DATASHEET.md, beside this
script, says what each file is, how it is made, what it is for and what it cannot tell you.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

SEED = 2021  # the year the first We Are AI circles met
HERE = Path(__file__).resolve().parent


def _write(name: str, header: list[str], rows: list[list[object]]) -> None:
    """Write a CSV next to this script, through a temporary file so a crash leaves no half file."""
    out = HERE / name
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(out)


# --- Week 1: six soup recipes (written by hand, no randomness) -----------------------------
# taste, healthy and local are 1-5 ratings from an invented tasting panel.
RECIPES = [
    # name, taste, cost per bowl ($), minutes, healthy, local
    ["Grandma's chicken noodle soup", 4, 2.40, 70, 4, 3],
    ["Instant noodle cup", 2, 0.60, 5, 1, 1],
    ["Pho: slow beef bone broth with herbs", 5, 4.80, 240, 5, 5],
    ["Red lentil dal soup", 3, 1.10, 40, 5, 4],
    ["Tortilla soup with corn and cheese", 5, 3.20, 45, 2, 2],
    ["Miso soup from a packet", 3, 0.90, 10, 2, 1],
]


def make_recipes() -> None:
    header = ["recipe", "taste", "cost_per_bowl", "minutes", "healthy", "local"]
    _write("recipes.csv", header, [[r[0], r[1], f"{r[2]:.2f}", r[3], r[4], r[5]] for r in RECIPES])


# --- Week 2, part A: a smart light (written by hand) --------------------------------------
# dark: the light sensor says it is dark. movement: the motion sensor sees something move.
# night: the clock says it is between 11 pm and 6 am. light: the starting label (on/off),
# which learners are free to change.
LIGHT_TRAINING = [
    ["6 pm in winter. You walk into the kitchen.", "yes", "yes", "no", "on"],
    ["Noon. You make a sandwich.", "no", "yes", "no", "off"],
    ["9 pm. The room is empty.", "yes", "no", "no", "off"],
    ["11:30 pm. You get up for a glass of water.", "yes", "yes", "yes", "on"],
    ["3 pm. Nobody is home.", "no", "no", "no", "off"],
    ["Midnight. Everyone is asleep. Nothing moves.", "yes", "no", "yes", "off"],
    ["8 am in summer. You eat breakfast.", "no", "yes", "no", "off"],
    ["7 pm. You come home with the shopping.", "yes", "yes", "no", "on"],
    ["2 am. The room is empty.", "yes", "no", "yes", "off"],
    ["10 pm. You fold the laundry.", "yes", "yes", "no", "on"],
    ["5 am in June. The sun is up. You make coffee.", "no", "yes", "yes", "off"],
    ["11 am. The room is empty.", "no", "no", "no", "off"],
]

# New cases the light never saw. "wanted" is what the people in the story would want.
LIGHT_NEW = [
    ["9 pm. You sit very still, reading in an armchair.", "yes", "no", "no", "on"],
    ["1 am. The cat walks across the room.", "yes", "yes", "yes", "off"],
    ["6:30 pm in winter. A friend comes in.", "yes", "yes", "no", "on"],
    ["Noon. Someone naps on the sofa.", "no", "no", "no", "off"],
]


def make_light() -> None:
    _write(
        "light_training.csv", ["situation", "dark", "movement", "night", "light"], LIGHT_TRAINING
    )
    _write("light_new.csv", ["situation", "dark", "movement", "night", "wanted"], LIGHT_NEW)


# --- Week 2, part B: card purchases, some of them fraud ------------------------------------
FRAUD_GROUPS = [("stays local", 120), ("travels often", 90), ("works nights", 90)]


def _honest_purchase(rng: random.Random, group: str) -> tuple[float, int, int]:
    amount = math.exp(rng.gauss(math.log(40), 0.7))
    km = abs(rng.gauss(0, 8))
    hour = rng.randint(8, 21)
    if group == "travels often":
        amount = math.exp(rng.gauss(math.log(70), 0.8))
        if rng.random() < 0.55:  # more than half of their purchases are far from home
            km = rng.uniform(150, 3000)
        hour = rng.randint(6, 23)
    elif group == "works nights" and rng.random() < 0.6:
        hour = rng.choice([22, 23, 0, 1, 2, 3, 4, 5])
    return amount, km, hour


def _fraud_purchase(rng: random.Random) -> tuple[float, int, int]:
    # Thieves often buy big things far away, but not always: some test the card with a
    # small purchase first, and some use stolen card numbers close by.
    amount = math.exp(rng.gauss(math.log(350), 0.9)) if rng.random() < 0.75 else rng.uniform(1, 30)
    km = rng.uniform(100, 5000) if rng.random() < 0.65 else abs(rng.gauss(0, 15))
    hour = rng.choice([0, 1, 2, 3, 4]) if rng.random() < 0.4 else rng.randint(7, 23)
    return amount, km, hour


def make_transactions(rng: random.Random) -> None:
    rows = []
    n = 0
    for group, size in FRAUD_GROUPS:
        for _ in range(size):
            n += 1
            fraud = rng.random() < 0.1
            amount, km, hour = _fraud_purchase(rng) if fraud else _honest_purchase(rng, group)
            amount = min(amount, 4000)
            rows.append(
                [f"T{n:03d}", group, f"{amount:.2f}", round(km), hour, "yes" if fraud else "no"]
            )
    _write(
        "transactions.csv",
        ["purchase", "customer_group", "amount", "km_from_home", "hour", "fraud"],
        rows,
    )


# --- Week 4: ten years of hiring at Shelfwise Market (an invented company) -----------------
# The skills of both groups are drawn from the SAME distributions. The past decisions are not:
# at the same experience and test score, a Group B applicant was much less likely to be hired.
# That unfairness is the point of the week; learners find it before the notebook reveals it.
HIRING_BIAS = 1.8  # how much the old decisions held Group B back, on the log-odds scale
NEIGHBOURHOODS = {
    # where each group mostly lives (the proxy): probabilities for Northside, Hilltop, Riverside
    "A": (0.45, 0.40, 0.15),
    "B": (0.08, 0.12, 0.80),
}


def make_hiring(rng: random.Random) -> None:
    rows = []
    for i in range(600):
        group = "B" if rng.random() < 0.4 else "A"
        place = rng.choices(["Northside", "Hilltop", "Riverside"], weights=NEIGHBOURHOODS[group])[0]
        years = rng.randint(0, 10)
        test = round(min(100, max(35, rng.gauss(70, 12))))
        year = 2014 + i * 10 // 600
        logit = (
            -0.2 + 0.30 * (years - 5) + 0.09 * (test - 70) - (HIRING_BIAS if group == "B" else 0)
        )
        hired = rng.random() < 1 / (1 + math.exp(-logit))
        rows.append([f"S{i + 1:03d}", year, group, place, years, test, "yes" if hired else "no"])
    _write(
        "hiring.csv",
        ["applicant", "year", "group", "neighbourhood", "years_experience", "test_score", "hired"],
        rows,
    )


# --- Week 5: a risk score for 400 invented households --------------------------------------
# Both groups need help equally often. The score counts records, and families who used public
# services have more records about them, so their scores run higher for the same need.
def make_risk(rng: random.Random) -> None:
    rows = []
    for i in range(400):
        group = "used public services" if rng.random() < 0.5 else "used private services"
        needed = rng.random() < 0.15
        signal = rng.gauss(7.0 if needed else 3.5, 1.6)
        records = rng.gauss(2.2, 1.0) if group == "used public services" else rng.gauss(0.3, 0.6)
        score = min(20, max(0, round(signal + records)))
        rows.append([f"H{i + 1:03d}", group, score, "yes" if needed else "no"])
    _write("risk_scores.csv", ["household", "group", "score", "needed_help"], rows)


def main() -> None:
    rng = random.Random(SEED)
    make_recipes()
    make_light()
    make_transactions(rng)
    make_hiring(rng)
    make_risk(rng)


if __name__ == "__main__":
    main()
