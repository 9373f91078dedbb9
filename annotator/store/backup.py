"""Backups of a project file: on demand and once a day at GUI start.

Each is a consistent copy made by store/copies.py (SQLite's backup API, checked, written
under a temporary name and renamed), safe while others keep labelling. The copy before a
schema upgrade lives there too, so that opening a project (store/engine.py) needs nothing
from here.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from datetime import date, datetime
from pathlib import Path

from annotator.errors import InputError, ProjectError
from annotator.store.copies import copy_database, project_file, reason, unique
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
    return project_file(project_or_path)


def _copy(source: Path, dest: Path) -> None:
    try:
        copy_database(source, dest)
    except (sqlite3.Error, OSError) as exc:
        raise ProjectError(f"cannot back up {source} to {dest}: {reason(exc)}") from None


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
        target = unique(default_backup_path(source))
    else:
        target = Path(dest).expanduser()
        if target.resolve() == source.resolve():
            raise InputError("the backup cannot replace the project itself")
        if target.is_dir():
            target = unique(default_backup_path(target / source.name))
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
        raise ProjectError(f"cannot create the backup folder {folder}: {reason(exc)}") from None
    _copy(source, target)
    dailies = sorted(
        p for p in folder.glob(f"{_glob_escape(source.name)}.daily-*") if _DAILY.search(p.name)
    )
    for old in dailies[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _glob_escape(name: str) -> str:
    """Escape glob wildcards in a file name ("[" and "]" are legal in names)."""
    return re.sub(r"([*?\[])", r"[\1]", name)
