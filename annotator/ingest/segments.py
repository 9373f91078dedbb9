"""Segments of an article, found once and stored with it (Article.segments, schema 4):
its sentences (the project's one splitter) and its boilerplate blocks.

The window reads them to offer evidence sentences and to show boilerplate quietly, so it
never loads spaCy. Import and re-highlighting compute them; `fill_segments` adds them to
articles of projects made before schema 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import update
from sqlmodel import col, select

from annotator.errors import Cancelled
from annotator.ingest.boilerplate import Block, find_boilerplate
from annotator.nlp.sentences import Sentences
from annotator.progress import IsCancelled, Progress
from annotator.store.engine import Project
from annotator.store.models import Article, sa_table


def compute_segments(text: str, boilerplate: Sequence[Block] | None = None) -> dict[str, Any]:
    """{"sentences": [[start, end], ...], "boilerplate": [[start, end, kind], ...]};
    `boilerplate` if the reader found it already."""
    blocks = find_boilerplate(text) if boilerplate is None else boilerplate
    return {
        "sentences": [list(s) for s in Sentences(text).all()],
        "boilerplate": [list(b) for b in blocks],
    }


def store_segments(project: Project, segments: dict[int, dict[str, Any]]) -> None:
    """Write the segments of several articles in one short transaction."""
    if not segments:
        return
    table = sa_table(Article)
    with project.write() as s:
        for article_id, value in segments.items():
            s.execute(update(table).where(table.c.id == article_id).values(segments=value))


def fill_segments(
    project: Project,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    batch_size: int = 100,
) -> int:
    """Compute the segments of every article that has none yet; return how many were
    filled. Safe to run beside labelling (short write per batch) and to cancel between
    batches: what is written stays, the rest is found again next time."""
    with project.session() as s:
        # ids: never NULL
        ids = list(
            cast(
                Sequence[int],
                s.exec(
                    select(Article.id)
                    .where(col(Article.segments).is_(None))
                    .order_by(col(Article.id))
                ).all(),
            )
        )
    total, done = len(ids), 0
    if progress:
        progress(0, total)
    for offset in range(0, total, batch_size):
        if cancelled and cancelled():
            raise Cancelled(f"finding sentences cancelled after {done} of {total} articles")
        chunk = ids[offset : offset + batch_size]
        with project.session() as s:
            texts = s.exec(
                select(Article.id, Article.text).where(
                    col(Article.id).in_(chunk), col(Article.segments).is_(None)
                )
            ).all()
        store_segments(project, {aid: compute_segments(text) for aid, text in texts})  # type: ignore[misc]
        done += len(chunk)
        if progress:
            progress(done, total)
    return total
