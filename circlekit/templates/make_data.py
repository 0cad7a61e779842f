"""Make the course's example data. The seed is fixed, so the file comes out the same every time.

Run it from the course folder: python data/make_data.py
"""

import csv
import random
from pathlib import Path

SEED = 2026


def main() -> None:
    rng = random.Random(SEED)
    out = Path(__file__).with_name("example.csv")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "score"])
        for i in range(10):
            writer.writerow([f"Person {i + 1} (invented)", rng.randint(1, 10)])


if __name__ == "__main__":
    main()
