"""Fixtures for the PostgreSQL tests (team mode). They skip without a server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.server.roles import init_server
from annotator.store.dialects import Postgres
from annotator.store.engine import open_project
from tests.agreement.builders import label_anna, label_ben, new_project
from tests.postgres.database import TestDatabase, fresh_database

LOCK_TIMEOUT_S = 1.0  # the tests' lock timeout: short, so a refused wait is quick


@pytest.fixture
def pg() -> Iterator[TestDatabase]:
    """A fresh, empty schema on the test server."""
    with fresh_database() as database:
        yield database


@pytest.fixture
def team(pg: TestDatabase) -> dict[str, str]:
    """A schema with anna's and ben's labels, set up for three roles; their URLs by name."""
    roles = {name: pg.role(name) for name in ("lead", "anna", "ben")}
    new_project(pg.url()).close()  # the builders' articles and actors, as the owner
    init_server(
        pg.url(), leads=[roles["lead"]], annotators={"anna": roles["anna"], "ben": roles["ben"]}
    )
    urls = {name: pg.url(role) for name, role in roles.items()}
    for name, fill in (("anna", label_anna), ("ben", label_ben)):
        with open_project(urls[name]) as project:  # each annotator with their own role
            fill(project)
    return urls


@pytest.fixture
def curators(pg: TestDatabase) -> dict[str, str]:
    """anna's and ben's labels on the server, a lead, and lena as curator (with an annotator
    name, which every curation step records); their URLs by name."""
    roles = {name: pg.role(name) for name in ("lead", "anna", "ben", "lena")}
    new_project(pg.url()).close()
    init_server(
        pg.url(),
        leads=[roles["lead"]],
        annotators={"anna": roles["anna"], "ben": roles["ben"], "lena": roles["lena"]},
        curators=[roles["lena"]],
    )
    urls = {name: pg.url(role) for name, role in roles.items()}
    for name, fill in (("anna", label_anna), ("ben", label_ben)):
        with open_project(urls[name]) as project:
            fill(project)
    return urls


@pytest.fixture
def short_locks(monkeypatch: pytest.MonkeyPatch) -> float:
    """Projects opened from now on give up waiting for a lock after LOCK_TIMEOUT_S."""
    # raising=False: the tests must fail, not error, on a version without the setting.
    monkeypatch.setattr(Postgres, "LOCK_TIMEOUT_MS", int(LOCK_TIMEOUT_S * 1000), raising=False)
    return LOCK_TIMEOUT_S
