"""`circlekit report`: an impact report for one or more circles, as HTML, PDF and CSV.

    circlekit report --from tuesday.csv --from wednesday.json --out report
    circlekit report --circle tuesday --course we-are-ai      # on a hub, as a facilitator

The answers come from exports (`circlekit answers export`, or the dashboard's buttons) or from
the circle service (on a hub, with the caller's own token, so a facilitator sees only their
circles), or else this computer's answers file: the same choice the dashboard makes.

What it counts, per circle (one row each, so a library system sees its circles side by side):
- attendance per meeting, from the facilitator's `MeetingReflection` answers;
- goal met: learners whose end-of-course `Survey` says 4 or 5 of 5 (P2PU's headline figure);
- more confident and would recommend: the 1-5 answers, as counts per step;
- meeting ratings (5 Great ... 1 Awful) over the weeks;
- quotes, only from learners who said yes to being quoted, and never with a name.
Every figure has its number of answers beside it. Under `SMALL` answers a circle shows counts
("1 of 2"), never a percentage, so nobody reads 2 answers as a trend.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from circlekit.answers.export import read_export
from circlekit.answers.record import Answer
from circlekit.errors import DashboardError, ReportError

SMALL = 3  # fewer answers than this: counts only
SCALE = (1, 2, 3, 4, 5)
RATING_NAMES = {5: "Great", 4: "Good", 3: "Okay", 2: "Not so good", 1: "Awful"}
FACILITATOR_KINDS = frozenset({"meeting-reflection", "facilitator-survey"})
CSV_FIELDS = (
    "circle", "course", "learners", "meetings_reported", "attendance", "survey_answers",
    "goal_met", "goal_met_percent", "more_confident", "more_confident_percent",
    "would_recommend", "would_recommend_percent", "meeting_rating_mean", "quotes",
)


@dataclass(frozen=True)
class Share:
    """`count` of `total` answers; a percentage only when there are enough answers."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        if self.total < SMALL:
            return None
        return round(100 * self.count / self.total)

    def text(self) -> str:
        if self.total == 0:
            return "no answers"
        shown = f"{self.count} of {self.total}"
        return shown if self.percent is None else f"{shown} ({self.percent}%)"


@dataclass
class CircleFigures:
    circle: str
    course: str
    learners: int = 0
    attendance: dict[int, int] = field(default_factory=dict)  # week -> people present
    ratings: dict[int, int] = field(default_factory=dict)  # week -> 1..5
    goal_met: Share = Share(0, 0)
    confident: Counter[int] = field(default_factory=Counter)
    recommend: Counter[int] = field(default_factory=Counter)
    quotes: list[str] = field(default_factory=list)

    @property
    def surveys(self) -> int:
        return self.goal_met.total

    def high(self, counts: Counter[int]) -> Share:
        """Answers of 4 or 5."""
        return Share(counts[4] + counts[5], sum(counts.values()))

    def rating_mean(self) -> float | None:
        return round(sum(self.ratings.values()) / len(self.ratings), 1) if self.ratings else None

    def csv_row(self) -> dict[str, object]:
        confident, recommend = self.high(self.confident), self.high(self.recommend)
        return {
            "circle": self.circle, "course": self.course, "learners": self.learners,
            "meetings_reported": len(self.attendance),
            "attendance": " ".join(f"{self.attendance[w]}" for w in sorted(self.attendance)),
            "survey_answers": self.surveys,
            "goal_met": self.goal_met.count, "goal_met_percent": _blank(self.goal_met.percent),
            "more_confident": confident.count,
            "more_confident_percent": _blank(confident.percent),
            "would_recommend": recommend.count,
            "would_recommend_percent": _blank(recommend.percent),
            "meeting_rating_mean": _blank(self.rating_mean()),
            "quotes": len(self.quotes),
        }


def _blank(value: object) -> object:
    return "" if value is None else value


