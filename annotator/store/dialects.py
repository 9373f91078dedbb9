"""The dialect layer: what SQLite and PostgreSQL each need beyond the shared SQLModel code.

See annotator/store/engine.py for why the settings are what they are.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlmodel import Session

from annotator.errors import AnnotatorError, ConflictError, InputError, ProjectError
from annotator.limits import MAX_NAME_CHARS

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
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class _PipelineEnds(logging.Filter):
    """psycopg runs a bulk insert (executemany) in a pipeline; when the server refuses it,
    closing the pipeline logs the same error again ("error ignored terminating Pipeline"),
    which Python prints on stderr beside the one clear line the refusal itself becomes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("error ignored terminating")


def _quiet_pipeline_ends() -> None:
    logger = logging.getLogger("psycopg")
    if not any(isinstance(f, _PipelineEnds) for f in logger.filters):
        logger.addFilter(_PipelineEnds())


class Postgres:
    """What PostgreSQL needs beyond the shared SQLModel code (see the module docstring)."""

    # The first start of an empty database (no table to lock yet) uses an advisory lock, as
    # do the writes on a database without `server init` (one user: nobody else to take it).
    # In team mode writers lock what only the owner's functions can lock (server/guards.py).
    LOCK_NAMESPACE = 0x5A4E
    SCHEMA_LOCK_NAMESPACE = 0x5A4F
    GOLD_LOCK_NAMESPACE = 0x5A50
    # Limits for every session the tool opens, so that nobody's lock or stuck command makes
    # anybody else wait without end. A URL's own `options=-c lock_timeout=...` wins.
    LOCK_TIMEOUT_MS = 10_000
    STATEMENT_TIMEOUT_MS = 120_000
    IDLE_IN_TRANSACTION_MS = 300_000

    @classmethod
    def session_settings(cls, url: str) -> dict[str, str]:
        given = make_url(url).query.get("options", "")
        given = " ".join(given) if isinstance(given, tuple) else given
        limits = {
            "lock_timeout": cls.LOCK_TIMEOUT_MS,
            "statement_timeout": cls.STATEMENT_TIMEOUT_MS,
            "idle_in_transaction_session_timeout": cls.IDLE_IN_TRANSACTION_MS,
        }
        settings = {"TimeZone": "UTC"}  # always: the tables hold zone-less UTC times
        settings.update({name: f"{ms}ms" for name, ms in limits.items() if name not in given})
        return settings

    @classmethod
    def engine(cls, url: str) -> Engine:
        _quiet_pipeline_ends()
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        settings = cls.session_settings(url)
        sql = "SELECT " + ", ".join("set_config(%s, %s, false)" for _ in settings)
        params = [part for item in settings.items() for part in item]

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record: object) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute(sql, params)
            dbapi_conn.commit()  # else the pool's reset rolls the settings back

        return engine

    @classmethod
    def lock_writer(cls, session: Session, team: bool | None = None) -> bool:
        """Serialise the writes of one login role (see store/engine.py). After `server init`
        team_lock_writer() locks a row of the role's own that no other role can lock; any
        role could take an advisory lock, so that is only used without it. `team`: whether
        the server has team_lock_writer() (None: ask it); returns that, for the caller to
        remember, since asking costs a round trip on every save."""
        if team is None:
            found = session.execute(text("SELECT to_regprocedure('team_lock_writer()')"))
            team = found.scalar() is not None
        if team:
            session.execute(text("SELECT team_lock_writer()"))
        else:
            session.execute(
                text(f"SELECT pg_advisory_xact_lock({cls.LOCK_NAMESPACE}, hashtext(current_user))")
            )
        return team

    @classmethod
    def lock_gold(cls, session: Session) -> None:
        """Serialise every write of the gold standard (a curator's decision, a pre-merge, a
        merge): each decides from what it reads, and writers of different roles run in
        parallel otherwise, so a pre-merge could replace a decision made after its read
        (issue 23). After `server init` team_lock_gold() locks a row only the roles that
        write gold may lock (server/curation.py); an advisory lock without it."""
        session.execute(
            text(
                "DO $$BEGIN IF to_regprocedure('team_lock_gold()') IS NULL THEN "
                f"PERFORM pg_advisory_xact_lock({cls.GOLD_LOCK_NAMESPACE}, 0); "
                "ELSE PERFORM team_lock_gold(); END IF; END$$"
            )
        )

    @classmethod
    def lock_schema(cls, conn: Connection) -> None:
        """Serialise creating and upgrading the schema. Once projectinfo exists, lock it in
        a mode that annotator and lead roles cannot take (they may only read it)."""
        conn.execute(
            text(
                "DO $$BEGIN IF to_regclass('projectinfo') IS NULL THEN "
                f"PERFORM pg_advisory_xact_lock({cls.SCHEMA_LOCK_NAMESPACE}, 0); "
                "ELSE LOCK TABLE projectinfo IN SHARE ROW EXCLUSIVE MODE; END IF; END$$"
            )
        )

    @staticmethod
    def refusal(exc: BaseException, db: str) -> Exception | None:
        """A user-facing error for a write the server refused, or None to re-raise as is."""
        if not isinstance(exc, DBAPIError):
            return None
        state = sqlstate(exc)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if state == "42501":  # insufficient privilege, including row-level security
            return ProjectError(
                f"the database server refused this change ({reason}): an annotator's role "
                "changes only its own labels, and shared data only through the tool's checked "
                "paths (see docs/team.md)"
            )
        if state in ("23505", "40001", "40P01"):  # unique, serialization, deadlock
            return ConflictError(
                f"the change collided with another user's change at the same moment and was "
                f"not saved; please try again ({reason})"
            )
        return server_problem(exc, db, "the change was not saved")


