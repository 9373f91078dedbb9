"""Whole-system proof that no acknowledged save is ever lost (tests/safety/chaos.py).

The worst bug so far lived between components: the window's start-up (the daily backup read
the project file with open(), which dropped SQLite's locks), another process (any command),
and a crash. This runs the real start-up path, every command and SIGKILLs at once.
"""

from __future__ import annotations

import random

import pytest

from tests.safety.chaos import Chaos

TRIALS = 25


@pytest.mark.slow
def test_no_acknowledged_save_is_lost_while_everything_runs_and_crashes(
    db, server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    seed = random.randrange(1 << 30)
    chaos = Chaos(server, db, tmp_path, seed)
    acknowledged = kills = 0
    for trial in range(TRIALS):
        result = chaos.trial(trial)
        assert result.ok, (
            f"trial {trial} (seed {seed}): lost {result.lost[:5]}, problems {result.problems[:5]}"
        )
        acknowledged += result.acknowledged
        kills += result.kills
    # The trials really raced: saves were made, and kills hit labellers at work.
    assert acknowledged > 20 * TRIALS, acknowledged
    assert kills > TRIALS, kills
