"""Backups are consistent copies, even while another process writes, and are rotated."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from annotator.cli.app import main
from annotator.errors import InputError, ProjectError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.backup import backup_project, default_backup_path, rotating_daily_backup
from annotator.store.copies import backup_before_upgrade
from annotator.store.engine import Project, open_project
from annotator.store.labels import CellKey, CellState, put_cell
from tests.conftest import add_actor, add_article
from tests.safety.conftest import Server, Written, make_project


@pytest.fixture
def project(project: Project) -> Project:
    """The shared empty project plus one article and one actor to label."""
    add_article(project, "a", "Scholz zögert.")
    add_actor(project, "Olaf Scholz")
    return project


def _label(project: Project, stance: str = "favor") -> None:
    anna = get_or_create_annotator(project, "anna")
    put_cell(project, anna, CellKey(1, 1, "nato_membership"), CellState(stance, ((0, 7),)))


def _inconsistencies(path: Path) -> list[str]:
    """Cells whose stored label differs from the last history row about them.

    Both are written in one transaction, so in a consistent snapshot they always agree.
    """
    conn = sqlite3.connect(path)
    try:
        labels = {
            (r[0], r[1], r[2], r[3]): r[4]
            for r in conn.execute(
                "SELECT annotator_id, article_id, actor_id, target, stance FROM stanceannotation"
            )
        }
        last: dict[tuple, str | None] = {}
        for who, article, actor, target, after in conn.execute(
            "SELECT annotator_id, article_id, actor_id, target, after FROM labelevent "
            "WHERE target IS NOT NULL ORDER BY id"
        ):
            last[(who, article, actor, target)] = json.loads(after)["stance"]
    finally:
        conn.close()
    cells = set(labels) | {k for k, v in last.items() if v is not None}
    return [f"{k}: {labels.get(k)} vs {last.get(k)}" for k in cells if labels.get(k) != last.get(k)]


def _events(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM labelevent").fetchone()[0]
    finally:
        conn.close()


def test_backup_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    db = make_project(tmp_path / "project.db")
    server = Server(db)
    written = Written()
    try:
        pid = server.start_writer("write anna 0 60 loop", written)
        copies: list[Path] = []
        for i in range(5):
            # Before each copy the writer has committed more than the last copy holds (its
            # lines come after its commits), so every copy is taken while it writes.
            before = _events(copies[-1]) if copies else 0
            while _events(Path(db)) <= before:
                written.add(server.next())
            copies.append(backup_project(db, tmp_path / f"copy-{i}.db"))
        server.kill(pid, written)
    finally:
        server.close()
    counts = [_events(c) for c in copies]
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0, counts  # writer was busy
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
        assert not _inconsistencies(copy)
        with open_project(str(copy), create=False) as project:
            assert project.info("schema_version")


def test_backup_is_one_self_contained_file(project: Project, tmp_path: Path) -> None:
    _label(project)  # lives in the -wal file until a checkpoint
    copy = backup_project(project, tmp_path / "copy.db")
    assert copy == tmp_path / "copy.db"
    assert copy.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    assert not Path(f"{copy}-wal").exists()
    moved = tmp_path / "elsewhere" / "restored.db"
    moved.parent.mkdir()
    moved.write_bytes(copy.read_bytes())  # only the one file is needed to restore
    conn = sqlite3.connect(moved)
    assert conn.execute("SELECT stance FROM stanceannotation").fetchall() == [("favor",)]
    conn.close()
    assert not list(tmp_path.glob(".*partial*"))


def test_backup_destinations(project: Project, tmp_path: Path) -> None:
    default = backup_project(project)
    assert re.fullmatch(r"project\.db\.backup-\d{8}-\d{6}(-\d+)?", default.name)
    assert default.parent == project.path.parent
    folder = tmp_path / "folder"
    folder.mkdir()
    inside = backup_project(project, folder)
    assert inside.parent == folder and inside.name.startswith("project.db.backup-")
    again = backup_project(project, folder)  # same second: a new name, nothing overwritten
    assert again != inside and again.exists() and inside.exists()
    with pytest.raises(InputError, match="already exists"):
        backup_project(project, inside)
    with pytest.raises(InputError, match="does not exist"):
        backup_project(project, tmp_path / "missing" / "x.db")
    with pytest.raises(InputError, match="cannot replace the project"):
        backup_project(project, project.path)


def test_default_name() -> None:
    from datetime import datetime

    path = default_backup_path(Path("/x/team.db"), datetime(2025, 3, 4, 5, 6, 7))
    assert path == Path("/x/team.db.backup-20250304-050607")


def test_backup_of_something_that_is_no_project_writes_nothing(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    with pytest.raises(ProjectError, match="not a project file"):
        backup_project(notes, tmp_path / "copy.db")
    with pytest.raises(ProjectError, match="no project"):
        backup_project(tmp_path / "absent.db", tmp_path / "copy.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_server_projects_are_not_backed_up_here() -> None:
    remote = Project.__new__(Project)
    remote.path = None
    with pytest.raises(ProjectError, match="pg_dump"):
        backup_project(remote)
    assert rotating_daily_backup(remote) is None


def test_daily_backups_rotate_and_keep_the_newest(project: Project, tmp_path: Path) -> None:
    start = date(2025, 1, 1)
    made = []
    for day in range(10):
        _label(project, ("favor", "against")[day % 2])
        made.append(rotating_daily_backup(project, keep=7, today=start + timedelta(days=day)))
    assert all(made)
    assert rotating_daily_backup(project, keep=7, today=start + timedelta(days=9)) is None
    folder = tmp_path / "backups"
    # Another project's backups in the same folder are not touched.
    (folder / "other.db.daily-20200101").write_bytes(b"")
    rotating_daily_backup(project, keep=7, today=start + timedelta(days=10))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["other.db.daily-20200101"] + [
        f"project.db.daily-{(start + timedelta(days=d)):%Y%m%d}" for d in range(4, 11)
    ]
    newest = folder / f"project.db.daily-{(start + timedelta(days=9)):%Y%m%d}"
    conn = sqlite3.connect(newest)
    assert conn.execute("SELECT stance FROM stanceannotation").fetchall() == [("against",)]
    conn.close()
    with pytest.raises(InputError):
        rotating_daily_backup(project, keep=0)


def test_backup_before_upgrade_names_the_old_version(project: Project, tmp_path: Path) -> None:
    first = backup_before_upgrade(project.path, 1, today=date(2025, 2, 3))
    assert first.name == "project.db.bak-1-20250203"
    second = backup_before_upgrade(project.path, 1, today=date(2025, 2, 3))
    assert second.name == "project.db.bak-1-20250203-2"  # the first one is never replaced
    conn = sqlite3.connect(first)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_backup_command(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(project.path)
    main(["--db", db, "backup"])
    out = capsys.readouterr().out.strip()
    written = Path(out.removeprefix("backup written to "))
    assert written.exists() and written.name.startswith("project.db.backup-")
    main(["--db", db, "backup", str(tmp_path / "mine.db")])
    assert (tmp_path / "mine.db").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db, "backup", str(tmp_path / "mine.db")])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[0]
