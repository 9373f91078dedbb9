"""The tests' own server setup: whatever a test makes on the server is gone afterwards, also
when the test fails or was killed, with no more than the documented minimal role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from annotator.server.roles import init_server
from annotator.store.engine import open_project
from tests.agreement.builders import label_anna, new_project
from tests.postgres.database import TestDatabase, admin_url, fresh_database, sweep
from tests.postgres.team import rows

pytestmark = pytest.mark.postgres


def left_behind(tag: str) -> list[tuple]:
    return rows(
        admin_url(),
        f"SELECT nspname FROM pg_namespace WHERE nspname LIKE '{tag}%' "
        f"UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE '{tag}%'",
    )


def test_a_failing_test_leaves_no_schema_and_no_role_behind() -> None:
    with pytest.raises(RuntimeError, match="the test failed"), fresh_database() as pg:
        tag = pg.tag
        anna, lead = pg.role("anna"), pg.role("lead")
        new_project(pg.url()).close()
        init_server(pg.url(), leads=[lead], annotators={"anna": anna})
        with open_project(pg.url(anna)) as project:  # her role now holds rights and rows
            label_anna(project)
        raise RuntimeError("the test failed")
    assert left_behind(tag) == []


def test_leftovers_of_a_killed_run_are_swept() -> None:
    pg = TestDatabase(admin_url())  # as a run killed before it could drop it leaves it
    try:
        init_server(pg.url(), annotators={"anna": pg.role("anna")})
        sweep(admin_url())
        assert len(left_behind(pg.tag)) == 2  # a running test's schema and role stay
        long_ago = datetime(2000, 1, 1, tzinfo=UTC).isoformat()
        rows(admin_url(), f"COMMENT ON SCHEMA \"{pg.schema}\" IS 'test schema {long_ago}'")
        sweep(admin_url())
        assert left_behind(pg.tag) == []
    finally:
        pg.drop()
