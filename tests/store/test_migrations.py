"""Every released schema version in tests/data/ upgrades to the current one, after a backup."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from annotator.ingest.segments import fill_segments
from annotator.store.articles import load_article
from annotator.store.engine import SCHEMA_VERSION, open_project
from annotator.store.label_reads import labels_for_article
from annotator.store.migrate import revision_of

DATA = Path(__file__).resolve().parent.parent / "data"
RELEASED = sorted(DATA.glob("project_v*.db"))


def test_every_older_schema_version_is_kept() -> None:
    versions = {int(p.stem.removeprefix("project_v")) for p in RELEASED}
    assert versions == set(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("old", RELEASED, ids=lambda p: p.stem)
def test_old_project_is_backed_up_then_upgraded_with_its_labels(tmp_path: Path, old: Path) -> None:
    path = tmp_path / "work.db"
    shutil.copy(old, path)
    original = path.read_bytes()
    version = int(old.stem.removeprefix("project_v"))

    project = open_project(str(path))
    try:
        assert project.info("schema_version") == str(SCHEMA_VERSION)
        with project.engine.connect() as conn:
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            columns = {c["name"] for c in inspect(conn).get_columns("annotator")}
            article_columns = {c["name"] for c in inspect(conn).get_columns("article")}
        assert rev == revision_of(SCHEMA_VERSION)
        assert "db_role" in columns and "segments" in article_columns
        labels = labels_for_article(project, 1)
        assert [
            (lab.annotator, lab.actor, lab.target, lab.state.stance, lab.state.note)
            for lab in labels
        ] == [("anna", "Boris Pistorius", "defence_spending", "favor", "klar")]
        assert labels[0].state.evidence == ((0, 76),)
        # Before schema 4 an article has no segments until the window fills them in.
        if version < 4:
            assert load_article(project, 1).sentences == ()
            assert fill_segments(project) == 1
        article = load_article(project, 1)
        assert [article.text[a:b] for a, b in article.sentences] == [
            "Verteidigungsminister Boris Pistorius fordert höhere Verteidigungsausgaben.",
            "Die Nato berät.",
        ]
        assert fill_segments(project) == 0
    finally:
        project.close()

    backups = list(tmp_path.glob(f"work.db.bak-{version}-*"))
    assert len(backups) == 1
    # The backup is the old project, readable and still at the old version.
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT value FROM projectinfo WHERE key='schema_version'").fetchone() == (
        str(version),
    )
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert len(original) > 0


def test_upgrading_twice_changes_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "work.db"
    shutil.copy(RELEASED[0], path)
    open_project(str(path)).close()
    open_project(str(path)).close()
    assert len(list(tmp_path.glob("work.db.bak-*"))) == 1
