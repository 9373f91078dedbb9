"""Whole-system proof that no acknowledged save is ever lost (tests/safety/chaos.py).

The worst bug so far lived between components: the window's start-up (the daily backup read
the project file with open(), which dropped SQLite's locks), another process (any command),
and a crash. This runs the real start-up path, every command and SIGKILLs at once.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from tests.conftest import sized
from tests.safety.chaos import Chaos

# Each trial takes a few seconds: three show the whole system racing, CI runs 25 (--full).
TRIALS = sized(3, 25)


@pytest.mark.slow
def test_no_acknowledged_save_is_lost_while_everything_runs_and_crashes(
    db, server, tmp_path
) -> None:
    seed = random.randrange(1 << 30)
    chaos = Chaos(server, db, tmp_path, seed)
    acknowledged = kills = decisions = 0
    for trial in range(TRIALS):
        result = chaos.trial(trial)
        decisions += result.decisions
        assert result.ok, (
            f"trial {trial} (seed {seed}): lost {result.lost[:5]}, problems {result.problems[:5]}"
        )
        acknowledged += result.acknowledged
        kills += result.kills
    # The trials really raced: saves were made, and kills hit labellers at work.
    assert acknowledged > 20 * TRIALS, acknowledged
    assert kills > TRIALS, kills
    assert decisions > 10 * TRIALS, decisions  # the curator decided while curate ran
    # The lead's team work ran too and wrote: a plan for every imported article, gold from
    # the pre-merge once two merged annotators were done, packages that open.
    with sqlite3.connect(db) as conn:
        unplanned = conn.execute(
            "SELECT count(*) FROM article WHERE id NOT IN (SELECT article_id FROM assignment)"
        ).fetchone()[0]
        gold = conn.execute(
            "SELECT count(*) FROM stanceannotation s JOIN annotator a ON a.id = s.annotator_id"
            " WHERE a.kind = 'gold'"
        ).fetchone()[0]
    assert unplanned <= 3 and gold > 0, (unplanned, gold)  # the last import may follow assign
    package = sqlite3.connect(tmp_path / "out" / f"anna-{TRIALS - 1}.db")
    try:
        assert package.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert package.execute("SELECT count(*) FROM assignment").fetchone()[0] > 0
    finally:
        package.close()
