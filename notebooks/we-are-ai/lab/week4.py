# ruff: noqa: E731  (short lambdas describe the controls; they read better than named functions)
"""Week 4: a hiring history, and a model that learns it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .display import (
    BLUE,
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
    "Neighborhood": "neighbourhood",
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
    fig = new_figure(7, 2.8)
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
    show_html(
        table_html(
            [
                "Applicant",
                "Year",
                "Group",
                "Neighborhood",
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
    show(Controls(pick, lambda: [("Split by", pick.value)], "Explore the hiring history"))
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

    Only group and neighborhood are left as they really are, so any gap comes from those.
    """
    sums: dict[str, list[float]] = {}
    for r in rows:
        a = {**r, "years_experience": years, "test_score": test}
        sums.setdefault(r["group"], []).append(model.score(a))
    return {g: sum(v) / len(v) for g, v in sorted(sums.items())}


def where_groups_live(rows: Sequence[dict[str, str]]) -> dict[str, dict[str, float]]:
    """For each group, the share (%) living in each neighborhood."""
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
        f"<b>{esc(title)}</b><br>{years} years of experience<br>Test score {test} of 100<br>"
        f"Lives in {esc(place)}<br>"
        f'<span style="font-size:1.6em;color:{colour}"><b>{score:.0f}</b></span> of 100</div>'
    )


def _pair_html(years: int, test: int, place: str, use_group: bool) -> str:
    model = _model(use_group)
    a, b = pair_scores(model, years, test, place)
    which = "knows each applicant's group" if use_group else "was trained WITHOUT the group column"
    cards = _card("Applicant 1, Group A", BLUE, years, test, place, a) + _card(
        "Applicant 2, Group B", RED, years, test, place, b
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
                           style={"description_width": "10em"}, layout=layout(width="30em"))

    return slider("Years of experience", 5, 0, 10), slider("Test score", 70, 35, 100)


def pair_lab() -> None:
    """Two applicants who are the same except for their group; sliders change both at once."""
    import ipywidgets as w

    years, test = _skill_sliders()
    place = w.Dropdown(
        options=PLACES,
        value="Northside",
        description="Neighborhood",
        style={"description_width": "10em"},
    )
    # Radio buttons, not toggle buttons: a toggle button has a fixed width and cut these
    # labels to "Model without gr...", while the page talks about "Model without group column".
    which = w.RadioButtons(
        options=[("Model with group column", True), ("Model without group column", False)],
        value=True,
        description="Which model?",
        style={"description_width": "initial"},
        layout=layout(width="auto"),
    )

    def redraw(_c=None) -> None:
        out.update(_pair_html(years.value, test.value, place.value, which.value))

    describe = lambda: [
        ("Years of experience", years.value),
        ("Test score", test.value),
        ("Neighborhood", place.value),
        ("Model", "with the group column" if which.value else "without the group column"),
    ]
    show(Controls(w.VBox([years, test, place, which]), describe, "Two applicants, one difference"))
    out = Live(_pair_html(years.value, test.value, place.value, which.value))
    for c in (years, test, place, which):
        c.observe(redraw, names="value")


def _proxy_html(years: int, test: int) -> str:
    rows = load_hiring()
    live = where_groups_live(rows)
    with_group = group_gap(_model(True), rows, years, test)
    without = group_gap(_model(False), rows, years, test)
    fig = new_figure(7, 2.8)
    ax = fig.add_subplot()
    x = np.arange(2)
    ax.bar(x - 0.2, [with_group["A"], without["A"]], width=0.4, color=BLUE, label="Group A")
    ax.bar(x + 0.2, [with_group["B"], without["B"]], width=0.4, color=RED, label="Group B")
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
    show(Controls(w.VBox([years, test]), describe, "Give all 600 applicants the same skills"))
    out = Live(_proxy_html(years.value, test.value))
    for c in (years, test):
        c.observe(redraw, names="value")
