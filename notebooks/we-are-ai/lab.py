# ruff: noqa: E731  (short lambdas describe the controls; they read better than named functions)
"""Helpers for the We Are AI activities.

Learners never read this file: each notebook calls one helper per activity, such as
`lab.recipe_ranker()`. Every helper shows two things:

* a picture or a table of the starting state, so a reader of the printed book sees the
  activity even without a running notebook, and
* the controls (sliders, drop-downs, buttons) that change it when the notebook runs.

The logic sits in small plain functions (`rank_recipes`, `train_tree`, `fraud_outcomes`,
`train_hiring_model`, `threshold_outcomes`, ...) so that tests can check it without a screen.
Only numpy and matplotlib are used, to keep the notebooks light on memory.

All data comes from `data/`, made by `data/make_data.py`. Every person and company is invented.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"

# Colours that stay apart for people with colour-blindness (Okabe and Ito).
BLUE, ORANGE, GREEN, RED, PINK, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#999999",
)


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a course data file, as dictionaries of text."""
    path = DATA / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing. Remake the course data with: python data/make_data.py"
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# =========================================================================================
# Showing things: static HTML that the book can print, and live updates in a running notebook
# =========================================================================================


def _esc(value: object) -> str:
    return html.escape(str(value))


def table_html(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """A plain HTML table. Cells are escaped; a cell given as `Raw(...)` is not."""
    pad = 'style="padding:0.2em 0.7em;text-align:left"'
    head = "".join(f"<th {pad}>{_esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td {pad}>{c if isinstance(c, Raw) else _esc(c)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="wai-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


class Raw(str):
    """HTML we wrote ourselves, to be placed in a table cell unescaped."""


def figure_html(fig, alt: str) -> str:
    """A matplotlib figure as an <img> with alt text, so it shows in the book without a kernel."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_esc(alt)}" style="max-width:100%">'


def _figure(width: float = 7.0, height: float = 3.2):
    # A bare Figure, not pyplot: nothing is drawn twice and no global state is kept.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.set_layout_engine("tight")
    return fig


def _bundle(markup: str, text: str) -> dict[str, str]:
    return {"text/html": markup, "text/plain": text}


class Live:
    """One output area that can be redrawn when a control changes."""

    def __init__(self, markup: str, text: str = "(a table or picture)") -> None:
        from IPython.display import display

        self.handle = display(_bundle(markup, text), raw=True, display_id=True)

    def update(self, markup: str, text: str = "(a table or picture)") -> None:
        if self.handle is not None:
            self.handle.update(_bundle(markup, text), raw=True)


class Controls:
    """ipywidgets controls that also describe themselves in plain HTML.

    JupyterLab, Notebook 7 and VS Code draw the live controls. The book, which cannot run
    Python, shows the HTML card instead: which controls there are and where they start.
    """

    def __init__(self, box, describe: Callable[[], list[tuple[str, str]]], title: str) -> None:
        self.box = box
        self.describe = describe
        self.title = title

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        items = "".join(
            f"<li><b>{_esc(name)}</b>: {_esc(value)}</li>" for name, value in self.describe()
        )
        bundle["text/html"] = (
            '<div class="wai-controls" style="border:1px solid #ccc;border-radius:6px;'
            'padding:0.5em 1em;margin:0.5em 0;background:#f7f7f7">'
            f"<p><b>{_esc(self.title)}</b> (these controls move when you run the notebook; "
            "here they are at their starting places)</p>"
            f"<ul>{items}</ul></div>"
        )
        bundle["text/plain"] = self.title
        return bundle


def _show(*things) -> None:
    from IPython.display import display

    for thing in things:
        display(thing)


def _layout(**kw):
    import ipywidgets as w

    return w.Layout(**kw)


# =========================================================================================
# Week 1: recipes are algorithms; whose values decide which one is "best"?
# =========================================================================================

VALUES = {
    # key: (label on the slider, column in recipes.csv, True when a bigger number is better)
    "taste": ("Tastes great", "taste", True),
    "cheap": ("Cheap to make", "cost_per_bowl", False),
    "quick": ("Quick to make", "minutes", False),
    "healthy": ("Healthy", "healthy", True),
    "local": ("Local, fresh food", "local", True),
}

STAKEHOLDERS = {
    # How much each value matters to each person, from 0 (not at all) to 5 (a lot).
    "Café owner": {"taste": 5, "cheap": 3, "quick": 3, "healthy": 0, "local": 0},
    "Customer": {"taste": 5, "cheap": 2, "quick": 1, "healthy": 2, "local": 3},
    "Cook": {"taste": 2, "cheap": 0, "quick": 5, "healthy": 1, "local": 0},
    "School cafeteria": {"taste": 1, "cheap": 4, "quick": 2, "healthy": 5, "local": 2},
}


@dataclass(frozen=True)
class Recipe:
    name: str
    taste: int
    cost_per_bowl: float
    minutes: int
    healthy: int
    local: int


def load_recipes() -> list[Recipe]:
    return [
        Recipe(
            r["recipe"],
            int(r["taste"]),
            float(r["cost_per_bowl"]),
            int(r["minutes"]),
            int(r["healthy"]),
            int(r["local"]),
        )
        for r in read_csv("recipes.csv")
    ]


def rank_recipes(recipes: Sequence[Recipe], weights: dict[str, float]) -> list[tuple[str, float]]:
    """Score every recipe from 0 to 100 by the weighted values, best first.

    Each value is first put on a 0-1 scale across the recipes (1 = best of the six), then the
    weights say how much it counts. Ties keep the order of the file.
    """
    total = sum(max(0.0, weights.get(k, 0)) for k in VALUES)
    scores = np.zeros(len(recipes))
    if total > 0:
        for key, (_, column, bigger_better) in VALUES.items():
            raw = np.array([getattr(r, column) for r in recipes], dtype=float)
            spread = raw.max() - raw.min()
            norm = (raw - raw.min()) / spread if spread else np.ones_like(raw)
            if not bigger_better:
                norm = 1 - norm
            scores += max(0.0, weights.get(key, 0)) * norm
        scores = 100 * scores / total
    order = sorted(range(len(recipes)), key=lambda i: (-round(scores[i], 9), i))
    return [(recipes[i].name, float(scores[i])) for i in order]


def best_recipe(weights: dict[str, float], recipes: Sequence[Recipe] | None = None) -> str:
    return rank_recipes(recipes or load_recipes(), weights)[0][0]


def _ranking_html(ranking: list[tuple[str, float]], who: str) -> str:
    fig = _figure(7, 3.0)
    ax = fig.add_subplot()
    names = [n for n, _ in ranking][::-1]
    scores = [s for _, s in ranking][::-1]
    colours = [GREY] * (len(names) - 1) + [BLUE]
    ax.barh(names, scores, color=colours)
    ax.set_xlim(0, 100)
    ax.set_xlabel("How well the recipe fits these values (0 to 100)")
    ax.set_title(f"Best soup for: {who}")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    alt = f"Bar chart of the six soups for {who}. Best: {ranking[0][0]}."
    return f"<p><b>Best recipe for {_esc(who)}:</b> {_esc(ranking[0][0])}</p>" + figure_html(
        fig, alt
    )


def recipe_table() -> None:
    """Show the six recipes as a table."""
    rows = [
        [
            r.name,
            "★" * r.taste,
            f"${r.cost_per_bowl:.2f}",
            f"{r.minutes} min",
            "★" * r.healthy,
            "★" * r.local,
        ]
        for r in load_recipes()
    ]
    _show_html(
        table_html(
            ["Soup", "Taste", "Cost a bowl", "Time", "Healthy", "Local food"],
            rows,
            "Six soup recipes (invented ratings)",
        )
    )


def _show_html(markup: str) -> None:
    from IPython.display import display

    display(_bundle(markup, "(a table)"), raw=True)


def recipe_ranker() -> None:
    """Sliders for five values; pick a person to load their values; the chart ranks the soups."""
    import ipywidgets as w

    recipes = load_recipes()
    first = next(iter(STAKEHOLDERS))
    who = w.Dropdown(
        options=[*STAKEHOLDERS, "My own mix"],
        value=first,
        description="Whose view?",
        style={"description_width": "initial"},
    )
    sliders = {
        key: w.IntSlider(
            value=STAKEHOLDERS[first][key],
            min=0,
            max=5,
            description=label,
            style={"description_width": "9em"},
            layout=_layout(width="26em"),
        )
        for key, (label, _, _) in VALUES.items()
    }
    live_weights = lambda: {k: s.value for k, s in sliders.items()}
    busy = {"loading": False}

    def on_person(change) -> None:
        if change["new"] in STAKEHOLDERS:
            busy["loading"] = True
            for key, s in sliders.items():
                s.value = STAKEHOLDERS[change["new"]][key]
            busy["loading"] = False
        redraw()

    def on_slider(_change) -> None:
        if busy["loading"]:
            return
        if who.value != "My own mix" and live_weights() != STAKEHOLDERS.get(who.value):
            who.value = "My own mix"  # this calls redraw through on_person
        else:
            redraw()

    def redraw() -> None:
        out.update(_ranking_html(rank_recipes(recipes, live_weights()), who.value))

    box = w.VBox(
        [
            who,
            w.HTML("<b>How much does each value matter? (0 = not at all, 5 = a lot)</b>"),
            *sliders.values(),
        ]
    )
    describe = lambda: (
        [("Whose view?", who.value)]
        + [(VALUES[k][0], f"{s.value} of 5") for k, s in sliders.items()]
    )
    _show(Controls(box, describe, "Recipe ranker"))
    out = Live(_ranking_html(rank_recipes(recipes, live_weights()), who.value))
    who.observe(on_person, names="value")
    for s in sliders.values():
        s.observe(on_slider, names="value")


def stakeholder_table() -> None:
    """Each person's values and their best soup, side by side."""
    recipes = load_recipes()
    rows = [
        [person, *(weights[k] for k in VALUES), rank_recipes(recipes, weights)[0][0]]
        for person, weights in STAKEHOLDERS.items()
    ]
    _show_html(
        table_html(
            ["Person", *(label for label, _, _ in VALUES.values()), "Best soup for them"],
            rows,
            "Same recipes, different values, different winners",
        )
    )


# --- the order of steps matters ----------------------------------------------------------

SOUP_STEPS = {
    "chop": "Chop the onion, carrot and celery",
    "soften": "Warm oil in the pot and soften the chopped vegetables",
    "broth": "Pour in the broth and bring it to a boil",
    "simmer": "Add the chicken and noodles, then simmer for 10 minutes",
    "serve": "Taste, add salt, and serve",
}
STARTING_ORDER = ["soften", "chop", "broth", "serve", "simmer"]  # shuffled on purpose


def run_steps(order: Sequence[str]) -> tuple[bool, list[str]]:
    """Follow the steps in the given order, like a computer would: exactly, without guessing.

    Returns whether the soup came out, and what happened at each step.
    """
    done: set[str] = set()
    log = []
    needs = {
        "soften": ("chop", "You put whole, unchopped vegetables in the pot."),
        "broth": ("soften", "The broth boils, but the vegetables are not in it yet."),
        "simmer": ("broth", "The noodles go into a pot with no broth in it."),
        "serve": ("simmer", "You serve bowls with no chicken and no noodles."),
    }
    ok = True
    for i, key in enumerate(order, start=1):
        text = SOUP_STEPS.get(key, str(key))
        if key in done:
            log.append(f"Step {i}: {text}. But you did this already!")
            ok = False
            continue
        need = needs.get(key)
        if need and need[0] not in done:
            log.append(f"Step {i}: {text}. Problem: {need[1]}")
            ok = False
        else:
            log.append(f"Step {i}: {text}. Fine.")
        done.add(key)
    missing = [SOUP_STEPS[k] for k in SOUP_STEPS if k not in done]
    if missing:
        ok = False
        log.append("You never did: " + "; ".join(missing) + ".")
    log.append("Result: a good bowl of soup!" if ok else "Result: this soup did not turn out.")
    return ok, log


def _steps_html(order: Sequence[str]) -> str:
    ok, log = run_steps(order)
    colour = GREEN if ok else RED
    items = "".join(f"<li>{_esc(line)}</li>" for line in log[:-1])
    return f'<ul>{items}</ul><p style="color:{colour}"><b>{_esc(log[-1])}</b></p>'


def soup_steps() -> None:
    """Five drop-downs to put the recipe steps in order, and a button to run the recipe."""
    import ipywidgets as w

    choices = [(text, key) for key, text in SOUP_STEPS.items()]
    drops = [
        w.Dropdown(
            options=choices, value=key, description=f"Step {i}", layout=_layout(width="36em")
        )
        for i, key in enumerate(STARTING_ORDER, start=1)
    ]
    button = w.Button(description="Run the recipe", button_style="primary", icon="play")

    def run(_b) -> None:
        out.update(_steps_html([d.value for d in drops]))

    box = w.VBox([*drops, button])
    describe = lambda: [(d.description, SOUP_STEPS[d.value]) for d in drops]
    _show(Controls(box, describe, "Put the steps in order, then press Run the recipe"))
    out = Live(_steps_html(STARTING_ORDER))
    button.on_click(run)


# =========================================================================================
# Week 2, part A: a smart light learns from examples you label
# =========================================================================================

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
    rules = "".join(f"<li>{_esc(line)}</li>" for line in tree_rules(tree))
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
        f"<p>On your {len(labels)} labelled examples it gets "
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
                    f"{_esc(r['situation'])} <br><small>dark {_yes(r['dark'])} · moves "
                    f"{_yes(r['movement'])} · night {_yes(r['night'])}</small>",
                    layout=_layout(width="26em"),
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
    _show(
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
    fig = _figure(7, 3.0)
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
        style={"description_width": "12em"},
        layout=_layout(width="34em"),
    )
    km = w.IntSlider(
        value=FRAUD_START["max_km"],
        min=10,
        max=3000,
        step=10,
        description="Block if farther from home than (km)",
        style={"description_width": "16em"},
        layout=_layout(width="38em"),
    )
    night = w.Checkbox(
        value=FRAUD_START["block_night"], description="Block purchases between midnight and 5 am"
    )

    def redraw(_c=None) -> None:
        out.update(_fraud_html(purchases, amount.value, km.value, night.value))

    describe = lambda: [
        ("Block if more than", f"${amount.value}"),
        ("Block if farther from home than", f"{km.value} km"),
        ("Block purchases between midnight and 5 am", "yes" if night.value else "no"),
    ]
    _show(Controls(w.VBox([amount, km, night]), describe, "Your fraud rule"))
    out = Live(_fraud_html(purchases, amount.value, km.value, night.value))
    for c in (amount, km, night):
        c.observe(redraw, names="value")


# =========================================================================================
# Week 3: the ethical matrix
# =========================================================================================

MATRIX_STAKEHOLDERS = [
    "People walking or cycling",
    "Riders in the car",
    "The safety driver",
    "The car company",
    "The city and its leaders",
]
MATRIX_VALUES = [
    "Safety",
    "Getting there fast",
    "Fairness",
    "Privacy",
    "Being held responsible",
    "Money",
]


MATRIX_LEVELS = ["—", "matters", "at risk"]  # what a box of the matrix can say
MATRIX_EXAMPLE = {("People walking or cycling", "Safety"): "at risk"}


def matrix_grid(marks: dict[tuple[str, str], str]) -> np.ndarray:
    """The matrix as numbers, stakeholders down and values across: 0 empty, 1 matters, 2 at risk."""
    grid = np.zeros((len(MATRIX_STAKEHOLDERS), len(MATRIX_VALUES)), dtype=int)
    for (who, value), level in marks.items():
        grid[MATRIX_STAKEHOLDERS.index(who), MATRIX_VALUES.index(value)] = MATRIX_LEVELS.index(
            level
        )
    return grid


def values_at_risk(marks: dict[tuple[str, str], str]) -> dict[str, list[str]]:
    """For each value, the stakeholders for whom the group marked it "at risk"."""
    out: dict[str, list[str]] = {v: [] for v in MATRIX_VALUES}
    for who in MATRIX_STAKEHOLDERS:
        for value in MATRIX_VALUES:
            if marks.get((who, value)) == "at risk":
                out[value].append(who)
    return out


def _matrix_html(marks: dict[tuple[str, str], str]) -> str:
    from matplotlib.colors import ListedColormap

    grid = matrix_grid(marks)
    fig = _figure(9, 3.4)
    ax = fig.add_subplot()
    colours = ListedColormap(["#f4f4f4", "#9ecae1", ORANGE])
    ax.imshow(grid, cmap=colours, vmin=0, vmax=2, aspect="auto")
    labels = [
        {
            "Getting there fast": "Getting\nthere fast",
            "Being held responsible": "Being held\nresponsible",
        }.get(v, v)
        for v in MATRIX_VALUES
    ]
    ax.set_xticks(range(len(MATRIX_VALUES)), labels, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(MATRIX_STAKEHOLDERS)), MATRIX_STAKEHOLDERS)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if grid[i, j]:
                ax.text(j, i, MATRIX_LEVELS[grid[i, j]], ha="center", va="center", fontsize=8)
    ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, grid.shape[0]), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    filled = [f"{who}: {value} {level}" for (who, value), level in marks.items() if level != "—"]
    alt = "Ethical matrix of stakeholders and values. " + (
        "Marked boxes: " + "; ".join(filled) if filled else "No box is marked yet."
    )
    risky = [(v, w) for v, w in values_at_risk(marks).items() if w]
    summary = "".join(
        f"<li><b>{_esc(v)}</b> is at risk for: {_esc(', '.join(w))}</li>" for v, w in risky
    )
    return figure_html(fig, alt) + (f"<ul>{summary}</ul>" if summary else "")


