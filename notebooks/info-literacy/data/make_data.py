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


# -----------------------------------------------------------------------------------------
# Week 2: the mini-web sandbox. Every site ends in .example, a name kept for examples.
# -----------------------------------------------------------------------------------------

QUESTION = "Is the tap water in Maple Falls safe to drink?"
TRUST, CARE, NO = "Trust it for this question", "Use with care", "Do not rely on it"

SITES = [
    dict(id="water-dept", name="Maple Falls Water Department", domain="water.maplefalls.example",
         snippet="Monthly tap water test results for Maple Falls, with the lab reports.",
         about="We run the town's water system. We test the water every month and post every "
               "result, good or bad.",
         others=["The state health office lists it as the town's water supplier.",
                 "The Maple Falls Gazette quotes its test results and checks them with the "
                 "state."],
         funded="Paid for by water bills and the town budget.",
         key=TRUST,
         why="The official source for test results, checked by the state and the local paper."),
    dict(id="clear-water-truth", name="Clear Water Truth", domain="clearwatertruth.example",
         snippet="What THEY won't tell you about Maple Falls water. Protect your family now.",
         about="We are worried parents and neighbors who want the truth about our water.",
         others=["A news report found the site is run by the marketing team of PureFlow "
                 "Filters, a company that sells home water filters.",
                 "Each page links to a shop that sells PureFlow filters."],
         funded="Paid for by PureFlow Filters (not said on the site).",
         key=NO,
         why="It hides who runs it, and the people behind it sell filters."),
    dict(id="gazette", name="Maple Falls Gazette", domain="mfgazette.example",
         snippet="Water tests normal again, town says; state inspectors agree.",
         about="The town's newspaper since 1921. Read our corrections policy.",
         others=["A state press group gave it a prize for local reporting.",
                 "It prints corrections when it gets something wrong."],
         funded="Paid for by readers and ads, which are marked as ads.",
         key=TRUST,
         why="A local paper with editors, a corrections policy and a good record."),
    dict(id="healthy-home", name="Healthy Home Tips", domain="healthyhometips.example",
         snippet="5 reasons to never drink tap water again. (Sponsored)",
         about="Tips for a healthier home, every day.",
         others=["The article is marked 'Sponsored by PureFlow Filters' in small gray print.",
                 "The site sells ad space that looks like its own articles."],
         funded="This article was paid for by PureFlow Filters.",
         key=NO,
         why="It is an ad dressed up as an article."),
    dict(id="river-lab", name="Riverside University Water Lab", domain="waterlab.riverside.example",
         snippet="Study of lead in small-town water pipes in our state, 2020 to 2024.",
         about="A research lab at Riverside University. We study drinking water.",
         others=["Other researchers cite its studies.",
                 "The state health office used its data in a report."],
         funded="Paid for by the university and research grants, listed on each study.",
         key=TRUST,
         why="Experts whose work is checked and used by others. Its study is about the whole "
             "state, so read what it says about Maple Falls."),
    dict(id="neighbors-forum", name="MF Neighbors Forum", domain="mfneighbors.example",
         snippet="Anyone else think the water tastes funny this week?",
         about="A place for Maple Falls neighbors to talk. Anyone can post.",
         others=["Posts are not checked. Some are helpful tips, some are rumors."],
         funded="Run by a volunteer.",
         key=CARE,
         why="Good for hearing what neighbors notice, not for facts about safety."),
    dict(id="water-freedom", name="National Water Freedom Institute",
         domain="waterfreedom.example",
         snippet="Experts warn: town water across the nation is failing.",
         about="An independent institute of experts working for the public good.",
         others=["A watchdog group lists it as a lobby group.",
                 "It is paid for by Summit Spring, a bottled water company."],
         funded="Paid for by Summit Spring bottled water (found on other sites).",
         key=NO,
         why="Its name sounds official, but it is a lobby group paid by a company that gains "
             "when people fear tap water."),
]


def make_sites() -> None:
    write_json("sites.json", {"question": QUESTION, "verdicts": [TRUST, CARE, NO],
                              "sites": SITES})


# -----------------------------------------------------------------------------------------
# Week 3: a repost chain and a picture archive
# -----------------------------------------------------------------------------------------

