"""Output files (annotator/files.py): what is refused, atomic replacement, leftovers."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.files import (
    PART_MARK,
    PART_SUFFIX,
    check_output,
    clean_leftovers,
    pending_file,
    sqlite_tables,
)


def test_a_finished_file_replaces_the_old_one_at_once(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old", encoding="utf-8")
    with pending_file(target) as pending:
        pending.path.write_text("new", encoding="utf-8")
        assert target.read_text(encoding="utf-8") == "old"  # untouched until the commit
        pending.commit()
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_error_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), pending_file(target) as pending:
        pending.path.write_text("half", encoding="utf-8")
        raise RuntimeError("cancelled")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_the_folder_is_created(tmp_path: Path) -> None:
    with pending_file(tmp_path / "a" / "b" / "out.txt") as pending:
        pending.commit()
    assert (tmp_path / "a" / "b" / "out.txt").exists()


@pytest.mark.parametrize("name", ["p.db", "p.db-wal", "p.db-shm", "p.db-journal"])
def test_the_protected_project_and_its_companions_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="project's own file"):
        check_output(tmp_path / name, protect=[tmp_path / "p.db"])


def test_a_symlink_to_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.db").touch()
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "p.db")
    with pytest.raises(InputError, match="project's own file"):
        check_output(tmp_path / "link.jsonl", protect=[tmp_path / "p.db"])


def test_any_database_is_refused_and_read_only_by_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert sqlite_tables(db) == {"t"}
    with pytest.raises(InputError, match="is a database"):
        check_output(db)
    with pytest.raises(InputError, match="belongs to the database"):
        check_output(tmp_path / "other.sqlite-wal")


def test_text_files_are_no_databases(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n', encoding="utf-8")
    assert sqlite_tables(path) is None
    assert check_output(path) == path


def test_leftovers_without_a_lock_are_removed_others_kept(tmp_path: Path) -> None:
    stale = tmp_path / f".out.jsonl{PART_MARK}k3j4l5m6{PART_SUFFIX}"  # a name the tool made
    stale.write_text("half", encoding="utf-8")
    unrelated = tmp_path / ".hidden"
    unrelated.write_text("mine", encoding="utf-8")
    with pending_file(tmp_path / "other.jsonl") as live:  # cleans stale, keeps itself
        assert not stale.exists()
        assert live.path.exists() and unrelated.exists()
        assert clean_leftovers(tmp_path) == []


def test_a_users_own_hidden_files_are_never_taken_for_leftovers(tmp_path: Path) -> None:
    # Issue 23, item 9: the writer had removed these (unlocked ".part", ".partial" older
    # than an hour) from the folder it wrote into.
    hour_ago = time.time() - 7200
    mine = [".notes.part", ".draft.partial", ".x.part-journal", ".out.jsonl.abc12345.part",
            ".out.jsonl.annotator-notes", "notes.annotator-abc.part"]  # fmt: skip
    for name in mine:
        (tmp_path / name).write_text("mine", encoding="utf-8")
        os.utime(tmp_path / name, (hour_ago, hour_ago))
    with pending_file(tmp_path / "out.jsonl") as pending:
        pending.path.write_text("new", encoding="utf-8")
        pending.commit()
    assert clean_leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*mine, "out.jsonl"])


def test_refusing_to_write_over_a_wal_database_leaves_nothing_beside_it(tmp_path: Path) -> None:
    package = tmp_path / "anna.db"  # a package its coder has used: WAL mode, closed
    conn = sqlite3.connect(package)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(InputError, match="is a database"):
        check_output(package)
    with pytest.raises(InputError, match="belongs to the database"):
        check_output(tmp_path / "anna.db-wal")
    assert sorted(p.name for p in tmp_path.iterdir()) == before == ["anna.db"]
