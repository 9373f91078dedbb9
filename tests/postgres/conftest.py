"""Fixtures for the PostgreSQL tests (team mode). They skip without a server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres.database import TestDatabase, fresh_database


@pytest.fixture
def pg() -> Iterator[TestDatabase]:
    """A fresh, empty schema on the test server."""
    with fresh_database() as database:
        yield database
