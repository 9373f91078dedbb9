"""Reading what an export needs from the store, a batch of articles at a time.

Plain SQL columns (no ORM objects) and a bounded batch keep both the speed and the memory
of an export independent of the size of the project.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select
from sqlmodel import col

from annotator.store.annotators import GOLD_KIND
from annotator.store.articles import ArticleView, MentionView, stored_segments
from annotator.store.bulk import fetch_rows
from annotator.store.engine import Project
from annotator.store.label_reads import (
    GOLD,
    PEOPLE,
    Label,
    LabelFilter,
    curated_ids,
    done_marked,
    done_marks,
    labelled,
    read_labels,
)
from annotator.store.models import Actor, Annotator, Article, Mention, sa_table


@dataclass(frozen=True, slots=True)
class ArticleData(ArticleView):
    """An article with the labels and done marks an export selected (lists filled in
    place while a batch is read)."""

    labels: list[Label] = field(default_factory=list)
    done_by: list[int] = field(default_factory=list)  # annotator ids


@dataclass(frozen=True)
class Selection:
    """Which labels an export reads. None means no restriction.

    The gold standard's labels are read only with `gold`, and then only they, only in
    curated articles, with their provenance (done marks stay the people's)."""

    annotator_ids: frozenset[int] | None = None
    targets: frozenset[str] | None = None
    done_only: bool = False
    labelled_only: bool = False  # only labels with a stance, only articles that have one
    gold: bool = False


def annotators(project: Project, *, include_gold: bool = False) -> dict[int, str]:
    with project.engine.connect() as conn:
        ann = sa_table(Annotator).c
        stmt = select(ann.id, ann.name).order_by(ann.id)
        if not include_gold:
            stmt = stmt.where(ann.kind != GOLD_KIND)
        return {int(i): str(n) for i, n in conn.execute(stmt)}


def label_filter(selection: Selection, articles: Sequence[int] | None = None) -> LabelFilter:
    """The labels an export selection reads (store/label_reads.py decides what counts)."""
    return LabelFilter(
        articles=articles,
        annotators=None if selection.gold else selection.annotator_ids,
        who=GOLD if selection.gold else PEOPLE,
        targets=selection.targets,
        with_stance=selection.labelled_only,
        done_only=selection.done_only and not selection.gold,
        curated_only=selection.gold,
    )


def article_ids(project: Project, selection: Selection) -> list[int]:
    """Ids of the articles to export, in import order."""
    stmt = select(col(Article.id)).order_by(col(Article.id))
    if selection.labelled_only:
        stmt = stmt.where(labelled(label_filter(selection), Article.id))
    if selection.done_only and not selection.gold:
        stmt = stmt.where(done_marked(Article.id, _done_people(selection)))
    if selection.gold:  # gold is final only in curated articles
        stmt = stmt.where(col(Article.id).in_(curated_ids()))
    with project.engine.connect() as conn:
        return [int(i) for (i,) in fetch_rows(conn, stmt)]


def _load_batch(
    conn: Connection, ids: Sequence[int], selection: Selection, *, mentions: bool
) -> list[ArticleData]:
    by_id: dict[int, ArticleData] = {}
    cols = (
        col(Article.id),
        col(Article.external_id),
        col(Article.title),
        col(Article.text),
        col(Article.source),
        col(Article.date),
        col(Article.url),
        col(Article.meta),
        col(Article.segments),
    )
    for row in fetch_rows(conn, select(*cols).where(col(Article.id).in_(ids))):
        aid, external_id, title, text, source, date, url, meta, segments = row
        if isinstance(meta, str):  # SQLite hands JSON over as text, PostgreSQL parsed
            meta = json.loads(meta)
        sentences, boilerplate = stored_segments(segments, len(text))
        by_id[aid] = ArticleData(aid, external_id, title, text, source, date, url,
                                 meta=dict(meta or {}), mentions=[], sentences=sentences,
                                 boilerplate=boilerplate)  # fmt: skip
    if mentions:
        mention_query = (
            select(
                col(Mention.article_id),
                col(Mention.id),
                col(Mention.start),
                col(Mention.end),
                col(Mention.label),
                col(Mention.actor_id),
                col(Actor.name),
                col(Mention.source),
            )
            .join(Actor, col(Mention.actor_id) == Actor.id, isouter=True)
            .where(col(Mention.article_id).in_(ids))
            .order_by(col(Mention.article_id), col(Mention.start), col(Mention.end))
        )
        for aid, *rest in fetch_rows(conn, mention_query):
            by_id[aid].mentions.append(MentionView(*rest))  # type: ignore[attr-defined]
    for label in read_labels(conn, label_filter(selection, ids), names=True,
                             origins=selection.gold):  # fmt: skip
        by_id[label.article_id].labels.append(label)
    for aid, annotator_id in done_marks(conn, ids, _done_people(selection)):
        by_id[aid].done_by.append(annotator_id)
    return [by_id[i] for i in ids if i in by_id]


def _done_people(selection: Selection) -> frozenset[int] | None:
    """Whose done marks an export shows: the people's (gold marks none), those selected."""
    return None if selection.gold else selection.annotator_ids


def iter_articles(
    project: Project,
    ids: Sequence[int],
    selection: Selection,
    *,
    mentions: bool = True,
    batch_size: int = 200,
) -> Iterator[list[ArticleData]]:
    """Batches of articles with their mentions, selected labels and done marks."""
    for offset in range(0, len(ids), batch_size):
        chunk = list(ids[offset : offset + batch_size])
        # A short read transaction per batch: writers (the GUI) are never held up long.
        with project.engine.connect() as conn:
            yield _load_batch(conn, chunk, selection, mentions=mentions)
