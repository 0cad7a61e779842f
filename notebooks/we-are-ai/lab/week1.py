# ruff: noqa: E731  (short lambdas describe the controls; they read better than named functions)
"""Week 1: recipes are algorithms; whose values decide which one is "best"?
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .display import (
    BLUE,
    GREEN,
    GREY,
    RED,
    Controls,
    Live,
    esc,
    figure_html,
    layout,
    new_figure,
    read_csv,
    show,
    show_html,
    table_html,
)

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


def with_recipe(recipes: Sequence[Recipe], mine: Recipe) -> list[Recipe]:
    """The recipes with a learner's own soup added (or put in place of one with its name)."""
    if not mine.name.strip():
        raise ValueError("your soup needs a name")
    for column in ("taste", "healthy", "local"):
        if not 1 <= getattr(mine, column) <= 5:
            raise ValueError(f"{column} is a number from 1 to 5")
    if mine.cost_per_bowl <= 0 or mine.minutes <= 0:
        raise ValueError("cost and time must be more than 0")
    return [r for r in recipes if r.name != mine.name] + [mine]


def best_recipe(weights: dict[str, float], recipes: Sequence[Recipe] | None = None) -> str:
    return rank_recipes(recipes or load_recipes(), weights)[0][0]


def _ranking_html(ranking: list[tuple[str, float]], who: str) -> str:
    fig = new_figure(7, 3.0)
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
    alt = f"Bar chart of the {len(ranking)} soups for {who}. Best: {ranking[0][0]}."
    return f"<p><b>Best recipe for {esc(who)}:</b> {esc(ranking[0][0])}</p>" + figure_html(
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
    show_html(
        table_html(
            ["Soup", "Taste", "Cost a bowl", "Time", "Healthy", "Local food"],
            rows,
            "Six soup recipes (invented ratings)",
        )
    )




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
            layout=layout(width="26em"),
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

    # Your own soup: labelled boxes and lists (no sliders), so each one has a name to read out.
    def stars(label: str):
        return w.Dropdown(options=[1, 2, 3, 4, 5], value=3, description=label,
                          style={"description_width": "initial"})

    name = w.Text(value="", description="Your soup's name", placeholder="For example: egusi soup",
                  style={"description_width": "initial"}, layout=layout(width="auto"))
    mine = {
        "taste": stars("Taste (1 to 5)"),
        "cost_per_bowl": w.BoundedFloatText(value=2.0, min=0.1, max=20, step=0.1,
                                            description="Cost a bowl ($)",
                                            style={"description_width": "initial"}),
        "minutes": w.BoundedIntText(value=30, min=1, max=600, description="Minutes to make",
                                    style={"description_width": "initial"}),
        "healthy": stars("Healthy (1 to 5)"),
        "local": stars("Local food (1 to 5)"),
    }
    add = w.Button(description="Add my soup to the ranker", button_style="info",
                   layout=layout(width="auto"))
    said = w.HTML("")

    def on_add(_b) -> None:
        try:
            soup = Recipe(name.value.strip(), mine["taste"].value, mine["cost_per_bowl"].value,
                          mine["minutes"].value, mine["healthy"].value, mine["local"].value)
            recipes[:] = with_recipe(recipes, soup)
        except ValueError as problem:
            said.value = f'<span role="status">Not added: {esc(problem)}.</span>'
            return
        said.value = f'<span role="status">Added: {esc(soup.name)}. Look at the chart.</span>'
        redraw()

    add.on_click(on_add)
    box = w.VBox(
        [
            who,
            w.HTML("<b>How much does each value matter? (0 = not at all, 5 = a lot)</b>"),
            *sliders.values(),
            w.HTML("<b>Add your own soup</b> (rate it the way you think is fair)"),
            name,
            *mine.values(),
            add,
            said,
        ]
    )
    describe = lambda: (
        [("Whose view?", who.value)]
        + [(VALUES[k][0], f"{s.value} of 5") for k, s in sliders.items()]
    )
    show(Controls(box, describe, "Recipe ranker"))
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
    show_html(
        table_html(
            ["Person", *(label for label, _, _ in VALUES.values()), "Best soup for them"],
            rows,
            "Same recipes, different values, different winners",
        )
    )


# --- the order of steps matters ----------------------------------------------------------

SOUP_STEPS = {
    "chop": "Chop the onion, carrot and celery",
    "soften": "Soften the vegetables in warm oil",
    "broth": "Pour in broth; bring it to a boil",
    "simmer": "Add chicken and noodles; simmer",
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
    items = "".join(f"<li>{esc(line)}</li>" for line in log[:-1])
    return f'<ul>{items}</ul><p style="color:{colour}"><b>{esc(log[-1])}</b></p>'


def soup_steps() -> None:
    """Five drop-downs to put the recipe steps in order, and a button to run the recipe."""
    import ipywidgets as w

    choices = [(text, key) for key, text in SOUP_STEPS.items()]
    drops = [
        w.Dropdown(
            options=choices, value=key, description=f"Step {i}", layout=layout(width="36em")
        )
        for i, key in enumerate(STARTING_ORDER, start=1)
    ]
    button = w.Button(description="Run the recipe", button_style="primary", icon="play")

    def run(_b) -> None:
        out.update(_steps_html([d.value for d in drops]))

    box = w.VBox([*drops, button])
    describe = lambda: [(d.description, SOUP_STEPS[d.value]) for d in drops]
    show(Controls(box, describe, "Put the steps in order, then press Run the recipe"))
    out = Live(_steps_html(STARTING_ORDER))
    button.on_click(run)
