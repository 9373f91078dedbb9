"""Bad project files, codebooks and permissions: one clear line, and nothing changes.

Read-only files: tests run as root here, and root ignores file permissions. Rather than
pretend (PRAGMA query_only, ?mode=ro), the command runs in a child process that has
dropped root's permission override (see refusal.run_as_ordinary_user), so chmod 0o444
means to it what it means to any user; a probe checks that it really cannot write.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from annotator.paths import resource
from tests.safety.refusal import (
    assert_one_clear_line,
    assert_refused,
    make_labelled_project,
    run_as_ordinary_user,
    run_cli,
    snapshot,
)

COMMANDS = [["info"], ["articles"], ["history"], ["backup"]]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_labelled_project(tmp_path / "project.db")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_file_that_is_not_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("Einkaufsliste: Brot, Milch\n", encoding="utf-8")
    assert_refused(str(notes), command, capsys, r"notes\.db is not a project file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_an_sqlite_database_of_another_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Erika')")
    conn.commit()
    conn.close()
    assert_refused(str(other), ["import", str(resource("codebook.toml"))], capsys, "not a stance")
    assert_refused(str(other), ["info"], capsys, "not a stance-annotator project")


@pytest.mark.parametrize("keep", [0.5, 0.9, 100 / 4096], ids=["half", "most", "header"])
@pytest.mark.parametrize("command", [["info"], ["history"], ["import", "x.txt"]], ids=str)
def test_a_truncated_project(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], keep: float, command: list[str]
) -> None:
    # Make the project bigger than a few pages first, so there is something to cut off.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = Path(db).read_bytes()
    Path(db).write_bytes(data[: max(100, int(len(data) * keep))])
    (tmp_path / "x.txt").write_text("Olaf Scholz zögert.", encoding="utf-8")
    command = [tmp_path / c if c == "x.txt" else c for c in command]
    assert_refused(db, [str(c) for c in command], capsys, r"damaged or truncated")


def test_a_project_from_a_newer_version(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE projectinfo SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert_refused(db, ["info"], capsys, r"newer version of the tool.*upgrade")


CODEBOOK = resource("codebook.toml").read_text(encoding="utf-8")
BAD_CODEBOOKS = {
    "missing key": (
        CODEBOOK.replace('label_en = "Sending', 'label_english = "Sending'),
        r"bad\.toml:29: \[\[targets\]\] entry 2 needs a non-empty text 'label_en'",
    ),
    "wrong type": (
        CODEBOOK.replace('"Nato-Beitritt", "NATO-Beitritt"', '"Nato-Beitritt", 7'),
        r"bad\.toml:21: key 'cues' of target 'nato_membership' must be a list of texts",
    ),
    "broken toml": (CODEBOOK.replace('key = "2"', 'key = "2'), r"invalid TOML: .*line 34"),
    "no stances": (CODEBOOK.split("[[stances]]")[0], r"needs at least two \[\[stances\]\]"),
}


@pytest.mark.parametrize("case", BAD_CODEBOOKS)
def test_a_codebook_with_errors_names_the_line_and_the_key(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, match = BAD_CODEBOOKS[case]
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    before = snapshot(db)
    code, err, _ = run_cli(["--db", db, "--codebook", str(bad), "info"], capsys)
    assert_one_clear_line(code, err, match)
    assert snapshot(db) == before


def test_a_codebook_that_is_missing_or_not_utf8(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err, _ = run_cli(["--db", db, "--codebook", str(tmp_path / "no.toml"), "info"], capsys)
    assert_one_clear_line(code, err, "codebook file not found")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(CODEBOOK.encode("cp1252"))
    code, err, _ = run_cli(["--db", db, "--codebook", str(latin), "info"], capsys)
    assert_one_clear_line(code, err, "cannot read codebook")


# ------------------------------------------------------------------ read-only


def _make_read_only(*paths: Path) -> None:
    for p in paths:
        mode = 0o555 if p.is_dir() else 0o444
        p.chmod(mode)


def _restore(*paths: Path) -> None:
    for p in paths:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_folder_gives_one_clear_line_and_no_change(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = make_labelled_project(folder / "project.db")
    source = tmp_path / "new.txt"
    source.write_text("Olaf Scholz zögert.", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    before = snapshot(db)
    _make_read_only(Path(db), folder)
    try:
        commands = [["info"], ["import", str(source)], ["backup", str(home / "b.db")]]
        run = run_as_ordinary_user(Path(db), [["--db", db, *c] for c in commands], home)
        assert not run.could_write, "the file is still writable: the test would prove nothing"
        for code, _, err in run.results:
            assert_one_clear_line(code, err.splitlines(), "read-only")
        assert sorted(os.listdir(folder)) == ["project.db"]
    finally:
        _restore(folder, Path(db))
    assert snapshot(db) == before


def test_a_read_only_file_can_still_be_read(tmp_path: Path) -> None:
    db = make_labelled_project(tmp_path / "project.db")
    home = tmp_path / "home"
    home.mkdir()
    before = snapshot(db)
    _make_read_only(Path(db))
    try:
        commands = [["info"], ["history"], ["backup", str(home / "copy.db")]]
        run = run_as_ordinary_user(Path(db), [["--db", db, *c] for c in commands], home)
        assert not run.could_write, "the file is still writable: the test would prove nothing"
        for code, _, err in run.results:
            assert code == 0, err
        assert "articles:   1" in run.results[0][1]
        assert "defence_spending" in run.results[1][1]
    finally:
        _restore(Path(db))
    assert snapshot(db) == before