def matrix_builder() -> None:
    """A drop-down in every box of the matrix; a picture shows what matters and what is at risk."""
    import ipywidgets as w

    boxes: dict[tuple[str, str], object] = {}
    rows = [
        w.HBox(
            [w.HTML("<b>Who is affected?</b>", layout=_layout(width="14em"))]
            + [w.HTML(f"<b>{_esc(v)}</b>", layout=_layout(width="8.5em")) for v in MATRIX_VALUES]
        )
    ]
    for who in MATRIX_STAKEHOLDERS:
        line = [w.HTML(_esc(who), layout=_layout(width="14em"))]
        for value in MATRIX_VALUES:
            d = w.Dropdown(
                options=MATRIX_LEVELS,
                value=MATRIX_EXAMPLE.get((who, value), "—"),
                layout=_layout(width="8.5em"),
            )
            boxes[(who, value)] = d
            line.append(d)
        rows.append(w.HBox(line))

    def marks() -> dict[tuple[str, str], str]:
        return {k: d.value for k, d in boxes.items() if d.value != "—"}

    def redraw(_c=None) -> None:
        out.update(_matrix_html(marks()))

    describe = lambda: (
        [(f"{who} / {value}", level) for (who, value), level in marks().items()]
        or [("Every box", "empty")]
    )
    _show(Controls(w.VBox(rows), describe, "The ethical matrix for the Tempe crash"))
    out = Live(_matrix_html(marks()))
    for d in boxes.values():
        d.observe(redraw, names="value")


