"""Consistent copies of a project file, made with SQLite's online backup API.

A file copy can catch the main file and its -wal log at different moments (or mid-write) and
produce a damaged project; the backup API reads one consistent snapshot, and in WAL mode
that read does not block writers. The copy is written under a temporary name, checked,
synced and only then renamed (annotator/files.py), so a crash or a full disk never leaves a
half-written file under a real name. Copies are plain single-file databases (rollback
journal, no -wal), so copying one further is always safe. Used by backups (store/backup.py),
the copy before a schema upgrade (store/engine.py) and merge's snapshots (store/merge.py).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote

from annotator.errors import ProjectError
from annotator.files import pending_file, sqlite_tables
from annotator.store.dialects import BUSY_TIMEOUT_MS

Connect = Callable[[Path], sqlite3.Connection]


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        f"file:{quote(str(path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )


def copy_database(source: Path, dest: Path, *, connect: Connect = read_only) -> None:
    """Write a checked copy of `source` to `dest` (which must not be the source).

    Raises sqlite3.Error or OSError as they come, and ProjectError when the copy fails its
    check; callers say what they were copying for.
    """
    with pending_file(dest, protect=[source]) as pending:
        src = connect(source)
        try:
            dst = sqlite3.connect(pending.path)  # the empty temporary file
            try:
                # One step (pages=-1): the whole copy comes from a single read snapshot.
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                check = dst.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if check != "ok":
            raise ProjectError(f"the copy of {source} failed its check: {check}")
        pending.commit()


def reason(exc: BaseException) -> str:
    """Why a copy failed, in words a user can act on."""
    text = str(exc).strip()
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    low = text.lower()
    if "full" in low or "no space" in low:
        return "the disk is full"
    if "readonly" in low or "read-only" in low or "permission" in low:
        return "no permission to write there"
    if "malformed" in low or "not a database" in low:
        return "the project file is damaged"
    return text.splitlines()[0] if text else type(exc).__name__


def unique(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`... if it exists: a copy never overwrites another."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.name}-{n}")).exists():
        n += 1
    return candidate


def project_file(path: str | os.PathLike[str]) -> Path:
    """`path` if it is an SQLite file; asked of SQLite, never read with open()."""
    found = Path(path).expanduser()
    if not found.is_file():
        raise ProjectError(f"no project at {found}")
    if sqlite_tables(found) is None:
        raise ProjectError(f"{found} is not a project file (not an SQLite database)")
    return found


def backup_before_upgrade(
    path: str | os.PathLike[str], version: int | str, *, today: date | None = None
) -> Path:
    """Copy a project before its schema is upgraded: `NAME.bak-<version>-<YYYYMMDD>`.

    `version` is the schema version the file has now, so the copy opens with the release
    that wrote it. An existing backup of that name is kept and a new one gets a suffix.
    """
    source = project_file(path)
    stamp = (today or date.today()).strftime("%Y%m%d")
    target = unique(source.with_name(f"{source.name}.bak-{version}-{stamp}"))
    try:
        copy_database(source, target)
    except (sqlite3.Error, OSError) as exc:
        raise ProjectError(f"cannot back up {source} to {target}: {reason(exc)}") from None
    return target
