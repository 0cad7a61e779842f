# ruff: noqa: E731  (short lambdas describe the controls; they read better than named functions)
"""Week 2: a smart light learns from examples you label (part A); a fraud rule, and who pays
for its mistakes (part B).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .display import (
    BLUE,
    GREEN,
    ORANGE,
    RED,
    Controls,
    Live,
    Raw,
    esc,
    figure_html,
    layout,
    new_figure,
    read_csv,
    show,
    table_html,
)

LIGHT_FEATURES = {
    # column: (words for "yes", words for "no")
    "dark": ("it is dark", "it is light"),
    "movement": ("something moves", "nothing moves"),
    "night": ("it is night-time (11 pm to 6 am)", "it is not night-time"),
}


@dataclass
class Node:
    """One step of a decision tree: either a question (feature) or an answer (label)."""

    label: str
    feature: str | None = None
    yes: Node | None = None
    no: Node | None = None
    count: int = 0


def _gini(labels: Sequence[str]) -> float:
    if not labels:
        return 0.0
    n = len(labels)
    return 1.0 - sum((labels.count(v) / n) ** 2 for v in set(labels))


def _majority(labels: Sequence[str], fallback: str) -> str:
    if not labels:
        return fallback
    on, off = labels.count("on"), labels.count("off")
    if on == off:
        return fallback
    return "on" if on > off else "off"


def train_tree(
    rows: Sequence[dict[str, str]],
    labels: Sequence[str],
    features: Sequence[str] = tuple(LIGHT_FEATURES),
    max_depth: int = 3,
    fallback: str = "off",
) -> Node:
    """Learn a small yes/no decision tree, the way classic tree learners do.

    At each step it picks the question that best separates "on" from "off" (lowest Gini
    impurity), and stops when the examples agree or the questions run out. Where the examples
    say nothing (a case never seen), it falls back to the majority of the step above. A question
    whose two answers lead to the same label is dropped, so the rules read short.
    """
    labels = list(labels)
    here = _majority(labels, fallback)
    node = Node(label=here, count=len(labels))
    if len(set(labels)) <= 1 or max_depth == 0 or not features:
        return node
    best = None
    for f in features:
        yes = [lab for r, lab in zip(rows, labels, strict=True) if r[f] == "yes"]
        no = [lab for r, lab in zip(rows, labels, strict=True) if r[f] != "yes"]
        if not yes or not no:
            continue
        impurity = (len(yes) * _gini(yes) + len(no) * _gini(no)) / len(labels)
        if best is None or impurity < best[0] - 1e-12:
            best = (impurity, f)
    if best is None:  # every example gives the same answers to the questions left
        return node
    f = best[1]
    rest = [g for g in features if g != f]
    pick = lambda want: [
        (r, lab) for r, lab in zip(rows, labels, strict=True) if (r[f] == "yes") == want
    ]
    yes_rows, no_rows = pick(True), pick(False)
    node.feature = f
    node.yes = train_tree(
        [r for r, _ in yes_rows], [lab for _, lab in yes_rows], rest, max_depth - 1, here
    )
    node.no = train_tree(
        [r for r, _ in no_rows], [lab for _, lab in no_rows], rest, max_depth - 1, here
    )
    if node.yes.feature is None and node.no.feature is None and node.yes.label == node.no.label:
        # Both answers lead to the same place: the question is not needed.
        return Node(label=node.yes.label, count=len(labels))
    return node


def predict(tree: Node, row: dict[str, str]) -> str:
    while tree.feature is not None:
        tree = tree.yes if row[tree.feature] == "yes" else tree.no
    return tree.label


def tree_rules(tree: Node) -> list[str]:
    """The tree's rules in plain words, one line per path from the top to an answer."""
    if tree.feature is None:
        return [f"Always turn the light {tree.label.upper()}."]
    lines: list[str] = []

    def walk(node: Node, conditions: list[str]) -> None:
        if node.feature is None:
            lines.append(f"If {' and '.join(conditions)}: turn the light {node.label.upper()}.")
            return
        yes_words, no_words = LIGHT_FEATURES[node.feature]
        walk(node.yes, [*conditions, yes_words])
        walk(node.no, [*conditions, no_words])

    walk(tree, [])
    return lines


