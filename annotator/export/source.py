"""Reading what an export needs from the store, a batch of articles at a time.

Plain SQL columns (no ORM objects) and a bounded batch keep both the speed and the memory
of an export independent of the size of the project.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, exists, select

from annotator.store.articles import ArticleView, MentionView
from annotator.store.bulk import fetch_rows
from annotator.store.engine import Project
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    ArticleDone,
    Evidence,
    Mention,
    StanceAnnotation,
)


@dataclass(slots=True)
class LabelRow:
    actor_id: int
    actor: str
    target: str
    annotator_id: int
    stance: str | None
    note: str | None
    evidence: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ArticleData(ArticleView):
    """An article with the labels and done marks an export selected (lists filled in
    place while a batch is read)."""

    labels: list[LabelRow] = field(default_factory=list)
    done_by: list[int] = field(default_factory=list)  # annotator ids


@dataclass(frozen=True)
class Selection:
    """Which labels an export reads. None means no restriction."""

    annotator_ids: frozenset[int] | None = None
    targets: frozenset[str] | None = None
    done_only: bool = False
    labelled_only: bool = False  # only labels with a stance, only articles that have one


def annotators(project: Project) -> dict[int, str]:
    with project.engine.connect() as conn:
        rows = conn.execute(select(Annotator.id, Annotator.name).order_by(Annotator.id))
        return {int(i): str(n) for i, n in rows}


def _label_filter(selection: Selection) -> list[Any]:
    conds: list[Any] = []
    if selection.labelled_only:
        conds.append(StanceAnnotation.stance.is_not(None))  # type: ignore[union-attr]
    if selection.annotator_ids is not None:
        conds.append(StanceAnnotation.annotator_id.in_(sorted(selection.annotator_ids)))  # type: ignore[attr-defined]
    if selection.targets is not None:
        conds.append(StanceAnnotation.target.in_(sorted(selection.targets)))  # type: ignore[attr-defined]
    if selection.done_only:
        # A label counts only once its annotator has finished the article.
        conds.append(
            exists().where(
                and_(
                    ArticleDone.article_id == StanceAnnotation.article_id,
                    ArticleDone.annotator_id == StanceAnnotation.annotator_id,
                )
            )
        )
    return conds


def _done_filter(selection: Selection) -> list[Any]:
    conds: list[Any] = []
    if selection.annotator_ids is not None:
        conds.append(ArticleDone.annotator_id.in_(sorted(selection.annotator_ids)))  # type: ignore[attr-defined]
    return conds


def article_ids(project: Project, selection: Selection) -> list[int]:
    """Ids of the articles to export, in import order."""
    stmt = select(Article.id).order_by(Article.id)
    if selection.labelled_only:
        stmt = stmt.where(
            exists().where(StanceAnnotation.article_id == Article.id, *_label_filter(selection))
        )
    if selection.done_only:
        stmt = stmt.where(
            exists().where(ArticleDone.article_id == Article.id, *_done_filter(selection))
        )
    with project.engine.connect() as conn:
        return [int(i) for (i,) in fetch_rows(conn, stmt)]


def _load_batch(
    conn: Connection, ids: Sequence[int], selection: Selection, *, mentions: bool
) -> list[ArticleData]:
    by_id: dict[int, ArticleData] = {}
    cols = (
        Article.id,
        Article.external_id,
        Article.title,
        Article.text,
        Article.source,
        Article.date,
        Article.url,
        Article.meta,
    )
    for row in fetch_rows(conn, select(*cols).where(Article.id.in_(ids))):  # type: ignore[union-attr]
        meta = row[7]
        if isinstance(meta, str):  # SQLite hands JSON over as text, PostgreSQL parsed
            meta = json.loads(meta)
        by_id[row[0]] = ArticleData(*row[:7], meta=dict(meta or {}), mentions=[])
    if mentions:
        stmt = (
            select(
                Mention.article_id,
                Mention.id,
                Mention.start,
                Mention.end,
                Mention.label,
                Mention.actor_id,
                Actor.name,
                Mention.source,
            )
            .join(Actor, Mention.actor_id == Actor.id, isouter=True)  # type: ignore[arg-type]
            .where(Mention.article_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(Mention.article_id, Mention.start, Mention.end)  # type: ignore[arg-type]
        )
        for aid, *rest in fetch_rows(conn, stmt):
            by_id[aid].mentions.append(MentionView(*rest))  # type: ignore[attr-defined]
    # Labels and their evidence in one query (a label without evidence is one row with
    # NULLs), actor names from a dict: both cheaper than a second query and a join per row.
    actors = dict(fetch_rows(conn, select(Actor.id, Actor.name)))
    stmt = (
        select(
            StanceAnnotation.id,
            StanceAnnotation.article_id,
            StanceAnnotation.actor_id,
            StanceAnnotation.target,
            StanceAnnotation.annotator_id,
            StanceAnnotation.stance,
            StanceAnnotation.note,
            Evidence.start,
            Evidence.end,
        )
        .join(Evidence, Evidence.annotation_id == StanceAnnotation.id, isouter=True)  # type: ignore[arg-type]
        .where(StanceAnnotation.article_id.in_(ids), *_label_filter(selection))  # type: ignore[attr-defined]
        .order_by(StanceAnnotation.article_id, StanceAnnotation.id, Evidence.start, Evidence.end)  # type: ignore[arg-type]
    )
    last_id, label = None, None
    for lid, aid, actor_id, target, annotator_id, stance, note, a, b in fetch_rows(conn, stmt):
        if lid != last_id:
            name = actors.get(actor_id)
            if name is None:  # an actor added since the names were read
                actors = dict(fetch_rows(conn, select(Actor.id, Actor.name)))
                name = actors[actor_id]
            label = LabelRow(actor_id, name, target, annotator_id, stance, note)
            by_id[aid].labels.append(label)
            last_id = lid
        if a is not None:
            label.evidence.append((a, b))  # type: ignore[union-attr]
    done = select(ArticleDone.article_id, ArticleDone.annotator_id).where(
        ArticleDone.article_id.in_(ids),  # type: ignore[attr-defined]
        *_done_filter(selection),
    )
    for aid, annotator_id in fetch_rows(conn, done.order_by(ArticleDone.annotator_id)):  # type: ignore[arg-type]
        by_id[aid].done_by.append(annotator_id)
    return [by_id[i] for i in ids if i in by_id]


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
