"""Fast bulk writes and reads, portable across SQLite and PostgreSQL.

The ORM (and even Core) builds a parameter dict per inserted row; for ~100 mentions per
article that costs more than the highlighting. Here rows go straight to the driver's
executemany, with the placeholder style of the connected dialect. Reading is the mirror
image: Core builds the query, the driver's cursor returns plain tuples, and the per-row
Result machinery (three times the cost of the query itself in an export) is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.sql import Executable
from sqlmodel import Session

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


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


def fetch_rows(conn: Connection, stmt: Executable) -> list[tuple[Any, ...]]:
    """All rows of a Core statement as the driver's tuples (no type processing: use it for
    integer and text columns; JSON comes back as text on SQLite, parsed on PostgreSQL)."""
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return cursor.fetchall()
    finally:
        cursor.close()
