"""A label whose save returned survives the process being killed at any moment.

A writer process labels through LabellingSession (the GUI's path) and prints a line after
each call returns; the test kills it with SIGKILL at random moments, then checks that every
printed label is in the database and that SQLite finds the file intact. SIGKILL gives the
process no chance to flush or roll back anything, like a crash or a killed GUI.

(Power loss cannot be simulated here: that promise rests on synchronous=FULL, which makes
SQLite fsync the WAL before a commit returns; test_engine checks that setting is in force.)
"""

from __future__ import annotations

import os
import random
import sqlite3

from annotator.codebook import load_codebook
from annotator.labelling import LabellingSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.labels import CellKey
from tests.conftest import sized
from tests.safety.conftest import CELLS, Written, integrity, missing_in

TRIALS = sized(10, 25)  # CI: 25 (--full)


def test_labels_survive_sigkill_at_random_moments(db, server) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    everything = Written()
    killed_mid_work = 0
    for trial in range(TRIALS):
        name = f"crash-{trial}"
        this_trial = Written()
        pid = server.start_writer(f"write {name} 0 {CELLS}", this_trial)
        # A random moment of its work, counted in acknowledged saves (a whole run makes
        # 2 * CELLS): a random pause in seconds let most runs finish first once saves had
        # become fast, and the kills hit nothing.
        moment = rng.randrange(2 * CELLS)
        while len(this_trial) < moment:
            line = server.next()
            assert not line.startswith("error"), line
            this_trial.add(line)
        status = server.kill(pid, this_trial)
        if os.WIFSIGNALED(status) and len(this_trial) < 2 * CELLS:
            killed_mid_work += 1

        lost = missing_in(db, this_trial)
        assert not lost, f"trial {trial} (seed {seed}) lost {len(lost)} label(s): {lost[:5]}"
        assert integrity(db) == "ok", f"trial {trial} (seed {seed})"
        everything.stances.update(this_trial.stances)
        everything.evidence |= this_trial.evidence

    # Later crashes never damage earlier work, and the project is usable afterwards.
    assert not missing_in(db, everything)
    assert integrity(db) == "ok"
    assert killed_mid_work >= TRIALS // 2, f"only {killed_mid_work} kills hit a running writer"
    assert len(everything) > 3 * TRIALS
    _project_still_works(db)


def _project_still_works(db: str) -> None:
    with open_project(db, create=False) as project:
        session = LabellingSession(
            project, load_codebook(), get_or_create_annotator(project, "after")
        )
        session.set_stance(CellKey(1, 1, "nato_membership"), "favor")
    conn = sqlite3.connect(db)
    try:
        events = conn.execute(
            "SELECT count(*) FROM labelevent e JOIN annotator a ON a.id = e.annotator_id "
            "WHERE a.name = 'after'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert events == 1
