"""A PostgreSQL server for the tests: each test gets a schema of its own, dropped afterwards.

ANNOTATOR_TEST_PG names a database on a server where the user may create schemas and roles:
a role with CREATEROLE that owns the database is enough, no superuser is needed
(docs/team.md#tests; .ci/run sets one up). Without it, or without a reachable server, the
PostgreSQL tests skip and say why; with ANNOTATOR_TEST_PG_REQUIRED=1 (CI) they fail instead,
so a broken server cannot pass as a skipped one.

Cleaning up never needs more than that role: a test's roles only hold rights on objects in
its schema, so dropping the schema first lets the roles be dropped. Whatever a killed run
left behind (its schema carries the time it was made) is swept at the next run.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from annotator.store.engine import normalise_url

ENV = "ANNOTATOR_TEST_PG"
REQUIRED_ENV = "ANNOTATOR_TEST_PG_REQUIRED"
PASSWORD = "test-password"
TAG_PATTERN = "^t[0-9a-f]{10}$"  # a test's schema; its roles are TAG_name
STALE_AFTER = timedelta(hours=6)  # no test runs that long: its schema is a leftover


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
    sweep(url)
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
            made = datetime.now(UTC).isoformat()
            conn.execute(text(f"COMMENT ON SCHEMA \"{self.schema}\" IS 'test schema {made}'"))

    def url(self, role: str | None = None, **settings: str) -> str:
        """A URL into this test's schema, as the admin or as `role` (made by `role()`);
        `settings` are server settings for its sessions (lock_timeout="1s")."""
        options = " ".join(
            f"-c{k}={v}" for k, v in {"search_path": self.schema, **settings}.items()
        )
        url = make_url(self.base).update_query_dict({"options": options})
        if role is not None:
            url = url.set(username=role, password=PASSWORD)
        return url.render_as_string(hide_password=False)

    def role(self, name: str) -> str:
        """A login role with a password, unique to this test (roles are server-wide)."""
        role = f"{self.tag}_{name}"
        self.roles.append(role)  # first: dropped afterwards even if creating it fails
        with self.admin.begin() as conn:
            conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'"))
        return role

    def drop(self) -> None:
        """Drop the schema, then the roles; every step is tried, the first failure raised."""
        try:
            _drop(self.admin, self.schema, self.roles)
        finally:
            self.admin.dispose()


def _drop(admin: Engine, schema: str | None, roles: list[str]) -> None:
    failures: list[DBAPIError] = []
    # The schema first: with it go the roles' rights on its objects, which would keep
    # DROP ROLE from working.
    steps = [f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'] if schema else []
    steps += [f'DROP ROLE IF EXISTS "{role}"' for role in roles]
    for sql in steps:
        try:
            with admin.begin() as conn:
                conn.execute(text(sql))
        except DBAPIError as exc:
            failures.append(exc)
    if failures:
        raise failures[0]


def sweep(url: str) -> None:
    """Drop what killed test runs of this user left on the server: their schemas older
    than STALE_AFTER, with their roles, and test roles whose schema is gone."""
    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.connect() as conn:
            schemas = conn.execute(
                text(
                    "SELECT nspname, pg_get_userbyid(nspowner) = current_user, "
                    "obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname ~ :p"
                ),
                {"p": TAG_PATTERN},
            ).all()
            roles = list(
                conn.execute(
                    text("SELECT rolname FROM pg_roles WHERE rolname ~ :p"),
                    {"p": TAG_PATTERN.removesuffix("$") + "_"},
                ).scalars()
            )
        stale = datetime.now(UTC) - STALE_AFTER
        gone = {name for name, mine, comment in schemas if mine and _made(comment) < stale}
        kept = {name for name, _mine, _comment in schemas} - gone
        # A test makes its schema before its roles and drops it before them: a test role
        # without a schema is a leftover.
        orphans = [r for r in roles if r.split("_", 1)[0] not in kept]
        for schema, role in [(s, None) for s in sorted(gone)] + [(None, r) for r in orphans]:
            with suppress(DBAPIError):  # another run cleaning up the same, or not ours
                _drop(admin, schema, [role] if role else [])
    finally:
        admin.dispose()


def _made(comment: str | None) -> datetime:
    try:
        return datetime.fromisoformat((comment or "").rsplit(" ", 1)[-1])
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)  # made before schemas carried the time


@contextmanager
def fresh_database() -> Iterator[TestDatabase]:
    """Fixture body: a fresh schema (skips when there is no server)."""
    db = TestDatabase(admin_url())
    try:
        yield db
    finally:
        db.drop()
