"""The facilitator's dashboard: where a circle's answers come from, and the HTML that shows them.

`facilitator/dashboard.ipynb` calls these. On a hub with the circle service the answers come
from the service (with the kernel's own token: the facilitator sees their circles); anywhere
else from this computer's answers file, and the dashboard says so. Everything a person wrote
is HTML-escaped here, before anyone's screen shows it.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from circlekit import settings
from circlekit.answers.record import Answer
from circlekit.answers.remote import from_service, service_error, service_session
from circlekit.answers.store import Store, default_path
from circlekit.answers.tally import tally
from circlekit.errors import DashboardError

NO_SERVICE = "No circle service here; showing this computer's answers."


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    return "" if value is None else str(value)


# -- where the answers come from ----------------------------------------------------------------


@dataclass
class ServiceSource:
    """The circle service, reached with the kernel's hub token."""

    url: str
    token: str
    timeout: float = 10.0
    message: str = ""
    _session: requests.Session | None = field(default=None, repr=False, compare=False)

    def _get(self, path: str, **params: Any) -> requests.Response:
        # The same client as the hub store's: no proxy from the environment gets the token.
        if self._session is None:
            self._session = service_session(self.token)
        try:
            response = self._session.get(
                f"{self.url.rstrip('/')}/api/v1/{path}", timeout=self.timeout,
                params={k: v for k, v in params.items() if v is not None},
            )
        except requests.RequestException as error:
            raise DashboardError(f"the circle service cannot be reached ({error})") from error
        if not from_service(response):
            raise DashboardError(f"the circle service cannot be reached (the hub answered "
                                 f"{response.status_code}; it may be restarting)")
        if response.status_code != 200:
            raise DashboardError(f"the circle service said: {service_error(response)}")
        return response

    def circles(self) -> list[str]:
        me = self._get("me").json()
        return sorted(set(me["facilitates"]) | set(me["circles"]))

    def members(self, circle: str) -> list[str]:
        return list(self._get(f"circles/{circle}").json().get("members", []))

    def answers(self, circle: str, course: str | None = None, after: int = 0
                ) -> tuple[list[Answer], int]:
        data = self._get(f"circles/{circle}/answers", course=course, after=after).json()
        return [Answer.from_dict(row) for row in data["answers"]], int(data["last"])

    def export(self, circle: str, fmt: str = "csv", course: str | None = None) -> str:
        return self._get(f"circles/{circle}/export", format=fmt, course=course).text

    def notices(self, circle: str) -> list[dict[str, Any]]:
        """Answers parked on learners' computers (see circlekit.answers.notice)."""
        return list(self._get(f"circles/{circle}/notices").json()["notices"])


@dataclass
class LocalSource:
    """This computer's answers file: self-study, an offline room, a build.

    With no file yet (a build, a new computer) it shows nothing and creates nothing.
    """

    store: Store | None
    message: str = NO_SERVICE

    def _list(self, **filters: Any) -> list[Answer]:
        return [] if self.store is None else self.store.list(**filters)

    def circles(self) -> list[str]:
        return sorted({a.circle for a in self._list()}) or ["local"]

    def members(self, circle: str) -> list[str]:
        return sorted({a.author for a in self._list(circle=circle)})

    def answers(self, circle: str, course: str | None = None, after: int = 0
                ) -> tuple[list[Answer], int]:
        found = self._list(circle=circle, course=course)
        return found[after:], len(found)

    def export(self, circle: str, fmt: str = "csv", course: str | None = None) -> str:
        import io

        from circlekit.answers.export import export_answers

        out = io.StringIO()
        wanted = [a for a in self._list(course=course) if a.circle == circle]
        export_answers(_Fixed(wanted), fmt=fmt, out=out)  # type: ignore[arg-type]
        return out.getvalue()

    def notices(self, circle: str) -> list[dict[str, Any]]:
        return []  # nothing is shared from here, so nothing can fail to be


