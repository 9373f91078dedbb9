"""Commands end with one clear line, not "unexpected ...": reading under another user's
`LOCK TABLE` (the bulk readers use a driver cursor, whose errors had escaped the mapping as
'unexpected LockNotAvailable'), and a team `assign` the server refuses (psycopg had printed
'error ignored terminating Pipeline' beside it)."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from sqlalchemy import make_url

from annotator.errors import ConflictError
from annotator.store.dialects import database_problem
from annotator.store.engine import open_project
from tests.cli.test_cli import run
from tests.postgres.team import bounded, holding

pytestmark = pytest.mark.postgres
MARGIN = 20.0  # seconds: loose, these machines are noisy; a hang is what is tested


@pytest.mark.parametrize(
    "command",
    [["articles"], ["curation", "status"], ["history"], ["export", "--format", "documents"]],
)
def test_reading_under_another_users_lock_ends_with_one_clear_line(
    team, short_locks, capsys, command: list[str]
) -> None:
    locked = "LOCK TABLE article, stanceannotation, curation IN ACCESS EXCLUSIVE MODE"
    with holding(team["lead"], locked):
        outcome = bounded(lambda: run(["--db", team["anna"], *command], capsys), MARGIN)
    assert not outcome.hung, "a reading command waited for the lock without end"
    code, _out, err = outcome.value
    assert code == ConflictError.exit_code, err
    assert err.startswith("annotator: error: another user holds a lock on the ")
    assert "try again in a moment" in err and len(err.splitlines()) == 1


def test_a_raw_driver_error_is_told_like_a_wrapped_one() -> None:
    import psycopg

    problem = database_problem(psycopg.errors.LockNotAvailable("canceling statement"))
    assert isinstance(problem, ConflictError) and "another user holds a lock" in str(problem)


def test_psycopg_does_not_repeat_an_error_that_ended_a_pipeline(team) -> None:
    """Whether psycopg still has the server's refusal pending when the tool's executemany
    pipeline closes is a race inside psycopg (one refused `assign` in three printed the
    warning): here the refusal is left pending on purpose."""
    import psycopg

    with open_project(team["anna"]):  # the tool's engine for PostgreSQL, as every command's
        pass
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    logger = logging.getLogger("psycopg")
    logger.addHandler(handler)
    url = make_url(team["anna"]).set(drivername="postgresql")
    try:
        conn = psycopg.connect(url.render_as_string(hide_password=False))
        with conn, pytest.raises(RuntimeError), conn.pipeline():
            conn.execute("INSERT INTO assignment (article_id) VALUES (1)")  # refused
            raise RuntimeError("the refusal, as the tool raises it")
    finally:
        logger.removeHandler(handler)
    assert not [m for m in seen if "error ignored terminating" in m]


def test_a_refused_team_assign_prints_one_line(team) -> None:
    """A real process: psycopg's warning went to Python's last-resort log handler, which a
    test's own logging setup would hide."""
    done = subprocess.run(
        [sys.executable, "-c", "from annotator.cli.app import main; main()",
         "--db", team["anna"], "assign", "-a", "anna,ben"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 4
    assert done.stderr.startswith("annotator: error: the database server refused this change")
    assert len(done.stderr.splitlines()) == 1, done.stderr
