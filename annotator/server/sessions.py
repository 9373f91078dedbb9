"""Time limits that hold for every client of the team, and for `server init` itself.

The tool sets a lock, a statement and an idle-in-transaction timeout on every session it
opens (store/dialects.Postgres). `server init` also stores them as defaults of each team
role in this database (ALTER ROLE ... IN DATABASE ... SET), so they hold for any client: a
psql session left idle in a transaction ends after the idle timeout, and its locks with it,
instead of blocking init, and behind init's queued lock everybody's saves, without end. A
role may still change them in its own session: the defaults end forgotten sessions, not a
malicious one (docs/team.md says what the admin does then).

Init waits for a lock at most INIT_LOCK_TIMEOUT_MS, whatever the URL says: while its request
waits, every read and save of the team queues behind it; when it gives up, it names the
sessions holding locks on the project's tables.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from annotator.errors import ConflictError
from annotator.store.dialects import Postgres, sqlstate

INIT_LOCK_TIMEOUT_MS = 5_000


def role_settings() -> dict[str, str]:
    """The settings every team role gets as its default (the tool's own session limits)."""
    return {
        "lock_timeout": f"{Postgres.LOCK_TIMEOUT_MS}ms",
        "statement_timeout": f"{Postgres.STATEMENT_TIMEOUT_MS}ms",
        "idle_in_transaction_session_timeout": f"{Postgres.IDLE_IN_TRANSACTION_MS}ms",
    }


def limit_init_wait(conn: Connection) -> None:
    """Init's own lock timeout, for the rest of its transaction."""
    conn.execute(text(f"SET LOCAL lock_timeout = '{INIT_LOCK_TIMEOUT_MS}ms'"))


def set_role_limits(conn: Connection, role: str, quoted: str) -> str | None:
    """Store the limits as `role`'s defaults in this database; a warning if not allowed."""
    database = conn.dialect.identifier_preparer.quote_identifier(
        conn.execute(text("SELECT current_database()")).scalar_one()
    )
    statements = [
        f"ALTER ROLE {quoted} IN DATABASE {database} SET {name} = '{value}'"
        for name, value in role_settings().items()
    ]
    try:
        with conn.begin_nested():
            for sql in statements:
                conn.execute(text(sql))
    except DBAPIError as exc:
        if sqlstate(exc) != "42501":  # the owner lacks CREATEROLE (or, from 16, ADMIN on it)
            raise
        return (
            f"the owner may not set the session limits of role {role}, so a client of its "
            f"that stays idle in a transaction may block others; as the database admin run: "
            + "; ".join(statements)
        )
    return None


def init_lock_refusal(engine: Engine, db: str) -> ConflictError:
    """What init says when it gave up waiting for a lock: who holds one, and what to do."""
    with engine.connect() as conn:
        holders = conn.execute(
            text(
                "SELECT DISTINCT a.pid, a.usename FROM pg_locks l JOIN pg_stat_activity a "
                "ON a.pid = l.pid WHERE l.granted AND l.pid <> pg_backend_pid() "
                "AND l.relation IN (SELECT c.oid FROM pg_class c "
                "WHERE c.relnamespace = current_schema()::regnamespace) ORDER BY a.pid LIMIT 5"
            )
        ).all()
    who = ", ".join(f"role {name} (pid {pid})" for pid, name in holders) or "another session"
    pid = holders[0][0] if holders else "PID"
    return ConflictError(
        f"server init waited {INIT_LOCK_TIMEOUT_MS / 1000:g} s for a lock on the project's "
        f"tables on {db}, which {who} holds in an open transaction: ask them to close the "
        f"window or command, or end the session as the database admin (SELECT "
        f"pg_terminate_backend({pid})), then run init again (nothing was changed)"
    )
