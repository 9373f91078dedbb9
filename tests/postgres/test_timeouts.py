"""Nobody's lock makes anybody else wait without end: every session the tool opens has a lock
and a statement timeout and ends a wait with a clear message; the lock that serialises one
role's writes is one that no other role can take.

Lock waits use real second connections holding the lock; calls that wait run on a thread
with a generous limit, so a hang fails the test instead of hanging it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from annotator.cli.app import main
from annotator.errors import ConflictError, ProjectError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.dialects import Postgres, database_problem
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, get_cell, put_cell
from tests.agreement.builders import actor_id, article_id
from tests.postgres.database import TestDatabase
from tests.postgres.team import bounded, holding, refused

pytestmark = pytest.mark.postgres
MARGIN = 20.0  # seconds: loose, these machines are noisy; a hang is what is tested


def save(url: str, stance: str = "against") -> CellState:
    """Anna's label for Pistorius on the troops target in a3, through the core."""
    with open_project(url) as anna:
        who = get_or_create_annotator(anna, "anna")
        key = CellKey(article_id(anna, "a3"), actor_id(anna, "Boris Pistorius"), "ground_troops")
        put_cell(anna, who, key, CellState(stance))
        return get_cell(anna, who, key)


def settings(url: str) -> list[str]:
    names = ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")
    with open_project(url) as project:
        with project.session() as s:
            read = [s.execute(text(f"SHOW {n}")).scalar_one() for n in names]
        with project.write() as s:
            written = [s.execute(text(f"SHOW {n}")).scalar_one() for n in names]
    assert read == written
    return read


def test_every_session_has_timeouts_and_a_url_may_set_its_own(pg: TestDatabase) -> None:
    expected = [
        f"{Postgres.LOCK_TIMEOUT_MS // 1000}s",
        f"{Postgres.STATEMENT_TIMEOUT_MS // 60_000}min",
        f"{Postgres.IDLE_IN_TRANSACTION_MS // 60_000}min",
    ]
    assert settings(pg.url()) == expected
    assert settings(pg.url(lock_timeout="3s"))[0] == "3s"


def test_a_lock_another_role_holds_stops_a_save_at_the_timeout(team, short_locks) -> None:
    before = save(team["anna"], "favor")
    # ben's right to delete his own labels lets him lock the whole table.
    with holding(team["ben"], "LOCK TABLE stanceannotation IN ACCESS EXCLUSIVE MODE"):
        outcome = bounded(lambda: save(team["anna"]), short_locks + MARGIN)
    assert not outcome.hung, "the save waited for ben's lock without end"
    assert isinstance(outcome.error, ConflictError), outcome.error
    assert "another user holds a lock on the labels" in str(outcome.error)
    assert "try again" in str(outcome.error) and "not saved" in str(outcome.error)
    assert outcome.seconds < short_locks + MARGIN
    assert save(team["anna"], "favor") == before  # nothing was half-saved; saving works again


def test_a_read_blocked_by_a_lock_ends_with_one_clear_line(team, short_locks, capsys) -> None:
    def agreement() -> object:
        with pytest.raises(SystemExit) as exc:
            main(["--db", team["lead"], "agreement"])
        return exc.value.code

    with holding(team["ben"], "LOCK TABLE stanceannotation IN ACCESS EXCLUSIVE MODE"):
        outcome = bounded(agreement, short_locks + MARGIN)
    assert not outcome.hung, "the lead's agreement waited for ben's lock without end"
    assert outcome.value == ConflictError.exit_code, outcome.error
    err = capsys.readouterr().err
    assert "another user holds a lock on the labels" in err and len(err.splitlines()) == 1


def test_another_roles_advisory_locks_do_not_block_saves(team, short_locks) -> None:
    anna_role = team["anna"].split("//")[1].split(":")[0]
    keys = [
        f"pg_advisory_lock({Postgres.LOCK_NAMESPACE}, hashtext('{anna_role}'))",
        f"pg_advisory_lock({Postgres.SCHEMA_LOCK_NAMESPACE}, 0)",
    ]
    with holding(team["ben"], "SELECT " + ", ".join(keys)):
        outcome = bounded(lambda: save(team["anna"]), short_locks + MARGIN)
    assert not outcome.hung, "anna's save waited for ben's advisory lock"
    assert outcome.error is None and outcome.value == CellState("against")


def test_no_other_role_can_take_an_annotators_writer_lock(team, short_locks) -> None:
    assert "permission denied" in refused(team["ben"], "SELECT * FROM team_writer FOR UPDATE")
    # ben's own writer lock is his alone: anna saves while he holds it.
    with holding(team["ben"], "SELECT team_lock_writer()"):
        outcome = bounded(lambda: save(team["anna"]), short_locks + MARGIN)
    assert not outcome.hung and outcome.error is None, outcome.error


def test_a_second_window_of_the_same_role_waits_then_says_why(team, short_locks) -> None:
    with open_project(team["anna"]) as first, first.write() as s:
        s.execute(text("SELECT 1"))  # the first window is saving: it holds the role's lock
        outcome = bounded(lambda: save(team["anna"]), short_locks + MARGIN)
    assert not outcome.hung, "the second window waited without end"
    assert isinstance(outcome.error, ConflictError), outcome.error
    assert "another window or command with your database role is still saving" in str(outcome.error)


def test_a_statement_that_runs_too_long_is_stopped(team, monkeypatch) -> None:
    monkeypatch.setattr(Postgres, "STATEMENT_TIMEOUT_MS", 200, raising=False)
    with open_project(team["anna"]) as anna:
        with pytest.raises(ProjectError, match="took too long"), anna.write() as s:
            s.execute(text("SELECT pg_sleep(3)"))
        with pytest.raises(DBAPIError) as exc, anna.session() as s:  # a read: it escapes
            s.execute(text("SELECT pg_sleep(3)"))
    problem = database_problem(exc.value)
    assert isinstance(problem, ProjectError) and "took too long" in str(problem)
