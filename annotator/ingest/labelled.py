"""Importing labelled `documents` records (the export format): mentions and stances.

Placeholder until the export issue fills it in: records with spans/stances are refused.
"""

from __future__ import annotations

from typing import Any

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.ingest.readers import ArticleRecord


def check_labelled(record: ArticleRecord, codebook: Codebook) -> None:
    """Validate a labelled record before anything is written (pass 1 of the import)."""
    if record.labelled and record.labelled.get("stances"):
        raise InputError("importing labelled documents is not supported yet", path=record.origin)


def write_labelled(session: Any, resolver: Any, article_id: int, record: ArticleRecord) -> None:
    """Store the record's mentions and stance labels for a freshly inserted article."""
    return None
