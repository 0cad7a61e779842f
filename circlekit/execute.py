"""Execute notebooks in parallel, once, cached by their code in Jupyter Book's own cache.

The cache is jupyter-cache's, in the place Jupyter Book 1 looks (`_build/.jupyter_cache`), so
the book step that follows finds every notebook already executed and runs nothing itself.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import nbformat

from circlekit.errors import CircleKitError
from circlekit.fileio import write_atomic
from circlekit.launch import CONFIG_FILE, read_config
from circlekit.notebooks import SKIP_DIRS
from circlekit.outputs import cap_outputs

BUILD_DIR = "_build"
CACHE_DIR = f"{BUILD_DIR}/.jupyter_cache"
# jupyter-cache keys a notebook by its code alone; a notebook also depends on helper modules,
# data and the widgets code (see `dependencies`), so their digest is recorded here for each
# executed notebook.
DEPS_FILE = f"{BUILD_DIR}/.circlekit-depends.json"
DEFAULT_TIMEOUT = 120  # seconds a cell may run when _config.yml's execute.timeout is not set


@dataclass(frozen=True)
class Outcome:
    """What happened to one notebook. `status` is executed, cached or failed."""

    path: str
    status: str
    seconds: float = 0.0
    cell: int | None = None  # 1-based number of the cell that failed
    error: str = ""  # the last line of the error, as a person would read it
    notes: tuple[str, ...] = ()  # what the build changed in the outputs (e.g. cut them short)

    def describe(self) -> str:
        if self.status != "failed":
            return f"{self.path}: {self.status} ({self.seconds:.1f} s)"
        where = f"cell {self.cell}: " if self.cell else ""
        return f"{self.path}: {where}{self.error}"


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "failed"


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@dataclass(frozen=True)
class Run:
    """What a worker sends back about one notebook."""

    executed: dict | None  # the executed notebook, or None when it failed
    cell: int | None = None  # 1-based number of the cell that failed
    error: str = ""
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # what the build changed in the outputs, for the terminal


def _worker_signals() -> None:
    """Ctrl-C reaches every process of the build; only the main one acts on it.

    A worker interrupted at a random point leaves its kernel running and prints asyncio
    tracebacks. Instead it ignores Ctrl-C, and the main process ends it with SIGTERM, which
    stops the cell where it waits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_quietly)


def _exit_quietly(signum: int, frame: object) -> None:
    # SystemExit, not KeyboardInterrupt: a worker waiting for work then exits without a
    # traceback, and one running a notebook leaves nbclient's `with` block, which shuts the
    # kernel down.
    raise SystemExit(0)


def run_notebook(path: str, timeout: int | None, home: str) -> Run:
    """Run one notebook in a fresh kernel.

    Runs in a worker process. The kernel's working folder is the notebook's folder, as in
    JupyterLab, so `import lab` and `data/...` work; it must not write into the source tree.
    A kernel that dies or cannot start (kernels started at once can race for the same port)
    gets one more try; a cell that raises does not, since it would raise again.
    """
    os.environ["CIRCLEKIT_HOME"] = home
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ beside a course's lab.py
    os.environ["JPY_SESSION_NAME"] = path
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    start = time.perf_counter()
    try:
        run, kernel_trouble = _run_once(path, timeout)
        if kernel_trouble:
            run, _ = _run_once(path, timeout)
    except SystemExit:  # the build was stopped; its main process says so, once
        run = Run(None, error="stopped")
    return replace(run, seconds=time.perf_counter() - start)


