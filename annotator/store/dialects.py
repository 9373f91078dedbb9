"""The dialect layer: what SQLite and PostgreSQL each need beyond the shared SQLModel code.

See annotator/store/engine.py for why the settings are what they are.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlmodel import Session

from annotator.errors import ConflictError, ProjectError

BUSY_TIMEOUT_MS = 15_000


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


def sqlite_engine(path: Path, *, immediate: bool) -> Engine:
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


class Postgres:
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


def url_engine(url: str, shown: str) -> Engine:
    try:
        if make_url(url).get_backend_name() == "postgresql":
            return Postgres.engine(url)
        return create_engine(url, pool_pre_ping=True)
    except ArgumentError:
        raise ProjectError(f"{shown} is not a database URL the tool understands") from None
    except ImportError:
        raise ProjectError(
            f"no database driver for {shown}: install it with "
            "pip install 'stance-annotator[postgres]'"
        ) from None


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


def sqlite_refusal(exc: BaseException, db: str) -> ProjectError | None:
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return None
    if not getattr(exc.orig, "sqlite_errorname", "").startswith(_REFUSED_WRITES):
        return None
    return ProjectError(f"cannot save to {db}: {db_reason(exc)}; the change was not saved")


def db_reason(exc: Exception) -> str:
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


def database_problem(exc: BaseException) -> ProjectError | None:
    """A database error that escaped the code that caused it, told as the user needs it
    (the CLI's last line and the GUI's error dialog both use it); None if it is no database
    error."""
    if isinstance(exc, DBAPIError | sqlite3.DatabaseError):
        reason = db_reason(exc)  # type: ignore[arg-type]
        if reason == "the file is damaged or truncated":
            return ProjectError(
                "the project file is damaged or truncated: restore the newest copy from the "
                "backups/ folder beside it (nothing was changed)"
            )
        return ProjectError(f"the project database reported an error: {reason}")
    return None