# =========================================================================================
# Week 4: a hiring history, and a model that learns it
# =========================================================================================

COMPANY = "Shelfwise Market"  # invented: not a real company
PLACES = ["Northside", "Hilltop", "Riverside"]


def load_hiring() -> list[dict[str, str]]:
    return read_csv("hiring.csv")


def _band(column: str, value: str) -> str:
    if column not in ("years_experience", "test_score", "year"):
        return value
    v = int(value)
    if column == "years_experience":
        return (
            "0-2 years"
            if v <= 2
            else "3-5 years"
            if v <= 5
            else "6-8 years"
            if v <= 8
            else "9-10 years"
        )
    if column == "test_score":
        return "under 60" if v < 60 else "60-69" if v < 70 else "70-79" if v < 80 else "80 or more"
    if column == "year":
        return "2014-2016" if v <= 2016 else "2017-2019" if v <= 2019 else "2020-2023"
    return value


BAND_ORDER = {
    "years_experience": ["0-2 years", "3-5 years", "6-8 years", "9-10 years"],
    "test_score": ["under 60", "60-69", "70-79", "80 or more"],
    "year": ["2014-2016", "2017-2019", "2020-2023"],
    "neighbourhood": PLACES,
}

EXPLORE_BY = {
    "Years of experience": "years_experience",
    "Test score": "test_score",
    "Year they applied": "year",
    "Neighbourhood": "neighbourhood",
    "Group": "group",
}


