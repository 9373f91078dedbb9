"""Shared fixtures. Every test runs with its own ANNOTATOR_HOME, never the user's files."""

from __future__ import annotations

import os

# Qt tests always run offscreen (set before pytest-qt creates the QApplication).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.codebook import Codebook, load_codebook  # noqa: E402
from annotator.store.engine import Project, open_project  # noqa: E402
from annotator.store.models import Actor, Article  # noqa: E402
from annotator.ingest.readers import text_hash  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return home


@pytest.fixture
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = open_project(str(tmp_path / "project.db"))
    yield p
    p.close()


def add_article(project: Project, external_id: str, text: str, title: str = "T") -> int:
    """Insert an article directly (no NLP): for store-level tests."""
    with project.write() as s:
        a = Article(external_id=external_id, title=title, text=text, text_sha256=text_hash(text))
        s.add(a)
        s.flush()
        return a.id  # type: ignore[return-value]


def add_actor(project: Project, name: str, label: str = "PER") -> int:
    with project.write() as s:
        a = Actor(name=name, label=label, type="person")
        s.add(a)
        s.flush()
        return a.id  # type: ignore[return-value]
