"""Fast bulk writes and reads, portable across SQLite and PostgreSQL.

The ORM (and even Core) builds a parameter dict per inserted row; for ~100 mentions per
article that costs more than the highlighting. Here rows go straight to the driver's
executemany, with the placeholder style of the connected dialect. Reading is the mirror
image: Core builds the query, the driver's cursor returns plain tuples, and the per-row
Result machinery (three times the cost of the query itself in an export) is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Result, Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def inserted_id(result: Result[Any]) -> Any:
    """The primary key of the row a single-row INSERT added.

    An INSERT's result is a CursorResult, though SQLModel's Session.execute is typed as
    returning a plain Result; its key is None only when no row was inserted.
    """
    key = cast(CursorResult[Any], result).inserted_primary_key
    assert key is not None
    return key[0]


def insert_many(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    conn = session.connection()
    quote = conn.dialect.identifier_preparer.quote
    mark = _PLACEHOLDER[conn.dialect.paramstyle]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    conn.exec_driver_sql(sql, list(rows))


def fetch_rows(conn: Connection, stmt: ClauseElement) -> list[tuple[Any, ...]]:
    """All rows of a Core statement as the driver's tuples (no type processing: use it for
    integer and text columns; JSON comes back as text on SQLite, parsed on PostgreSQL)."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    assert isinstance(compiled, SQLCompiler)  # a statement compiles to SQL (not DDL)
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        cursor.execute(compiled.string, params)
        return cast(list[tuple[Any, ...]], cursor.fetchall())  # a list with both drivers
    except dbapi_error as exc:
        # Wrapped as SQLAlchemy wraps its own, with the statement: what a reader under
        # another user's lock is told names the table (store/dialects.server_problem).
        raise DBAPIError.instance(compiled.string, params, exc, dbapi_error) from exc
    finally:
        cursor.close()