def hire_rates(
    rows: Sequence[dict[str, str]], column: str
) -> list[tuple[str, int, int, float, float]]:
    """Per category: (category, applicants, hired, share hired %, average test score)."""
    cats: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        cats.setdefault(_band(column, r[column]), []).append(r)
    order = BAND_ORDER.get(column)
    out = []
    for cat in sorted(cats, key=lambda c: (order.index(c) if order and c in order else 0, c)):
        rs = cats[cat]
        hired = sum(r["hired"] == "yes" for r in rs)
        avg = sum(int(r["test_score"]) for r in rs) / len(rs)
        out.append((cat, len(rs), hired, 100 * hired / len(rs), avg))
    return out


def _explore_html(rows, label: str) -> str:
    column = EXPLORE_BY[label]
    stats = hire_rates(rows, column)
    fig = _figure(7, 2.8)
    ax = fig.add_subplot()
    names = [("Group " + s[0]) if column == "group" else s[0] for s in stats]
    ax.bar(names, [s[3] for s in stats], color=BLUE)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of applicants hired")
    ax.set_title(f"Who got hired, by {label.lower()}")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    alt = f"Bar chart of the share hired by {label.lower()}: " + ", ".join(
        f"{n} {s[3]:.0f}%" for n, s in zip(names, stats, strict=True)
    )
    table = table_html(
        [label, "Applicants", "Hired", "Share hired", "Average test score"],
        [[n, s[1], s[2], f"{s[3]:.0f}%", f"{s[4]:.0f}"] for n, s in zip(names, stats, strict=True)],
    )
    return figure_html(fig, alt) + table


