"""The guard against opening a project file behind SQLite's back (annotator/file_guard.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import file_guard
from tests.safety.conftest import REPO, writer_env


def _wal_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    return conn


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_opening_a_connected_database_or_its_companions_is_refused(
    tmp_path: Path, suffix: str
) -> None:
    db = tmp_path / "p.db"
    conn = _wal_db(db)
    before = len(file_guard.violations)
    try:
        with pytest.raises(file_guard.ProjectFileOpened):
            Path(f"{db}{suffix}").read_bytes()
    finally:
        conn.close()
        del file_guard.violations[before:]  # expected here: not this test's failure


def test_after_the_connection_is_closed_the_file_is_free(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _wal_db(db).close()
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"


def test_a_uri_connection_is_watched_too(tmp_path: Path) -> None:
    db = tmp_path / "a b.db"
    _wal_db(db).close()
    conn = sqlite3.connect(f"file:{str(db).replace(' ', '%20')}?mode=ro", uri=True)
    conn.execute("SELECT * FROM t").fetchall()
    before = len(file_guard.violations)
    try:
        with pytest.raises(file_guard.ProjectFileOpened):
            db.read_bytes()
    finally:
        conn.close()
        del file_guard.violations[before:]


def test_a_child_process_aborts_on_a_violation(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code = (
        "import sqlite3, sys, annotator\n"
        f"c = sqlite3.connect({str(db)!r}); c.execute('CREATE TABLE t (x)'); c.commit()\n"
        f"open({str(db)!r}, 'rb').read()\n"
        "print('not stopped')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=writer_env(), cwd=REPO, timeout=60)  # fmt: skip
    assert done.returncode == file_guard.EXIT_CODE
    assert "not stopped" not in done.stdout
    assert "opened outside SQLite" in done.stderr
