"""Week 6: My verification plan. Each week's plan step is a private `Discussion` answer
(`il-1-plan` ... `il-6-plan`) kept in the answer store; this module reads them back for the
learner, shows the whole plan and saves it as a text file."""

from __future__ import annotations

from pathlib import Path

from lab.show import DARK_GREEN, DARK_RED, Controls, Live, box_html, esc, show, wide

STEPS = [
    ("il-1-plan", "Stop"),
    ("il-2-plan", "Investigate the source"),
    ("il-3-plan", "Find better coverage and trace it"),
    ("il-4-plan", "Scams"),
    ("il-5-plan", "Chatbots"),
    ("il-6-plan", "Pictures and video"),
]
FILE_NAME = "my-verification-plan.txt"


def saved_steps(store=None, context=None) -> list[tuple[str, str | None]]:
    """(step title, what this learner saved, or None) for each week, from the answer store."""
    from widgets.context import current, current_store

    store = current_store() if store is None else store
    ctx = current() if context is None else context
    out = []
    for widget_id, title in STEPS:
        answer = store.get(course=ctx.course, widget_id=widget_id, kind="discussion",
                           author=ctx.author, circle=ctx.circle)
        text = None if answer is None else str(answer.value).strip() or None
        out.append((title, text))
    return out


def plan_text(steps: list[tuple[str, str | None]]) -> str:
    lines = ["My verification plan", ""]
    for number, (title, text) in enumerate(steps, start=1):
        lines.append(f"{number}. {title}: {text if text else '(not written yet)'}")
    lines += ["", "Made in the learning circle Information literacy in the age of AI."]
    return "\n".join(lines) + "\n"


def plan_html(steps: list[tuple[str, str | None]]) -> str:
    items = "".join(
        f"<li><b>{esc(title)}:</b> "
        + (esc(text) if text else f'<span style="color:{DARK_RED}">not written yet: scroll '
           "back to that week's notebook, or write it in the box above and press Save</span>")
        + "</li>"
        for title, text in steps
    )
    return box_html("My verification plan", f"<ol>{items}</ol>", border=DARK_GREEN)


def save_text(steps: list[tuple[str, str | None]], folder: Path | None = None) -> Path:
    """Write the plan beside the notebook (temporary file, then rename) and return its path."""
    path = (Path.cwd() if folder is None else folder) / FILE_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(plan_text(steps), encoding="utf-8")
    tmp.replace(path)
    return path


def my_plan() -> None:
    """The whole plan, read back from what was saved; buttons to refresh it and save it."""
    import ipywidgets as w

    refresh = w.Button(description="Show my whole plan", button_style="primary", layout=wide())
    export = w.Button(description="Save it as a text file", layout=wide())
    row = w.HBox([refresh, export], layout=w.Layout(flex_flow="row wrap"))
    show(Controls(row, lambda: [("Buttons", "Show my whole plan, Save it as a text file")],
                  "My verification plan"))
    out = Live(plan_html(saved_steps()), "(my plan)")
    note = Live("", "(where the file went)")

    def on_refresh(_b: object) -> None:
        out.update(plan_html(saved_steps()), "(my plan)")

    def on_export(_b: object) -> None:
        steps = saved_steps()
        out.update(plan_html(steps), "(my plan)")
        path = save_text(steps)
        note.update(f"<p>Saved as <b>{esc(path.name)}</b> in the same folder as this notebook. "
                    "You can download it from the file list on the left, or print it.</p>",
                    "(where the file went)")

    refresh.on_click(on_refresh)
    export.on_click(on_export)
