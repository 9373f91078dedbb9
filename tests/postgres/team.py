"""Helpers for the team-mode tests: raw SQL as a role, another user's open transaction
holding locks, and a call that may not hang the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool


def rows(url: str, sql: str) -> list[tuple]:
    """Run `sql` in its own transaction as the URL's role: its rows, or [(rowcount,)]."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql))
            return list(result) if result.returns_rows else [(result.rowcount,)]
    finally:
        engine.dispose()


def refused(url: str, sql: str) -> str:
    """The server's reason for refusing `sql` as the URL's role (the test fails if it runs)."""
    with pytest.raises(DBAPIError) as exc:
        rows(url, sql)
    return str(exc.value.orig).splitlines()[0]


@contextmanager
def holding(url: str, *statements: str) -> Iterator[Connection]:
    """Another user's transaction that ran `statements` and keeps their locks until the
    block ends (then it is rolled back)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.begin()
            for sql in statements:
                conn.execute(text(sql))
            try:
                yield conn
            finally:
                conn.rollback()
    finally:
        engine.dispose()


@dataclass
class Outcome:
    hung: bool
    seconds: float = 0.0
    value: Any = None
    error: BaseException | None = None


def bounded(call: Callable[[], Any], limit: float) -> Outcome:
    """Run `call` on a thread for at most `limit` seconds. If it is still waiting then, it
    counts as hung; the caller releases what it waits for, so the thread ends anyway."""
    box: dict[str, Any] = {}

    def work() -> None:
        start = time.monotonic()
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test to assert on
            box["error"] = exc
        box["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        return Outcome(hung=True, seconds=limit)
    return Outcome(False, box["seconds"], box.get("value"), box.get("error"))
