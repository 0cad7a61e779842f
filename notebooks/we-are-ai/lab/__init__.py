"""Helpers for the We Are AI activities.

Learners never read this package: each notebook calls one helper per activity, such as
`lab.recipe_ranker()`. Every helper shows two things:

* a picture or a table of the starting state, so a reader of the printed book sees the
  activity even without a running notebook, and
* the controls (sliders, drop-downs, buttons) that change it when the notebook runs.

One module per week (`week1` ... `week5`), one shared module for showing things (`show`) and
one for the datasheet (`datasheets`). The logic sits in small plain functions (`rank_recipes`,
`train_tree`, `fraud_outcomes`, `train_hiring_model`, `threshold_outcomes`, ...) so that tests
can check it without a screen.

Why the decision tree (week 2) and the logistic model (week 4) are written by hand here rather
than taken from scikit-learn: importing scikit-learn alone adds about 155 MB to a kernel, and
every course notebook must run in a kernel under 250 MB on a shared hub. The hand-written
versions are a few dozen lines of numpy each, and a learner never sees them. Only numpy and
matplotlib are used.

All data comes from `data/`, made by `data/make_data.py`. Every person and company is invented.
"""

from __future__ import annotations

from .datasheets import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    datasheet,
    datasheet_section,
)
from .display import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    DATA,
    Controls,
    Live,
    Raw,
    figure_html,
    read_csv,
    table_html,
)
from .week1 import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    SOUP_STEPS,
    STAKEHOLDERS,
    STARTING_ORDER,
    VALUES,
    Recipe,
    best_recipe,
    load_recipes,
    rank_recipes,
    recipe_ranker,
    recipe_table,
    run_steps,
    soup_steps,
    stakeholder_table,
    with_recipe,
)
from .week2 import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    FRAUD_START,
    GROUP_VERBS,
    LIGHT_FEATURES,
    Node,
    Purchase,
    blocked,
    fraud_outcomes,
    fraud_rule_builder,
    light_lab,
    load_light,
    load_purchases,
    predict,
    train_tree,
    tree_rules,
)
from .week3 import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    LEFT_OUT,
    MATRIX_EXAMPLE,
    MATRIX_ROWS,
    MATRIX_STAKEHOLDERS,
    MATRIX_VALUES,
    MatrixNotes,
    matrix_table_html,
    note_key,
    printed_matrix,
)
from .week4 import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    BAND_ORDER,
    COMPANY,
    EXPLORE_BY,
    PLACES,
    HiringModel,
    group_gap,
    hire_rates,
    hiring_explorer,
    hiring_table,
    load_hiring,
    pair_lab,
    pair_scores,
    proxy_check,
    train_hiring_model,
    where_groups_live,
)
from .week5 import (  # noqa: F401 - learner cells and tests call these as lab.NAME
    DEFAULT_STORY,
    DEFAULT_THRESHOLD,
    STORIES,
    card_score,
    load_risk,
    risk_lab,
    score_card,
    threshold_outcomes,
)
