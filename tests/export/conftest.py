"""Fixtures of the export tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.export.corpus import Corpus, build_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Corpus]:
    c = build_corpus(tmp_path / "project.db")
    yield c
    c.project.close()
