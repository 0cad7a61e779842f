"""The `circlekit` command: parse the arguments, call one function, print what it says."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from circlekit import __version__
from circlekit.errors import CircleKitError, ProblemsFound


def _check(args: argparse.Namespace) -> int:
    from circlekit.checks import check

    report = check(args.root, fix=args.fix)
    for problem in report.problems:
        print(problem)
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


def _build(args: argparse.Namespace) -> int:
    from circlekit.pipeline import build

    report = build(args.root, course=args.course, jobs=args.jobs, force=args.force)
    print(report.summary())
    return 1 if report.failed else 0


def _answers_export(args: argparse.Namespace) -> int:
    from circlekit.answers import LocalStore, default_path, export_answers

    count = export_answers(
        LocalStore(default_path()), course=args.course, fmt=args.format, out=sys.stdout
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="circlekit", description="Build and check a learning-circle kit."
    )
    p.add_argument("--version", action="version", version=f"circlekit {__version__}")
    p.add_argument("--root", type=Path, default=Path("."), help="the kit's folder (default: here)")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="check courses, notebooks and the table of contents")
    c.add_argument("--fix", action="store_true", help="rewrite _toc.yml and course pages first")
    c.set_defaults(func=_check)

    t = sub.add_parser("toc", help="regenerate _toc.yml and the course pages from course.yml")
    t.set_defaults(func=_toc)

    n = sub.add_parser("new-course", help="start a course from the template")
    n.add_argument("slug", help="the course's folder name, e.g. my-course")
    n.add_argument("--title", required=True)
    n.add_argument("--weeks", type=int, default=6)
    n.set_defaults(func=_new_course)

    b = sub.add_parser("build", help="check, execute, release and build the book")
    b.add_argument("--course", help="only this course's notebooks and release")
    b.add_argument("--jobs", type=int, help="notebooks to execute at once (default: cores + 1)")
    b.add_argument("--force", action="store_true", help="execute every notebook again")
    b.set_defaults(func=_build)

    a = sub.add_parser("answers", help="the answers learners saved on this computer")
    asub = a.add_subparsers(dest="answers_command", required=True)
    e = asub.add_parser("export", help="write the answers as CSV or JSON to standard output")
    e.add_argument("--course", help="only this course")
    e.add_argument("--format", choices=("csv", "json"), default="csv")
    e.set_defaults(func=_answers_export)

    h = sub.add_parser("hub", help="start a JupyterHub for one circle on this machine")
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
