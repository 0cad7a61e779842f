"""Week 3: trace it. (a) A repost chain of a misquote, followed back hop by hop, with the words
that changed at each hop. (b) A simulated reverse image search: perceptual hashes (imagehash's
average hash, which needs only Pillow and numpy) match a viral picture, cropped, mirrored or
recaptioned, against a local archive of originals."""

from __future__ import annotations

import base64
import difflib
from dataclasses import dataclass
from pathlib import Path

from lab.show import (
    DARK_GREEN,
    DARK_RED,
    DATA,
    GREY_TEXT,
    LABEL_WIDE,
    Controls,
    Live,
    box_html,
    esc,
    read_json,
    show,
    wide,
)

# Two pictures whose hashes differ in at most this many of 64 bits count as the same picture.
# The course archive's matches differ by 6 bits or fewer, different pictures by 8 or more.
MATCH_BITS = 7


# --- (a) the repost chain -------------------------------------------------------------------


def load_chain() -> list[dict]:
    return read_json("pictures.json")["chain"]


def changed_words(older: str, newer: str) -> tuple[list[str], list[str]]:
    """(words dropped from the older text, words added in the newer one)."""
    a, b = older.split(), newer.split()
    dropped, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if tag in ("delete", "replace"):
            dropped += a[i1:i2]
        if tag in ("insert", "replace"):
            added += b[j1:j2]
    return dropped, added


def meaning_changed_at(chain: list[dict]) -> int:
    """The hop (0 = the original) where the data marks the meaning as changed."""
    return next(i for i, hop in enumerate(chain) if hop.get("changed"))


def hop_html(chain: list[dict], index: int) -> str:
    hop = chain[index]
    label = "the original" if index == 0 else f"hop {index} of {len(chain) - 1}"
    body = (f"<p><b>{esc(hop['who'])}</b>, {esc(hop['when'])}, {esc(hop['where'])}</p>"
            f"<blockquote>{esc(hop['text'])}</blockquote>")
    if index > 0:
        dropped, added = changed_words(chain[index - 1]["text"], hop["text"])
        body += (f'<p style="color:{DARK_RED}"><b>Words new at this hop:</b> '
                 f"{esc(' '.join(added)) or 'none'}</p>"
                 f'<p style="color:{GREY_TEXT}"><b>Words lost at this hop:</b> '
                 f"{esc(' '.join(dropped)) or 'none'}</p>")
    return box_html(f"Step back through the chain: {label}", body)


def repost_chain() -> None:
    """Start at the viral post; a button steps back one hop at a time to the original."""
    import ipywidgets as w

    chain = load_chain()
    state = {"at": len(chain) - 1}
    back = w.Button(description="Go back one step", button_style="primary", layout=wide())
    again = w.Button(description="Start again at the viral post", layout=wide())
    row = w.HBox([back, again], layout=w.Layout(flex_flow="row wrap"))
    show(Controls(row, lambda: [("Buttons", "Go back one step, Start again at the viral "
                                 "post")], "Repost chain"))
    out = Live(hop_html(chain, state["at"]), "(a post)")

    def step(_b: object) -> None:
        state["at"] = max(0, state["at"] - 1)
        out.update(hop_html(chain, state["at"]), "(a post)")

    def reset(_b: object) -> None:
        state["at"] = len(chain) - 1
        out.update(hop_html(chain, state["at"]), "(a post)")

    back.on_click(step)
    again.on_click(reset)


# --- (b) the picture archive ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    file: str
    date: str
    caption: str
    bits: int  # how many of the 64 bits differ (0 = the same picture)


def picture_hash(path: Path):
    import imagehash
    from PIL import Image

    with Image.open(path) as img:
        return imagehash.average_hash(img)


def mirrored_hash(path: Path):
    import imagehash
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        return imagehash.average_hash(ImageOps.mirror(img))


def search_archive(picture: Path, archive: list[dict] | None = None) -> list[Match]:
    """Every archive picture with its distance to `picture`, closest first.

    A mirrored copy is a common trick, so the picture is compared both ways round and the
    closer of the two counts.
    """
    archive = read_json("pictures.json")["archive"] if archive is None else archive
    wanted = (picture_hash(picture), mirrored_hash(picture))
    found = []
    for entry in archive:
        other = picture_hash(DATA / entry["file"])
        bits = min(int(h - other) for h in wanted)
        found.append(Match(entry["file"], entry["date"], entry["caption"], bits))
    return sorted(found, key=lambda m: (m.bits, m.file))


def best_match(picture: Path) -> Match | None:
    """The archive's original of `picture`, or None when nothing is close enough."""
    matches = search_archive(picture)
    return matches[0] if matches and matches[0].bits <= MATCH_BITS else None


def img_html(path: Path, alt: str, width: int = 240) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" width="{width}" '
            'style="max-width:100%;height:auto;border:1px solid #999999">')


def viral_gallery() -> None:
    """The viral pictures with the captions they were shared with."""
    from lab.show import show_html

    viral = read_json("pictures.json")["viral"]
    cells = "".join(
        f'<figure style="display:inline-block;margin:0.4em;max-width:250px;vertical-align:top">'
        f"{img_html(DATA / v['file'], 'Viral picture ' + str(i) + ': ' + v['caption'])}"
        f'<figcaption style="color:#222222"><b>Picture {i}.</b>'
        f" {esc(v['caption'])}</figcaption></figure>"
        for i, v in enumerate(viral, start=1)
    )
    show_html(box_html("Pictures going around this week (all invented)", cells),
              "(five pictures)")


def result_html(number: int, entry: dict) -> str:
    match = best_match(DATA / entry["file"])
    viral = img_html(DATA / entry["file"], f"Viral picture {number}")
    if match is None:
        return box_html(f"Picture {number}: no match in the archive",
                        f"{viral}<p>No picture in the archive is close. That does not make the "
                        "caption true or false: it means this search cannot tell. Look "
                        "elsewhere.</p>")
    original = img_html(DATA / match.file, f"Archive original, {match.date}")
    return box_html(
        f"Picture {number}: found in the archive",
        f'<div style="display:flex;flex-wrap:wrap;gap:0.8em">'
        f'<figure>{viral}<figcaption style="color:#222222">Shared as:'
        f" {esc(entry['caption'])}</figcaption></figure>"
        f"<figure>{original}<figcaption style=\"color:{DARK_GREEN}\">First published "
        f"{esc(match.date)}: {esc(match.caption)}</figcaption></figure></div>"
        f"<p>The two pictures differ in {match.bits} of 64 points of their fingerprint.</p>",
    )


def reverse_search() -> None:
    """Pick a viral picture; the search finds its first appearance in the archive, if any."""
    import ipywidgets as w

    viral = read_json("pictures.json")["viral"]
    pick = w.Dropdown(options=[(f"Picture {i}", i) for i in range(1, len(viral) + 1)],
                      description="Viral picture:", style=LABEL_WIDE, layout=wide())
    go = w.Button(description="Search the archive", button_style="primary", layout=wide())
    row = w.HBox([pick, go], layout=w.Layout(flex_flow="row wrap"))
    show(Controls(row, lambda: [("Viral picture", f"Picture {pick.value}"),
                                ("Button", "Search the archive")], "Reverse picture search"))
    out = Live(result_html(1, viral[0]), "(search result)")
    go.on_click(lambda _b: out.update(result_html(pick.value, viral[pick.value - 1]),
                                      "(search result)"))