def load_light() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    return read_csv("light_training.csv"), read_csv("light_new.csv")


def _yes(value: str) -> str:
    return "✔" if value == "yes" else "·"


def _light_result_html(training, labels, new) -> str:
    tree = train_tree(training, labels)
    right = sum(predict(tree, r) == lab for r, lab in zip(training, labels, strict=True))
    rules = "".join(f"<li>{esc(line)}</li>" for line in tree_rules(tree))
    rows = []
    for r in new:
        guess = predict(tree, r)
        mark = (
            Raw(f'<b style="color:{GREEN}">right</b>')
            if guess == r["wanted"]
            else Raw(f'<b style="color:{RED}">wrong</b>')
        )
        rows.append(
            [
                r["situation"],
                _yes(r["dark"]),
                _yes(r["movement"]),
                _yes(r["night"]),
                guess.upper(),
                r["wanted"].upper(),
                mark,
            ]
        )
    wrong = sum(predict(tree, r) != r["wanted"] for r in new)
    return (
        "<h4>What the tree learned</h4>"
        f"<ul>{rules}</ul>"
        f"<p>On your {len(labels)} labeled examples it gets "
        f"<b>{right} of {len(labels)}</b> right.</p>"
        "<h4>New situations it has never seen</h4>"
        + table_html(
            ["Situation", "Dark", "Moves", "Night", "Tree says", "People wanted", ""],
            rows,
        )
        + f"<p>It gets <b>{len(new) - wrong} of {len(new)}</b> new situations right.</p>"
    )


def light_lab() -> None:
    """Label each situation ON or OFF, press Train, read the rules, see the new cases."""
    import ipywidgets as w

    training, new = load_light()
    toggles = [
        w.ToggleButtons(
            options=[("ON", "on"), ("OFF", "off")], value=r["light"], style={"button_width": "4em"}
        )
        for r in training
    ]
    header = w.HTML("<b>Situation</b> (✔ = the sensor says yes: dark · moves · night)")
    lines = [
        w.HBox(
            [
                w.HTML(
                    f"{esc(r['situation'])} <br><small>dark {_yes(r['dark'])} · moves "
                    f"{_yes(r['movement'])} · night {_yes(r['night'])}</small>",
                    layout=layout(width="26em"),
                ),
                t,
            ]
        )
        for r, t in zip(training, toggles, strict=True)
    ]
    button = w.Button(description="Train the tree", button_style="primary", icon="tree")

    def train(_b) -> None:
        out.update(_light_result_html(training, [t.value for t in toggles], new))

    describe = lambda: [
        (r["situation"], "light " + t.value.upper()) for r, t in zip(training, toggles, strict=True)
    ]
    show(
        Controls(
            w.VBox([header, *lines, button]),
            describe,
            "Your labels: should the light be ON or OFF? Then press Train the tree",
        )
    )
    out = Live(_light_result_html(training, [r["light"] for r in training], new))
    button.on_click(train)


# =========================================================================================
# Week 2, part B: a fraud rule, and who pays for its mistakes
# =========================================================================================


@dataclass(frozen=True)
class Purchase:
    group: str
    amount: float
    km: int
    hour: int
    fraud: bool


def load_purchases() -> list[Purchase]:
    return [
        Purchase(
            r["customer_group"],
            float(r["amount"]),
            int(r["km_from_home"]),
            int(r["hour"]),
            r["fraud"] == "yes",
        )
        for r in read_csv("transactions.csv")
    ]


def blocked(p: Purchase, max_amount: float, max_km: float, block_night: bool) -> bool:
    """The rule: block a purchase when any one of the checks says it looks odd."""
    return p.amount > max_amount or p.km > max_km or (block_night and 0 <= p.hour < 5)


def fraud_outcomes(
    purchases: Sequence[Purchase], max_amount: float, max_km: float, block_night: bool
) -> dict[str, dict[str, int]]:
    """Per customer group: honest purchases blocked (false alarms), fraud caught, fraud missed."""
    out: dict[str, dict[str, int]] = {}
    for p in purchases:
        g = out.setdefault(
            p.group,
            {"purchases": 0, "honest": 0, "false_alarms": 0, "fraud": 0, "caught": 0, "missed": 0},
        )
        g["purchases"] += 1
        b = blocked(p, max_amount, max_km, block_night)
        if p.fraud:
            g["fraud"] += 1
            g["caught" if b else "missed"] += 1
        else:
            g["honest"] += 1
            g["false_alarms"] += b
    return out