# From the original (hop 0) to the viral post. `changed` marks the hop where the meaning moved.
CHAIN = [
    dict(who="Rosa Ibarra, library director (invented), at the town council meeting",
         when="2025-03-04", where="Town council minutes, page 3",
         text="We will keep the Elm Street branch open on Saturdays while we look for new "
              "funding."),
    dict(who="Maple Falls Gazette (invented)", when="2025-03-05", where="mfgazette.example",
         text="Library director Rosa Ibarra said the Elm Street branch will stay open on "
              "Saturdays while the town looks for new funding."),
    dict(who="Maple Falls Matters blog (invented)", when="2025-03-07",
         where="mfmatters.example",
         text="The Elm Street branch needs new funding to stay open on Saturdays, the library "
              "director said."),
    dict(who="A post by @MFtalker (invented)", when="2025-03-08", where="a social media app",
         text="The Elm Street branch is closing on Saturdays, the library director said.",
         changed=True),
    dict(who="A picture post shared 2,300 times (invented)", when="2025-03-09",
         where="a social media app",
         text="They are closing our library! The director admits it. Share before it is too "
              "late!"),
]

ARCHIVE = [
    # (file, date, caption) of the originals, as first published (all invented).
    ("harbor.png", "2019-06-14", "Boats in the harbor at sunset, on the town's summer festival."),
    ("flood.png", "2016-04-02",
     "A street under water after spring rain in a town two states away."),
    ("crowd.png", "2021-09-18", "People at the opening of the new river path."),
    ("field.png", "2018-08-05", "A field of sunflowers on a farm outside town."),
    ("smoke.png", "2020-11-27", "Steam from the power plant on a cold morning. It is not smoke."),
]
VIRAL = [
    # (file, made from, how, the caption it was shared with)
    ("viral-1.png", "flood.png", "crop", "Maple Falls main street flooded TODAY. Stay home!"),
    ("viral-2.png", "field.png", "mirror", "Sunflowers at the new city park, opened this week."),
    ("viral-3.png", "crowd.png", "recaption", "Huge protest downtown last night."),
    ("viral-4.png", "harbor.png", "crop", "The harbor this morning after the storm."),
    ("viral-5.png", None, "new", "A new mural on the library wall."),
]
SIZE = (240, 160)


def _scene(rng: random.Random, sky: tuple[int, int, int], ground: tuple[int, int, int]):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(img)
    horizon = rng.randint(60, 110)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=ground)
    for _ in range(rng.randint(4, 9)):
        x, y = rng.randint(0, SIZE[0] - 30), rng.randint(10, SIZE[1] - 20)
        w, h = rng.randint(12, 70), rng.randint(12, 60)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle([x, y, x + w, y + h], fill=colour)
        else:
            draw.ellipse([x, y, x + w, y + h], fill=colour)
    return img


