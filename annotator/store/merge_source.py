"""The other file of a merge: a private, checked snapshot of it (store/merge.py).

1. The file is copied with SQLite's backup API into a private snapshot: one read
   transaction, so a file another process is writing is read at one commit, never a mix;
   the other file itself is only ever opened read-only by SQLite.
2. A snapshot of an older schema is upgraded (it is our own copy), so everything after
   this reads the current schema.
3. Every snapshot is checked like an import before anything is written: the project
   structure, texts against their hashes, names against the limits, mentions and evidence
   inside their texts (whole numbers), targets and stances against the codebook, times that
   are times, history events that can be read, and gold rows that name what exists.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, inspect, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

from annotator.codebook import Codebook
from annotator.errors import InputError, ProjectError
from annotator.files import project_files
from annotator.limits import check_meta, check_name
from annotator.store import models as m
from annotator.store.copies import copy_database
from annotator.store.dialects import BUSY_TIMEOUT_MS, db_reason
from annotator.store.engine import SCHEMA_VERSION, Project
from annotator.store.labels import CellState
from annotator.store.merge_gold import gold_problem
from annotator.store.models import sa_table as _t
from annotator.store.models import text_hash

_REQUIRED = {"projectinfo", "article", "actor", "annotator", "stanceannotation", "articledone"}


class Invalid(Exception):
    """What is wrong with the other file (the message names it)."""


def check(ok: bool, message: str) -> None:
    if not ok:
        raise Invalid(message)


def _source_connection(path: Path) -> sqlite3.Connection:
    """A connection that reads `path` under SQLite's locks.

    Opened read-write (no table is ever written) where the file allows it: as the last
    connection to close, it then removes the -wal/-shm it needed, as any closing program
    does, instead of leaving them beside the other file as a read-only one would. On
    read-only media it reads read-only; a WAL file there with no -wal beside it has nobody
    writing it, so the main file alone is the whole project.
    """
    uri = f"file:{quote(str(path.resolve()))}"
    timeout = BUSY_TIMEOUT_MS / 1000
    for mode in ("?mode=rw", "?mode=ro"):
        conn = sqlite3.connect(uri + mode, uri=True, timeout=timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise
    if Path(f"{path}-wal").exists():
        raise InputError(f"cannot merge {path}: it cannot be read here (read-only, in use)")
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True)


def _snapshot(path: Path, dest: Path) -> None:
    """Copy `path` into `dest` in one read transaction (store/copies.py)."""
    try:
        copy_database(path, dest, connect=_source_connection)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise InputError(
                f"cannot merge {path}: not a project file (not an SQLite database)"
            ) from None
        raise InputError(f"cannot merge {path}: {db_reason(exc)}") from None
    except ProjectError as exc:  # the copy failed its check
        raise InputError(f"cannot merge {path}: the file is damaged ({exc})") from None


def _upgrade(snapshot: Path, version: int) -> None:
    """Bring our own copy of an older file to the current schema (Alembic, all or nothing)."""
    from annotator.store import migrate  # Alembic: only for old files

    engine = create_engine(f"sqlite:///{snapshot}", poolclass=NullPool)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, version)
    finally:
        engine.dispose()


def _snapshot_engine(snapshot: Path) -> Engine:
    uri = f"file:{quote(str(snapshot))}?mode=ro&immutable=1"
    connect = partial(sqlite3.connect, uri, uri=True, check_same_thread=False)
    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def _checked_name(value: Any, what: str) -> str:
    try:
        return check_name(value, what)
    except InputError as exc:
        raise Invalid(exc.detail) from None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _time(value: Any, what: str) -> None:
    """A stored time must read as one: a hand-edited '2099-13-45' is refused here, not met
    as a crash half-way through the merge."""
    if isinstance(value, datetime):
        return
    try:
        datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise Invalid(f"{what} has the damaged time {str(value)[:40]!r}") from None


def validate(conn: Connection, codebook: Codebook) -> None:
    """Check a snapshot as an import checks its input; raise Invalid saying what is wrong.
    Rows are read raw (times as stored), so a damaged value is named, not tripped over."""
    a, ac, al = _t(m.Article).c, _t(m.Actor).c, _t(m.ActorAlias).c
    raw = conn.exec_driver_sql
    lengths: dict[int, tuple[str, int]] = {}
    for aid, ext, text, sha, meta in conn.execute(
        select(a.id, a.external_id, a.text, a.text_sha256, a.meta)
    ):
        check(isinstance(ext, str) and bool(ext), f"article {aid} has no id")
        # Blank counts as none, as at import (ingest/readers.py).
        check(isinstance(text, str) and bool(text.strip()), f"article {ext!r} has no text")
        check(text_hash(text) == sha, f"article {ext!r}: the text does not match its hash")
        try:
            check_meta(meta if meta is not None else {})
        except InputError as exc:
            raise Invalid(f"article {ext!r}: {exc.detail}") from None
        lengths[aid] = (ext, len(text))
    actors = set()
    for aid, name, label in conn.execute(select(ac.id, ac.name, ac.label)):
        _checked_name(name, "actor name")
        check(label in m.MENTION_LABELS, f"actor {name!r} has the unknown label {label!r}")
        actors.add(aid)
    for (into,) in conn.execute(select(ac.merged_into).where(ac.merged_into.is_not(None))):
        check(into in actors, "an actor is merged into an actor the file lacks")
    for aid, alias in conn.execute(select(al.actor_id, al.alias)):
        check(aid in actors, f"alias {alias!r} belongs to no actor")
        _checked_name(alias, "alias")
    annotators = {}
    for aid, name in conn.execute(select(_t(m.Annotator).c.id, _t(m.Annotator).c.name)):
        annotators[aid] = _checked_name(name, "annotator name")
    for art, start, end, label, actor, source in raw(
        'SELECT article_id, start, "end", label, actor_id, source FROM mention'
    ):
        check(art in lengths, f"a mention belongs to no article (article {art})")
        ext, n = lengths[art]
        check(_whole(start) and _whole(end) and 0 <= start < end <= n,
              f"article {ext!r}: mention {start}-{end} lies outside the text")  # fmt: skip
        check(label in m.MENTION_LABELS, f"article {ext!r}: mention label {label!r} is unknown")
        check(source in m.MENTION_SOURCES, f"article {ext!r}: mention source {source!r}")
        check(actor is None or actor in actors, f"article {ext!r}: a mention names no actor")
    spans: dict[int, list[tuple[Any, Any]]] = {}
    for label_id, start, end in raw('SELECT annotation_id, start, "end" FROM evidence'):
        spans.setdefault(label_id, []).append((start, end))
    targets, stances = set(codebook.target_ids), set(codebook.stance_ids)
    for lid, art, actor, target, stance, annotator, created, updated in raw(
        "SELECT id, article_id, actor_id, target, stance, annotator_id, created_at, updated_at "
        "FROM stanceannotation"
    ):
        check(art in lengths and actor in actors and annotator in annotators,
              f"label {lid} refers to an article, actor or annotator the file lacks")  # fmt: skip
        ext, n = lengths[art]
        who = annotators[annotator]
        check(target in targets, f"article {ext!r}: {who} labelled target {target!r}, which "
              f"the codebook does not know (it has {', '.join(codebook.target_ids)})")  # fmt: skip
        check(stance is None or stance in stances, f"article {ext!r}: {who} gave stance "
              f"{stance!r}, which the codebook does not know (it has "
              f"{', '.join(codebook.stance_ids)})")  # fmt: skip
        _time(created, f"article {ext!r}: {who}'s label")
        _time(updated, f"article {ext!r}: {who}'s label")
        for start, end in spans.pop(lid, ()):
            check(_whole(start) and _whole(end) and 0 <= start < end <= n,
                  f"article {ext!r}: evidence {start}-{end} lies outside the text "
                  f"(length {n})")  # fmt: skip
    check(not spans, "evidence belongs to no label")
    for art, annotator, done_at in raw("SELECT article_id, annotator_id, done_at FROM articledone"):
        check(art in lengths and annotator in annotators, "a done mark refers to nothing")
        _time(done_at, f"article {lengths[art][0]!r}: {annotators[annotator]}'s done mark")
    _check_history(conn, set(lengths), set(annotators))
    problem = gold_problem(conn, set(lengths), actors, set(annotators))
    check(problem is None, problem or "")


def _check_history(conn: Connection, articles: set[int], annotators: set[int]) -> None:
    """The file's label history is read for what was cleared there (store/merge_write.py):
    every event must name what exists and hold states that can be read."""
    ev = _t(m.LabelEvent).c
    for eid, at, who, article, before, after in conn.execute(
        select(ev.id, ev.at, ev.annotator_id, ev.article_id, ev.before, ev.after)
    ):
        check(who in annotators and article in articles, f"history event {eid} refers to nothing")
        _time(at, f"history event {eid}")
        for side in (before, after):
            check(side is None or isinstance(side, dict), f"history event {eid} is damaged")
            if isinstance(side, dict) and "done" not in side:
                try:
                    CellState.from_json(side)
                except (TypeError, ValueError, AttributeError):
                    raise Invalid(f"history event {eid} is damaged") from None


def _version(conn: Connection, path: Path) -> int:
    if not set(inspect(conn).get_table_names()) >= _REQUIRED:
        raise InputError(f"cannot merge {path}: not a stance-annotator project")
    info = _t(m.ProjectInfo).c
    value = conn.execute(select(info.value).where(info.key == "schema_version")).scalar()
    try:
        version = int(value or 0)
    except ValueError:
        raise InputError(f"cannot merge {path}: its schema version is damaged") from None
    if version > SCHEMA_VERSION:
        raise InputError(
            f"cannot merge {path}: it was written by a newer version of the tool "
            f"(schema {version}, this version knows up to {SCHEMA_VERSION})"
        )
    return version


def reason(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


@contextmanager
def opened(path: str | Path, target: Project, folder: Path, codebook: Codebook) -> Iterator[Engine]:
    """A checked, read-only snapshot of another project file, in the current schema."""
    path = Path(path).expanduser()
    if not path.exists():
        raise InputError(f"cannot merge {path}: no such file")
    if path.is_dir():
        raise InputError(f"cannot merge {path}: it is a folder, not a project file")
    if target.path is not None and any(
        own.exists() and path.samefile(own) for own in project_files(target.path)
    ):
        raise InputError(f"cannot merge {path} into itself")
    snapshot = folder / f"{len(list(folder.iterdir()))}.db"
    _snapshot(path, snapshot)
    try:
        engine = _snapshot_engine(snapshot)
        with engine.connect() as conn:
            version = _version(conn, path)
        engine.dispose()
        if version < SCHEMA_VERSION:
            _upgrade(snapshot, version)
        engine = _snapshot_engine(snapshot)
    except (DatabaseError, OperationalError, ValueError) as exc:
        raise InputError(f"cannot merge {path}: {reason(exc)}") from None
    try:
        with engine.connect() as conn:
            validate(conn, codebook)
    except Invalid as exc:
        engine.dispose()
        raise InputError(f"cannot merge {path}: {exc}; nothing was merged") from None
    except (DatabaseError, OperationalError, ValueError, TypeError) as exc:
        engine.dispose()
        raise InputError(f"cannot merge {path}: {reason(exc)}; nothing was merged") from None
    except BaseException:
        engine.dispose()
        raise
    try:
        yield engine
    finally:
        engine.dispose()
