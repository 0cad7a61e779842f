"""Prompts, polls, check-ins, reflections, goals, self-checks and timers for learner notebooks.

    from widgets import Discussion
    Discussion("wai-1-first-thoughts", "What comes to mind when you hear AI?")

Answers are kept in a store (a local SQLite file unless configured otherwise) and shown back
when the notebook is opened again.
"""

from circlekit.answers.local import LocalStore
from widgets.checkin import CheckIn
from widgets.context import configure
from widgets.discussion import Discussion
from widgets.figure import show_figure
from widgets.goal import Goal
from widgets.meeting import MeetingReflection
from widgets.poll import Poll
from widgets.quiz import Quiz
from widgets.reflection import Reflection
from widgets.survey import FacilitatorSurvey, Survey
from widgets.timer import Timer

__all__ = [
    "CheckIn", "Discussion", "FacilitatorSurvey", "Goal", "LocalStore", "MeetingReflection",
    "Poll", "Quiz", "Reflection", "Survey", "Timer", "configure", "show_figure",
]
