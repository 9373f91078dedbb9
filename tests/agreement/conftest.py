"""Fixtures for the agreement tests: a project with two annotators' work."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.store.engine import Project  # noqa: E402
from tests.agreement.builders import label_anna, label_ben, new_project  # noqa: E402


@pytest.fixture
def two_annotators(tmp_path: Path) -> Project:
    """One project holding anna's and ben's labels (as after a merge)."""
    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    yield project
    project.close()
