"""Suggestion rows edited by hand into the project file are left out when suggestions are
read (store/suggestions.stored_for): the export, the command line and the window go on with
the rest, and nothing that could not be accepted is offered."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.cli.app import main
from annotator.store.suggestions import stored_for
from annotator.suggest.service import compute

# What a hand edit may leave in a row, as SQL that changes one row each.
EDITS = {
    "evidence not JSON": "evidence = 'garbage'",
    "evidence a list of one": "evidence = '[[1]]'",
    "evidence an object": "evidence = '{\"a\": 1}'",
    "evidence of texts": 'evidence = \'[["a", "b"]]\'',
    "evidence a number": "evidence = '5'",
    "evidence reversed": "evidence = '[[9, 3]]'",
    "evidence past the text": "evidence = '[[0, 99999999]]'",
    "evidence of floats": "evidence = '[[0.5, 3]]'",
    "confidence a text": "confidence = 'abc'",
    "confidence NaN as text": "confidence = 'NaN'",
    "confidence infinite": "confidence = 9e999",
    "confidence above 1": "confidence = 5.0",
    "confidence below 0": "confidence = -1",
    "margin a text": "margin = 'x'",
    "model without its version": "source = 'model', model_version = NULL",
    "an unknown source": "source = 'oracle'",
    "an unknown stance": "stance = 'maybe'",
    "an unknown target": "target = 'mars'",
    "a missing actor": "actor_id = 999999",
}


def test_rows_edited_by_hand_are_left_out(small, codebook, tmp_path: Path, capsys) -> None:
    project, _ = small
    assert compute(project, codebook).suggestions
    every = list(range(1, 7))
    before = stored_for(project, every, None, codebook)
    with sqlite3.connect(project.path) as con:
        con.execute("PRAGMA foreign_keys = OFF")  # a hand edit need not keep them
        columns = ", ".join(c for (_i, c, *_r) in con.execute("PRAGMA table_info(suggestion)")
                            if c != "id")  # fmt: skip
        first = con.execute("SELECT min(id) FROM suggestion").fetchone()[0]
        for change in EDITS.values():  # a copy of a good row, then edited
            copy = con.execute(f"INSERT INTO suggestion ({columns}) SELECT {columns} "
                               "FROM suggestion WHERE id = ?", (first,)).lastrowid  # fmt: skip
            con.execute(f"UPDATE suggestion SET {change} WHERE id = ?", (copy,))
    con.close()

    kept = stored_for(project, every, None, codebook)
    assert kept == before
    assert all(0 <= s.confidence <= 1 and s.stance in codebook.stance_ids for s in kept)

    out = tmp_path / "stances.jsonl"
    code = run(["--db", str(project.path), "export", "--format", "stances",
                "--with-suggestions", "-o", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0 and "unexpected" not in err, err
    assert out.read_text(encoding="utf-8").strip()
    for line in out.read_text(encoding="utf-8").splitlines():
        made = json.loads(line).get("suggestion")
        assert made is None or 0 <= made["confidence"] <= 1
    code = run(["--db", str(project.path), "suggest", "--json", "--article", "s1"])
    assert code == 0 and "unexpected" not in capsys.readouterr().err


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
