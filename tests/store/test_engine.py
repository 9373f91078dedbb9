from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.errors import ProjectError
from annotator.store.engine import SCHEMA_VERSION, open_project


def test_new_project_uses_wal_foreign_keys_and_records_schema(tmp_path: Path) -> None:
    project = open_project(str(tmp_path / "p.db"))
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert project.info("schema_version") == str(SCHEMA_VERSION)
    project.close()


def test_foreign_keys_are_enforced(project) -> None:
    from sqlalchemy.exc import IntegrityError

    from annotator.store.models import Mention

    with pytest.raises(IntegrityError), project.write() as s:
        s.add(Mention(article_id=999, start=0, end=1, label="PER"))


def test_text_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some notes", encoding="utf-8")
    with pytest.raises(ProjectError, match="not a project file"):
        open_project(str(path))
    assert path.read_text(encoding="utf-8") == "just some notes"


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="not a stance-annotator project"):
        open_project(str(path))
    assert path.read_bytes() == before


def test_project_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    project = open_project(str(path))
    with project.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE projectinfo SET value='999' WHERE key='schema_version'")
    project.close()
    with pytest.raises(ProjectError, match="newer version"):
        open_project(str(path))


def test_truncated_project_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    project = open_project(str(path))
    project.close()
    data = path.read_bytes()
    path.write_bytes(data[:100])  # header survives, the pages do not
    with pytest.raises(ProjectError):
        open_project(str(path))


def test_missing_project_without_create(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project"):
        open_project(str(tmp_path / "absent.db"), create=False)
    assert not (tmp_path / "absent.db").exists()


def test_opening_a_current_project_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic takes ~150 ms to import; only creating or upgrading a project needs it."""
    import subprocess
    import sys

    db = tmp_path / "p.db"
    open_project(str(db)).close()
    code = (
        "import sys; from annotator.store.engine import open_project; "
        f"open_project({str(db)!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# A process that stops where a first start has seen no tables, until told to go on.
_FIRST_START = """
import sys
from annotator.store import engine

create = engine._create_schema


def announced(project):
    print("no tables yet", flush=True)
    sys.stdin.readline()
    create(project)


engine._create_schema = announced
engine.open_project(sys.argv[1]).close()
print("opened", flush=True)
"""


def test_concurrent_first_starts_of_a_new_file_all_open_it(tmp_path: Path) -> None:
    """Three first imports into one new file: each found no tables, so each creates the
    schema; the later ones must find the first's tables instead of failing on them."""
    import subprocess
    import sys

    db = tmp_path / "new.db"
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", _FIRST_START, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    try:
        for start in starts:  # every one has looked and seen an empty database
            assert start.stdout is not None and start.stdout.readline() == "no tables yet\n"
        for start in starts:
            assert start.stdin is not None
            start.stdin.write("go\n")
            start.stdin.flush()
        outcomes = [start.communicate(timeout=120) for start in starts]
    finally:
        for start in starts:
            start.kill()
    assert [start.returncode for start in starts] == [0, 0, 0], [err for _out, err in outcomes]
    assert [out for out, _err in outcomes] == ["opened\n"] * 3
    with open_project(str(db)) as project:
        assert project.info("schema_version") == str(SCHEMA_VERSION)