class _Fixed:
    def __init__(self, answers: list[Answer]):
        self.answers = answers

    def list(self, **_: Any) -> list[Answer]:
        return self.answers


def source() -> ServiceSource | LocalSource:
    """The circle service when this kernel runs on a hub that has it, else the local file."""
    url = settings.get("CIRCLEKIT_SERVICE_URL")
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if url and token:
        return ServiceSource(url, token)
    from circlekit.answers.local import LocalStore

    path = default_path()
    return LocalSource(LocalStore(path) if path.exists() else None)


# -- a week's prompts -------------------------------------------------------------------------


def week_prompts(kit_root: str | Path, course: str, week: int) -> list[str]:
    """The prompt ids of week `week` (1-based) of `course`, in notebook order."""
    import yaml

    from circlekit.notebooks import read_notebook, widget_uses

    folder = Path(kit_root) / "notebooks" / course
    info = yaml.safe_load((folder / "course.yml").read_text(encoding="utf-8"))
    weeks = info.get("weeks") or []
    if not 1 <= week <= len(weeks):
        raise DashboardError(f"course {course!r} has weeks 1 to {len(weeks)}, not {week}")
    path = folder / weeks[week - 1]["notebook"]
    seen: list[str] = []
    for use in widget_uses(read_notebook(path, str(path))):
        if use.id not in seen:
            seen.append(use.id)
    return seen


def find_course(course: str, start: str | Path | None = None) -> Path | None:
    """The folder of `course` (the one holding its course.yml), wherever this notebook is.

    A kit has it at `notebooks/<course>`; a hub that copies courses puts it at `<course>` in
    each home, and a hub that clones the kit at `<clone>/notebooks/<course>`. So each folder
    from `start` (default: here) up is tried in those three ways.
    """
    here = Path(start or Path.cwd()).resolve()
    for base in (here, *here.parents):
        for folder in (base / "notebooks" / course, base / course,
                       *sorted(base.glob(f"*/notebooks/{course}"))):
            if (folder / "course.yml").is_file():
                return folder
    return None


def week_questions(course: str, week: int, start: str | Path | None = None) -> dict[str, str]:
    """{prompt id: question text} of week `week` of `course`, in notebook order, finding the
    course wherever it is (see `find_course`); a prompt without a question text maps to ""."""
    import yaml

    from circlekit.notebooks import course_prompt_classes, read_notebook, widget_uses

    folder = find_course(course, start)
    if folder is None:
        raise DashboardError(f"course {course!r} was not found in this folder or above it")
    info = yaml.safe_load((folder / "course.yml").read_text(encoding="utf-8")) or {}
    weeks = info.get("weeks") or []
    if not 1 <= week <= len(weeks):
        raise DashboardError(f"course {course!r} has weeks 1 to {len(weeks)}, not {week}")
    path = folder / weeks[week - 1]["notebook"]
    questions: dict[str, str] = {}
    for use in widget_uses(read_notebook(path, str(path)), course_prompt_classes(folder)):
        questions.setdefault(use.id, use.text)
    return questions


# -- HTML ------------------------------------------------------------------------------------

STYLE = (
    "<style>.ck-dash{font-family:system-ui,sans-serif;color:#1b1b1b;max-width:60em}"
    ".ck-dash h3{margin:1em 0 .3em}.ck-dash table{border-collapse:collapse}"
    ".ck-dash td,.ck-dash th{border:1px solid #c8d0d8;padding:.25em .6em;text-align:left;"
    "vertical-align:top}.ck-bar{background:#3b6ea5;height:1em;display:inline-block}"
    ".ck-note{background:#fff7e0;border-left:4px solid #8a5300;padding:.4em .8em}</style>"
)


def note(text: str) -> str:
    return f'<div class="ck-dash"><p class="ck-note">{esc(text)}</p></div>'


