"""The team's session limits hold for any client, not only the tool's (server/sessions.py):
an annotator's psql left idle in a transaction ends by itself instead of blocking `server
init` and, behind it, everybody's saves; and init waits for a lock only so long, whatever
its URL says, then names who holds it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from annotator.errors import ConflictError
from annotator.server import sessions
from annotator.server.roles import add_annotator, init_server
from annotator.store.dialects import Postgres
from tests.postgres.database import TestDatabase
from tests.postgres.team import bounded, holding

pytestmark = pytest.mark.postgres
MARGIN = 60.0  # seconds: loose, these machines are noisy; a hang is what is tested
LIMITS = ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")


def shown(url: str) -> list[str]:
    """The limits a plain client (no settings of the tool's) gets as this URL's role."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [conn.execute(text(f"SHOW {name}")).scalar_one() for name in LIMITS]
    finally:
        engine.dispose()


def test_every_team_role_has_the_limits_for_any_client(pg: TestDatabase, team) -> None:
    expected = [
        f"{Postgres.LOCK_TIMEOUT_MS // 1000}s",
        f"{Postgres.STATEMENT_TIMEOUT_MS // 60_000}min",
        f"{Postgres.IDLE_IN_TRANSACTION_MS // 60_000}min",
    ]
    for name in ("lead", "anna", "ben"):
        assert shown(team[name]) == expected, name
    carl = pg.role("carl")
    add_annotator(pg.url(), "carl", carl)  # later annotators too
    assert shown(pg.url(carl)) == expected


def test_an_idle_annotator_session_ends_and_init_goes_on(
    pg: TestDatabase, team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Postgres, "IDLE_IN_TRANSACTION_MS", 500)
    monkeypatch.setattr(sessions, "INIT_LOCK_TIMEOUT_MS", int(MARGIN * 1000))
    init_server(pg.url())  # the roles' defaults now end an idle transaction after 0.5 s
    with holding(team["anna"], "SELECT count(*) FROM stanceannotation") as anna:
        outcome = bounded(lambda: init_server(pg.url()), MARGIN)
        assert not outcome.hung and outcome.error is None, outcome.error
        with pytest.raises(DBAPIError):  # the server ended anna's forgotten session
            anna.execute(text("SELECT 1"))


def test_init_waits_only_so_long_and_names_who_holds_the_lock(pg: TestDatabase, team) -> None:
    anna = team["anna"].split("//")[1].split(":")[0]
    forever = pg.url(lock_timeout="0")  # the owner's URL asks to wait without end
    with holding(team["anna"], "SELECT count(*) FROM stanceannotation"):
        outcome = bounded(lambda: init_server(forever), MARGIN)
    assert not outcome.hung
    assert isinstance(outcome.error, ConflictError)
    message = str(outcome.error)
    assert f"role {anna} (pid " in message and "pg_terminate_backend(" in message
    assert "nothing was changed" in message
