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
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session, SQLModel, select

from annotator.errors import ProjectError
from annotator.store import migrate, models
from annotator.store.models import ProjectInfo

SCHEMA_VERSION = 2  # Alembic revision f"{SCHEMA_VERSION:04d}"
BUSY_TIMEOUT_MS = 15_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def is_url(db: str) -> bool:
    return "://" in db


def _sqlite_engine(path: Path, *, immediate: bool) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Project:
    """An open project database. Reads use `session()`, writes use `write()`."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.path: Path | None = None if is_url(db) else Path(db)
        if self.path is not None:
            self.engine = _sqlite_engine(self.path, immediate=False)
            self.write_engine = _sqlite_engine(self.path, immediate=True)
        else:
            self.engine = create_engine(db, pool_pre_ping=True)
            self.write_engine = self.engine

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
                yield session
                session.commit()
            except BaseException:
                session.rollback()
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
    """Return True if the file exists and holds data; refuse files that are not SQLite."""
    if not path.exists():
        return False
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    size = path.stat().st_size
    if size == 0:
        return False
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != SQLITE_MAGIC:
        raise ProjectError(f"{path} is not a project file (not an SQLite database)")
    return True


def _inspect_sqlite(path: Path) -> None:
    """Check an existing file read-only before opening it for real.

    Opening for real switches the file to WAL, so a foreign database or one from a newer
    version must be refused before that, to leave it exactly as it was.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
                _refuse_newer(str(path), int(row[0]) if row else 0)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"cannot open project {path}: {_db_reason(exc)}") from None


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
                raise ProjectError(f"{db} holds no project")
            with project.write_engine.begin() as conn:
                SQLModel.metadata.create_all(conn, tables=_tables())
                migrate.stamp_head(conn)
            with project.write() as s:
                s.add(ProjectInfo(key="schema_version", value=str(SCHEMA_VERSION)))
        _check_version(project)
        _upgrade_if_old(project)
    except ProjectError:
        project.close()
        raise
    except (DatabaseError, OperationalError) as exc:
        project.close()
        raise ProjectError(f"cannot open project {db}: {_db_reason(exc)}") from None
    return project


def _tables() -> list:
    return [
        models.ProjectInfo.__table__,
        models.Article.__table__,
        models.Actor.__table__,
        models.ActorAlias.__table__,
        models.Mention.__table__,
        models.Annotator.__table__,
        models.ArticleDone.__table__,
        models.StanceAnnotation.__table__,
        models.Evidence.__table__,
        models.LabelEvent.__table__,
    ]


def _schema_version(project: Project) -> int:
    with project.session() as s:
        row = s.exec(select(ProjectInfo).where(ProjectInfo.key == "schema_version")).first()
    return int(row.value) if row else 0


def _upgrade_if_old(project: Project) -> None:
    version = _schema_version(project)
    if version >= SCHEMA_VERSION:
        return
    if project.path is not None:
        from annotator.store.backup import backup_before_upgrade

        backup_before_upgrade(project.path, version)
    with project.write_engine.begin() as conn:
        migrate.upgrade(conn, version)


def _check_version(project: Project) -> None:
    with project.session() as s:
        row = s.exec(select(ProjectInfo).where(ProjectInfo.key == "schema_version")).first()
    _refuse_newer(project.db, int(row.value) if row else 0)


def _db_reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    if "readonly" in text or "read-only" in text:
        return "the file is read-only"
    if "malformed" in text or "not a database" in text:
        return "the file is damaged or truncated"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full"
    return text.splitlines()[0] if text else type(orig).__name__