def answers_html(answers: Sequence[Answer], prompts: Iterable[str] | None = None,
                 questions: dict[str, str] | None = None) -> str:
    """A table per prompt, headed by its question: who answered what, newest last. Every value
    is escaped."""
    order = list(prompts) if prompts is not None else []
    by_prompt: dict[str, list[Answer]] = {}
    for a in answers:
        if a.kind == "poll":
            continue  # polls are shown as tallies
        by_prompt.setdefault(a.widget_id, []).append(a)
    ids = [p for p in order if p in by_prompt] + sorted(set(by_prompt) - set(order))
    if not ids:
        return '<div class="ck-dash"><p>No answers yet.</p></div>'
    parts = [STYLE, '<div class="ck-dash">']
    for wid in ids:
        question = (questions or {}).get(wid)
        title = (f'{esc(question)} <small class="ck-id">({esc(wid)})</small>' if question
                 else esc(wid))
        parts.append(f"<h3>{title}</h3><table><tr><th>who</th><th>answer</th>"
                     "<th>shared with</th><th>when</th></tr>")
        for a in by_prompt[wid]:
            who = a.author or "(anonymous)"
            text = esc(_value_text(a.value)).replace("\n", "<br>")
            # <bdi> and dir="auto": right-to-left names and answers do not scramble the row.
            parts.append(f"<tr><td><bdi>{esc(who)}</bdi></td><td dir=\"auto\">{text}</td>"
                         f"<td>{esc(a.visibility)}</td>"
                         f"<td>{esc(a.updated[:16].replace('T', ' '))}</td></tr>")
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


# What the learner presses to save a prompt again, by kind (the widgets' own button labels).
_BUTTON = {"poll": "poll_vote", "quiz": "quiz_check"}


def unshared_html(notices: Sequence[dict[str, Any]],
                  questions: dict[str, str] | None = None) -> str:
    """Answers that could not be shared yet, by learner, with why and what to do; "" if none.

    A learner's widget already says their answer is parked; saving that prompt again sends
    it anew, and the notice goes once it (or the parked one) arrives.
    """
    if not notices:
        return ""
    from widgets.base import catalogue

    labels = catalogue("en")
    by_author: dict[str, list[dict[str, Any]]] = {}
    for n in notices:
        by_author.setdefault(str(n.get("author", "")), []).append(n)
    parts = [STYLE, '<div class="ck-dash ck-unshared" role="status">']
    for author, items in by_author.items():
        who = f"<bdi>{esc(author)}</bdi>"
        count = f"{len(items)} answer{'' if len(items) == 1 else 's'}"
        rows = []
        for n in items:
            prompt = (questions or {}).get(str(n.get("widget_id")))
            named = (f"{esc(prompt)} ({esc(n.get('widget_id'))})" if prompt
                     else esc(n.get("widget_id")))
            button = labels.get(_BUTTON.get(str(n.get("kind")), "save"), "Save")
            rows.append(f"<li>{named}, in {esc(n.get('notebook') or 'a notebook')}: "
                        f"{esc(n.get('reason'))}. Ask {who} to open that notebook and press "
                        f"<strong>{esc(button)}</strong> on that prompt again.</li>")
        parts.append(f'<p class="ck-note">{count} from {who} could not be shared yet. '
                     f"It is safe on their computer.</p><ul>{''.join(rows)}</ul>")
    parts.append("</div>")
    return "".join(parts)


def unshared(source: ServiceSource | LocalSource, circle: str,
             questions: dict[str, str] | None = None) -> str:
    """`unshared_html` for `circle`, or a note saying why it cannot be known."""
    try:
        return unshared_html(source.notices(circle), questions)
    except DashboardError as problem:
        return note(str(problem))


def tallies(answers: Iterable[Answer]) -> dict[str, Counter[str]]:
    """Votes per option of each poll (counted by `circlekit.answers.tally`, like everywhere)."""
    return {wid: t.counts for wid, t in tally(answers).items()}


