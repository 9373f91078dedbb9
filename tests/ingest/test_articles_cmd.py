"""`annotator articles` and `annotator info` after an import (cli/articles_cmd.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.app import main
from annotator.paths import seeds_dir


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(argv)
    return capsys.readouterr().out.splitlines()


def test_articles_has_a_header_and_tab_separated_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    _run(["--db", db, "import", str(seeds_dir())], capsys)
    lines = _run(["--db", db, "articles"], capsys)
    assert lines[0].split("\t") == [
        "id", "date", "source", "mentions", "labels", "done", "curation", "annotators", "title"
    ]  # fmt: skip
    rows = [line.split("\t") for line in lines[1:-1]]
    assert len(rows) == 5 and all(len(r) == 9 for r in rows)
    first = rows[0]
    assert first[:3] == ["000_bdcb18cc22753435", "-", "ntv.de"]
    assert int(first[3]) > 0 and first[4] == "0"
    assert first[5:8] == ["0/2", "-", "-"]  # nobody done, so not ready for curation
    assert first[8].startswith("Sorge um weniger US-Hilfe")
    assert lines[-1] == "5 article(s)"

    objects = [json.loads(line) for line in _run(["--db", db, "articles", "--json"], capsys)]
    assert len(objects) == 5
    assert objects[2] == {
        "id": "002_6da96c8cd2193beb",
        "date": "2025-02-15",
        "source": "dpa",
        "mentions": objects[2]["mentions"],
        "labels": 0,
        "done": 0,
        "curation": "waiting",
        "annotators": {},
        "title": "Deutschland soll USA Militärkapazitäten für Ukraine melden",
    }


def test_info_counts_the_actors_of_the_articles_apart_from_the_lexicon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    _run(["--db", db, "import", str(seeds_dir() / "000_bdcb18cc22753435.txt")], capsys)
    lines = _run(["--db", db, "entities", "--json"], capsys)
    named = {sp["actor"] for sp in json.loads(lines[0])["spans"] if sp["actor"]}
    info = _run(["--db", db, "info"], capsys)
    actors = next(line for line in info if line.startswith("actors:"))
    used, known = actors.split()[1], actors.split("(")[1].split()[0]
    assert int(used) == len(named) and int(known) > 10 * len(named)
    assert actors.endswith("known: lexicon and added)")
