"""Build time: plain `jupyter-book build` against `circlekit build` on the kit's current content.

Works on a clean copy of the kit in a temporary folder, so the checkout is not touched:
  (a) plain jupyter-book build, same _config.yml and cache mode, from cold
  (b) circlekit build from cold
  (c) circlekit build again (nothing changed)
  (d) circlekit build after editing the code of one notebook
Prints the time and the notebooks executed for each, then `ratio=<b/a>`.

    .venv/bin/python benchmarks/build.py [--kit tests/fixtures/kit]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONTENT = ("_config.yml", "_toc.yml", "book", "notebooks", "facilitator")
BIN = Path(sys.executable).parent
CONTENT_CONFIG: list[Path] = []


def copy_kit(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in CONTENT:
        src = source / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
            )
        elif src.is_file():
            shutil.copy2(src, dest / name)
    for config in CONTENT_CONFIG:
        shutil.copy2(config, dest / config.name)
    return dest


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Run a command; return its time and its output (standard output last, for the summary)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, done.stderr + done.stdout


def edit_one_notebook(root: Path) -> str:
    for path in sorted((root / "notebooks").rglob("*.ipynb")):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = (
                    "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                )
                cell["source"] = src + "\n# edited by benchmarks/build.py"
                path.write_text(json.dumps(nb, indent=1))
                return path.relative_to(root).as_posix()
    sys.exit("no notebook with code to edit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kit", type=Path, default=REPO, help="kit to measure (default: this one)")
    source = parser.parse_args().kit.resolve()
    if not (source / "_config.yml").is_file():  # fixture kits borrow the kit's configuration
        CONTENT_CONFIG.append(REPO / "_config.yml")
    sys.path.insert(0, str(REPO))
    from circlekit.widgetjs import ensure_widget_js

    work = Path(tempfile.mkdtemp(prefix="circlekit-bench-"))
    env = dict(os.environ, CIRCLEKIT_HOME=str(work / "home"))
    try:
        plain = copy_kit(source, work / "plain")
        ensure_widget_js(plain)  # static files only; plain Jupyter Book cannot fetch them itself
        a, log = run([str(BIN / "jupyter-book"), "build", str(plain)], plain, env)
        a_n = len(re.findall(r"Executed notebook in", log))
        notebooks = (
            len(list((plain / "notebooks").rglob("*.ipynb")))
            + len(list((plain / "facilitator").rglob("*.ipynb")))
            + len(list((plain / "book").glob("*.ipynb")))
        )
        print(f"notebooks in the kit: {notebooks}")
        print(f"(a) jupyter-book build, cold:  {a:6.1f} s  executed={a_n}")

        ours = copy_kit(source, work / "ours")
        cmd = [str(BIN / "circlekit"), "--root", str(ours), "build"]
        results = {}
        for step, label in (("b", "circlekit build, cold:"), ("c", "circlekit build, again:")):
            seconds, log = run(cmd, ours, env)
            results[step] = seconds
            print(f"({step}) {label:26s} {seconds:6.1f} s  {log.strip().splitlines()[-1]}")
        edited = edit_one_notebook(ours)
        seconds, log = run(cmd, ours, env)
        last = log.strip().splitlines()[-1]
        print(f"(d) circlekit build, 1 edit:  {seconds:6.1f} s  {last}  ({edited})")
        print(f"no-op rebuild: {results['c']:.1f} s")
        print(f"ratio={results['b'] / a:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