def tallies_html(counts: dict[str, Counter[str]]) -> str:
    """Each poll as a bar chart made of HTML (it renders in the book and offline)."""
    if not counts:
        return '<div class="ck-dash"><p>No poll votes yet.</p></div>'
    parts = [STYLE, '<div class="ck-dash">']
    for wid, count in counts.items():
        top = max(count.values(), default=1)
        parts.append(f"<h3>{esc(wid)}</h3><table>")
        for option, n in count.most_common():
            width = round(12 * n / top, 2)
            parts.append(f'<tr><td>{esc(option)}</td><td><span class="ck-bar" '
                         f'style="width:{width}em"></span> {n}</td></tr>')
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


def who_answered_html(members: Iterable[str], answers: Iterable[Answer],
                      prompts: Sequence[str]) -> str:
    """A grid: each member × each prompt, ✓ when they answered."""
    members = sorted(set(members))
    done = {(a.author, a.widget_id) for a in answers}
    if not members or not prompts:
        return '<div class="ck-dash"><p>No members or prompts to show.</p></div>'
    head = "".join(f"<th>{esc(p)}</th>" for p in prompts)
    rows = "".join(
        f"<tr><td><bdi>{esc(m)}</bdi></td>"
        + "".join(f"<td>{'✓' if (m, p) in done else ''}</td>" for p in prompts) + "</tr>"
        for m in members
    )
    return f'{STYLE}<div class="ck-dash"><table><tr><th>who</th>{head}</tr>{rows}</table></div>'


def goals_html(answers: Iterable[Answer]) -> str:
    """Goals set and how far each was met (1 not at all … 5 completely)."""
    goals: dict[tuple[str, str], dict[str, Any]] = {}
    for a in answers:
        if a.kind not in ("goal", "goal-check") or not a.author:
            continue
        entry = goals.setdefault((a.author, a.widget_id), {})
        if a.kind == "goal":
            entry["goal"] = a.value
        elif isinstance(a.value, dict):
            entry.update(rating=a.value.get("rating"), comment=a.value.get("comment"))
    if not goals:
        return '<div class="ck-dash"><p>No goals yet.</p></div>'
    rows = "".join(
        f"<tr><td><bdi>{esc(who)}</bdi></td>"
        f"<td dir=\"auto\">{esc(_value_text(g.get('goal', '')))}</td>"
        f"<td>{esc(g.get('rating') or '')}</td>"
        f"<td dir=\"auto\">{esc(g.get('comment') or '')}</td></tr>"
        for (who, _), g in sorted(goals.items())
    )
    return (f'{STYLE}<div class="ck-dash"><table><tr><th>who</th><th>goal</th>'
            f"<th>met (1–5)</th><th>comment</th></tr>{rows}</table></div>")


def export_json_pretty(text: str) -> str:
    """Re-indent a JSON export for display (it stays text: shown escaped in a <pre>)."""
    return json.dumps(json.loads(text), ensure_ascii=False, indent=1)


# -- the last meeting, for the next check-in ---------------------------------------------------

REFLECTION_QUESTIONS = {
    "plus": "What worked well", "delta": "What to change",
    "learned": "What people learned", "liked": "What people liked",
    "wish": "What people wished", "wonder": "What people wonder about",
}
MEETING_RATINGS = {5: "Great", 4: "Good", 3: "Okay", 2: "Not so good", 1: "Awful"}


