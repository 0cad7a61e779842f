"""Writing files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write text (or bytes) to a temporary file beside `path`, then rename it into place.

    The file gets the permissions `open()` would give it: an existing file's own, else the
    usual ones less the umask. (A `tempfile.mkstemp` file is private to its owner, so a built
    book's pages were unreadable by the web server serving them, and a new course's files by
    its co-authors.) Nothing secret is written here: `logins.json` has a writer of its own.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        try:
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        except FileNotFoundError:
            pass  # a new file: the mode os.open gave it
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_notebook_atomic(path: Path, nb: dict) -> None:
    """Write a notebook as nbformat does (indent 1, trailing newline), atomically."""
    write_atomic(path, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
