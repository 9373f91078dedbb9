"""The embedded seed articles, shipped already highlighted.

A new user's first start fills the default project from the seeds. Highlighting them with
the shipped model means loading the model (seconds) before the first window, so the
package also ships them highlighted (resources/seeds.jsonl, the `documents` export of the
seeds imported with the shipped model): importing that file runs no model.
tests/ingest/test_seeds.py fails when it no longer equals what importing seeds/ with the
current highlighter gives; then write it again with `python -m tests.ingest.write_seeds`.
"""

from __future__ import annotations

from pathlib import Path

from annotator.paths import resource, seeds_dir

HIGHLIGHTED = "seeds.jsonl"


def seed_sources(model: str | None) -> list[Path]:
    """What to import for the default project: the shipped highlighted file where the
    shipped model is wanted and the file is there, else the seed texts."""
    shipped = resource(HIGHLIGHTED)
    return [shipped] if model is None and shipped.is_file() else [seeds_dir()]
