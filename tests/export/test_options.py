"""Bad options fail before anything is written; cancel and errors leave no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import AnnotatorError, Cancelled
from annotator.export import ExportOptions, default_output, export
from tests.export.corpus import Corpus


@pytest.mark.parametrize(
    ("fmt", "options", "message"),
    [
        ("xml", ExportOptions(), "unknown export format 'xml'"),
        ("stances", ExportOptions(split="80/20"), "three whole percentages"),
        ("stances", ExportOptions(split="80/10/5"), "add up to 100"),
        ("stances", ExportOptions(split="a/b/c"), "bad split"),
        ("stances", ExportOptions(annotator="zoe"), "unknown annotator 'zoe'"),
        ("stances", ExportOptions(targets=("nato",)), "unknown target 'nato'"),
        ("stances", ExportOptions(labels="mean"), "unknown label choice 'mean'"),
        ("stances", ExportOptions(labels="majority", annotator="anna"), "not both"),
        ("stances", ExportOptions(context="paragraph"), "bad context"),
        ("stances", ExportOptions(min_votes=0), "at least 1"),
        ("documents", ExportOptions(labels="majority"), "documents format keeps"),
    ],
)
def test_bad_options_write_nothing(
    corpus: Corpus, tmp_path: Path, fmt: str, options: ExportOptions, message: str
) -> None:
    out = tmp_path / "out" / "file.jsonl"
    with pytest.raises(AnnotatorError, match=message):
        export(corpus.project, corpus.codebook, fmt, out, options)
    assert not out.parent.exists()


def test_cancel_leaves_no_file_and_keeps_the_old_one(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "stances.jsonl"
    out.write_text("old export\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        export(
            corpus.project,
            corpus.codebook,
            "stances",
            out,
            progress=lambda done, total: calls.append((done, total)),
            cancelled=lambda: len(calls) >= 2,
            batch_size=1,
        )
    assert out.read_text(encoding="utf-8") == "old export\n"
    assert not list(tmp_path.glob(".*.part"))


def test_spacy_cancel_leaves_nothing(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "corpus.spacy"
    with pytest.raises(Cancelled):
        export(corpus.project, corpus.codebook, "spacy", out, cancelled=lambda: True)
    assert not out.exists() and not list(tmp_path.glob(".*.part"))


def test_progress_reaches_the_total(corpus: Corpus, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export(
        corpus.project,
        corpus.codebook,
        "documents",
        tmp_path / "d.jsonl",
        progress=lambda done, total: calls.append((done, total)),
        batch_size=2,
    )
    assert calls == [(0, 3), (2, 3), (3, 3)]


def test_a_folder_as_output_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    with pytest.raises(AnnotatorError, match="is a folder"):
        export(corpus.project, corpus.codebook, "stances", tmp_path)


def test_default_output_is_in_the_exports_folder(corpus: Corpus, tmp_path, monkeypatch) -> None:
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)  # ./exports of the folder it runs in, never the checkout's
    report = export(corpus.project, corpus.codebook, "stances", None)
    assert report.paths == [tmp_path / "exports" / "stances.jsonl"]
    assert report.paths == [default_output("stances")]
    assert report.paths[0].parent.name == "exports" and report.paths[0].exists()