def hiring_table(n: int = 8) -> None:
    """The first few rows of the hiring history."""
    rows = load_hiring()[:n]
    cols = [
        "applicant",
        "year",
        "group",
        "neighbourhood",
        "years_experience",
        "test_score",
        "hired",
    ]
    _show_html(
        table_html(
            [
                "Applicant",
                "Year",
                "Group",
                "Neighbourhood",
                "Years of experience",
                "Test score (of 100)",
                "Hired?",
            ],
            [[r[c] for c in cols] for r in rows],
            f"The first {n} of 600 rows in {COMPANY}'s hiring history (invented)",
        )
    )


def hiring_explorer() -> None:
    """A drop-down to split the hiring history different ways and see who got hired."""
    import ipywidgets as w

    rows = load_hiring()
    pick = w.Dropdown(
        options=list(EXPLORE_BY),
        value="Years of experience",
        description="Split by",
        style={"description_width": "initial"},
    )
    pick.observe(lambda _c: out.update(_explore_html(rows, pick.value)), names="value")
    _show(Controls(pick, lambda: [("Split by", pick.value)], "Explore the hiring history"))
    out = Live(_explore_html(rows, pick.value))


@dataclass
class HiringModel:
    """A logistic-regression model: points for each fact about an applicant, turned into 0-100."""

    columns: list[str]
    weights: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    uses_group: bool = field(default=True)

    def features(self, applicant: dict[str, object]) -> np.ndarray:
        return _features(applicant, self.uses_group)

    def score(self, applicant: dict[str, object]) -> float:
        """The model's score from 0 to 100: how much this applicant looks like past hires."""
        x = (self.features(applicant) - self.mean) / self.scale
        z = self.weights[0] + float(x @ self.weights[1:])
        return 100.0 / (1.0 + math.exp(-z))