@dataclass
class Report:
    circles: list[CircleFigures]

    @property
    def goal_met(self) -> Share:
        return Share(sum(c.goal_met.count for c in self.circles),
                     sum(c.goal_met.total for c in self.circles))

    def headline(self) -> str:
        share = self.goal_met
        if share.total == 0:
            return "No learner has answered the end-of-course survey yet."
        return (f"Goal met (4 or 5 of 5): {share.text()} learners who answered the "
                "end-of-course survey.")


# -- counting ---------------------------------------------------------------------------------


def _rating(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value in SCALE \
        else None


def figures(answers: Iterable[Answer]) -> Report:
    """The figures of every circle in `answers` (one course each; names never kept)."""
    by_circle: dict[tuple[str, str], list[Answer]] = {}
    for a in answers:
        by_circle.setdefault((a.circle, a.course), []).append(a)
    circles = []
    for (circle, course), found in sorted(by_circle.items()):
        fig = CircleFigures(circle, course)
        fig.learners = len({a.author for a in found
                            if a.author and a.kind not in FACILITATOR_KINDS})
        met = total = 0
        for a in found:
            value = a.value if isinstance(a.value, dict) else {}
            if a.kind == "meeting-reflection":
                week = value.get("week")
                if isinstance(week, int):
                    if isinstance(value.get("attendance"), int):
                        fig.attendance[week] = value["attendance"]
                    if _rating(value.get("rating")):
                        fig.ratings[week] = value["rating"]
            elif a.kind == "survey":
                goal = _rating(value.get("goal_met"))
                if goal is not None:
                    total += 1
                    met += goal >= 4
                for name, counts in (("confident", fig.confident),
                                     ("recommend", fig.recommend)):
                    rating = _rating(value.get(name))
                    if rating is not None:
                        counts[rating] += 1
                if value.get("consent") is True:
                    fig.quotes += [str(value[k]).strip() for k in ("plans", "other")
                                   if str(value.get(k) or "").strip()]
        fig.goal_met = Share(met, total)
        circles.append(fig)
    return Report(circles)


# -- where the answers come from ---------------------------------------------------------------


def answers_from_files(paths: Sequence[Path]) -> list[Answer]:
    found: list[Answer] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ReportError(f"--from {path}: no such file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ReportError(f"--from {path}: cannot be read ({error})") from None
        found += read_export(text, str(path))
    return found


def answers_from_source(circles: Sequence[str], course: str | None) -> list[Answer]:
    """From the circle service (on a hub) or this computer's answers, as the dashboard reads."""
    from circlekit.dashboard import source

    src = source()
    try:
        names = list(circles) or src.circles()
        found: list[Answer] = []
        for name in names:
            found += src.answers(name, course=course)[0]
    except DashboardError as error:
        raise ReportError(str(error)) from None
    return found


# -- charts -------------------------------------------------------------------------------------


def _figure(width: float = 7, height: float = 3.2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return plt, fig, ax


def _png(plt, fig) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def charts(report: Report) -> list[tuple[str, str, bytes]]:
    """(title, what the chart says in words, PNG) for each chart."""
    out = []
    circles = report.circles

    plt, fig, ax = _figure()
    for c in circles:
        weeks = sorted(c.attendance)
        ax.plot(weeks, [c.attendance[w] for w in weeks], marker="o", label=c.circle)
    ax.set_xlabel("Meeting (week)")
    ax.set_ylabel("Learners present")
    ax.legend(frameon=False, fontsize=8)
    words = "; ".join(f"{c.circle}: " + (", ".join(str(c.attendance[w])
                                                    for w in sorted(c.attendance)) or "none")
                      for c in circles)
    out.append(("Attendance per meeting", words, _png(plt, fig)))

    plt, fig, ax = _figure()
    names = [c.circle for c in circles]
    met = [c.goal_met.count for c in circles]
    missed = [c.goal_met.total - c.goal_met.count for c in circles]
    ax.barh(names, met, color="#3b6ea5", label="goal met (4-5)")
    ax.barh(names, missed, left=met, color="#c8d0d8", label="not met (1-3)")
    for y, c in enumerate(circles):
        ax.text(c.goal_met.total + 0.1, y, c.goal_met.text(), va="center", fontsize=9)
    ax.set_xlabel("Learners who answered the survey")
    ax.set_xlim(0, max([c.goal_met.total for c in circles] + [1]) * 1.6)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    words = "; ".join(f"{c.circle}: {c.goal_met.text()}" for c in circles)
    out.append(("Learners whose goal was met", words, _png(plt, fig)))

    for key, title in (("confident", "More confident (1 no more ... 5 much more)"),
                       ("recommend", "Would recommend (1 surely not ... 5 surely)")):
        plt, fig, ax = _figure()
        total = Counter[int]()
        for c in circles:
            total.update(getattr(c, key))
        ax.bar([str(n) for n in SCALE], [total[n] for n in SCALE], color="#3b6ea5")
        for n in SCALE:
            ax.text(n - 1, total[n], str(total[n]), ha="center", va="bottom", fontsize=9)
        ax.set_ylabel(f"Answers (n = {sum(total.values())})")
        words = ", ".join(f"{total[n]} answered {n}" for n in SCALE)
        out.append((title, f"All circles, n = {sum(total.values())}: {words}", _png(plt, fig)))

    plt, fig, ax = _figure()
    for c in circles:
        weeks = sorted(c.ratings)
        ax.plot(weeks, [c.ratings[w] for w in weeks], marker="o", label=c.circle)
    ax.set_yticks(list(SCALE), [RATING_NAMES[n] for n in SCALE])
    ax.set_ylim(0.5, 5.5)
    ax.set_xlabel("Meeting (week)")
    ax.legend(frameon=False, fontsize=8)
    words = "; ".join(f"{c.circle}: " + (", ".join(RATING_NAMES[c.ratings[w]]
                                                    for w in sorted(c.ratings)) or "none")
                      for c in circles)
    out.append(("Facilitators' meeting ratings", words, _png(plt, fig)))
    return out


# -- the three files -----------------------------------------------------------------------------


def table_rows(report: Report) -> list[list[str]]:
    head = ["Circle", "Course", "Learners", "Attendance by meeting", "Goal met",
            "More confident", "Would recommend", "Meeting rating"]
    rows = [head]
    for c in report.circles:
        attendance = ", ".join(str(c.attendance[w]) for w in sorted(c.attendance)) or "-"
        mean = c.rating_mean()
        rows.append([
            c.circle, c.course, str(c.learners),
            f"{attendance} ({len(c.attendance)} meetings reported)",
            c.goal_met.text(), c.high(c.confident).text(), c.high(c.recommend).text(),
            "-" if mean is None else f"{mean} of 5 ({len(c.ratings)} meetings)",
        ])
    return rows


def write_csv(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for c in report.circles:
            writer.writerow(c.csv_row())


def write_html(report: Report, drawn: list[tuple[str, str, bytes]], path: Path) -> None:
    e = html.escape
    rows = table_rows(report)
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>"
                   for row in rows[1:])
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Learning circle impact report</title><style>"
        "body{font-family:system-ui,sans-serif;color:#1b1b1b;max-width:60em;margin:1em auto;"
        "padding:0 1em;line-height:1.4}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #c8d0d8;padding:.3em .5em;text-align:left;vertical-align:top}"
        "th{background:#e6ecf2}img{max-width:100%;height:auto}.headline{font-size:1.3em}"
        ".wrap{overflow-x:auto}</style></head><body><main>",
        "<h1>Learning circle impact report</h1>",
        f'<p class="headline"><strong>{e(report.headline())}</strong></p>',
        f"<p>Circles: {len(report.circles)}. Learners are never named here. Under {SMALL} "
        "answers a circle shows counts, not percentages.</p>",
        # A table wider than a phone scrolls in its own box, which keyboards must reach too.
        '<h2 id="figures-title">Figures by circle</h2><div class="wrap" tabindex="0" '
        f'role="region" aria-labelledby="figures-title"><table id="figures"><thead><tr>{head}'
        f"</tr></thead><tbody>{body}</tbody></table></div>",
    ]
    for title, words, png in drawn:
        data = base64.b64encode(png).decode("ascii")
        parts.append(f"<h2>{e(title)}</h2><figure><img src=\"data:image/png;base64,{data}\" "
                     f'alt="{e(title)}: {e(words)}"><figcaption>{e(words)}</figcaption></figure>')
    parts.append("<h2>In their own words</h2>")
    quoted = [(c.circle, q) for c in report.circles for q in c.quotes]
    if quoted:
        parts.append('<ul id="quotes">' + "".join(
            f"<li><q>{e(q)}</q> (a learner, {e(circle)})</li>" for circle, q in quoted)
            + "</ul>")
    else:
        parts.append("<p>No learner agreed to be quoted.</p>")
    parts.append("</main></body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def write_pdf(report: Report, drawn: list[tuple[str, str, bytes]], path: Path) -> None:
    from circlekit.pdf import Document

    doc = Document("Learning circle impact report")
    doc.add_page()
    doc.heading("Learning circle impact report", size=22)
    doc.para(report.headline(), size=14, style="B", gap=4)
    doc.para(f"Circles: {len(report.circles)}. Learners are never named. Under {SMALL} answers "
             "a circle shows counts, not percentages.", size=10)
    # Short headings: a page is narrower than a screen, and a word must not break.
    rows = [["Circle", "Learners", "Attendance", "Goal met", "Confident", "Recommend",
             "Rating"]]
    rows += [[r[0], r[2], r[3], r[4], r[5], r[6], r[7]] for r in table_rows(report)[1:]]
    doc.grid(rows,
             widths=(22, 19, 30, 26, 26, 28, 24), size=9)
    for title, words, png in drawn:
        if doc.get_y() > 170:
            doc.add_page()
        doc.heading(title, size=13)
        doc.image(io.BytesIO(png), w=150)
        doc.para(words, size=9)
    doc.add_page()
    doc.heading("In their own words", size=13)
    quoted = [(c.circle, q) for c in report.circles for q in c.quotes]
    for circle, quote in quoted:
        doc.para(f"\u201c{quote}\u201d (a learner, {circle})", size=11)
    if not quoted:
        doc.para("No learner agreed to be quoted.")
    doc.output(str(path))


def make_report(answers: Iterable[Answer], out: Path, *, circles: Sequence[str] = (),
                course: str | None = None,
                echo: Callable[[str], None] = lambda line: None) -> Report:
    """Write report.html, report.pdf and figures.csv into `out` (all or nothing)."""
    wanted = [a for a in answers if (not circles or a.circle in circles)
              and (course is None or a.course == course)]
    report = figures(wanted)
    if not report.circles:
        chosen = ", ".join(circles) or "any circle"
        raise ReportError(f"no answers for {chosen}" + (f" in course {course!r}" if course
                                                          else ""))
    out = Path(out)
    parent = out.parent
    if not parent.is_dir():
        raise ReportError(f"--out {out}: the folder {parent} does not exist")
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}."))
    except OSError as error:
        raise ReportError(f"--out {out}: cannot write in {parent} ({error.strerror})") from None
    try:
        echo(f"drawing charts for {len(report.circles)} circle(s)")
        drawn = charts(report)
        write_csv(report, staging / "figures.csv")
        write_html(report, drawn, staging / "report.html")
        write_pdf(report, drawn, staging / "report.pdf")
        if out.exists():
            if not out.is_dir():
                raise ReportError(f"--out {out} is a file, not a folder")
            for name in ("figures.csv", "report.html", "report.pdf"):
                (out / name).unlink(missing_ok=True)
            for item in staging.iterdir():
                item.rename(out / item.name)
            staging.rmdir()
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
