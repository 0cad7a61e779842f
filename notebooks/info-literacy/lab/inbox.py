"""Week 4: scams and phishing. An inbox of invented messages to mark as scam or real, with the
cues revealed afterwards; a URL dissector that names a link's registered domain (standard
library and a shipped excerpt of the Public Suffix List, no look-ups); and a tiny naive Bayes
spam filter, trained on old-style scams, that misses a new style of scam."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from lab.show import (
    DARK_BLUE,
    DARK_GREEN,
    DARK_RED,
    DATA,
    GREY_TEXT,
    LABEL_WIDE,
    Controls,
    Live,
    esc,
    read_json,
    show,
    show_html,
    table_html,
    wide,
)

SIGNS = {
    "pretend": "Pretends to be someone you trust",
    "problem": "Says there is a problem",
    "prize": "Says you won a prize",
    "pressure": "Pressures you to act now",
    "pay": "Tells you to pay in a certain way",
}


def load_inbox() -> dict:
    return read_json("inbox.json")


# --- the inbox -------------------------------------------------------------------------------


def message_html(number: int, m: dict, reveal: bool = False) -> str:
    link = ""
    if m["link_text"]:
        link = (f'<p><span style="color:{DARK_BLUE};text-decoration:underline">'
                f"{esc(m['link_text'])}</span></p>")
    head = (f"<b>{number}. {'Email' if m['channel'] == 'email' else 'Text message'}</b> from "
            f"{esc(m['sender'])}")
    if m["subject"]:
        head += f"<br><b>Subject:</b> {esc(m['subject'])}"
    extra = ""
    if reveal:
        verdict = (f'<b style="color:{DARK_RED}">Scam</b>' if m["scam"]
                   else f'<b style="color:{DARK_GREEN}">Real</b>')
        signs = "; ".join(SIGNS[s] for s in m["signs"]) or "none of the four signs"
        target = f"<br><b>Where the link really goes:</b> {esc(m['link'])}" if m["link"] else ""
        extra = (f'<div style="border-top:1px solid #cccccc;margin-top:0.4em;padding-top:0.3em">'
                 f"{verdict}. <b>Signs:</b> {esc(signs)}.<br><b>Cues:</b> {esc(m['cues'])}"
                 f"{target}</div>")
    return (
        '<div style="border:1px solid #999999;border-radius:6px;padding:0.5em 1em;'
        f'margin:0.5em 0;background:#ffffff;color:#222222">{head}<p>{esc(m["body"])}</p>'
        f"{link}{extra}</div>"
    )


def inbox_html(reveal: bool = False) -> str:
    return "".join(message_html(i, m, reveal)
                   for i, m in enumerate(load_inbox()["inbox"], start=1))


def marks_score(marks: dict[int, str], inbox: list[dict]) -> tuple[int, int]:
    """(marks that are right, marks given); marks map message number to "Scam" or "Real"."""
    right = sum(1 for n, mark in marks.items()
                if (mark == "Scam") == inbox[n - 1]["scam"])
    return right, len(marks)


def inbox_check() -> None:
    """The ten messages, a Scam/Real choice for each, and a button that shows the cues."""
    import ipywidgets as w

    inbox = load_inbox()["inbox"]
    messages = Live(inbox_html(False), "(ten messages)")
    choices = {
        n: w.ToggleButtons(options=["Scam", "Real"], value=None, description=f"Message {n}:",
                           style={**LABEL_WIDE, "button_width": "5em"}, layout=wide())
        for n in range(1, len(inbox) + 1)
    }
    reveal = w.Button(description="Show the answers and cues", button_style="primary",
                      layout=wide())
    box = w.VBox([*choices.values(), reveal])
    show(Controls(box, lambda: [(f"Message {n}", c.value or "not marked yet")
                                for n, c in choices.items()], "Mark each message"))
    result = Live("<p>Mark each message, then press the button.</p>", "(your score)")

    def on_reveal(_b: object) -> None:
        marks = {n: c.value for n, c in choices.items() if c.value}
        right, given = marks_score(marks, inbox)
        messages.update(inbox_html(True), "(ten messages with cues)")
        result.update(f"<p><b>{right} of {given}</b> of your marks are right. Scroll up to read "
                      "the cues under each message.</p>", "(your score)")

    reveal.on_click(on_reveal)


# --- the URL dissector -------------------------------------------------------------------------


def load_suffixes() -> set[str]:
    path = DATA / "public_suffix_excerpt.dat"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("//")}


def registered_domain(host: str, suffixes: set[str] | None = None) -> str:
    """The part of a host name that someone registered: one label more than its public suffix.

    The longest matching suffix rule wins; a host whose ending is in no rule has its last label
    as the suffix (the list's default rule).
    """
    suffixes = load_suffixes() if suffixes is None else suffixes
    labels = host.lower().rstrip(".").split(".")
    suffix_len = 1
    for n in range(len(labels), 0, -1):
        if ".".join(labels[-n:]) in suffixes:
            suffix_len = n
            break
    if len(labels) <= suffix_len:
        return host.lower()
    return ".".join(labels[-(suffix_len + 1):])


@dataclass(frozen=True)
class Dissected:
    host: str
    ascii_host: str  # the form the browser really uses (punycode for other alphabets)
    registered: str
    subdomains: str
    path: str
    verdict: str
    owner: str | None  # the brand whose real address this is, if any


def dissect(url: str, official: dict[str, str] | None = None) -> Dissected:
    """Split a link and say whose it really is."""
    official = load_inbox()["official"] if official is None else official
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError(f"{url!r} has no web address (host) in it")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_host = host
    registered = registered_domain(ascii_host)
    subdomains = ascii_host[: -len(registered)].rstrip(".")
    owner = next((brand for brand, domain in official.items() if domain == registered), None)
    if owner:
        verdict = f"This is the real address of {owner}."
    else:
        look = _looks_like(ascii_host, host, official)
        if look:
            verdict = (f"This looks like {look}, but the site really belongs to whoever "
                       f"registered {registered}.")
        else:
            verdict = f"The site belongs to whoever registered {registered}. Look it up first."
    if ascii_host != host:
        verdict += " The address uses letters from another alphabet that look like ours."
    return Dissected(host, ascii_host, registered, subdomains, parts.path or "/", verdict, owner)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().replace("0", "o").replace("1", "l"))


def _looks_like(ascii_host: str, host: str, official: dict[str, str]) -> str | None:
    import difflib

    for brand, domain in official.items():
        name = _squash(domain.split(".")[0])
        for label in [*ascii_host.split("."), *host.split(".")]:
            squashed = _squash(label)
            if name and (name in squashed or
                         difflib.SequenceMatcher(a=name, b=squashed).ratio() >= 0.8):
                return brand
    return None


def dissect_html(url: str) -> str:
    try:
        d = dissect(url)
    except ValueError as error:
        return f'<p style="color:{DARK_RED}">{esc(error)}</p>'
    rows = [["Web address (host)", d.host],
            ["What the browser really uses", d.ascii_host],
            ["Registered domain (the owner)", d.registered],
            ["Parts in front of it", d.subdomains or "(none)"],
            ["Page", d.path]]
    colour = DARK_GREEN if d.owner else DARK_RED
    return (table_html(["Part", "Value"], rows, f"The link {url}")
            + f'<p style="color:{colour}"><b>{esc(d.verdict)}</b></p>')


EXAMPLES = [
    "http://eastfieldbank.example.account-check.example/login",
    "https://www.eastfieldbank.example/statements",
    "http://parcelgo-delivery.example/fee",
    "http://easttieldbank.example/verify",
    "https://eastfieldbаnk.example/login",  # the second "a" is Cyrillic
]


def url_dissector() -> None:
    """Pick or type a link; the table shows its parts and who really owns it."""
    import ipywidgets as w

    # Radio buttons, not a drop-down: a long address wraps, where a drop-down would cut it.
    pick = w.RadioButtons(options=EXAMPLES, value=EXAMPLES[0], description="Example link:",
                      style=LABEL_WIDE, layout=wide(max_width="100%"))
    typed = w.Text(value="", placeholder="or type or paste a link here",
                   description="My link:", style=LABEL_WIDE, layout=wide(min_width="16em"))
    go = w.Button(description="Take it apart", button_style="primary", layout=wide())
    box = w.VBox([pick, w.HBox([typed, go], layout=w.Layout(flex_flow="row wrap"))])
    show(Controls(box, lambda: [("Example link", pick.value), ("My link", typed.value or "")],
                  "URL dissector"))
    out = Live(dissect_html(pick.value), "(the parts of a link)")
    pick.observe(lambda change: out.update(dissect_html(change["new"])), names="value")
    go.on_click(lambda _b: out.update(dissect_html(typed.value or pick.value)))


# --- the spam filter ---------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z$0-9']+", text.lower())


@dataclass
class SpamFilter:
    """Naive Bayes with add-one smoothing, trained on labelled messages."""

    word_counts: dict[bool, Counter]
    message_counts: Counter

    @classmethod
    def train(cls, messages: list[dict]) -> SpamFilter:
        words: dict[bool, Counter] = {True: Counter(), False: Counter()}
        counts: Counter = Counter()
        for m in messages:
            words[m["scam"]].update(tokens(m["text"]))
            counts[m["scam"]] += 1
        return cls(words, counts)

    def scam_chance(self, text: str) -> float:
        """The filter's estimate, from 0 to 1, that `text` is a scam."""
        vocab = set(self.word_counts[True]) | set(self.word_counts[False])
        total = sum(self.message_counts.values())
        logs = {}
        for label in (True, False):
            n = sum(self.word_counts[label].values())
            logs[label] = math.log(self.message_counts[label] / total) + sum(
                math.log((self.word_counts[label][w] + 1) / (n + len(vocab)))
                for w in tokens(text))
        top = max(logs.values())
        odds = {k: math.exp(v - top) for k, v in logs.items()}
        return odds[True] / (odds[True] + odds[False])

    def is_scam(self, text: str) -> bool:
        return self.scam_chance(text) >= 0.5


def message_text(m: dict) -> str:
    return f"{m['subject']} {m['body']}".strip()


def filter_results() -> list[tuple[int, dict, float]]:
    data = load_inbox()
    spam_filter = SpamFilter.train(data["training"])
    return [(n, m, spam_filter.scam_chance(message_text(m)))
            for n, m in enumerate(data["inbox"], start=1)]


def spam_filter_table() -> None:
    """What the filter, trained on 60 older messages, says about each inbox message."""
    rows = []
    for n, m, chance in filter_results():
        said = "Scam" if chance >= 0.5 else "Real"
        right = said == ("Scam" if m["scam"] else "Real")
        mark = "right" if right else "WRONG"
        rows.append([n, m["subject"] or m["body"][:48] + "...", said, "Scam" if m["scam"]
                     else "Real", mark])
    training = len(load_inbox()["training"])
    show_html(table_html(["Message", "Starts with", "The filter says", "Really", "Filter was"],
                         rows, f"A spam filter trained on {training} older messages"),
              "(a table)")
    show_html(f'<p style="color:{GREY_TEXT}">The filter learned which words often appear in '
              "scams and which in everyday messages. It has never seen a message like number "
              "10.</p>", "(a note)")
