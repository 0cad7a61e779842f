# ruff: noqa: E731  (short lambdas describe the controls; they read better than named functions)
"""Week 5: a risk score and its threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .display import (
    BLUE,
    GREEN,
    ORANGE,
    RED,
    Controls,
    Live,
    esc,
    figure_html,
    layout,
    new_figure,
    read_csv,
    show,
    table_html,
)

STORIES = {
    "housing": {
        "label": "Housing help (gentler story)",
        "unit": "households",
        "flag": "offered a visit from a housing helper",
        "need": "were about to lose their home",
        "false_alarm": "a helper visits a household that was doing fine",
        "missed": "a household that needed help is not visited and may lose its home",
        "factors": {
            "Asked a public office for help with rent before": 2,
            "Gets public benefits (for example, food help)": 2,
            "Someone in the home has an old police record": 3,
            "Behind on rent this month": 4,
            "Changed address twice in a year": 2,
        },
    },
    "child-welfare": {
        "label": "Child welfare (main story)",
        "unit": "families",
        "flag": "sent for an investigation by a caseworker",
        "need": "had a child who needed protection",
        "false_alarm": "a caseworker investigates a family that was safe",
        "missed": "a child who needed protection is not checked on",
        "factors": {
            "Someone called the hotline about the family before": 3,
            "Gets public benefits (for example, food help)": 2,
            "Someone in the home has an old police record": 3,
            "Used a public mental-health clinic": 2,
            "Changed address twice in a year": 2,
        },
    },
}
DEFAULT_STORY = "child-welfare"
# Rosa's household in the notebook's story: her brother's old arrest, the food help she asked
# for, and two moves in a year to find cheaper rent. 3 + 2 + 2 = 7 points, so she is flagged
# at the default threshold, as the story says. The card starts on these facts.
ROSA = (
    "Gets public benefits (for example, food help)",
    "Someone in the home has an old police record",
    "Changed address twice in a year",
)
DEFAULT_THRESHOLD = 7


def load_risk() -> list[tuple[str, int, bool]]:
    return [
        (r["group"], int(r["score"]), r["needed_help"] == "yes")
        for r in read_csv("risk_scores.csv")
    ]


def threshold_outcomes(
    rows: Sequence[tuple[str, int, bool]], threshold: int
) -> dict[str, dict[str, int]]:
    """Flag everyone whose score is at or above the threshold; count the results per group.

    false_alarms: flagged, but did not need help. missed: needed help, but not flagged.
    """
    out: dict[str, dict[str, int]] = {}
    for group, score, needed in rows:
        g = out.setdefault(
            group,
            {"people": 0, "needed": 0, "flagged": 0, "false_alarms": 0, "missed": 0, "found": 0},
        )
        g["people"] += 1
        g["needed"] += needed
        flagged = score >= threshold
        g["flagged"] += flagged
        g["false_alarms"] += flagged and not needed
        g["missed"] += needed and not flagged
        g["found"] += needed and flagged
    return dict(sorted(out.items()))


def _risk_html(story: str, threshold: int) -> str:
    s = STORIES[story]
    res = threshold_outcomes(load_risk(), threshold)
    groups = list(res)
    fig = new_figure(7, 3.0)
    ax = fig.add_subplot()
    y = np.arange(len(groups))
    # The y axis runs downwards, so the bar at y - 0.2 (false alarms) sits on top in each pair.
    bars = ax.barh(
        y - 0.2,
        [res[g]["false_alarms"] for g in groups],
        height=0.4,
        color=ORANGE,
        label="false alarms (flagged, no need)",
    )
    ax.bar_label(bars, padding=2, fontsize=8)
    bars = ax.barh(
        y + 0.2,
        [res[g]["missed"] for g in groups],
        height=0.4,
        color=BLUE,
        label="missed (needed help, not flagged)",
    )
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_yticks(y, [f"{s['unit'].capitalize()} who {g}" for g in groups])
    ax.invert_yaxis()
    # A fixed scale, so that moving the threshold moves the bars, not the axis.
    ax.set_xlim(0, 1.1 * max(res[g]["people"] - res[g]["needed"] for g in groups))
    ax.set_xlabel(f"Number of {s['unit']}")
    ax.set_title(f"Threshold {threshold}: flagged if the score is {threshold} or more")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, fontsize=8, frameon=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    alt = f"Bar chart at threshold {threshold}. " + "; ".join(
        f"{g}: {res[g]['false_alarms']} false alarms, {res[g]['missed']} missed" for g in groups
    )
    rows = [
        [
            f"{s['unit'].capitalize()} who {g}",
            res[g]["people"],
            res[g]["needed"],
            res[g]["flagged"],
            res[g]["false_alarms"],
            res[g]["missed"],
        ]
        for g in groups
    ]
    return (
        f"<p>Story: <b>{esc(s['label'])}</b>. Flagged {s['unit']} are {esc(s['flag'])}.<br>"
        f"A <b>false alarm</b> means {esc(s['false_alarm'])}. A <b>missed case</b> means "
        f"{esc(s['missed'])}.</p>"
        + figure_html(fig, alt)
        + table_html(
            [
                "Group",
                s["unit"].capitalize(),
                f"Really {s['need']}",
                "Flagged",
                "False alarms",
                "Missed",
            ],
            rows,
        )
    )


def risk_lab(story: str = DEFAULT_STORY) -> None:
    """Choose a story and a threshold; see false alarms and missed cases for each group."""
    import ipywidgets as w

    pick = w.Dropdown(
        options=[(v["label"], k) for k, v in STORIES.items()],
        value=story,
        description="Story",
        style={"description_width": "initial"},
        # Wide enough for the longest story's name: a narrower list cuts it off.
        layout=layout(width="30em", max_width="100%"),
    )
    slider = w.IntSlider(
        value=DEFAULT_THRESHOLD,
        min=0,
        max=16,
        description="Threshold",
        layout=layout(width="30em"),
    )

    def redraw(_c=None) -> None:
        out.update(_risk_html(pick.value, slider.value))

    describe = lambda: [
        ("Story", STORIES[pick.value]["label"]),
        ("Threshold", f"flag when the score is {slider.value} or more"),
    ]
    show(Controls(w.VBox([pick, slider]), describe, "Risk score lab"))
    out = Live(_risk_html(pick.value, slider.value))
    pick.observe(redraw, names="value")
    slider.observe(redraw, names="value")


def card_score(story: str, ticked: Iterable[str]) -> int:
    """The points a household gets on the score card for the facts that are ticked."""
    factors = STORIES[story]["factors"]
    return sum(factors[t] for t in ticked)


def _card_html(story: str, ticked: Sequence[str]) -> str:
    factors = STORIES[story]["factors"]
    score = card_score(story, ticked)
    rows = [[f, f"+{p}", "✔" if f in ticked else ""] for f, p in factors.items()]
    flagged = score >= DEFAULT_THRESHOLD
    verdict = (
        f'<b style="color:{RED}">flagged</b>'
        if flagged
        else f'<b style="color:{GREEN}">not flagged</b>'
    )
    return (
        table_html(["Fact the system has on record", "Points", "This household"], rows)
        + f"<p>Score: <b>{score}</b>. At threshold {DEFAULT_THRESHOLD} "
        f"this household is {verdict}.</p>"
    )


def score_card(story: str = DEFAULT_STORY) -> None:
    """Rosa's score card: her facts are ticked at the start; tick and untick to move the score."""
    import ipywidgets as w

    pick = w.Dropdown(
        options=[(v["label"], k) for k, v in STORIES.items()],
        value=story,
        description="Story",
        style={"description_width": "initial"},
        # Wide enough for the longest story's name: a narrower list cuts it off.
        layout=layout(width="30em", max_width="100%"),
    )
    boxes: list = []
    holder = w.VBox()

    def build(_c=None) -> None:
        boxes.clear()
        for f in STORIES[pick.value]["factors"]:
            b = w.Checkbox(
                value=f in ROSA,
                description=f,
                layout=layout(width="34em"),
                style={"description_width": "initial"},
            )
            b.observe(redraw, names="value")
            boxes.append(b)
        holder.children = boxes
        redraw()

    def redraw(_c=None) -> None:
        if out is not None:
            out.update(_card_html(pick.value, [b.description for b in boxes if b.value]))

    out = None
    build()
    describe = lambda: (
        [("Story", STORIES[pick.value]["label"])]
        + [(b.description, "ticked" if b.value else "not ticked") for b in boxes]
    )
    show(Controls(w.VBox([pick, holder]), describe, "Rosa's score card"))
    out = Live(_card_html(pick.value, [b.description for b in boxes if b.value]))
    pick.observe(build, names="value")
