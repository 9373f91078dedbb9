"""Backups of a project file: on demand, once a day at GUI start, and before a schema upgrade.

Every copy goes through SQLite's online backup API rather than a file copy: a file copy can
catch the main file and its -wal log at different moments (or mid-write) and produce a
damaged project, while the backup API reads one consistent snapshot. In WAL mode that read
does not block writers, so the GUI or a merge can keep saving during a backup.

The copy is written under a temporary name, checked, synced and only then renamed, so a
crash or a full disk never leaves a half-written file under a backup's name; a temporary
file a killed run left is removed by the next one (annotator/files.py). Backups are plain
single-file databases (rollback journal, no -wal), so copying one is always safe.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from annotator.errors import InputError, ProjectError
from annotator.files import pending_file, sqlite_tables
from annotator.store.dialects import BUSY_TIMEOUT_MS
from annotator.store.engine import Project

BACKUP_FOLDER = "backups"
DEFAULT_KEEP = 7
_DAILY = re.compile(r"\.daily-(\d{8})$")


def _source_path(project_or_path: Project | str | os.PathLike[str]) -> Path:
    if isinstance(project_or_path, Project):
        if project_or_path.path is None:
            raise ProjectError(
                "this project lives on a database server: back it up with the server's tools "
                "(e.g. pg_dump)"
            )
        return project_or_path.path  # open already, so it is a project file
    path = Path(project_or_path).expanduser()
    if not path.is_file():
        raise ProjectError(f"no project at {path}")
    # Asked of SQLite, never read with open(): see annotator/file_guard.py.
    if sqlite_tables(path) is None:
        raise ProjectError(f"{path} is not a project file (not an SQLite database)")
    return path


def _reason(exc: BaseException) -> str:
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


def _unique(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`... if it exists: a backup never overwrites another."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.name}-{n}")).exists():
        n += 1
    return candidate


def _copy(source: Path, dest: Path) -> None:
    with pending_file(dest, protect=[source]) as pending:
        try:
            src = sqlite3.connect(
                f"file:{quote(str(source))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
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
        except (sqlite3.Error, OSError) as exc:
            raise ProjectError(f"cannot back up {source} to {dest}: {_reason(exc)}") from None
        if check != "ok":
            raise ProjectError(f"the backup of {source} failed its check: {check}")
        pending.commit()


def default_backup_path(source: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return source.with_name(f"{source.name}.backup-{stamp}")


def backup_project(
    project_or_path: Project | str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
) -> Path:
    """Write a consistent copy of the project and return its path.

    `dest` may be a file name (must not exist yet) or a folder; by default the copy goes
    next to the project as `NAME.backup-YYYYMMDD-HHMMSS`.
    """
    source = _source_path(project_or_path)
    if dest is None:
        target = _unique(default_backup_path(source))
    else:
        target = Path(dest).expanduser()
        if target.resolve() == source.resolve():
            raise InputError("the backup cannot replace the project itself")
        if target.is_dir():
            target = _unique(default_backup_path(target / source.name))
        elif target.exists():
            raise InputError(f"{target} already exists: give the backup another name")
        elif not target.parent.is_dir():
            raise InputError(f"folder {target.parent} does not exist")
    _copy(source, target)
    return target


def rotating_daily_backup(
    project_or_path: Project | str | os.PathLike[str],
    keep: int = DEFAULT_KEEP,
    *,
    today: date | None = None,
) -> Path | None:
    """Once a day: copy the project into `backups/` beside it and keep the newest `keep`.

    Returns the new backup, or None if today's exists already or the project lives on a
    server. Only this project's daily backups are ever deleted.
    """
    if keep < 1:
        raise InputError("keep at least one daily backup")
    if isinstance(project_or_path, Project) and project_or_path.path is None:
        return None
    source = _source_path(project_or_path)
    folder = source.parent / BACKUP_FOLDER
    stamp = (today or date.today()).strftime("%Y%m%d")
    target = folder / f"{source.name}.daily-{stamp}"
    if target.exists():
        return None
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"cannot create the backup folder {folder}: {_reason(exc)}") from None
    _copy(source, target)
    dailies = sorted(
        p for p in folder.glob(f"{_glob_escape(source.name)}.daily-*") if _DAILY.search(p.name)
    )
    for old in dailies[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def backup_before_upgrade(
    path: str | os.PathLike[str], version: int | str, *, today: date | None = None
) -> Path:
    """Copy a project before its schema is upgraded: `NAME.bak-<version>-<YYYYMMDD>`.

    `version` is the schema version the file has now, so the copy opens with the release
    that wrote it. An existing backup of that name is kept and a new one gets a suffix.
    """
    source = _source_path(path)
    stamp = (today or date.today()).strftime("%Y%m%d")
    target = _unique(source.with_name(f"{source.name}.bak-{version}-{stamp}"))
    _copy(source, target)
    return target


def _glob_escape(name: str) -> str:
    """Escape glob wildcards in a file name ("[" and "]" are legal in names)."""
    return re.sub(r"([*?\[])", r"[\1]", name)