def last_meeting_html(answers: Iterable[Answer], week: int,
                      prompts: Sequence[str] | None = None) -> str:
    """Meeting `week` at a glance, for the next check-in: the learners' closing reflections
    grouped by question (without names: this may be on the big screen), and the facilitator's
    own reflection on that meeting. `prompts` (the week's prompt ids) picks the reflections."""
    grouped: dict[str, list[str]] = {}
    notes: list[dict[str, Any]] = []
    for a in answers:
        if a.kind == "reflection" and isinstance(a.value, dict) and (
                prompts is None or a.widget_id in prompts):
            for key, text in a.value.items():
                if str(text or "").strip():
                    grouped.setdefault(str(key), []).append(str(text).strip())
        elif a.kind == "meeting-reflection" and isinstance(a.value, dict) \
                and a.value.get("week") == week:
            notes.append(a.value)
    parts = [STYLE, f'<div class="ck-dash ck-last-meeting"><h3>Meeting {week}</h3>']
    if not grouped and not notes:
        parts.append(f"<p>No reflections from meeting {week} yet.</p></div>")
        return "".join(parts)
    for key in [k for k in REFLECTION_QUESTIONS if k in grouped] + sorted(
            set(grouped) - set(REFLECTION_QUESTIONS)):
        title = REFLECTION_QUESTIONS.get(key, key)
        items = "".join(f"<li>{esc(t)}</li>".replace("\n", "<br>") for t in grouped[key])
        parts.append(f"<h4>{esc(title)} ({len(grouped[key])})</h4><ul>{items}</ul>")
    from widgets.base import catalogue

    for value in notes:
        rating = MEETING_RATINGS.get(value.get("rating"), "not given")
        asked = catalogue("en").get(f"meeting_prompt_{value.get('prompt')}", "Your answer")
        parts.append("<h4>Your notes after the meeting</h4><table>"
                     f"<tr><th>People present</th><td>{esc(value.get('attendance', ''))}</td></tr>"
                     f"<tr><th>How it went</th><td>{esc(rating)}</td></tr>"
                     f"<tr><th>{esc(asked)}</th><td>{esc(value.get('answer') or '')}</td></tr>"
                     "</table>")
    parts.append("</div>")
    return "".join(parts)


def sample_html() -> str:
    """What a facilitator sees on the dashboard, made from invented answers, for the book.

    The book is built on a machine with no circle; this shows readers the page as it looks on a
    hub during week 1 of We Are AI. Every name and answer here is invented.
    """
    def answer(widget_id: str, kind: str, author: str, value: Any, minutes: int,
               visibility: str = "circle") -> Answer:
        when = f"2026-01-05T18:{minutes:02d}:00+00:00"
        return Answer(course="we-are-ai", notebook="01-what-is-ai.ipynb", widget_id=widget_id,
                      kind=kind, author=author, circle="example", visibility=visibility,
                      value=value, created=when, updated=when)

    answers = [
        answer("wai-1-check-in", "checkin", "Ana (invented)", "Curious, a bit wary", 2),
        answer("wai-1-check-in", "checkin", "Ben (invented)", "Phones and robots", 3),
        answer("wai-1-first-thoughts", "discussion", "Ana (invented)",
               "My bank app flagged a payment I made myself.", 21),
        answer("wai-1-first-thoughts", "discussion", "Chen (invented)",
               "The library's e-book app suggests books I like.", 24, "facilitator"),
        answer("wai-1-poll", "poll", "Ana (invented)", "A spam filter", 30, "anonymous"),
        answer("wai-1-poll", "poll", "Ben (invented)", "A spam filter", 30, "anonymous"),
        answer("wai-1-poll", "poll", "Chen (invented)", "A thermostat", 31, "anonymous"),
        answer("wai-1-goal", "goal", "Ben (invented)",
               "Explain to my kids how a chatbot makes up answers.", 40, "facilitator"),
    ]
    prompts = ["wai-1-check-in", "wai-1-first-thoughts", "wai-1-poll"]
    members = ["Ana (invented)", "Ben (invented)", "Chen (invented)"]
    return "".join([
        "<h3>Who has answered</h3>", who_answered_html(members, answers, prompts),
        "<h3>Answers as they come in</h3>", answers_html(answers, prompts),
        "<h3>Poll results</h3>", tallies_html(tallies(answers)),
        "<h3>Goals</h3>", goals_html(answers),
    ])
