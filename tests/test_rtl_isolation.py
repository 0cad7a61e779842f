"""Learner text shown next to names is isolated (`<bdi>`, `dir="auto"`), so a right-to-left
name or answer cannot reorder the line around it: in the circle panel and the dashboard.
The HTML is read with a parser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from conftest import make_answer

from circlekit.answers.local import LocalStore
from circlekit.dashboard import answers_html, goals_html, who_answered_html
from widgets import Discussion, configure

ARABIC = "أعتقد أن الذكاء الاصطناعي مفيد"
NAME = "سارة"


class Isolation(HTMLParser):
    """Which text sits inside an isolating element (<bdi> or anything with dir="auto")."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.isolated: list[str] = []
        self.loose: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input"):
            return
        self.stack.append(tag == "bdi" or ("dir", "auto") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("br", "img", "input") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            (self.isolated if any(self.stack) else self.loose).append(data.strip())


def isolation(page: str) -> Isolation:
    parser = Isolation()
    parser.feed(page)
    return parser


def test_the_dashboard_isolates_names_and_answers() -> None:
    answer = make_answer(author=NAME, value=ARABIC)
    page = isolation(answers_html([answer]))
    assert NAME in page.isolated and ARABIC in page.isolated
    assert NAME not in page.loose and ARABIC not in page.loose
    goal = make_answer(author=NAME, kind="goal", widget_id="demo-1-goal",
                       value=ARABIC)
    page = isolation(goals_html([goal]))
    assert NAME in page.isolated and ARABIC in page.isolated
    page = isolation(who_answered_html([NAME], [answer], ["demo-1-hello"]))
    assert NAME in page.isolated


@pytest.mark.usefixtures("answers_store")
def test_the_circle_panel_isolates_names_and_answers(answers_store: LocalStore) -> None:
    answers_store.save(make_answer(author=NAME, circle="c1", value=ARABIC, course="demo",
                                   widget_id="demo-1-talk"))
    configure(author="ana")
    widget = Discussion("demo-1-talk", "What do you think?")
    try:
        page = isolation(widget._render_circle())
    finally:
        widget.close()
    assert NAME in page.isolated and ARABIC in page.isolated
    assert NAME not in page.loose and ARABIC not in page.loose
