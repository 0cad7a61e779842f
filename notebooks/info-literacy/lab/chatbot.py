"""Week 5: chatbots. A next-word machine trained on public-domain fables writes fluent text
that is not true; then a citation check looks up 15 chatbot-style references in a local
catalogue and counts the ones that do not exist."""

from __future__ import annotations

import random
import re
from collections import defaultdict

from lab.show import (
    DARK_GREEN,
    DARK_RED,
    DATA,
    LABEL_WIDE,
    Controls,
    Live,
    bar_html,
    box_html,
    esc,
    read_json,
    show,
    show_html,
    table_html,
    wide,
)

# Published rates of made-up references (Walters and Wilder, Scientific Reports, 2023).
PUBLISHED = [("GPT-3.5 (2023 study)", 55), ("GPT-4 (2023 study)", 18)]


# --- the next-word machine ---------------------------------------------------------------------


def load_text() -> str:
    """The fables, without the lines at the top that say where they come from."""
    text = (DATA / "fables.txt").read_text(encoding="utf-8")
    return text.split("\n\n", 1)[1]


def words_of(text: str) -> list[str]:
    return re.findall(r"[A-Za-z']+|[.,;:!?]", text.replace("-", " "))


def train(text: str) -> dict[str, list[str]]:
    """For each word, every word that followed it in the text (repeats kept: they are weights)."""
    follows: dict[str, list[str]] = defaultdict(list)
    words = words_of(text)
    for a, b in zip(words, words[1:], strict=False):
        follows[a].append(b)
    return dict(follows)


def generate(model: dict[str, list[str]], start: str, seed: int, limit: int = 30) -> str:
    """Words picked one at a time, each from those that followed the last one in the text."""
    rng = random.Random(seed)
    words = [start]
    while len(words) < limit and words[-1] not in (".", "!", "?") and words[-1] in model:
        words.append(rng.choice(model[words[-1]]))
    out = " ".join(words)
    return re.sub(r" ([.,;:!?])", r"\1", out)


def sentence_of_some_length(model: dict[str, list[str]], start: str, seed: int,
                            shortest: int = 8) -> tuple[str, int]:
    """A generated sentence of at least `shortest` words (trying the next seeds if needed),
    and the seed that made it."""
    for tried in range(seed, seed + 200):
        out = generate(model, start, tried)
        if len(words_of(out)) >= shortest:
            return out, tried
    return generate(model, start, seed), seed


def sentences(text: str) -> set[str]:
    flat = " ".join(words_of(text))
    return {s.strip() for s in re.split(r"(?<=[.!?])", re.sub(r" ([.,;:!?])", r"\1", flat))
            if s.strip()}


STARTS = ["The", "Hare", "Lion", "Mouse", "Fox", "Crow", "Sun", "Wolf"]


def machine_html(sentence: str, known: set[str]) -> str:
    copied = sentence in known
    note = ("This sentence is in the fables, word for word." if copied else
            "This sentence is not in the fables. The machine stitched it together from pairs of "
            "words that it saw. It sounds fine, but nobody checked if it is true.")
    colour = DARK_GREEN if copied else DARK_RED
    return box_html("The next-word machine wrote:",
                    f'<p style="font-size:1.15em">{esc(sentence)}</p>'
                    f'<p style="color:{colour}">{esc(note)}</p>')


def next_word_machine() -> None:
    """Pick a first word and press the button; each press writes a new sentence."""
    import ipywidgets as w

    text = load_text()
    model, known = train(text), sentences(text)
    state = {"seed": 1}
    first = w.Dropdown(options=STARTS, value="The", description="First word:",
                       style=LABEL_WIDE, layout=wide())
    go = w.Button(description="Write a sentence", button_style="primary", layout=wide())
    row = w.HBox([first, go], layout=w.Layout(flex_flow="row wrap"))
    show(Controls(row, lambda: [("First word", first.value), ("Button", "Write a sentence")],
                  "Next-word machine"))
    sentence, state["seed"] = sentence_of_some_length(model, first.value, state["seed"])
    out = Live(machine_html(sentence, known), "(a sentence)")

    def write(_b: object) -> None:
        sentence, state["seed"] = sentence_of_some_length(model, first.value, state["seed"] + 1)
        out.update(machine_html(sentence, known), "(a sentence)")

    go.on_click(write)


def follows_table(word: str = "Lion") -> None:
    """What the machine knows: the words that came after one word, and how often."""
    from collections import Counter

    counts = Counter(train(load_text()).get(word, []))
    rows = [[w, n] for w, n in counts.most_common(8)]
    show_html(table_html(["Next word", "Times seen"], rows,
                         f'What came after "{word}" in the fables'), "(a table)")


# --- the citation check -------------------------------------------------------------------------


def _norm(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def check_reference(ref: dict, catalogue: list[dict]) -> str:
    """"found" (title, author and year match), "mixed up" (the title exists, but the author or
    year is wrong) or "does not exist" (no such title in the catalogue)."""
    same_title = [b for b in catalogue if _norm(b["title"]) == _norm(ref["title"])]
    if not same_title:
        return "does not exist"
    if any(b["author"] == ref["author"] and b["year"] == ref["year"] for b in same_title):
        return "found"
    return "mixed up"


def citation_counts() -> dict[str, int]:
    data = read_json("catalogue.json")
    counts = {"found": 0, "mixed up": 0, "does not exist": 0}
    for ref in data["references"]:
        counts[check_reference(ref, data["catalogue"])] += 1
    return counts


def citation_html(checked: bool) -> str:
    data = read_json("catalogue.json")
    rows = []
    for n, ref in enumerate(data["references"], start=1):
        status = check_reference(ref, data["catalogue"]) if checked else "not checked yet"
        rows.append([n, f"{ref['author']} ({ref['year']}). {ref['title']}. {ref['publisher']}.",
                     status])
    markup = table_html(["#", "Reference the chatbot gave", "In the catalogue?"], rows,
                        "15 references from an invented chatbot answer")
    if checked:
        counts = citation_counts()
        total = sum(counts.values())
        made_up = counts["does not exist"]
        share = round(100 * made_up / total)
        bars = bar_html("Our chatbot answer", share, 100, f"{share}%") + "".join(
            bar_html(name, rate, 100, f"{rate}%") for name, rate in PUBLISHED)
        markup += box_html(
            "What the check found",
            f"<p><b>{made_up} of {total}</b> references do not exist ({share}%). "
            f"{counts['mixed up']} more exist but have the wrong author or year. "
            f"{counts['found']} are right.</p><p>Share of references that were made up:</p>"
            + bars)
    return markup


def citation_check() -> None:
    """The 15 references, and a button that looks each one up in the local catalogue."""
    import ipywidgets as w

    go = w.Button(description="Look them all up in the catalogue", button_style="primary",
                  layout=wide())
    show(Controls(go, lambda: [("Button", go.description)], "Citation check"))
    out = Live(citation_html(False), "(a table of references)")
    go.on_click(lambda _b: out.update(citation_html(True), "(a table of references)"))
