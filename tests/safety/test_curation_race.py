"""A curator deciding units in the window while the lead runs `annotator curate`: no
decision is ever lost (issue 23). Real processes on SQLite and on PostgreSQL in team mode
(a curator role and a lead role, whose writes are not serialised by the writer lock).

Before the gold lock, the pre-merge read a unit, a curator's decision landed, and the
pre-merge then wrote its strategy's value over it (or took the "earlier pre-merge" back):
31 of 2,051 decisions vanished in the adversarial round.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.server.roles import init_server
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.gold import ORIGIN_STRATEGY, gold_annotator_id, read_gold
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from tests.conftest import add_actor, add_article
from tests.postgres.database import TestDatabase, fresh_database
from tests.safety.conftest import Lines, writer_env

HELPER = Path(__file__).resolve().parent / "curator_process.py"
ARTICLES = 24
ACTORS = ("Boris Pistorius", "Carlo Masala", "Olaf Scholz")
LEAD_RUNS = 6
STRATEGIES = ("complete", "incomplete", "threshold")


def _fill(db: str, seed: int) -> None:
    """Articles that anna and ben both finished, agreeing on about half of the units."""
    rng = random.Random(seed)
    stances = ("favor", "against", "neutral", None)
    with open_project(db) as project:
        actors = [add_actor(project, name) for name in ACTORS]
        people = {name: get_or_create_annotator(project, name) for name in ("anna", "ben")}
        for i in range(ARTICLES):
            article = add_article(project, f"r{i}", f"Runde {i}: Pistorius, Masala und Scholz.")
            for actor in actors:
                for target in ("nato_membership", "ground_troops", "defence_spending"):
                    first = rng.choice(stances)
                    second = first if rng.random() < 0.5 else rng.choice(stances)
                    for who, stance in zip(people.values(), (first, second), strict=True):
                        put_cell(project, who, CellKey(article, actor, target), CellState(stance))
            for who in people.values():
                set_done(project, article, who)


def _race(curator_db: str, lead_db: str, seed: int, stop: Path) -> tuple[dict, list[str]]:
    """The curator decides while the lead pre-merges again and again with changing
    strategies; returns the last acknowledged decision per unit and the lead's failures."""
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), curator_db, "lena", str(seed), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=writer_env(),
    )
    lines = Lines(proc)
    first = lines.next()  # the curator is deciding
    assert first is not None
    failures: list[str] = []
    for runs in range(LEAD_RUNS):
        strategy = STRATEGIES[runs % len(STRATEGIES)]
        done = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", lead_db, "curate", "--strategy",
             strategy, "--curator", "lead", "--min-votes", "1", "--confidence", "0.5"],
            capture_output=True, text=True, env=writer_env(), timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            failures.append(done.stderr.strip())
    stop.touch()
    decided: dict[tuple[int, int, str], str | None] = {}
    for line in [first, *lines.rest(timeout=60)]:
        word, article, actor, target, stance = line.split()
        assert word == "d"
        decided[(int(article), int(actor), target)] = None if stance == "-" else stance
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    return decided, failures


def _lost(db: str, decided: dict) -> list[str]:
    lost = []
    with open_project(db, create=False) as project:
        gold = gold_annotator_id(project)
        assert gold is not None
        with project.session() as s:
            for (article, actor, target), stance in decided.items():
                unit = read_gold(s, gold, CellKey(article, actor, target))
                origin = unit.provenance.origin if unit.provenance else None
                if origin in (None, ORIGIN_STRATEGY) or unit.state.stance != stance:
                    lost.append(f"{article}/{actor}/{target}: {stance} -> {origin} "
                                f"{unit.state.stance}")  # fmt: skip
    return lost


@pytest.mark.slow
def test_no_curator_decision_is_lost_to_a_concurrent_premerge_sqlite(tmp_path) -> None:
    db = str(tmp_path / "project.db")
    seed = random.randrange(1 << 30)
    _fill(db, seed)
    decided, failures = _race(db, db, seed, tmp_path / "stop")
    assert len(decided) > 20
    assert failures == []
    assert _lost(db, decided) == [], f"seed {seed}"


@pytest.mark.slow
@pytest.mark.postgres
def test_no_curator_decision_is_lost_to_a_concurrent_premerge_team(tmp_path) -> None:
    with fresh_database() as pg:
        _team_race(pg, tmp_path)


def _team_race(pg: TestDatabase, tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    _fill(pg.url(), seed)
    roles = {name: pg.role(name) for name in ("lead", "lena")}
    init_server(pg.url(), leads=[roles["lead"]], annotators={"lena": roles["lena"]},
                curators=[roles["lena"]])  # fmt: skip
    decided, failures = _race(pg.url(roles["lena"]), pg.url(roles["lead"]), seed,
                              tmp_path / "stop")  # fmt: skip
    assert len(decided) > 20
    assert failures == []
    assert _lost(pg.url(), decided) == [], f"seed {seed}"
