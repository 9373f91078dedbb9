"""Fixtures for the curation tests: the agreement tests' small project (anna finished a1-a3,
ben a1 and a2), a curator, and helpers to read what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project
from annotator.store.labels import CellKey
from annotator.store.models import ArticleDone, Evidence, StanceAnnotation
from tests.agreement.builders import actor_id, article_id, label_anna, label_ben, new_project


def _labelled(path: str) -> Project:
    project = new_project(Path(path) if "://" not in path else path)
    label_anna(project)
    label_ben(project)
    return project


@pytest.fixture(params=["sqlite", "postgres"])
def team(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """The labelled project, in a file and (when a server is configured) on PostgreSQL:
    the core of curation is plain SQL that both must run the same."""
    if request.param == "postgres":
        from tests.postgres.database import fresh_database

        with fresh_database() as database:
            project = _labelled(database.url())
            yield project
            project.close()
        return
    project = _labelled(str(tmp_path / "project.db"))
    yield project
    project.close()


@pytest.fixture
def labelled(tmp_path: Path) -> Iterator[Project]:
    """The labelled project in a file only (exports, CLI, merge)."""
    project = _labelled(str(tmp_path / "lead.db"))
    yield project
    project.close()


def person(project: Project, name: str) -> int:
    return get_or_create_annotator(project, name)


def key(project: Project, ext: str, actor: str, target: str) -> CellKey:
    return CellKey(article_id(project, ext), actor_id(project, actor), target)


def annotators_data(project: Project, gold: int | None) -> tuple[list, list, list]:
    """Every label, evidence span and done mark of the people (not gold), as plain tuples."""
    with project.session() as s:
        labels = sorted(
            (r.id, r.article_id, r.actor_id, r.target, r.annotator_id, r.stance, r.note,
             r.updated_at)
            for r in s.exec(select(StanceAnnotation)).all()
            if r.annotator_id != gold
        )  # fmt: skip
        ids = {row[0] for row in labels}
        spans = sorted(
            (e.annotation_id, e.start, e.end)
            for e in s.exec(select(Evidence)).all()
            if e.annotation_id in ids
        )
        done = sorted((d.article_id, d.annotator_id) for d in s.exec(select(ArticleDone)).all())
    return labels, spans, done
