"""`annotator export` through the real command line entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.app import main
from annotator.paths import exports_dir
from tests.export.corpus import Corpus


def test_export_command_writes_the_file_and_a_summary(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.jsonl"
    db = str(corpus.project.path)
    main(
        [
            "--db",
            db,
            "export",
            "-f",
            "stances",
            "--labels",
            "majority",
            "-o",
            str(out),
            "--split",
            "80/10/10",
            "--seed",
            "3",
            "-t",
            "ground_troops",
            "--context",
            "window:1",
        ]
    )
    assert capsys.readouterr().out.startswith("1 record(s) exported to")
    (record,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert record["actor"] == "Olaf Scholz" and record["split"] in {"train", "dev", "test"}


def test_export_command_defaults_to_the_exports_folder(
    corpus: Corpus, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "exports").mkdir()
    monkeypatch.chdir(tmp_path)  # ./exports of the folder it runs in, never the checkout's
    main(["--db", str(corpus.project.path), "export", "--format", "documents", "--anonymise"])
    path = exports_dir() / "documents.jsonl"
    assert path == tmp_path / "exports" / "documents.jsonl"
    assert str(path) in capsys.readouterr().out
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "'xml' is not one of 'documents', 'stances', 'spacy'"),
        (["--format", "stances", "--split", "80/20"], "bad split '80/20'"),
        (["--format", "stances", "--annotator", "zoe"], "unknown annotator 'zoe'"),
        (["--format", "stances", "--target", "nato"], "unknown target 'nato'"),
    ],
)
def test_bad_options_are_one_line_on_stderr(
    corpus: Corpus,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "never.jsonl"
    with pytest.raises(SystemExit) as info:
        main(["--db", str(corpus.project.path), "export", "-o", str(out), *args])
    assert info.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("annotator: error: ") and message in err[0]
    assert not out.exists()
