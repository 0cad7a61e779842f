"""The `circlekit` command: parse the arguments, call one function, print what it says."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from circlekit import __version__
from circlekit.errors import CircleKitError, ProblemsFound
from circlekit.scaffold import MAX_WEEKS


def _check(args: argparse.Namespace) -> int:
    from circlekit.checks import check

    report = check(args.root, fix=args.fix)
    for problem in report.problems:
        print(problem)
    for warning in report.warnings:
        print(f"warning: {warning}")
    print(report.summary())
    return 0 if report.ok else 1


def _toc(args: argparse.Namespace) -> int:
    from circlekit.course import load_courses
    from circlekit.toc import write_toc

    courses, problems = load_courses(args.root)
    if problems:
        raise ProblemsFound(problems)
    written = write_toc(args.root, courses)
    print(f"toc: {len(written)} file(s) rewritten" + (f": {', '.join(written)}" if written else ""))
    return 0


def _new_course(args: argparse.Namespace) -> int:
    from circlekit.scaffold import new_course

    written = new_course(args.root, args.slug, args.title, args.weeks)
    for rel in written:
        print(f"wrote {rel}")
    print(f"new course {args.slug}: fill in every line marked AUTHOR, then run `circlekit check`")
    return 0


def _import_ciab(args: argparse.Namespace) -> int:
    from circlekit.importers.ciab import import_ciab

    report = import_ciab(args.root, args.path, slug=args.slug)
    for rel in report.written:
        print(f"wrote {rel}")
    for note in report.notes:
        print(note)
    print(report.summary())
    return 0


def _build(args: argparse.Namespace) -> int:
    from circlekit.pipeline import build

    report = build(args.root, course=args.course, jobs=args.jobs, force=args.force)
    print(report.summary())
    if args.strict and report.book and report.book.warnings:
        print(f"--strict: the book has {len(report.book.warnings)} warning(s); fix them, or "
              "build without --strict", file=sys.stderr)
        return 1
    return 1 if report.failed else 0


def _answers_export(args: argparse.Namespace) -> int:
    from circlekit.answers import LocalStore, default_path, export_answers

    count = export_answers(
        LocalStore(default_path()), course=args.course, fmt=args.format, out=sys.stdout,
        anonymous=args.anonymous,
    )
    print(f"exported {count} answer(s) from {default_path()}", file=sys.stderr)
    return 0


def _hub(args: argparse.Namespace) -> int:
    from circlekit.hub import run_hub

    return run_hub(
        circle=args.circle, learners=args.learners.split(","), facilitator=args.facilitator,
        ip=args.ip, port=args.port, password=args.password,
        shared_password=args.shared_password, root=args.root, state=args.state,
    )


def _place_courses(args: argparse.Namespace) -> int:
    from circlekit import settings
    from circlekit.homes import place_courses

    kit = args.kit or Path(settings.get("CIRCLEKIT_KIT_ROOT") or ".")
    leads = args.leads or settings.get("CIRCLEKIT_FACILITATES") == "1"
    print(place_courses(kit, args.home, leads=leads).describe())
    return 0


def _plan(args: argparse.Namespace) -> int:
    from circlekit.plan import plan

    result = plan(
        args.root, args.course, circle=args.circle, start=args.start, time=args.time,
        place=args.place, facilitator=args.facilitator, every=args.every, skip=args.skip,
        learners=args.learners, hub=args.hub, out=args.out, echo=print,
    )
    for note in result.notes:
        print(f"note: {note}")
    print(f"pack for {args.circle}: {len(result.meetings)} meetings, from "
          f"{result.meetings[0].day} to {result.meetings[-1].day}, written to {result.out}/ "
          f"({len(result.files)} files: pack.pdf, meetings.ics, guides/, recaps/)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from circlekit.report import answers_from_files, answers_from_source, make_report

    if args.sources:
        answers = answers_from_files(args.sources)
    else:
        answers = answers_from_source(args.circle, args.course)
    report = make_report(answers, args.out, circles=args.circle, course=args.course, echo=print)
    print(report.headline())
    print(f"report for {len(report.circles)} circle(s) written to {args.out}/ "
          "(report.html, report.pdf, figures.csv)")
    return 0


def _jobs(text: str) -> int:
    """--jobs: a whole number of notebooks, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected how many notebooks to execute at once, 1 or more, got {text!r}"
        )
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="circlekit", description="Build and check a learning-circle kit."
    )
    p.add_argument("--version", action="version", version=f"circlekit {__version__}")
    p.add_argument("--root", type=Path, default=Path("."), help="the kit's folder (default: here)")
    # --root is also accepted after the command (`circlekit build --root kit`); there it has no
    # default of its own, so it does not undo one given before the command.
    root_after = argparse.ArgumentParser(add_help=False)
    root_after.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                            help="the kit's folder (default: here)")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser(
        "check", parents=[root_after], help="check courses, notebooks and the table of contents"
    )
    c.add_argument("--fix", action="store_true", help="rewrite _toc.yml and course pages first")
    c.set_defaults(func=_check)

    t = sub.add_parser(
        "toc", parents=[root_after],
        help="regenerate _toc.yml and the course pages from course.yml",
        description="Rewrite _toc.yml and each course's index.md from the course.yml files "
        "(never edit those two by hand).",
    )
    t.set_defaults(func=_toc)

    n = sub.add_parser(
        "new-course", parents=[root_after], help="start a course from the template"
    )
    n.add_argument("slug", help="the course's folder name, e.g. my-course")
    n.add_argument("--title", required=True,
                   help='the course\'s title, as the book shows it, e.g. "Our first course"')
    n.add_argument("--weeks", type=int, default=6,
                   help=f"how many weekly meetings (1 to {MAX_WEEKS}; default: 6)")
    n.set_defaults(func=_new_course)

    i = sub.add_parser("import", parents=[root_after],
                       help="bring a course from another format into the kit")
    isub = i.add_subparsers(dest="import_format", required=True)
    ic = isub.add_parser("ciab", help="a Course in a Box (Jekyll) course folder")
    ic.add_argument("path", type=Path, help="the Course in a Box checkout (a folder)")
    ic.add_argument("--slug", help="the new course's folder name (default: from its title)")
    ic.set_defaults(func=_import_ciab)

    b = sub.add_parser(
        "build", parents=[root_after], help="check, execute, release and build the book"
    )
    b.add_argument("--course", help="only this course's notebooks and release")
    b.add_argument("--jobs", type=_jobs,
                   help="notebooks to execute at once, 1 or more (default: cores + 1)")
    b.add_argument("--force", action="store_true", help="execute every notebook again")
    b.add_argument("--strict", action="store_true",
                   help="fail when the book build warns (broken references, missing pictures)")
    b.set_defaults(func=_build)

    a = sub.add_parser("answers", help="the answers learners saved on this computer",
                       description="Work with the answers saved on this computer.")
    asub = a.add_subparsers(dest="answers_command", required=True)
    e = asub.add_parser("export", help="write the answers as CSV or JSON to standard output")
    e.add_argument("--course", help="only this course")
    e.add_argument("--format", choices=("csv", "json"), default="csv")
    e.add_argument("--anonymous", action="store_true",
                   help='write "learner 1", "learner 2", ... in place of names')
    e.set_defaults(func=_answers_export)

    h = sub.add_parser(
        "hub", parents=[root_after], help="start a JupyterHub for one circle on this machine"
    )
    h.add_argument("--circle", default="our-circle", help="the circle's name")
    h.add_argument("--learners", default="learner1,learner2,learner3",
                   help="learners' login names, comma-separated")
    h.add_argument("--facilitator", default="facilitator", help="the facilitator's login name")
    h.add_argument("--ip", default="127.0.0.1",
                   help="address to listen on (another than 127.0.0.1 needs --password)")
    h.add_argument("--port", type=int, default=8000,
                   help="the port browsers use (default 8000; 1024-65535; it must be free)")
    h.add_argument("--shared-password", action="store_true",
                   help="one password for everyone, for a trial only: any learner could sign "
                   "in as the facilitator (default: each person gets their own password)")
    h.add_argument("--password", help="with --shared-password: that password (default: made up "
                   "and printed; or CIRCLEKIT_HUB_PASSWORD)")
    h.add_argument("--state", type=Path,
                   help="folder for the hub's database, homes and answers (default _build/hub)")
    h.set_defaults(func=_hub)

    pc = sub.add_parser(
        "place-courses", help="put the courses in a home folder on a hub (one copy; a "
        "learner's own edits are kept)",
        description="Run as each person's server starts: the kit's clone when its book has "
        "launch links, else a copy of each course's learner release, and the facilitator "
        "guides for someone who leads a circle.")
    pc.add_argument("--kit", type=Path,
                    help="the kit's folder (default: CIRCLEKIT_KIT_ROOT, else here)")
    pc.add_argument("--home", type=Path, default=Path.home(),
                    help="the home folder to fill (default: yours)")
    pc.add_argument("--leads", action="store_true",
                    help="add the facilitator guides (default: when CIRCLEKIT_FACILITATES is 1)")
    pc.set_defaults(func=_place_courses)

    pl = sub.add_parser("plan", parents=[root_after],
                        help="make a facilitator pack for one circle: guides with its "
                        "dates, a printable PDF, a calendar file and recap messages")
    pl.add_argument("course", help="the course's folder name, e.g. we-are-ai")
    pl.add_argument("--circle", required=True, help="the circle's name")
    pl.add_argument("--start", required=True, help="date of the first meeting, YYYY-MM-DD")
    pl.add_argument("--time", required=True, help="start time, HH:MM on the 24-hour clock")
    pl.add_argument("--every", type=int, default=7, help="days between meetings (default 7)")
    pl.add_argument("--skip", action="extend", nargs="+", default=[], metavar="YYYY-MM-DD",
                    help="a date with no meeting (a holiday); later meetings move on")
    pl.add_argument("--place", required=True, help="where the circle meets")
    pl.add_argument("--facilitator", required=True, help="the facilitator's name")
    pl.add_argument("--learners", type=Path, help="CSV file with a 'name' column")
    pl.add_argument("--hub", default="", help="the circle's hub address, https://...")
    pl.add_argument("--out", type=Path, help="folder for the pack (default <circle>-pack)")
    pl.set_defaults(func=_plan)

    r = sub.add_parser("report", help="make an impact report (HTML, PDF, CSV) for circles")
    r.add_argument("--circle", action="append", default=[],
                   help="only this circle (repeat for several; default: every circle found)")
    r.add_argument("--course", help="only this course")
    r.add_argument("--from", dest="sources", action="append", type=Path, default=[],
                   metavar="FILE", help="an answers export (CSV or JSON) to read instead of "
                   "the circle service; repeat for several")
    r.add_argument("--out", type=Path, default=Path("report"),
                   help="folder for the report (default: report)")
    r.set_defaults(func=_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CircleKitError as exc:
        if isinstance(exc, ProblemsFound):
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{len(exc.problems)} problem(s) found; nothing was built", file=sys.stderr)
        else:
            print(f"circlekit: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("circlekit: stopped", file=sys.stderr)
        return 130
