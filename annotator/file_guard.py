"""A debug check: refuse opening a project file outside SQLite while SQLite holds it open.

POSIX drops every lock a process holds on a file (fcntl locks, which SQLite uses) as soon as
the process closes *any* descriptor of that file. A plain `open()` + `close()` of the project,
its -wal or its -shm (to read a header, copy it, write an export over it) in a process with a
connection therefore unlocks the project behind SQLite's back. Another process then believes
it is the last one, checkpoints and deletes the WAL the first still writes to, and labels
that were reported saved are gone (SQLite's "How To Corrupt An SQLite Database File", 2.2).
That is how labels were lost before (issue 11); the rule since is "nothing but SQLite opens
the project's files while a connection exists", and this hook enforces it.

`install()` adds an audit hook (PEP 578) that sees every `sqlite3.connect` and every Python
`open`/`os.open`. When a file SQLite connected to (or its -wal/-shm/-journal) is opened while
this process holds a descriptor of it, the open is refused with `ProjectFileOpened` and the
event is recorded; `abort=True` ends the process with exit code 70 instead, so a violation
in a child process cannot go unnoticed. The test suite installs it for itself and, through
ANNOTATOR_AUDIT=abort, for every process it starts. Linux only (it reads /proc/self/fd); on
other systems it does nothing.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any
from urllib.parse import unquote

ENV = "ANNOTATOR_AUDIT"
EXIT_CODE = 70
_COMPANIONS = ("", "-wal", "-shm", "-journal")
_FD_DIR = "/proc/self/fd"


class ProjectFileOpened(RuntimeError):
    """A project file was opened outside SQLite while a connection to it existed."""


_lock = threading.Lock()
_watched: set[str] = set()  # real paths of databases SQLite opened, and their companions
_names: set[str] = set()  # their base names: a cheap first test for every open
_installed = False
_abort = False
violations: list[str] = []


def _db_path(database: Any) -> str | None:
    """The file behind a `sqlite3.connect` argument (a path or a `file:` URI)."""
    if isinstance(database, bytes):
        database = os.fsdecode(database)
    elif isinstance(database, os.PathLike):
        database = os.fspath(database)
    if not isinstance(database, str) or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        rest = database[5:].split("?", 1)[0].split("#", 1)[0]
        if rest.startswith("//"):
            rest = rest[2:]
            rest = rest[rest.find("/") :] if "/" in rest else ""
        database = unquote(rest)
        if not database or database == ":memory:":
            return None
    return os.path.realpath(database)


def _watch(path: str) -> None:
    with _lock:
        for suffix in _COMPANIONS:
            _watched.add(path + suffix)
            _names.add(os.path.basename(path + suffix))


def _held_by_this_process(path: str) -> bool:
    """True if some descriptor of this process refers to the file at `path`."""
    try:
        wanted = os.stat(path)
    except OSError:
        return False
    key = (wanted.st_dev, wanted.st_ino)
    try:
        fds = os.listdir(_FD_DIR)
    except OSError:
        return False
    for fd in fds:
        try:
            st = os.stat(f"{_FD_DIR}/{fd}")
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == key:
            return True
    return False


def _opened(path: Any, flags: Any) -> None:
    if isinstance(path, int):
        return  # a descriptor (os.fdopen): nothing new is opened
    try:
        name = os.fsdecode(os.fspath(path))
    except TypeError:
        return
    if os.path.basename(name) not in _names:
        return
    real = os.path.realpath(name)
    if real not in _watched or not _held_by_this_process(real):
        return
    message = (
        f"{real} was opened outside SQLite while this process has it open in SQLite: "
        "closing that descriptor would drop SQLite's locks (see annotator/file_guard.py)"
    )
    violations.append(message)
    if _abort:
        os.write(2, f"annotator: file guard: {message}\n".encode())
        os._exit(EXIT_CODE)
    raise ProjectFileOpened(message)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event == "open":
        if _names:
            _opened(args[0], args[2] if len(args) > 2 else None)
    elif event == "sqlite3.connect":
        path = _db_path(args[0])
        if path is not None:
            _watch(path)


def install(*, abort: bool = False) -> bool:
    """Add the hook (once per process); False where it cannot work (no /proc/self/fd)."""
    global _installed, _abort
    _abort = _abort or abort
    if _installed:
        return True
    if not os.path.isdir(_FD_DIR):
        return False
    sys.addaudithook(_hook)
    _installed = True
    return True


def install_from_environment() -> None:
    """Install when ANNOTATOR_AUDIT is set: "abort" ends the process on a violation."""
    mode = os.environ.get(ENV, "")
    if mode:
        install(abort=mode == "abort")
