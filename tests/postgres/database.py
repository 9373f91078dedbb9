"""A PostgreSQL server for the tests: each test gets a schema of its own, dropped afterwards.

ANNOTATOR_TEST_PG names a database on a server where the user may create schemas and roles
(a superuser on a local test cluster; .ci/run sets one up). Without it, or without a
reachable server, the PostgreSQL tests skip and say why; with ANNOTATOR_TEST_PG_REQUIRED=1
(CI) they fail instead, so a broken server cannot pass as a skipped one.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from annotator.store.engine import normalise_url

ENV = "ANNOTATOR_TEST_PG"
REQUIRED_ENV = "ANNOTATOR_TEST_PG_REQUIRED"
PASSWORD = "test-password"


@functools.cache
def _server() -> tuple[str | None, str]:
    """(admin URL, "") if the server answers, else (None, why not)."""
    url = os.environ.get(ENV)
    if not url:
        return None, f"no PostgreSQL server: set {ENV}=postgresql://USER:PASSWORD@HOST/DB"
    url = normalise_url(url)
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means: no usable server
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        shown = make_url(url).render_as_string(hide_password=True)
        return None, f"PostgreSQL at {shown} ({ENV}) is not reachable: {reason}"
    finally:
        engine.dispose()
    return url, ""


def admin_url() -> str:
    """The server's URL, or skip (fail in CI) the calling test with the reason."""
    url, reason = _server()
    if url is None:
        if os.environ.get(REQUIRED_ENV) == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


class TestDatabase:
    """One schema on the test server; URLs into it for the admin and for test roles."""

    __test__ = False  # not a test class, despite the name

    def __init__(self, base: str) -> None:
        self.base = base
        self.tag = f"t{uuid.uuid4().hex[:10]}"
        self.schema = self.tag
        self.roles: list[str] = []
        self.admin: Engine = create_engine(base, poolclass=NullPool)
        with self.admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))

    def url(self, role: str | None = None) -> str:
        """A URL into this test's schema, as the admin or as `role` (made by `role()`)."""
        url = make_url(self.base).update_query_dict({"options": f"-csearch_path={self.schema}"})
        if role is not None:
            url = url.set(username=role, password=PASSWORD)
        return url.render_as_string(hide_password=False)

    def role(self, name: str) -> str:
        """A login role with a password, unique to this test (roles are server-wide)."""
        role = f"{self.tag}_{name}"
        with self.admin.begin() as conn:
            conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'"))
        self.roles.append(role)
        return role

    def drop(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            for role in self.roles:
                conn.execute(text(f'DROP OWNED BY "{role}" CASCADE'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        self.admin.dispose()


@contextmanager
def fresh_database() -> Iterator[TestDatabase]:
    """Fixture body: a fresh schema (skips when there is no server)."""
    db = TestDatabase(admin_url())
    try:
        yield db
    finally:
        db.drop()
