"""Time `circlekit plan` for one course and `circlekit report` for three circles.

Runs the real commands in fresh processes (as a facilitator would), on a temporary copy:
  plan:   the fixture kit's guides (tests/fixtures/kit + tests/fixtures/plan), or with
          `--course we-are-ai` the kit's own course, with 12 learners;
  report: the three circles' exports in tests/fixtures/report.
Prints wall and CPU seconds for each (and the load average: the machine is shared), the
pack's and report's sizes, and `ratio_to_target=<wall s/20>` (the target is under 20 s each on
this machine).

    .venv/bin/python benchmarks/plan_report.py [--course we-are-ai]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
CIRCLEKIT = Path(sys.executable).parent / "circlekit"
TARGET = 20.0


def kit_copy(dest: Path, course: str) -> Path:
    if course == "mini":
        shutil.copytree(FIXTURES / "kit", dest)
        shutil.copytree(FIXTURES / "plan", dest, dirs_exist_ok=True)
    else:
        for name in ("notebooks", "facilitator"):
            shutil.copytree(REPO / name, dest / name)
    return dest


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and the kernels it started)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def size(folder: Path) -> str:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return f"{total / 1024:.0f} KB in {sum(1 for p in folder.rglob('*') if p.is_file())} files"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", default="mini")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="circlekit-bench-") as tmp:
        base = Path(tmp)
        root = kit_copy(base / "kit", args.course)
        learners = base / "learners.csv"
        learners.write_text("name\n" + "".join(f"Learner {n}\n" for n in range(1, 13)),
                            encoding="utf-8")
        start = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        plan_s, plan_cpu = timed([str(CIRCLEKIT), "--root", str(root), "plan", args.course,
                        "--circle", "bench", "--start", start, "--time", "18:00",
                        "--place", "Room B", "--facilitator", "Lee", "--learners",
                        str(learners), "--out", str(base / "pack")], base)
        print(f"plan {args.course}: {plan_s:.1f} s wall, {plan_cpu:.1f} s CPU "
              f"({size(base / 'pack')}) "
              f"ratio_to_target={plan_s / TARGET:.2f}")
        exports = sorted((FIXTURES / "report").glob("*.csv")) + sorted(
            (FIXTURES / "report").glob("*.json"))
        cmd = [str(CIRCLEKIT), "report", "--out", str(base / "report")]
        for path in exports:
            cmd += ["--from", str(path)]
        report_s, report_cpu = timed(cmd, base)
        print(f"report {len(exports)} circles: {report_s:.1f} s wall, {report_cpu:.1f} s CPU "
              f"({size(base / 'report')}) "
              f"ratio_to_target={report_s / TARGET:.2f}")


if __name__ == "__main__":
    main()