def _run_once(path: str, timeout: int | None) -> tuple[Run, bool]:
    """One try, and whether the kernel itself failed (so that another try may help)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(path, as_version=4)
    except OSError as exc:
        return Run(None, error=f"could not be read ({exc.strerror}): was it moved or deleted "
                   "while the build ran?"), False
    except Exception as exc:  # rewritten half-way while the build ran, after the check
        return Run(None, error=f"could not be read: {_last_line(str(exc))}"), False
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(Path(path).parent)}},
        store_widget_state=True,
        # Timing metadata on cells would change the hash jupyter-cache matches the source by.
        record_timing=False,
    )
    index = None
    notes: list[str] = []
    try:
        # The kernel's own start-up chatter (e.g. the TCP notice) is noise to the person building.
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
                notes += cap_outputs(cell, index + 1)
            client.set_widgets_metadata()
    except CellExecutionError as exc:
        name = getattr(exc, "ename", "") or "Error"
        value = getattr(exc, "evalue", "") or _last_line(_strip_ansi(str(exc)))
        return Run(None, (index or 0) + 1, f"{name}: {value}"), False
    except CellTimeoutError:
        return Run(None, (index or 0) + 1, f"took longer than {timeout} s"), False
    except DeadKernelError as exc:
        return Run(None, (index or 0) + 1, f"the kernel died ({_last_line(str(exc))})"), True
    except Exception as exc:  # a kernel that cannot start, a broken kernelspec, ...
        cell = index + 1 if index is not None else None
        return Run(None, cell, f"{type(exc).__name__}: {_last_line(str(exc))}"), True
    return Run(nbformat.from_dict(nb), notes=tuple(notes)), False


def cell_timeout(root: Path) -> int | None:
    """`execute.timeout` from _config.yml: seconds a cell may run; None (-1 there) for no limit.

    Jupyter Book reads the same setting, so the build and the book agree on it.
    """
    value = (read_config(root).get("execute") or {}).get("timeout", DEFAULT_TIMEOUT)
    if value == -1:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CircleKitError(
            f"{CONFIG_FILE}: execute.timeout: expected a whole number of seconds (1 or more, "
            f"or -1 for no limit), got {value!r}"
        )
    return value


def default_jobs() -> int:
    """One kernel per core, plus one: a kernel spends part of its time waiting on messages."""
    return (os.cpu_count() or 1) + 1


def dependency_digest(root: Path, rel: str) -> str:
    """A digest of every file a notebook depends on besides its own code (see dependencies)."""
    root = Path(root).resolve()
    h = hashlib.sha256()
    for path in dependencies(root, rel):
        try:
            data = path.read_bytes()
        except OSError:  # removed since it was listed: it counts as changed
            data = b"\0gone"
        # Named from the root, so that a kit moved elsewhere keeps its cache.
        name = path.relative_to(root) if path.is_relative_to(root) else path
        h.update(name.as_posix().encode() + b"\0" + data)
    return h.hexdigest()


def dependencies(root: Path, rel: str) -> list[Path]:
    """The files besides its own code that a notebook's outputs depend on.

    The Python files of its course folder (notebooks/<slug>/, for a guide too) and of its own
    folder, at any depth, so a helper package such as lab/ counts; everything in the course's
    data/; any file in the kit its code (or those helpers) names by a literal path, e.g.
    "../shared/prices.csv"; and the `widgets` package, whose code draws the book's cards, when
    the notebook or its helpers import it.
    """
    root = Path(root).resolve()
    here = (root / rel).parent
    folders = {here}
    parts = Path(rel).parts
    if len(parts) >= 3 and parts[0] in ("notebooks", "facilitator"):
        folders.add(root / "notebooks" / parts[1])
    found: set[Path] = set()
    for folder in folders:
        found.update(_files(folder, "*.py"))
        found.update(_files(folder / "data", "*"))
    sources = _code_cells(root / rel) + [_read_text(p) for p in sorted(found) if p.suffix == ".py"]
    trees = [tree for tree in map(_parse, sources) if tree is not None]
    for tree in trees:
        for text in _string_literals(tree):
            target = _kit_file(root, here, text)
            if target is not None and target != root / rel:
                found.add(target)
    if any("widgets" in _imported(tree) for tree in trees):
        found.update(_files(_widgets_folder(here), "*"))
    return sorted(found)


def _files(folder: Path | None, pattern: str) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return [
        p for p in folder.rglob(pattern)
        if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(folder).parts)
    ]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _code_cells(path: Path) -> list[str]:
    """The code of each code cell, with IPython's %magics and !commands made plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # gone or broken: executing it reports what happened
        return []
    manager = TransformerManager()
    return [manager.transform_cell(c.source) for c in nb.cells if c.cell_type == "code"]


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):  # a cell that cannot run fails when executed, and says so
        return None


def _string_literals(tree: ast.Module) -> list[str]:
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and 0 < len(node.value) < 500 and "\n" not in node.value and "\0" not in node.value
    ]


def _kit_file(root: Path, here: Path, text: str) -> Path | None:
    """The file in the kit (not in _build) that `text` names from the notebook's folder."""
    try:
        target = (here / text).resolve()
        inside = target.relative_to(root)
        return target if target.is_file() and BUILD_DIR not in inside.parts else None
    except (OSError, ValueError):
        return None


