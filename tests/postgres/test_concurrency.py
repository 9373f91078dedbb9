"""Many annotators labelling the same articles at once on one PostgreSQL database lose nothing.

Real processes (the safety tests' label writer, which labels through LabellingSession as
the GUI does): three annotators, each with their own database role, label the same cells
at the same time, and one of them has a second window labelling the very same cells too
(the read-then-write race inside one annotator). Every write must be in the database
afterwards, no process may see an error, and the history holds one row per real change.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from annotator.codebook import load_codebook
from annotator.server.roles import init_server
from annotator.store.engine import open_project
from tests.conftest import add_actor, add_article
from tests.postgres.database import TestDatabase
from tests.safety.conftest import Server, Written
from tests.safety.label_writer import ACTORS, ARTICLES

pytestmark = pytest.mark.postgres
CELLS = ARTICLES * ACTORS * len(load_codebook().target_ids)


def make_team(pg: TestDatabase, names: tuple[str, ...]) -> dict[str, str]:
    with open_project(pg.url()) as project:
        for i in range(ARTICLES):
            add_article(project, f"art-{i}", f"Artikel {i}: " + "Pistorius will mehr Geld. " * 4)
        for name in ("Boris Pistorius", "Carlo Masala", "Olaf Scholz", "Friedrich Merz")[:ACTORS]:
            add_actor(project, name)
    roles = {name: pg.role(name) for name in names}
    init_server(pg.url(), annotators=roles)
    return {name: pg.url(role) for name, role in roles.items()}


def stored(url: str) -> tuple[dict, set, Counter]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            stances = {
                (name, article, actor, target): stance
                for name, article, actor, target, stance in conn.execute(
                    text(
                        "SELECT a.name, s.article_id, s.actor_id, s.target, s.stance "
                        "FROM stanceannotation s JOIN annotator a ON a.id = s.annotator_id"
                    )
                )
            }
            evidence = set(
                conn.execute(
                    text(
                        "SELECT a.name, s.article_id, s.actor_id, s.target, e.start, e.end "
                        "FROM evidence e JOIN stanceannotation s ON s.id = e.annotation_id "
                        "JOIN annotator a ON a.id = s.annotator_id"
                    )
                )
            )
            events = Counter(
                dict(
                    conn.execute(
                        text(
                            "SELECT a.name, count(*) FROM labelevent e "
                            "JOIN annotator a ON a.id = e.annotator_id GROUP BY a.name"
                        )
                    ).all()
                )
            )
    finally:
        engine.dispose()
    return stances, evidence, events


def test_annotators_labelling_the_same_articles_at_once_lose_nothing(pg) -> None:
    urls = make_team(pg, ("anna", "ben", "carl"))
    # One writer server per role (each child connects as that annotator); the jobs of all
    # servers are started together.
    servers = {name: Server(url) for name, url in urls.items()}
    try:
        jobs = {
            "anna": [f"write anna 0 {CELLS}", f"write anna 0 {CELLS}"],  # two windows
            "ben": [f"write ben 0 {CELLS}"],
            "carl": [f"write carl 0 {CELLS}"],
        }
        for name, server in servers.items():
            server.start(*jobs[name])
        written = Written()
        other: list[str] = []
        exits: list[str] = []
        for name, server in servers.items():
            server.wait()
            while sum(e.split()[1].endswith(name) for e in exits) < len(jobs[name]):
                line = server.next()
                if line.startswith("exit "):
                    exits.append(line)
                elif not written.add(line):
                    other.append(line)
    finally:
        for server in servers.values():
            server.close()
    assert not [line for line in other if line.startswith("error")], other
    assert all(e.endswith(" 0") for e in exits), exits
    stances, evidence, events = stored(pg.url())
    lost = [k for k, v in written.stances.items() if stances.get(k) != v]
    lost += sorted(written.evidence - evidence)
    assert not lost, lost[:5]
    assert len(stances) == 3 * CELLS  # one label per annotator and cell: none doubled
    assert len(evidence) == 3 * CELLS
    # A stance and an evidence span per cell; anna's second window finds most of its
    # changes already made by the first (then nothing is written), but never less.
    assert events["ben"] == events["carl"] == 2 * CELLS
    assert 2 * CELLS <= events["anna"] <= 4 * CELLS
