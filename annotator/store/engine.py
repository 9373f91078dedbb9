"""Opening a project database: engine setup, SQLite settings, schema creation, checks.

SQLite settings, and why:
- foreign_keys=ON: SQLite leaves them off per connection unless asked.
- journal_mode=WAL: readers (the GUI list, the lead's agreement view) never block the writer
  and a crash mid-write leaves the last committed state intact.
- synchronous=FULL: in WAL mode this fsyncs the log on every commit, so a label whose write
  returned survives a power cut too, not only a killed process (NORMAL would only survive
  the latter). A label is a few hundred bytes; the fsync costs a millisecond or two.
- busy_timeout: a second writer (another window, a merge) waits instead of failing with
  "database is locked".
- Writes start with BEGIN IMMEDIATE so two writers never deadlock on a read-to-write upgrade.

PostgreSQL (team mode, `db` is a URL; the small dialect layer is annotator/store/dialects.py):
- `postgresql://` means psycopg 3, the driver the `postgres` extra installs.
- Sessions run in UTC: the tables hold zone-less UTC times, as SQLite does.
- Every session has a lock_timeout, a statement_timeout and an idle-in-transaction timeout
  (dialects.Postgres): another user's lock or a stuck command ends in a clear "try again"
  instead of a hang (the counterpart of SQLite's busy_timeout).
- Every write transaction first takes a lock per login role. Writes of one role (one
  annotator's two windows) are serialised, so the read-then-write of put_cell, set_done and
  get-or-create sees the other's commit, as under SQLite's single writer; annotators with
  their own roles write in parallel, and their labels never share a row. After `server
  init` it is a row lock that no other role can take (annotator/server/guards.py).
- Creating or upgrading the schema holds one lock, so two first starts cannot race.
- Refusals (row-level security, the server's checks, timeouts, a lost connection) become
  errors a user can read.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Table, inspect, text
from sqlalchemy.exc import (
    DatabaseError,
    DBAPIError,
    OperationalError,
)
from sqlmodel import Session, SQLModel, select

from annotator.errors import ProjectError
from annotator.store import models
from annotator.store.copies import backup_before_upgrade
from annotator.store.dialects import (
    Postgres,
    db_reason,
    display_url,
    normalise_url,
    sqlite_engine,
    sqlite_refusal,
    url_engine,
)
from annotator.store.models import ProjectInfo, sa_table

SCHEMA_VERSION = 7  # Alembic revision f"{SCHEMA_VERSION:04d}"


def is_url(db: str) -> bool:
    return "://" in db


class Project:
    """An open project database. Reads use `session()`, writes use `write()`."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.url: str | None = None  # set for a database server, with its password
        self.path: Path | None = None if is_url(db) else Path(db)
        self._postgres = False
        self._team_writer: bool | None = None  # the server has team_lock_writer()
        if self.path is not None:
            self.engine = sqlite_engine(self.path, immediate=False)
            self.write_engine = sqlite_engine(self.path, immediate=True)
        else:
            self.url = normalise_url(db)
            self.db = display_url(self.url)
            self.engine = url_engine(self.url, self.db)
            self.write_engine = self.engine
            self._postgres = self.engine.dialect.name == "postgresql"

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One short write transaction: commits on success, rolls back on any error."""
        with Session(self.write_engine, expire_on_commit=False) as session:
            try:
                if self._postgres:
                    # Asked once (a save is a few round trips; a project opened before
                    # `server init` keeps the advisory lock until it is opened again).
                    self._team_writer = Postgres.lock_writer(session, self._team_writer)
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                refusal = (
                    Postgres.refusal(exc, self.db)
                    if self._postgres
                    else sqlite_refusal(exc, self.db)
                )
                if refusal is not None:
                    raise refusal from exc
                raise

    def info(self, key: str) -> str | None:
        with self.session() as s:
            row = s.get(ProjectInfo, key)
            return row.value if row else None

    def close(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_sqlite_file(path: Path) -> bool:
    """Return True if the file exists and holds data; refuse folders.

    Only stat() here: whether it is a database is asked of SQLite (`_inspect_sqlite`), never
    by reading the file with open(), which in a process holding a connection to it would
    drop SQLite's locks (annotator/file_guard.py).
    """
    if not path.exists():
        return False
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    return path.stat().st_size > 0


def _inspect_sqlite(path: Path) -> None:
    """Check an existing file read-only before opening it for real.

    Opening for real switches the file to WAL, so a foreign file, a foreign database or one
    from a newer version must be refused before that, to leave it exactly as it was.
    """
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if tables and "projectinfo" not in tables:
                raise ProjectError(
                    f"{path} is an SQLite database but not a stance-annotator project"
                )
            if "projectinfo" in tables:
                row = conn.execute(
                    "SELECT value FROM projectinfo WHERE key='schema_version'"
                ).fetchone()
                _refuse_newer(str(path), _stored_version(str(path), row[0] if row else None))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise ProjectError(f"{path} is not a project file (not an SQLite database)") from None
        raise ProjectError(f"cannot open project {path}: {db_reason(exc)}") from None


# Every version the tool ever wrote: 1, 2, ... as plain digits (nine leave room to spare and
# keep int() far from its limit on digits).
_VERSION_TEXT = re.compile(r"[1-9][0-9]{0,8}")


def schema_version_of(value: object) -> int | None:
    """The schema version a project's info table holds, or None when it is damaged: edited
    into anything the tool never wrote ('abc', '7.0', '', '0', '-1') or gone. A guess would
    upgrade from the wrong place, or back the file up again at every start."""
    if isinstance(value, str) and _VERSION_TEXT.fullmatch(value):
        return int(value)
    return None


def _stored_version(db: str, value: object) -> int:
    version = schema_version_of(value)
    if version is None:
        raise ProjectError(_damaged_version(db))
    return version


def _damaged_version(db: str) -> str:
    # The wording of a merge of such a file (store/merge_source.py).
    return f"cannot open project {db}: its schema version is damaged"


def _refuse_newer(db: str, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"{db} was written by a newer version of the tool (schema {version}, "
            f"this version knows up to {SCHEMA_VERSION}); please upgrade stance-annotator"
        )


def open_project(db: str, *, create: bool = True) -> Project:
    """Open (and if needed create) a project. Raises ProjectError with a clear message."""
    existed = True
    if not is_url(db):
        path = Path(db).expanduser()
        existed = _check_sqlite_file(path)
        if existed:
            _inspect_sqlite(path)
        else:
            if not create:
                raise ProjectError(f"no project at {path}")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ProjectError(f"cannot create the folder for {path}: {exc.strerror}") from None
        db = str(path)
    project = Project(db)
    try:
        tables = set(inspect(project.engine).get_table_names())
        if existed and tables and "projectinfo" not in tables:
            raise ProjectError(f"{db} is an SQLite database but not a stance-annotator project")
        if not tables:
            if not create:
                raise ProjectError(f"{project.db} holds no project")
            _create_schema(project)
        _check_version(project)
        _upgrade_if_old(project)
    except ProjectError:
        project.close()
        raise
    except (DatabaseError, OperationalError) as exc:
        project.close()
        raise ProjectError(f"cannot open project {project.db}: {db_reason(exc)}") from None
    return project


def _create_schema(project: Project) -> None:
    try:
        with project.write_engine.begin() as conn:
            if project._postgres:
                Postgres.lock_schema(conn)
            # Two first starts at once (three first imports into one new file): each saw no
            # tables before it began; the later ones wait for the first's lock (SQLite's
            # BEGIN IMMEDIATE, the schema lock on PostgreSQL), then find its tables here.
            if "projectinfo" in inspect(conn).get_table_names():
                return
            SQLModel.metadata.create_all(conn, tables=_tables())
            from annotator.store import migrate  # Alembic: ~150 ms to import, so only here

            migrate.stamp_head(conn)
            info = sa_table(ProjectInfo)
            conn.execute(info.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
    except DBAPIError as exc:
        # Insufficient privilege, or no schema this role may create in.
        if not project._postgres or getattr(exc.orig, "sqlstate", None) not in ("42501", "3F000"):
            raise
        raise ProjectError(
            f"{project.db} holds no project this role can see: the database owner sets it up "
            "with `annotator server init` (see docs/team.md)"
        ) from None


def _tables() -> list[Table]:
    return [
        sa_table(models.ProjectInfo),
        sa_table(models.Article),
        sa_table(models.Actor),
        sa_table(models.ActorAlias),
        sa_table(models.ActorMerge),
        sa_table(models.Mention),
        sa_table(models.Annotator),
        sa_table(models.ArticleDone),
        sa_table(models.StanceAnnotation),
        sa_table(models.Evidence),
        sa_table(models.LabelEvent),
        sa_table(models.GoldOrigin),
        sa_table(models.Curation),
        sa_table(models.Assignment),
        sa_table(models.Suggestion),
        sa_table(models.StanceModel),
    ]


def _schema_version(project: Project) -> int:
    with project.session() as s:
        row = s.exec(select(ProjectInfo).where(ProjectInfo.key == "schema_version")).first()
    return _stored_version(project.db, row.value if row else None)


def _upgrade_if_old(project: Project) -> None:
    version = _schema_version(project)
    if version >= SCHEMA_VERSION:
        return
    from annotator.store import migrate  # Alembic: ~150 ms to import, so only here

    with project.engine.connect() as conn:
        recorded = migrate.revision_fits(conn, version)
    # Checked before the backup, which a file that will never open would get at every start.
    # A mismatch may also be another process's upgrade between the two reads: then the
    # version has moved on too.
    if not recorded:
        if _schema_version(project) >= SCHEMA_VERSION:
            return
        raise ProjectError(_damaged_version(project.db))
    if project.path is not None:
        backup_before_upgrade(project.path, version)
    try:
        with project.write_engine.begin() as conn:
            if project._postgres:
                Postgres.lock_schema(conn)
                row = conn.execute(
                    text("SELECT value FROM projectinfo WHERE key = 'schema_version'")
                ).scalar()
                if _stored_version(project.db, row) >= SCHEMA_VERSION:
                    return  # another process upgraded it while we waited
            migrate.upgrade(conn, version)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":
            raise
        raise ProjectError(
            f"{project.db} has schema {version} and only its owner can upgrade it: run "
            "`annotator server init` with the owner's URL"
        ) from None


def _check_version(project: Project) -> None:
    _refuse_newer(project.db, _schema_version(project))