# Refusals by the server's own checks (annotator/server/guards.py): their message is
# written for the user. TA400: not allowed as given; TA409: contradicts what is stored.
CHECK_REFUSED, CHECK_CONFLICT = "TA400", "TA409"
# The server's CHECK constraints on names (annotator/server/names.py, the rule of
# limits.check_name): constraint -> (table, column, what it is called).
NAME_CONSTRAINTS = {
    "team_actor_name": ("actor", "name", "actor name"),
    "team_alias_name": ("actoralias", "alias", "actor alias"),
    "team_annotator_name": ("annotator", "name", "annotator name"),
}
# The server's CHECK constraints on values only the tool writes (annotator/server/checks.py).
VALUE_CONSTRAINTS = {
    "team_curation_state": "an article's curation state is in_curation or curated",
    "team_gold_origin": "a gold label's origin is annotator, strategy or curator",
}
_TABLE_WORDS = {
    "stanceannotation": "the labels",
    "evidence": "the evidence",
    "labelevent": "the label history",
    "articledone": "the done marks",
    "mention": "the mentions",
    "actor": "the actors",
    "actoralias": "the actor aliases",
    "article": "the articles",
    "annotator": "the annotator list",
    "projectinfo": "the project settings",
    "curation": "the curation states",
    "goldorigin": "the gold standard",
    "assignment": "the assignment plan",
}
_TABLES_IN = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+"?(\w+)', re.IGNORECASE)


def _driver_error(exc: BaseException) -> BaseException | None:
    """psycopg's exception: wrapped by SQLAlchemy, or raw from a driver cursor (the bulk
    reads and writes of store/bulk.py use one), which had ended as 'unexpected
    LockNotAvailable'."""
    if isinstance(exc, DBAPIError):
        return exc.orig
    return exc if type(exc).__module__.partition(".")[0] == "psycopg" else None


def sqlstate(exc: BaseException) -> str:
    return getattr(_driver_error(exc), "sqlstate", None) or ""


def server_problem(exc: BaseException, db: str, outcome: str) -> AnnotatorError | None:
    """What a PostgreSQL server's refusal, timeout or lost connection means for the user, or
    None; `outcome` says what became of the command ("the change was not saved")."""
    orig = _driver_error(exc)
    if orig is None:
        return None
    state = sqlstate(exc)
    diag = getattr(orig, "diag", None)
    if state in (CHECK_REFUSED, CHECK_CONFLICT) and diag is not None:
        message = f"the database server refused this: {diag.message_primary} ({outcome})"
        return ConflictError(message) if state == CHECK_CONFLICT else InputError(message)
    constraint = getattr(diag, "constraint_name", None)
    if state == "23514" and constraint in VALUE_CONSTRAINTS:
        return InputError(
            f"the database server refused a value the tool does not write: "
            f"{VALUE_CONSTRAINTS[constraint]} ({outcome})"
        )
    if state == "23514" and constraint in NAME_CONSTRAINTS:
        return InputError(
            f"the database server refused a name: names have at most {MAX_NAME_CHARS} "
            "characters, at least one visible character, and no line breaks, control or "
            f"invisible formatting characters ({outcome})"
        )
    if state == "55P03":  # lock_timeout: somebody else holds what this command needs
        statement = (exc.statement if isinstance(exc, DBAPIError) else None) or ""
        if "team_lock_gold" in statement:
            return ConflictError(
                f"a curator or a pre-merge is writing the gold standard on {db}; try again in "
                f"a moment ({outcome})"
            )
        if "team_lock_writer" in statement or "pg_advisory_xact_lock" in statement:
            return ConflictError(
                f"another window or command with your database role is still saving on {db}; "
                f"try again in a moment ({outcome})"
            )
        names = dict.fromkeys(_TABLES_IN.findall(statement))
        what = " or ".join(_TABLE_WORDS[n] for n in names if n in _TABLE_WORDS)
        return ConflictError(
            f"another user holds a lock on {what or 'the data this needs'} on {db}; "
            f"try again in a moment ({outcome})"
        )
    if state == "57014":  # statement_timeout, or cancelled by an administrator
        return ProjectError(
            f"the database server stopped a command on {db} that took too long or was "
            f"cancelled by an administrator; try again ({outcome})"
        )
    invalidated = exc.connection_invalidated if isinstance(exc, DBAPIError) else False
    if invalidated or state.startswith("08") or state in ("25P03", "57P01"):
        return ProjectError(f"lost the connection to {db}; {outcome}")
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


def database_problem(exc: BaseException) -> AnnotatorError | None:
    """A database error that escaped the code that caused it, told as the user needs it
    (the CLI's last line and the GUI's error dialog both use it); None if it is no database
    error."""
    server = server_problem(exc, "the database server", "nothing was changed")
    if server is not None:
        return server
    if isinstance(exc, SQLAlchemyError | sqlite3.DatabaseError):
        reason = db_reason(exc)
        if reason == "the file is damaged or truncated":
            return ProjectError(
                "the project file is damaged or truncated: restore the newest copy from the "
                "backups/ folder beside it (nothing was changed)"
            )
        return ProjectError(f"the project database reported an error: {reason}")
    return None
