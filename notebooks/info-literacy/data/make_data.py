"""Make the course data for Information literacy in the age of AI.

    python data/make_data.py        (from notebooks/info-literacy/)

Every run writes the same files (fixed seeds, sorted keys). Every person, company, brand,
town and website here is invented; any likeness to a real one is by chance.
See DATASHEET.md for what each file holds and how it was made.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_text(name: str, text: str) -> None:
    """Write through a temporary file, then rename, so a failed run leaves the old file whole."""
    path = HERE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def write_json(name: str, value: object) -> None:
    write_text(name, json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def write_csv(name: str, header: list[str], rows: list[list[object]]) -> None:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(header)
    out.writerows(rows)
    write_text(name, buf.getvalue())


# -----------------------------------------------------------------------------------------
# Week 1: posts for the feed simulator (the invented town of Maple Falls)
# -----------------------------------------------------------------------------------------

# (author, text, kind). kind "heated" posts use words meant to make people angry.
POSTS = [
    ("Maple Falls Library", "The library is open until 8 pm on Thursdays this month.", "calm"),
    ("Dana R.", "Our tomatoes finally turned red. Four months of waiting!", "calm"),
    ("Bus Watch MF", "Route 4 runs ten minutes late today because of road work on Elm St.", "calm"),
    ("Town Hall MF", "The council meets Tuesday at 6 pm. Anyone can come and speak.", "calm"),
    ("Sam K.", "SHOCKING: they are DESTROYING the old park and nobody asked us! Disgusting.",
     "heated"),
    ("Local Talk 24", "Outrageous! Parking fees are a scandal and a total betrayal of drivers.",
     "heated"),
    ("Priya N.", "Free flu shots at the community center on Saturday, 9 to noon.", "calm"),
    ("Maple Falls Zoo Fans", "The new baby goat has a name: Pickle.", "calm"),
    ("Real Truth MF", "They are LYING to you about the water. Furious does not begin to say it.",
     "heated"),
    ("Chris O.", "Lost: a gray cat near Oak Road. Answers to Biscuit.", "calm"),
    ("Maple Falls Schools", "School starts at 8:15 next week. The buses keep their times.",
     "calm"),
    ("Angry in MF", "Unbelievable. The mayor's new plan is insane and will ruin every family.",
     "heated"),
    ("Farm Stand Fran", "Corn is in. Six ears for three dollars at the Saturday market.", "calm"),
    ("Weather Desk MF", "Rain likely after 3 pm. Bring an umbrella.", "calm"),
    ("Neighbors Speak", "What a DISGRACE. The new shop is a scandal and everyone is furious.",
     "heated"),
    ("Lee M.", "Thank you to whoever returned my wallet at the pool. Kindness lives here.",
     "calm"),
    ("Maple Falls Library", "Tech help drop-in: bring your phone questions, Mondays at 2 pm.",
     "calm"),
    ("Jo P.", "Insane! Shocking lies about the school budget. They are destroying our kids.",
     "heated"),
    ("Parks Dept MF", "The pool closes for cleaning on Friday and opens again on Saturday.",
     "calm"),
    ("Real Truth MF", "The hospital is hiding a SCANDAL. Outrageous and disgusting.", "heated"),
    ("Ana G.", "Choir practice moved to the church hall this week.", "calm"),
    ("Maple Falls Fire", "Test your smoke alarm this weekend. It takes one minute.", "calm"),
    ("Local Talk 24", "Betrayal! The bridge vote was a disgrace. People are furious.", "heated"),
    ("Tom B.", "Does anyone know a good place to fix a bike chain?", "calm"),
    ("Bus Watch MF", "New bus stop on Pine Ave opens Monday.", "calm"),
    ("Angry in MF", "Unbelievable lies from the water board. Ruined. Shocking.", "heated"),
    ("Green Thumb Club", "Seed swap at the library, second Saturday of the month.", "calm"),
    ("Maple Falls Food Bank", "We need canned beans and rice. Drop off at the blue door.", "calm"),
    ("Neighbors Speak", "Outrageous new rules will DESTROY small shops. A total scandal.",
     "heated"),
    ("Kim T.", "Our book club is reading a mystery this month. New faces welcome.", "calm"),
    ("Town Hall MF", "Leaf pickup starts November 3. Leave bags by the curb.", "calm"),
    ("Jo P.", "Disgusting. They lied about the new road. I am furious and so are you.", "heated"),
    ("Weather Desk MF", "Clear skies tonight. A good night to see the stars.", "calm"),
    ("Maple Falls Schools", "The school play is Friday at 7 pm in the gym. Free entry.", "calm"),
    ("Sam K.", "Shocking betrayal at the zoo. Insane. Share before they delete this!",
     "heated"),
    ("Rita V.", "Happy 90th birthday to my neighbor Walt!", "calm"),
    ("Parks Dept MF", "Trail repairs on the river path are done. Enjoy the walk.", "calm"),
    ("Health Dept MF", "Tap water tests for October are posted at town hall. All normal.",
     "calm"),
    ("Local Talk 24", "Furious parents say the library is a disgrace. Unbelievable scandal.",
     "heated"),
    ("Dana R.", "Anyone want spare zucchini? I have far too many.", "calm"),
]


def make_posts(rng: random.Random) -> None:
    rows = []
    for i, (author, text, kind) in enumerate(POSTS, start=1):
        minutes_ago = rng.randint(2, 600)
        # Heated posts get shared more: that is the pattern the activity lets people see.
        shares = rng.randint(60, 400) if kind == "heated" else rng.randint(0, 80)
        rows.append([f"p{i:02d}", author, text, minutes_ago, shares, kind])
    write_csv("posts.csv", ["id", "author", "text", "minutes_ago", "shares", "kind"], rows)


def main() -> None:
    make_posts(random.Random(1))


if __name__ == "__main__":
    main()
