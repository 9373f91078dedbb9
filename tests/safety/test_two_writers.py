"""Several processes writing to one project file at once lose nothing and never fail.

Real processes, started together: two annotators on the same cells, the first annotator in
a second window on other cells, and an import adding articles (and actors) in batches at the
same time. Every write must be present afterwards and no process may see "database is
locked" (or any other error).
"""

from __future__ import annotations

import json
import sqlite3

from tests.safety.conftest import Written, integrity, missing_in

IMPORTED = 200  # in batches of 10: 20 write transactions
PER_WRITER = 25  # cells; two writes each (stance, evidence), every one an fsynced commit


def test_two_annotators_a_second_window_and_an_import_at_once(db, server, tmp_path) -> None:
    source = tmp_path / "incoming.jsonl"
    source.write_text(
        "\n".join(
            json.dumps({"id": f"in-{i}", "text": f"Boris Pistorius sagte am Tag {i}: mehr Geld."})
            for i in range(IMPORTED)
        ),
        encoding="utf-8",
    )
    server.start(
        f"write anna 0 {PER_WRITER}",
        f"write ben 0 {PER_WRITER}",
        f"write anna {PER_WRITER} {PER_WRITER}",
        f"import {source}",
    )
    server.wait()
    written = Written()
    other: list[str] = []
    exits: dict[str, int] = {}
    starts: list[float] = []
    ends: list[float] = []
    while len(exits) < 4:
        line = server.next()
        if line.startswith("exit "):
            exits[line.split()[1]] = int(line.split()[2])
        elif line.startswith(("forked ", "finished ")):
            (starts if line.startswith("forked") else ends).append(float(line.split()[2]))
        elif not written.add(line):
            other.append(line)
    errors = [line for line in other if line.startswith("error")]
    assert not errors, errors  # e.g. "OperationalError: database is locked"
    assert set(exits.values()) == {0}, exits
    assert f"imported {IMPORTED}" in other
    assert len(written) == 3 * 2 * PER_WRITER
    assert not missing_in(db, written)
    assert integrity(db) == "ok"

    conn = sqlite3.connect(db)
    try:
        events = dict(
            conn.execute(
                "SELECT a.name, count(*) FROM labelevent e "
                "JOIN annotator a ON a.id = e.annotator_id GROUP BY a.name"
            ).fetchall()
        )
        articles = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    finally:
        conn.close()
    # One history row per write: none lost, none doubled.
    assert events == {"anna": 4 * PER_WRITER, "ben": 2 * PER_WRITER}
    assert articles == IMPORTED + 5
    # All four ran at the same time: each began before any of them had finished. (The
    # commits themselves come in long runs: SQLite's busy wait is a sleep, not a queue,
    # so a writer that just committed usually gets the lock again before a waiting one
    # wakes up; the others wait, as they should, and lose nothing.)
    assert len(starts) == len(ends) == 4
    assert max(starts) < min(ends), "the processes did not overlap"
