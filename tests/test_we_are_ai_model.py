"""Week 4's hiring model reaches the optimum of its own objective.

The lab fits a small ridge-penalised logistic regression by Newton's method, by hand (a
scikit-learn import would cost a learner's kernel about 155 MB). Here the same objective is
written out again from the data and minimised by a different method, plain gradient descent,
and the two fits must agree; the lab's fit must also leave no slope in the objective.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

COURSE = Path(__file__).resolve().parent.parent / "notebooks" / "we-are-ai"
RIDGE = 1e-3  # the penalty the lab's docstring promises, on every weight but the intercept


@pytest.fixture(scope="module")
def lab():
    """The course's lab code, whether it is one module (lab.py) or a package (lab/)."""
    package = COURSE / "lab" / "__init__.py"
    name = "we_are_ai_lab_model"
    if package.exists():
        spec = importlib.util.spec_from_file_location(
            name, package, submodule_search_locations=[str(package.parent)])
    else:
        spec = importlib.util.spec_from_file_location(name, COURSE / "lab.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            sys.modules.pop(key, None)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with open(COURSE / "data" / "hiring.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def design(rows, use_group: bool):
    """The features written out from the data, independently of the lab's own helper."""
    x = []
    for r in rows:
        row = [float(r["years_experience"]), float(r["test_score"])]
        if use_group:
            row.append(1.0 if r["group"] == "B" else 0.0)
        row += [1.0 if r["neighbourhood"] == place else 0.0 for place in ("Hilltop", "Riverside")]
        x.append(row)
    y = np.array([1.0 if r["hired"] == "yes" else 0.0 for r in rows])
    return np.array(x), y


def objective_and_gradient(w, xs, y):
    penalty = np.full(len(w), RIDGE)
    penalty[0] = 0.0
    z = xs @ w
    loss = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * w * w))
    grad = xs.T @ (1.0 / (1.0 + np.exp(-z)) - y) + penalty * w
    return loss, grad


def gradient_descent(xs, y, steps: int = 60_000):
    """A reference fit by another method: fixed-step gradient descent from zero."""
    w = np.zeros(xs.shape[1])
    lipschitz = np.linalg.norm(xs, 2) ** 2 / 4 + RIDGE
    for _ in range(steps):
        _, grad = objective_and_gradient(w, xs, y)
        w -= grad / lipschitz
        if np.abs(grad).max() < 1e-9:
            break
    return w


@pytest.mark.parametrize("use_group", [True, False], ids=["with group", "without group"])
def test_the_hiring_model_reaches_its_optimum(lab, rows, use_group):
    model = lab.train_hiring_model(rows, use_group=use_group)
    x, y = design(rows, use_group)
    assert np.allclose(model.mean, x.mean(axis=0)) and np.allclose(model.scale, x.std(axis=0))
    xs = np.hstack([np.ones((len(x), 1)), (x - model.mean) / model.scale])

    loss, grad = objective_and_gradient(model.weights, xs, y)
    assert np.abs(grad).max() < 1e-6, f"the fit stopped on a slope: {grad}"

    reference = gradient_descent(xs, y)
    assert np.allclose(model.weights, reference, atol=1e-4), (model.weights, reference)
    rng = np.random.default_rng(4)
    for _ in range(20):  # no nearby point does better
        nudged = model.weights + rng.normal(scale=0.05, size=len(model.weights))
        assert objective_and_gradient(nudged, xs, y)[0] > loss

    # The score a learner sees is that optimum's probability, on a 0-100 scale.
    first = rows[0]
    z = xs[0] @ model.weights
    assert model.score(first) == pytest.approx(100 / (1 + np.exp(-z)))