def _imported(tree: ast.Module) -> set[str]:
    """The top-level packages a piece of code imports."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@functools.cache
def _widgets_folder(cwd: Path) -> Path | None:
    """Where a kernel working in `cwd` imports `widgets` from.

    Asked of a Python like the kernel's, in that folder: the build's own import path differs
    from a kernel's (the build's working folder comes first in it, the notebook's in a kernel's).
    """
    code = (
        "import importlib.util as u; s = u.find_spec('widgets'); "
        "print((s.submodule_search_locations or [''])[0] if s else '')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    where = done.stdout.strip()
    return Path(where) if done.returncode == 0 and where else None


def _read_deps(root: Path) -> dict[str, str]:
    try:
        return json.loads((root / DEPS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _open_cache(root: Path):
    from jupyter_cache import get_cache

    return get_cache(str(root / CACHE_DIR))


def is_cached(cache, nb) -> bool:
    try:
        cache.match_cache_notebook(nb)
    except KeyError:
        return False
    return True


def needs_executing(root: Path, paths: list[str]) -> list[str]:
    """The notebooks whose code, helper modules or data changed since they were last executed."""
    root = Path(root).resolve()
    cache = _open_cache(root)
    recorded = _read_deps(root)
    return [
        rel
        for rel in paths
        if recorded.get(rel) != dependency_digest(root, rel) or not _cached(cache, root / rel)
    ]


def _cached(cache, path: Path) -> bool:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # gone or broken since the check: executing it reports what happened
        return False
    return is_cached(cache, nb)


def execute(
    root: Path,
    paths: list[str],
    *,
    jobs: int | None = None,
    force: bool = False,
    timeout: int | None | str = "config",
    progress: bool = True,
) -> list[Outcome]:
    """Execute every notebook in `paths` (relative to root) that the cache does not already hold.

    `timeout` is the seconds a cell may run (None: no limit); by default, `execute.timeout` in
    the kit's _config.yml.
    """
    from jupyter_cache.base import CacheBundleIn
    from tqdm import tqdm

    root = Path(root).resolve()
    if timeout == "config":
        timeout = cell_timeout(root)
    todo = list(paths) if force else needs_executing(root, paths)
    outcomes = [Outcome(rel, "cached") for rel in paths if rel not in todo]
    if not todo:
        return outcomes
    cache = _open_cache(root)
    recorded = _read_deps(root)

    jobs = max(1, min(jobs or default_jobs(), len(todo)))
    (root / BUILD_DIR).mkdir(parents=True, exist_ok=True)
    # Answers the widgets save while the build runs them are throwaway: keep them out of the
    # real store, and delete them afterwards, however the build ends.
    home = tempfile.mkdtemp(prefix="answers-", dir=root / BUILD_DIR)
    bar = tqdm(
        total=len(todo), desc="executing", unit="notebook", file=sys.stderr, disable=not progress
    )
    # Worker processes, not threads: kernels and their event loops are not safe to share.
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=get_context("fork"), initializer=_worker_signals
    )
    try:
        futures = {pool.submit(run_notebook, str(root / rel), timeout, home): rel for rel in todo}
        for future in as_completed(futures):
            rel = futures[future]
            run = future.result()
            if run.executed is None:
                outcomes.append(Outcome(rel, "failed", run.seconds, run.cell, run.error))
            else:
                uri = str(root / rel)
                cache.cache_notebook_bundle(
                    CacheBundleIn(run.executed, uri, data={"execution_seconds": run.seconds}),
                    check_validity=False,
                    overwrite=True,
                )
                outcomes.append(Outcome(rel, "executed", run.seconds, notes=run.notes))
                # Recorded at once, so that a build stopped half-way keeps what it finished.
                recorded[rel] = dependency_digest(root, rel)
                write_atomic(root / DEPS_FILE, json.dumps(recorded, indent=1, sort_keys=True))
            bar.update(1)
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
        shutil.rmtree(home, ignore_errors=True)
    order = {rel: i for i, rel in enumerate(paths)}
    return sorted(outcomes, key=lambda o: order[o.path])


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the notebooks still running: each worker stops its cell and shuts its kernel down."""
    # The pool offers no public way to reach its workers; _processes is what shutdown uses.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        process.join(timeout=60)  # a kernel's shutdown takes a few seconds; do not wait forever
        if process.is_alive():
            process.kill()