def _fraud_html(purchases, max_amount, max_km, block_night) -> str:
    res = fraud_outcomes(purchases, max_amount, max_km, block_night)
    groups = list(res)
    fig = new_figure(7, 3.0)
    ax = fig.add_subplot()
    y = np.arange(len(groups))
    fa = [100 * res[g]["false_alarms"] / max(1, res[g]["honest"]) for g in groups]
    miss = [100 * res[g]["missed"] / max(1, res[g]["fraud"]) for g in groups]
    # The y axis runs downwards, so the bar at y - 0.2 (false alarms) sits on top in each pair.
    bars = ax.barh(y - 0.2, fa, height=0.4, color=ORANGE, label="honest purchases blocked (%)")
    ax.bar_label(bars, fmt="%.0f%%", padding=2, fontsize=8)
    bars = ax.barh(y + 0.2, miss, height=0.4, color=BLUE, label="fraud that got through (%)")
    ax.bar_label(bars, fmt="%.0f%%", padding=2, fontsize=8)
    ax.set_yticks(
        y,
        [f"Customers who {GROUP_VERBS.get(g, g)}" for g in groups],
    )
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    ax.set_title("Who pays for the rule's mistakes?")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    rows = [
        [
            g,
            res[g]["purchases"],
            f"{res[g]['false_alarms']} of {res[g]['honest']}",
            f"{res[g]['caught']} of {res[g]['fraud']}",
            res[g]["missed"],
        ]
        for g in groups
    ]
    total_caught = sum(r["caught"] for r in res.values())
    total_fraud = sum(r["fraud"] for r in res.values())
    total_fa = sum(r["false_alarms"] for r in res.values())
    alt = (
        "Bar chart, per customer group, of honest purchases blocked and fraud missed. "
        + "; ".join(
            f"{g}: {a:.0f}% blocked wrongly, {m:.0f}% of fraud missed"
            for g, a, m in zip(groups, fa, miss, strict=True)
        )
    )
    return (
        f"<p>Your rule catches <b>{total_caught} of {total_fraud}</b> frauds and blocks "
        f"<b>{total_fa}</b> honest purchases.</p>"
        + figure_html(fig, alt)
        + table_html(
            [
                "Customer group",
                "Purchases",
                "Honest purchases blocked",
                "Fraud caught",
                "Fraud missed",
            ],
            rows,
        )
    )


GROUP_VERBS = {
    "stays local": "stay local",
    "travels often": "travel often",
    "works nights": "work nights",
}

FRAUD_START = {"max_amount": 500, "max_km": 100, "block_night": False}


def fraud_rule_builder() -> None:
    """Set the rule with sliders; the chart shows, group by group, who the mistakes land on."""
    import ipywidgets as w

    purchases = load_purchases()
    amount = w.IntSlider(
        value=FRAUD_START["max_amount"],
        min=50,
        max=2000,
        step=50,
        description="Block if more than $",
        style={"description_width": "initial"},  # a fixed width cuts long labels off
        layout=layout(width="auto", max_width="40em"),
    )
    km = w.IntSlider(
        value=FRAUD_START["max_km"],
        min=10,
        max=3000,
        step=10,
        description="Block if farther from home than (km)",
        style={"description_width": "initial"},
        layout=layout(width="auto", max_width="40em"),
    )
    night = w.Checkbox(
        value=FRAUD_START["block_night"],
        description="Block at night (12 to 5 am)",
        indent=False,
        layout=layout(width="auto"),
    )

    def redraw(_c=None) -> None:
        out.update(_fraud_html(purchases, amount.value, km.value, night.value))

    describe = lambda: [
        ("Block if more than", f"${amount.value}"),
        ("Block if farther from home than", f"{km.value} km"),
        ("Block at night (12 to 5 am)", "yes" if night.value else "no"),
    ]
    show(Controls(w.VBox([amount, km, night]), describe, "Your fraud rule"))
    out = Live(_fraud_html(purchases, amount.value, km.value, night.value))
    for c in (amount, km, night):
        c.observe(redraw, names="value")