def _features(a: dict[str, object], use_group: bool) -> np.ndarray:
    values = [float(a["years_experience"]), float(a["test_score"])]
    if use_group:
        values.append(1.0 if a["group"] == "B" else 0.0)
    values += [
        1.0 if a["neighbourhood"] == "Hilltop" else 0.0,
        1.0 if a["neighbourhood"] == "Riverside" else 0.0,
    ]
    return np.array(values)


def train_hiring_model(rows: Sequence[dict[str, str]], use_group: bool = True) -> HiringModel:
    """Fit a logistic regression to past decisions ("hired": yes/no) with Newton's method.

    A small ridge penalty keeps the fit steady; the result is the same every run.
    """
    columns = (
        ["years_experience", "test_score"]
        + (["group B"] if use_group else [])
        + ["lives in Hilltop", "lives in Riverside"]
    )
    x = np.array([_features(r, use_group) for r in rows])
    y = np.array([1.0 if r["hired"] == "yes" else 0.0 for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(xs.shape[1])
    ridge = 1e-3 * np.eye(len(w))
    ridge[0, 0] = 0.0
    for _ in range(25):
        p = 1 / (1 + np.exp(-(xs @ w)))
        grad = xs.T @ (p - y) + ridge @ w
        hess = (xs * (p * (1 - p))[:, None]).T @ xs + ridge
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return HiringModel(columns, w, mean, scale, use_group)


def pair_scores(model: HiringModel, years: int, test: int, place: str) -> tuple[float, float]:
    """Scores for two applicants identical in every way except their group (A, then B)."""
    a = {"years_experience": years, "test_score": test, "neighbourhood": place, "group": "A"}
    return model.score(a), model.score({**a, "group": "B"})


def group_gap(
    model: HiringModel, rows: Sequence[dict[str, str]], years: int = 5, test: int = 70
) -> dict[str, float]:
    """Average score per group when every applicant is given the SAME experience and test score.

    Only group and neighbourhood are left as they really are, so any gap comes from those.
    """
    sums: dict[str, list[float]] = {}
    for r in rows:
        a = {**r, "years_experience": years, "test_score": test}
        sums.setdefault(r["group"], []).append(model.score(a))
    return {g: sum(v) / len(v) for g, v in sorted(sums.items())}


def where_groups_live(rows: Sequence[dict[str, str]]) -> dict[str, dict[str, float]]:
    """For each group, the share (%) living in each neighbourhood."""
    out: dict[str, dict[str, float]] = {}
    for g in ("A", "B"):
        rs = [r for r in rows if r["group"] == g]
        out[g] = {p: 100 * sum(r["neighbourhood"] == p for r in rs) / len(rs) for p in PLACES}
    return out


_MODELS: dict[bool, HiringModel] = {}


def _model(use_group: bool) -> HiringModel:
    if use_group not in _MODELS:
        _MODELS[use_group] = train_hiring_model(load_hiring(), use_group)
    return _MODELS[use_group]


def _card(title: str, colour: str, years: int, test: int, place: str, score: float) -> str:
    return (
        f'<div style="border:2px solid {colour};border-radius:8px;padding:0.5em 1em;'
        'margin:0.3em;min-width:13em;display:inline-block;vertical-align:top">'
        f"<b>{_esc(title)}</b><br>{years} years of experience<br>Test score {test} of 100<br>"
        f"Lives in {_esc(place)}<br>"
        f'<span style="font-size:1.6em;color:{colour}"><b>{score:.0f}</b></span> of 100</div>'
    )


def _pair_html(years: int, test: int, place: str, use_group: bool) -> str:
    model = _model(use_group)
    a, b = pair_scores(model, years, test, place)
    which = "knows each applicant's group" if use_group else "was trained WITHOUT the group column"
    cards = _card("Applicant 1, Group A", BLUE, years, test, place, a) + _card(
        "Applicant 2, Group B", ORANGE, years, test, place, b
    )
    return (
        f"<p>The model {which}. "
        "The two applicants are the same in every way except their group.</p>"
        f"<div>{cards}</div><p>Difference: <b>{abs(a - b):.0f} points</b>.</p>"
    )


def _skill_sliders():
    """The two skill sliders the week 4 labs share: years of experience and test score."""
    import ipywidgets as w

    def slider(label: str, value: int, low: int, high: int):
        return w.IntSlider(value=value, min=low, max=high, description=label,
                           style={"description_width": "10em"}, layout=_layout(width="30em"))

    return slider("Years of experience", 5, 0, 10), slider("Test score", 70, 35, 100)


def pair_lab() -> None:
    """Two applicants who are the same except for their group; sliders change both at once."""
    import ipywidgets as w

    years, test = _skill_sliders()
    place = w.Dropdown(
        options=PLACES,
        value="Northside",
        description="Neighbourhood",
        style={"description_width": "10em"},
    )
    which = w.ToggleButtons(
        options=[("Model with group column", True), ("Model without group column", False)],
        value=True,
    )

    def redraw(_c=None) -> None:
        out.update(_pair_html(years.value, test.value, place.value, which.value))

    describe = lambda: [
        ("Years of experience", years.value),
        ("Test score", test.value),
        ("Neighbourhood", place.value),
        ("Model", "with the group column" if which.value else "without the group column"),
    ]
    _show(Controls(w.VBox([years, test, place, which]), describe, "Two applicants, one difference"))
    out = Live(_pair_html(years.value, test.value, place.value, which.value))
    for c in (years, test, place, which):
        c.observe(redraw, names="value")


def _proxy_html(years: int, test: int) -> str:
    rows = load_hiring()
    live = where_groups_live(rows)
    with_group = group_gap(_model(True), rows, years, test)
    without = group_gap(_model(False), rows, years, test)
    fig = _figure(7, 2.8)
    ax = fig.add_subplot()
    x = np.arange(2)
    ax.bar(x - 0.2, [with_group["A"], without["A"]], width=0.4, color=BLUE, label="Group A")
    ax.bar(x + 0.2, [with_group["B"], without["B"]], width=0.4, color=ORANGE, label="Group B")
    ax.set_xticks(x, ["Model WITH group column", "Model WITHOUT group column"])
    ax.set_ylim(0, 100)
    ax.set_ylabel("Average score (of 100)")
    ax.set_title(f"Everyone given {years} years of experience and a test score of {test}")
    ax.legend(fontsize=8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    alt = (
        f"Bar chart. With the group column: Group A {with_group['A']:.0f}, "
        f"Group B {with_group['B']:.0f}. "
        f"Without it: Group A {without['A']:.0f}, Group B {without['B']:.0f}."
    )
    table = table_html(
        ["", *PLACES],
        [[f"Group {g}", *(f"{live[g][p]:.0f}%" for p in PLACES)] for g in ("A", "B")],
        "Where the applicants in each group live",
    )
    return (
        figure_html(fig, alt)
        + f"<p>Gap with the group column: <b>{with_group['A'] - with_group['B']:.0f} points</b>. "
        f"Gap without it: <b>{without['A'] - without['B']:.0f} points</b>.</p>" + table
    )


def proxy_check() -> None:
    """Give everyone the same skills; compare the groups' average scores under both models."""
    import ipywidgets as w

    years, test = _skill_sliders()

    def redraw(_c=None) -> None:
        out.update(_proxy_html(years.value, test.value))

    describe = lambda: [("Years of experience", years.value), ("Test score", test.value)]
    _show(Controls(w.VBox([years, test]), describe, "Give all 600 applicants the same skills"))
    out = Live(_proxy_html(years.value, test.value))
    for c in (years, test):
        c.observe(redraw, names="value")


# =========================================================================================
# Week 5: a risk score and its threshold
# =========================================================================================

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
        "label": "Child welfare (the course's main story)",
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
    fig = _figure(7, 3.0)
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
        f"<p>Story: <b>{_esc(s['label'])}</b>. Flagged {s['unit']} are {_esc(s['flag'])}.<br>"
        f"A <b>false alarm</b> means {_esc(s['false_alarm'])}. A <b>missed case</b> means "
        f"{_esc(s['missed'])}.</p>"
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
    )
    slider = w.IntSlider(
        value=DEFAULT_THRESHOLD,
        min=0,
        max=16,
        description="Threshold",
        layout=_layout(width="30em"),
    )

    def redraw(_c=None) -> None:
        out.update(_risk_html(pick.value, slider.value))

    describe = lambda: [
        ("Story", STORIES[pick.value]["label"]),
        ("Threshold", f"flag when the score is {slider.value} or more"),
    ]
    _show(Controls(w.VBox([pick, slider]), describe, "Risk score lab"))
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
    """Tick the facts on record for one invented household and watch its score move."""
    import ipywidgets as w

    pick = w.Dropdown(
        options=[(v["label"], k) for k, v in STORIES.items()],
        value=story,
        description="Story",
        style={"description_width": "initial"},
    )
    boxes: list = []
    holder = w.VBox()
    start = {"Gets public benefits (for example, food help)", "Changed address twice in a year"}

    def build(_c=None) -> None:
        boxes.clear()
        for f in STORIES[pick.value]["factors"]:
            b = w.Checkbox(
                value=f in start,
                description=f,
                layout=_layout(width="34em"),
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
    _show(Controls(w.VBox([pick, holder]), describe, "One household's score card"))
    out = Live(_card_html(pick.value, [b.description for b in boxes if b.value]))
    pick.observe(build, names="value")


# =========================================================================================
# The datasheet, shown inside a notebook
# =========================================================================================


def datasheet_section(name: str) -> str:
    """The part of data/DATASHEET.md about one data file, as Markdown text."""
    text = (DATA / "DATASHEET.md").read_text(encoding="utf-8")
    lines, keep = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            keep = line.strip() == f"## data/{name}"
        if keep:
            lines.append(line)
    if not lines:
        raise KeyError(f"data/DATASHEET.md has no section '## data/{name}'")
    return "\n".join(lines)


def datasheet(name: str) -> None:
    """Show the datasheet's section for one data file."""
    from IPython.display import Markdown, display

    display(Markdown(datasheet_section(name).replace("## data/", "### Datasheet: data/", 1)))
