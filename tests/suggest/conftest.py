"""The small labelled project most suggestion tests start from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suggest.builders import labelled_project


@pytest.fixture
def small(tmp_path: Path):  # noqa: ANN201
    """Six synthetic articles labelled by "lead" (tests/suggest/builders.py), and the truth."""
    project, truth = labelled_project(tmp_path / "p.db", 6, seed=3, coder="lead")
    yield project, truth
    project.close()