def make_pictures(rng: random.Random) -> None:
    from PIL import ImageDraw, ImageOps

    folder = HERE / "pictures"
    folder.mkdir(exist_ok=True)
    palettes = [((250, 170, 90), (30, 60, 120)), ((150, 160, 170), (90, 110, 130)),
                ((170, 210, 240), (70, 140, 70)), ((120, 190, 250), (200, 170, 40)),
                ((200, 205, 215), (60, 60, 70)), ((230, 120, 150), (120, 80, 160))]
    originals = {}
    for (name, _, _), (sky, ground) in zip(ARCHIVE, palettes, strict=False):
        originals[name] = _scene(rng, sky, ground)
        _save(originals[name], folder / name)
    unrelated = _scene(rng, *palettes[-1])
    for name, source, how, _ in VIRAL:
        if how == "new":
            img = unrelated
        elif how == "crop":
            w, h = SIZE
            img = originals[source].crop((w // 10, h // 10, w - w // 12, h - h // 12))
        elif how == "mirror":
            img = ImageOps.mirror(originals[source])
        else:  # recaption: a banner across the bottom, where the new caption was written
            img = originals[source].copy()
            draw = ImageDraw.Draw(img)
            draw.rectangle([0, SIZE[1] - 26, SIZE[0], SIZE[1]], fill=(20, 20, 20))
            for i in range(9):
                draw.rectangle([8 + i * 25, SIZE[1] - 17, 26 + i * 25, SIZE[1] - 9],
                               fill=(235, 235, 235))
        _save(img, folder / name)
    write_json("pictures.json", {
        "archive": [dict(file=f"pictures/{f}", date=d, caption=c) for f, d, c in ARCHIVE],
        "viral": [dict(file=f"pictures/{f}", source=None if s is None else f"pictures/{s}",
                       how=h, caption=c) for f, s, h, c in VIRAL],
        "chain": CHAIN,
    })


def _save(img, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    img.save(tmp, format="PNG", optimize=True)
    tmp.replace(path)


# -----------------------------------------------------------------------------------------
# Week 4: an inbox, look-alike addresses, and messages to train a tiny spam filter
# -----------------------------------------------------------------------------------------

OFFICIAL = {
    "Eastfield Bank": "eastfieldbank.example",
    "ParcelGo": "parcelgo.example",
    "SaveMore Market": "savemore.example",
    "Maple County": "maplecounty.example",
    "Maple Falls Library": "mfl.example",
}

# Each message: channel, sender, subject, body, link text, real link target, scam?, signs, cues.
# signs are the FTC's four: pretend, problem-or-prize, pressure, pay.
INBOX = [
    dict(channel="email",
         sender="Eastfield Bank <alerts@eastfieldbank.example.account-check.example>",
         subject="Your account is locked", body="We saw strange activity. Your account is "
         "locked. Log in within 24 hours to verify your password or it will be closed.",
         link_text="https://eastfieldbank.example/login",
         link="http://eastfieldbank.example.account-check.example/login", scam=True,
         signs=["pretend", "problem", "pressure"],
         cues="The sender and the link end in account-check.example, not eastfieldbank.example. "
              "The link text and its real target differ."),
    dict(channel="email", sender="Maple Falls Library <notices@mfl.example>",
         subject="Your hold is ready", body="The book you asked for is ready. Pick it up at the "
         "front desk within 7 days.", link_text="https://mfl.example/account",
         link="https://mfl.example/account", scam=False, signs=[],
         cues="The address is the library's own. It asks for nothing."),
    dict(channel="text", sender="+1 555 0142",
         subject="", body="ParcelGo: your package is held. Pay a $1.99 fee to release it.",
         link_text="http://parcelgo-delivery.example/fee",
         link="http://parcelgo-delivery.example/fee", scam=True,
         signs=["pretend", "problem", "pay"],
         cues="parcelgo-delivery.example is not parcelgo.example. Delivery firms do not text you "
              "to pay small fees."),
    dict(channel="email", sender="ParcelGo <updates@parcelgo.example>",
         subject="Delivered", body="Your package was left at the front door at 2:14 pm. No "
         "action is needed.", link_text="https://www.parcelgo.example/track",
         link="https://www.parcelgo.example/track", scam=False, signs=[],
         cues="The link goes to parcelgo.example and it asks for nothing."),
    dict(channel="email", sender="SaveMore Rewards <winner@savemore-rewards.example>",
         subject="Congratulations! You won a $500 gift card", body="You are our lucky winner. "
         "Claim your prize today. Just pay $4.95 for shipping. Offer ends at midnight!",
         link_text="Claim my prize", link="http://savemore-rewards.example/claim", scam=True,
         signs=["pretend", "prize", "pressure", "pay"],
         cues="A prize you did not enter for, a fee to get it, and a deadline."),
    dict(channel="text", sender="Maple Pharmacy",
         subject="", body="Your prescription is ready for pickup at the Oak Road store.",
         link_text="", link="", scam=False, signs=[],
         cues="It gives news and asks for nothing. If unsure, call the store on a number you "
              "know."),
    dict(channel="email", sender="Maple County Tax Office <tax-office@maplecounty-pay.example>",
         subject="FINAL NOTICE: back taxes", body="You owe back taxes. Pay today with gift cards "
         "or the police will come to your home.", link_text="Pay now",
         link="http://maplecounty-pay.example/now", scam=True,
         signs=["pretend", "problem", "pressure", "pay"],
         cues="No tax office takes gift cards or threatens arrest by email."),
    dict(channel="email", sender="Eastfield Bank <statements@eastfieldbank.example>",
         subject="Your monthly statement", body="Your statement is ready. Log in the usual "
         "way to see it. We will never ask for your password by email.",
         link_text="https://www.eastfieldbank.example/statements",
         link="https://www.eastfieldbank.example/statements", scam=False, signs=[],
         cues="The address and the link are the bank's own, and it asks for nothing."),
    dict(channel="email", sender="Computer Help Desk <help@pc-alert.example>",
         subject="Virus found on your computer", body="Your computer has a virus. Call our "
         "help desk now at 555-0199 to fix it before your files are lost.",
         link_text="", link="", scam=True, signs=["pretend", "problem", "pressure"],
         cues="Nobody can see a virus on your computer from outside and email you about it."),
    dict(channel="text", sender="+1 555 0178",
         subject="", body="Grandma it's me. I'm in trouble and my phone broke. Listen to my "
         "voice message. Please send money today and don't tell mom.",
         link_text="Voice message (0:21)", link="http://vm-listen.example/play", scam=True,
         signs=["pretend", "problem", "pressure", "pay"], new_style=True,
         cues="A new style of scam. The voice may sound real: AI can copy a voice from a short "
              "clip. Hang up and call your relative back on the number you know."),
]

OLD_SCAM_PARTS = (
    ["You won", "Congratulations, you are a winner of", "Claim your prize:", "Final notice:",
     "Your account is locked.", "Urgent: verify your password.", "You owe back taxes.",
     "Virus found on your computer!", "Security alert: your computer is at risk."],
    ["a free gift card", "a $1000 lottery prize", "a cash reward", "a free cruise",
     "a refund", "a new phone"],
    ["Click the link now.", "Pay the fee today.", "Act now or lose it.", "Pay with gift cards.",
     "Verify your account within 24 hours.", "Send your bank details to claim.",
     "Call our help desk now to fix it."],
)
HAM = [
    "Hi grandma, it's me. See you Sunday for lunch.", "Mom says dinner is at six.",
    "Listen to this, the kids sang at school today.", "Can you call me back when you are free?",
    "The book club meets on Thursday at the library.", "Your hold is ready at the front desk.",
    "Thanks for the soup, it was lovely.", "Don't forget the dentist at 10 tomorrow.",
    "I left a voice message about the party.", "Happy birthday! Love from all of us.",
    "The bus is late again, I will be there soon.", "Your prescription is ready for pickup.",
    "Your package was delivered to the front door.", "Choir practice moved to the church hall.",
    "Can you bring chairs to the picnic?", "Grandpa is feeling better today.",
    "Your monthly statement is ready. Log in the usual way.", "Are you coming to the game?",
    "I'm in the car, see you in ten minutes.", "The plumber comes on Monday morning.",
    "Please send me the photos from the trip.", "We miss you, call us this weekend.",
    "Your library card expires next month. Renew at the desk.", "Lunch tomorrow at noon?",
    "The school play is Friday. Tell mom.", "My phone broke, this is my new number. Tom",
    "Thank you for your help with the garden.", "Meeting moved to 3 pm.",
    "Don't tell Dad about the cake, it's a surprise!", "Your order is ready at the store.",
]


def make_inbox(rng: random.Random) -> None:
    scams = set()
    while len(scams) < 30:
        a, b, c = (rng.choice(part) for part in OLD_SCAM_PARTS)
        scams.add(f"{a} Get {b}. {c}")
    training = [dict(text=t, scam=True) for t in sorted(scams)]
    training += [dict(text=t, scam=False) for t in HAM]
    rng.shuffle(training)
    write_json("inbox.json", {"official": OFFICIAL, "inbox": INBOX, "training": training})


# The rules of the Public Suffix List that the URL dissector needs (an excerpt, unchanged).
SUFFIX_RULES = ["ac.uk", "app", "ca", "co.uk", "com", "com.au", "de", "edu", "fr", "gov",
                "gov.uk", "info", "io", "net", "org", "org.uk", "uk", "us"]


def make_suffixes() -> None:
    header = [
        "// An excerpt of the Public Suffix List, https://publicsuffix.org/list/",
        "// (public_suffix_list.dat), copied unchanged for the week 4 URL dissector.",
        "// The Public Suffix List is licensed under the Mozilla Public License 2.0:",
        "// https://mozilla.org/MPL/2.0/ . Only these rules are used; any other ending is",
        "// treated as one label, as the list's default rule says.",
    ]
    write_text("public_suffix_excerpt.dat", "\n".join(header + SUFFIX_RULES) + "\n")


# -----------------------------------------------------------------------------------------
# Week 5: a library catalogue and chatbot-style references to check against it
# -----------------------------------------------------------------------------------------

TOPICS = ["Clean Water", "Small Town Libraries", "Rivers", "Local Newspapers", "Bees",
          "Bus Routes", "Community Gardens", "Town Budgets", "Winter Storms", "Bridges",
          "Flu Shots", "School Lunches", "Wild Birds", "Farmers' Markets", "Smoke Alarms"]
FORMS = ["A Short Guide to {}", "{} in Plain Words", "What We Know About {}",
         "The Story of {}", "{}: Questions and Answers"]
FIRST = ["Ada", "Ben", "Carla", "Dev", "Elena", "Femi", "Grace", "Hiro", "Iris", "Jon",
         "Kira", "Luis", "Mona", "Nils", "Omar"]
LAST = ["Alder", "Birch", "Cedar", "Dale", "Elm", "Fern", "Glen", "Heath", "Ivy", "Juniper",
        "Kestrel", "Linden", "Marsh", "North", "Oak"]
PUBLISHERS = ["Maple Press", "Riverside University Press", "Hilltop Books", "Lantern House"]


def make_catalogue(rng: random.Random) -> None:
    catalogue = []
    for i, topic in enumerate(TOPICS):
        catalogue.append(dict(
            title=FORMS[i % len(FORMS)].format(topic),
            author=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            year=rng.randint(1998, 2024), publisher=rng.choice(PUBLISHERS)))
    # 15 references as a chatbot might list them: 7 exact, 3 mixed up, 5 that do not exist.
    refs = []
    for book in rng.sample(catalogue, 10)[:7]:
        refs.append(dict(book, status="found"))
    mixed = [b for b in catalogue if b["title"] not in {r["title"] for r in refs}]
    for book in rng.sample(mixed, 3):
        wrong_year = book["year"] + rng.choice([-3, -2, 2, 3])
        refs.append(dict(book, year=wrong_year, status="mixed up"))
    for topic in ["Lake Safety", "Town Clocks", "Recycling", "Library Cats", "Old Roads"]:
        refs.append(dict(title=rng.choice(FORMS).format(topic),
                         author=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                         year=rng.randint(2005, 2023), publisher=rng.choice(PUBLISHERS),
                         status="does not exist"))
    rng.shuffle(refs)
    write_json("catalogue.json", {"catalogue": catalogue, "references": refs})


# -----------------------------------------------------------------------------------------
# Week 6: pictures that carry (or have lost) their metadata
# -----------------------------------------------------------------------------------------

# EXIF tags: 0x010E ImageDescription, 0x010F Make, 0x0110 Model, 0x0131 Software,
# 0x0132 DateTime, 0x013B Artist.
METADATA = [
    ("camera.png", {0x010F: "Invented Camera Co.", 0x0110: "IC-100",
                    0x0132: "2024:05:12 09:41:00", 0x013B: "Rosa Ibarra (invented)",
                    0x010E: "Farmers' market, Saturday morning"}),
    ("generated.png", {0x0131: "PicturePainter AI 2.0 (invented)",
                       0x0132: "2025:02:03 21:15:00",
                       0x010E: "Made with an AI picture tool from the words: a busy market"}),
    ("shared.png", {}),  # passed through a social media app, which removed the metadata
]


def make_metadata_pictures(rng: random.Random) -> None:
    from PIL import Image

    folder = HERE / "pictures"
    folder.mkdir(exist_ok=True)
    base = _scene(rng, (180, 215, 240), (110, 150, 80))
    for name, tags in METADATA:
        img = base.copy()
        exif = Image.Exif()
        for tag, value in tags.items():
            exif[tag] = value
        tmp = folder / (name + ".tmp")
        img.save(tmp, format="PNG", exif=exif.tobytes() if tags else b"")
        tmp.replace(folder / name)


def main() -> None:
    make_posts(random.Random(1))
    make_sites()
    make_pictures(random.Random(3))
    make_inbox(random.Random(4))
    make_suffixes()
    make_catalogue(random.Random(5))
    make_metadata_pictures(random.Random(6))


if __name__ == "__main__":
    main()
