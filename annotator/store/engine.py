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

PostgreSQL (team mode, `db` is a URL; the small dialect layer is `_Postgres` below):
- `postgresql://` means psycopg 3, the driver the `postgres` extra installs.
- Sessions run in UTC: the tables hold zone-less UTC times, as SQLite does.
- Every write transaction first takes an advisory lock per login role. Writes of one role
  (one annotator's two windows) are serialised, so the read-then-write of put_cell, set_done
  and get-or-create sees the other's commit, as under SQLite's single writer; annotators with
  their own roles write in parallel, and their labels never share a row.
- Creating or upgrading the schema holds one lock, so two first starts cannot race.
- Refusals (row-level security, a lost connection) become ProjectErrors a user can read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlmodel import Session, SQLModel, select

from annotator.errors import ConflictError, ProjectError
from annotator.store import migrate, models
from annotator.store.models import ProjectInfo

SCHEMA_VERSION = 2  # Alembic revision f"{SCHEMA_VERSION:04d}"
BUSY_TIMEOUT_MS = 15_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def is_url(db: str) -> bool:
    return "://" in db


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` use psycopg 3; other URLs are kept as given."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def display_url(url: str) -> str:
    """The URL for titles and messages: a password in it is never shown."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


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
        # 64 MB page cache (default 2 MB): the mention indexes of a big import stay in memory.
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class _Postgres:
    """What PostgreSQL needs beyond the shared SQLModel code (see the module docstring)."""

    # Advisory lock keys: (namespace, key). The namespace keeps clear of other applications'
    # advisory locks in the same database.
    LOCK_NAMESPACE = 0x5A4E
    SCHEMA_LOCK_NAMESPACE = 0x5A4F

    @staticmethod
    def engine(url: str) -> Engine:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record: object) -> None:  # type: ignore[no-untyped-def]
            with dbapi_conn.cursor() as cur:
                cur.execute("SET TIME ZONE 'UTC'")
            dbapi_conn.commit()  # else the pool's reset rolls the SET back

        return engine

    @classmethod
    def lock_writer(cls, session: Session) -> None:
        session.execute(
            text(f"SELECT pg_advisory_xact_lock({cls.LOCK_NAMESPACE}, hashtext(current_user))")
        )

    @classmethod
    def lock_schema(cls, conn: Connection) -> None:
        conn.execute(text(f"SELECT pg_advisory_xact_lock({cls.SCHEMA_LOCK_NAMESPACE}, 0)"))

    @staticmethod
    def refusal(exc: BaseException, db: str) -> Exception | None:
        """A user-facing error for a write the server refused, or None to re-raise as is."""
        if not isinstance(exc, DBAPIError):
            return None
        state = getattr(exc.orig, "sqlstate", None) or ""
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if state == "42501":  # insufficient privilege, including row-level security
            return ProjectError(
                f"the database server refused this change ({reason}): your database role may "
                "only change its own annotator's labels (see docs/team.md)"
            )
        if state in ("23505", "40001", "40P01"):  # unique, serialization, deadlock
            return ConflictError(
                f"the change collided with another user's change at the same moment and was "
                f"not saved; please try again ({reason})"
            )
        if exc.connection_invalidated or state.startswith("08"):
            return ProjectError(f"lost the connection to {db}; the change was not saved")
        return None


class Project:
    """An open project database. Reads use `session()`, writes use `write()`."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.url: str | None = None  # set for a database server, with its password
        self.path: Path | None = None if is_url(db) else Path(db)
        self._postgres = False
        if self.path is not None:
            self.engine = _sqlite_engine(self.path, immediate=False)
            self.write_engine = _sqlite_engine(self.path, immediate=True)
        else:
            self.url = normalise_url(db)
            self.db = display_url(self.url)
            self.engine = _url_engine(self.url, self.db)
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
                    _Postgres.lock_writer(session)
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                refusal = (
                    _Postgres.refusal(exc, self.db)
                    if self._postgres
                    else _sqlite_refusal(exc, self.db)
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


def _url_engine(url: str, shown: str) -> Engine:
    try:
        if make_url(url).get_backend_name() == "postgresql":
            return _Postgres.engine(url)
        return create_engine(url, pool_pre_ping=True)
    except ArgumentError:
        raise ProjectError(f"{shown} is not a database URL the tool understands") from None
    except ImportError:
        raise ProjectError(
            f"no database driver for {shown}: install it with "
            "pip install 'stance-annotator[postgres]'"
        ) from None


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
                raise ProjectError(f"{project.db} holds no project")
            _create_schema(project)
        _check_version(project)
        _upgrade_if_old(project)
    except ProjectError:
        project.close()
        raise
    except (DatabaseError, OperationalError) as exc:
        project.close()
        raise ProjectError(f"cannot open project {project.db}: {_db_reason(exc)}") from None
    return project


def _create_schema(project: Project) -> None:
    try:
        with project.write_engine.begin() as conn:
            if project._postgres:
                # Two first starts at once: the second waits here, then finds the tables.
                _Postgres.lock_schema(conn)
                if "projectinfo" in inspect(conn).get_table_names():
                    return
            SQLModel.metadata.create_all(conn, tables=_tables())
            migrate.stamp_head(conn)
            info = ProjectInfo.__table__  # type: ignore[attr-defined]
            conn.execute(info.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
    except DBAPIError as exc:
        # Insufficient privilege, or no schema this role may create in.
        if not project._postgres or getattr(exc.orig, "sqlstate", None) not in ("42501", "3F000"):
            raise
        raise ProjectError(
            f"{project.db} holds no project this role can see: the database owner sets it up "
            "with `annotator server init` (see docs/team.md)"
        ) from None


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
    try:
        with project.write_engine.begin() as conn:
            if project._postgres:
                _Postgres.lock_schema(conn)
                row = conn.execute(
                    text("SELECT value FROM projectinfo WHERE key = 'schema_version'")
                ).scalar()
                if int(row or 0) >= SCHEMA_VERSION:
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
    with project.session() as s:
        row = s.exec(select(ProjectInfo).where(ProjectInfo.key == "schema_version")).first()
    _refuse_newer(project.db, int(row.value) if row else 0)


# SQLite errors that mean "this project cannot take the write": told to the user as such.
# Matched by SQLite's own error name, so an error of another connection used inside the
# transaction (the file being merged) is not blamed on this project.
_REFUSED_WRITES = (
    "SQLITE_READONLY",
    "SQLITE_FULL",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_IOERR",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_CANTOPEN",
)


def _sqlite_refusal(exc: BaseException, db: str) -> ProjectError | None:
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return None
    if not getattr(exc.orig, "sqlite_errorname", "").startswith(_REFUSED_WRITES):
        return None
    return ProjectError(f"cannot save to {db}: {_db_reason(exc)}; the change was not saved")


def _db_reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    if "readonly" in text or "read-only" in text:
        return "the file is read-only"
    if "malformed" in text or "not a database" in text:
        return "the file is damaged or truncated"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full"
    if "database is locked" in text:
        return "another program kept the project busy for too long; try again"
    return text.splitlines()[0] if text else type(orig).__name__
