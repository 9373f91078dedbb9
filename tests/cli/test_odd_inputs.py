"""Odd inputs from an adversarial round (issue 27): each is one clear line and its exit code,
never 'unexpected', a traceback or a hang, and the project stays as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.errors import InputError, OutputError, ProjectError
from annotator.paths import resource
from tests.agreement.builders import label_anna, label_ben, new_project
from tests.safety.refusal import assert_one_clear_line, make_labelled_project, run_cli, snapshot

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def labelled(tmp_path: Path) -> str:
    return make_labelled_project(tmp_path / "project.db")


def refused(
    args: list[str], capsys: pytest.CaptureFixture[str], match: str, code: int, db: str = ""
) -> str:
    """Run the CLI: it fails with `code` and one clear line; the project `db` is unchanged."""
    before = snapshot(db) if db else None
    got, err, _ = run_cli(args, capsys)
    line = assert_one_clear_line(got, err, match)
    assert got == code, line
    if db:
        assert snapshot(db) == before, "the project changed"
    return line


# ------------------------------------------------------------------ a damaged schema version


def _edit(db: str, *statements: str) -> None:
    conn = sqlite3.connect(db)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


DAMAGED = {
    "text": "UPDATE projectinfo SET value = 'abc' WHERE key = 'schema_version'",
    "decimal": "UPDATE projectinfo SET value = '7.0' WHERE key = 'schema_version'",
    "empty": "UPDATE projectinfo SET value = '' WHERE key = 'schema_version'",
    "negative": "UPDATE projectinfo SET value = '-1' WHERE key = 'schema_version'",
    "zero": "UPDATE projectinfo SET value = '0' WHERE key = 'schema_version'",
    "huge": f"UPDATE projectinfo SET value = '{'9' * 5000}' WHERE key = 'schema_version'",
    "gone": "DELETE FROM projectinfo WHERE key = 'schema_version'",
}


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_schema_version_is_a_damaged_project(
    labelled: str, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(labelled, DAMAGED[case])
    folder = sorted(p.name for p in Path(labelled).parent.iterdir())
    refused(["--db", labelled, "info"], capsys, "schema version is damaged",
            ProjectError.exit_code, labelled)  # fmt: skip
    # No backup of a file that will never open, made again at every try.
    after = sorted(p.name for p in Path(labelled).parent.iterdir())
    assert not [n for n in after if ".bak-" in n]
    assert set(after) - set(folder) <= {"project.db-wal", "project.db-shm"}


def test_an_unknown_alembic_revision_is_a_damaged_project(
    labelled: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        labelled,
        "UPDATE projectinfo SET value = '6' WHERE key = 'schema_version'",
        "UPDATE alembic_version SET version_num = 'zzzz'",
    )
    refused(["--db", labelled, "info"], capsys, "schema version is damaged",
            ProjectError.exit_code, labelled)  # fmt: skip
    assert not list(Path(labelled).parent.glob("*.bak-*"))


# ------------------------------------------------------------------ named pipes


def _gold_line() -> str:
    return '{"text": "Olaf Scholz sagt etwas.", "entities": []}\n'


@pytest.mark.parametrize(
    "command",
    [
        ["--codebook", "{fifo}", "info"],
        ["eval-entities", "{fifo}", "--no-model"],
        ["eval-boilerplate", "{fifo}"],
    ],
    ids=["codebook", "eval-entities", "eval-boilerplate"],
)
def test_a_named_pipe_is_refused_not_waited_on(
    labelled: str, tmp_path: Path, command: list[str]
) -> None:
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    args = ["--db", labelled, *(str(fifo) if a == "{fifo}" else a for a in command)]
    code = f"from annotator.cli.app import main; main({args!r})"
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, cwd=REPO)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"annotator {' '.join(command)} waited on the pipe")
    err = done.stderr.splitlines()
    assert_one_clear_line(done.returncode, err, r"fifo\.jsonl is not a regular file")
    assert done.returncode == InputError.exit_code


# ------------------------------------------------------------------ gold files for eval-entities


def test_eval_entities_on_a_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(_gold_line().encode() + '{"text": "Grüße", "entities": []}\n'.encode("cp1252"))
    refused(["eval-entities", str(bad), "--no-model"], capsys,
            r"bad\.jsonl:2: not valid UTF-8 text", InputError.exit_code)  # fmt: skip


def test_eval_entities_on_json_nested_too_deeply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "x", "entities": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    refused(["eval-entities", str(deep), "--no-model"], capsys,
            r"deep\.jsonl:1: .*nested too deeply", InputError.exit_code)  # fmt: skip


def test_eval_boilerplate_on_json_nested_too_deeply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"text": "x", "boilerplate": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    refused(["eval-boilerplate", str(deep)], capsys,
            r"deep\.jsonl:1: .*nested too deeply", InputError.exit_code)  # fmt: skip


def test_eval_entities_reads_a_gold_file_with_a_bom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(_gold_line(), encoding="utf-8-sig")
    code, err, out = run_cli(["eval-entities", str(gold), "--no-model", "--json"], capsys)
    assert code == 0, err
    assert '"texts": 1' in out


# ------------------------------------------------------------------ options out of range


@pytest.fixture
def two_coders(tmp_path: Path) -> str:
    project = new_project(tmp_path / "two.db")
    label_anna(project)
    label_ben(project)
    project.close()
    return str(tmp_path / "two.db")


@pytest.mark.parametrize(
    "args, match",
    [
        (["agreement", "--bootstrap", "99999999999"], r"--bootstrap .*100,000"),
        (["agreement", "--seed", "-1", "--bootstrap", "10"], r"--seed must be 0 or more"),
        (["progress", "--days", "99999999999999"], r"--days .*36,500"),
        (["progress", "--days", "3000000"], r"--days .*36,500"),
    ],
    ids=["bootstrap", "seed", "days-huge", "days-past-year-1"],
)
def test_options_out_of_range(
    two_coders: str, args: list[str], match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(["--db", two_coders, *args], capsys, match, InputError.exit_code, two_coders)


def test_the_limits_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, out = run_cli(["agreement", "--help"], capsys)
    assert "100,000" in " ".join(out.split())
    _, _, out = run_cli(["progress", "--help"], capsys)
    assert "36,500" in " ".join(out.split())


@pytest.mark.parametrize("encoding", ["punycode", "idna", "rot13", "hex", "undefined"])
def test_import_takes_only_text_encodings(
    labelled: str, tmp_path: Path, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.jsonl"
    source.write_text('{"id": "n1", "text": "Olaf Scholz sagt etwas."}\n', encoding="utf-8")
    refused(["--db", labelled, "import", str(source), "--encoding", encoding, "--no-model"],
            capsys, rf"--encoding {encoding}: not a text encoding", InputError.exit_code,
            labelled)  # fmt: skip


# ------------------------------------------------------------------ a codebook of another project


@pytest.fixture
def other_codebook(tmp_path: Path) -> Path:
    text = resource("codebook.toml").read_text(encoding="utf-8")
    path = tmp_path / "pro.toml"
    path.write_text(text.replace('id = "favor"', 'id = "pro"'), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["curate", "--strategy", "complete", "--curator", "lena"],
        ["export", "--format", "stances", "-o", "{out}"],
        ["export", "--format", "documents", "-o", "{out}"],
        ["network", "--format", "events", "-o", "{out}"],
    ],
    ids=["curate", "export-stances", "export-documents", "network"],
)
def test_a_codebook_that_does_not_fit_the_project_is_refused(
    labelled: str,
    other_codebook: Path,
    tmp_path: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.jsonl"
    args = [str(out) if a == "{out}" else a for a in command]
    refused(["--db", labelled, "--codebook", str(other_codebook), *args], capsys,
            r"the project holds the stance 'favor', which the codebook .*pro\.toml does not "
            r"define; use the project's codebook", InputError.exit_code, labelled)  # fmt: skip
    assert not out.exists()


# ------------------------------------------------------------------ outputs that cannot be written


@pytest.mark.parametrize(
    "command",
    [
        ["network", "--format", "csv", "-o", "{file}/edges.csv"],
        ["export", "--format", "stances", "-o", "{file}/x.jsonl"],
        ["agreement", "--csv", "{file}/x.csv"],
        ["progress", "--png", "{file}/x.png"],
    ],
    ids=["network", "export", "agreement", "progress"],
)
def test_an_output_under_a_file_is_an_output_error(
    labelled: str, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("a file, not a folder\n", encoding="utf-8")
    args = [a.replace("{file}", str(file)) for a in command]
    refused(["--db", labelled, *args], capsys, r"cannot write .*notes\.txt/.*: Not a directory",
            OutputError.exit_code, labelled)  # fmt: skip
