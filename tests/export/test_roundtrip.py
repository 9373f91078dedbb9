"""`annotator import` of an exported documents file reproduces articles, mentions and labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.export import ExportOptions, export
from annotator.ingest.importer import import_paths
from annotator.store.engine import open_project
from tests.export.corpus import Corpus


def comparable(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        rec["stances"] = sorted(
            rec["stances"], key=lambda s: (s["actor"], s["target"], s["annotator"])
        )
        out.append(rec)
    return out


def test_documents_round_trip(corpus: Corpus, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    export(corpus.project, corpus.codebook, "documents", first)
    with open_project(str(tmp_path / "copy.db")) as copy:
        report = import_paths(copy, [first], codebook=corpus.codebook)
        assert report.added == 3
        second = tmp_path / "second.jsonl"
        export(copy, corpus.codebook, "documents", second)
    # Same text, meta, mentions (offsets, labels, actors, sources), tokens, every label
    # (stance, evidence, note, annotator) and every done mark.
    assert comparable(second) == comparable(first)


def test_round_trip_of_an_anonymised_split_export(corpus: Corpus, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    options = ExportOptions(anonymise=True, split="50/25/25")
    export(corpus.project, corpus.codebook, "documents", first, options)
    with open_project(str(tmp_path / "copy.db")) as copy:
        import_paths(copy, [first], codebook=corpus.codebook)
        second = tmp_path / "second.jsonl"
        export(copy, corpus.codebook, "documents", second, ExportOptions(split="50/25/25"))
    # The pseudonyms are the annotators of the copy, in the same order.
    assert comparable(second) == comparable(first)


def test_importing_twice_changes_nothing(corpus: Corpus, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    export(corpus.project, corpus.codebook, "documents", first)
    with open_project(str(tmp_path / "copy.db")) as copy:
        import_paths(copy, [first], codebook=corpus.codebook)
        again = import_paths(copy, [first], codebook=corpus.codebook)
        assert (again.added, again.unchanged) == (0, 3)
