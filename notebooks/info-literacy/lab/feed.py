"""Week 1: a feed simulator. The same 40 invented posts, ordered by time or by predicted
engagement; learners move three weights and watch which posts rise."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from lab.show import (
    DARK_BLUE,
    DARK_RED,
    DATA,
    GREY_TEXT,
    LABEL_WIDE,
    Controls,
    Live,
    box_html,
    esc,
    show,
    show_html,
    wide,
)

# Words that are meant to make a reader angry or afraid. The simulator counts them in a post.
OUTRAGE_WORDS = frozenset(
    "shocking destroying destroy disgusting outrageous scandal betrayal lying lies lied "
    "furious unbelievable insane ruin ruined disgrace".split()
)

WEIGHTS = {
    # key: label on the slider
    "shares": "How often it is shared",
    "outrage": "Angry words in it",
    "recency": "How new it is",
}
START = {"shares": 3, "outrage": 3, "recency": 1}
SHOWN = 8  # posts that fit on one screen of a phone feed


@dataclass(frozen=True)
class Post:
    id: str
    author: str
    text: str
    minutes_ago: int
    shares: int
    kind: str

    @property
    def outrage(self) -> int:
        return outrage_count(self.text)


def outrage_count(text: str) -> int:
    return sum(1 for word in re.findall(r"[a-z']+", text.lower()) if word in OUTRAGE_WORDS)


def load_posts() -> list[Post]:
    path = DATA / "posts.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing. Remake it with: python data/make_data.py")
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Post(r["id"], r["author"], r["text"], int(r["minutes_ago"]), int(r["shares"]),
                 r["kind"])
            for r in csv.DictReader(handle)
        ]


def by_time(posts: list[Post]) -> list[Post]:
    """Newest first, the way feeds used to be."""
    return sorted(posts, key=lambda p: (p.minutes_ago, p.id))


def engagement_scores(posts: list[Post], weights: dict[str, float]) -> dict[str, float]:
    """A predicted-engagement score from 0 to 100 for each post.

    Each signal is put on a 0-1 scale across the feed (1 = most shared, most angry words,
    newest); the weights say how much each counts. All weights at 0 give every post 0.
    """
    def scale(values: list[float]) -> list[float]:
        low, high = min(values), max(values)
        return [(v - low) / (high - low) if high > low else 1.0 for v in values]

    signals = {
        "shares": scale([p.shares for p in posts]),
        "outrage": scale([p.outrage for p in posts]),
        "recency": [1 - v for v in scale([p.minutes_ago for p in posts])],
    }
    total = sum(max(0.0, weights.get(k, 0)) for k in WEIGHTS)
    scores = {}
    for i, post in enumerate(posts):
        raw = sum(max(0.0, weights.get(k, 0)) * signals[k][i] for k in WEIGHTS)
        scores[post.id] = 100 * raw / total if total else 0.0
    return scores


def by_engagement(posts: list[Post], weights: dict[str, float]) -> list[Post]:
    """Highest predicted engagement first; ties go to the newer post."""
    scores = engagement_scores(posts, weights)
    return sorted(posts, key=lambda p: (-round(scores[p.id], 9), p.minutes_ago, p.id))


def _age(minutes: int) -> str:
    return f"{minutes} min ago" if minutes < 60 else f"{minutes // 60} h ago"


def feed_html(posts: list[Post], title: str) -> str:
    cards = []
    for rank, post in enumerate(posts[:SHOWN], start=1):
        flag = (
            f' <span style="color:{DARK_RED}">({post.outrage} angry words)</span>'
            if post.outrage else ""
        )
        cards.append(
            '<li style="border:1px solid #cccccc;border-radius:6px;padding:0.4em 0.8em;'
            'margin:0.3em 0;list-style:none;background:#ffffff;color:#222222">'
            f"<b>{rank}. {esc(post.author)}</b> "
            f'<span style="color:{GREY_TEXT}">{_age(post.minutes_ago)}, '
            f"shared {post.shares} times</span>{flag}<br>{esc(post.text)}</li>"
        )
    heated = sum(1 for p in posts[:SHOWN] if p.outrage)
    summary = f"<p>{heated} of the top {SHOWN} posts use angry words.</p>"
    return box_html(title, summary + f'<ol style="padding-left:0">{"".join(cards)}</ol>')


def feed_by_time() -> None:
    """The top of the feed, newest first."""
    Live(feed_html(by_time(load_posts()), "Your feed, newest first"), "(a list of posts)")


def feed_simulator() -> None:
    """Three sliders; the feed re-orders itself by the predicted engagement."""
    import ipywidgets as w

    posts = load_posts()
    sliders = {
        key: w.IntSlider(value=START[key], min=0, max=5, description=label, style=LABEL_WIDE,
                         layout=wide(min_width="22em"))
        for key, label in WEIGHTS.items()
    }

    def weights() -> dict[str, float]:
        return {k: s.value for k, s in sliders.items()}

    def draw() -> str:
        return feed_html(by_engagement(posts, weights()), "Your feed, ordered by engagement")

    out = None

    def redraw(_change: object = None) -> None:
        if out is not None:
            out.update(draw(), "(a list of posts)")

    for s in sliders.values():
        s.observe(redraw, names="value")
    box = w.VBox([
        w.HTML("<b>How much does each signal count? (0 = not at all, 5 = a lot)</b>"),
        *sliders.values(),
    ])
    show(Controls(box, lambda: [(WEIGHTS[k], str(s.value)) for k, s in sliders.items()],
                  "Feed weights"))
    out = Live(draw(), "(a list of posts)")


PAUSE_STEPS = [
    "How do I feel right now? Angry, scared or thrilled means: slow down.",
    "Do I know who posted this, and why they might want me to share it?",
    "Is this something I need to act on today, or can it wait?",
    "What would I lose by waiting five minutes and checking first?",
]


def pause_checklist() -> None:
    """The Stop move as a small checklist card (the learner picks theirs in a prompt below)."""
    items = "".join(f"<li>{esc(s)}</li>" for s in PAUSE_STEPS)
    show_html(box_html("My pause checklist: before I share, like or act", f"<ol>{items}</ol>",
                       border=DARK_BLUE), "(a checklist)")
