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
from sqlmodel import col

from annotator.store.articles import ArticleView, MentionView
from annotator.store.bulk import fetch_rows
from annotator.store.engine import Project
from annotator.store.gold import CURATED, Provenance
from annotator.store.labels import GOLD_KIND
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    ArticleDone,
    Curation,
    Evidence,
    GoldOrigin,
    Mention,
    StanceAnnotation,
    sa_table,
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
    gold_origin: Provenance | None = None  # a gold label's provenance (Selection.gold)


@dataclass(frozen=True, slots=True)
class ArticleData(ArticleView):
    """An article with the labels and done marks an export selected (lists filled in
    place while a batch is read)."""

    labels: list[LabelRow] = field(default_factory=list)
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


def _gold_ids() -> Any:
    """The gold annotator's id (a subquery: no extra round trip)."""
    return select(col(Annotator.id)).where(col(Annotator.kind) == GOLD_KIND)


def _label_filter(selection: Selection) -> list[Any]:
    conds: list[Any] = []
    if selection.labelled_only:
        conds.append(col(StanceAnnotation.stance).is_not(None))
    if selection.gold:
        conds.append(col(StanceAnnotation.annotator_id).in_(_gold_ids()))
    elif selection.annotator_ids is None:
        conds.append(col(StanceAnnotation.annotator_id).not_in(_gold_ids()))
    if selection.annotator_ids is not None and not selection.gold:
        conds.append(col(StanceAnnotation.annotator_id).in_(sorted(selection.annotator_ids)))
    if selection.targets is not None:
        conds.append(col(StanceAnnotation.target).in_(sorted(selection.targets)))
    if selection.done_only and not selection.gold:
        # A label counts only once its annotator has finished the article.
        conds.append(
            exists().where(
                and_(
                    col(ArticleDone.article_id) == StanceAnnotation.article_id,
                    col(ArticleDone.annotator_id) == StanceAnnotation.annotator_id,
                )
            )
        )
    return conds


def _done_filter(selection: Selection) -> list[Any]:
    conds: list[Any] = [col(ArticleDone.annotator_id).not_in(_gold_ids())]
    if selection.annotator_ids is not None and not selection.gold:
        conds.append(col(ArticleDone.annotator_id).in_(sorted(selection.annotator_ids)))
    return conds


def article_ids(project: Project, selection: Selection) -> list[int]:
    """Ids of the articles to export, in import order."""
    stmt = select(col(Article.id)).order_by(col(Article.id))
    if selection.labelled_only:
        stmt = stmt.where(
            exists().where(
                col(StanceAnnotation.article_id) == Article.id, *_label_filter(selection)
            )
        )
    if selection.done_only and not selection.gold:
        stmt = stmt.where(
            exists().where(col(ArticleDone.article_id) == Article.id, *_done_filter(selection))
        )
    if selection.gold:  # gold is final only in curated articles
        stmt = stmt.where(
            exists().where(col(Curation.article_id) == Article.id, col(Curation.state) == CURATED)
        )
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
    )
    for row in fetch_rows(conn, select(*cols).where(col(Article.id).in_(ids))):
        aid, external_id, title, text, source, date, url, meta = row
        if isinstance(meta, str):  # SQLite hands JSON over as text, PostgreSQL parsed
            meta = json.loads(meta)
        by_id[aid] = ArticleData(
            aid, external_id, title, text, source, date, url, meta=dict(meta or {}), mentions=[]
        )
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
    # Labels and their evidence in one query (a label without evidence is one row with
    # NULLs), actor names from a dict: both cheaper than a second query and a join per row.
    actors: dict[int, str] = dict(fetch_rows(conn, select(col(Actor.id), col(Actor.name))))
    stmt = (
        select(
            col(StanceAnnotation.id),
            col(StanceAnnotation.article_id),
            col(StanceAnnotation.actor_id),
            col(StanceAnnotation.target),
            col(StanceAnnotation.annotator_id),
            col(StanceAnnotation.stance),
            col(StanceAnnotation.note),
            col(Evidence.start),
            col(Evidence.end),
        )
        .join(Evidence, col(Evidence.annotation_id) == StanceAnnotation.id, isouter=True)
        .where(col(StanceAnnotation.article_id).in_(ids), *_label_filter(selection))
        .order_by(
            col(StanceAnnotation.article_id),
            col(StanceAnnotation.id),
            col(Evidence.start),
            col(Evidence.end),
        )
    )
    last_id, label = None, None
    for lid, aid, actor_id, target, annotator_id, stance, note, a, b in fetch_rows(conn, stmt):
        if lid != last_id:
            name = actors.get(actor_id)
            if name is None:  # an actor added since the names were read
                actors = dict(fetch_rows(conn, select(col(Actor.id), col(Actor.name))))
                name = actors[actor_id]
            label = LabelRow(actor_id, name, target, annotator_id, stance, note)
            by_id[aid].labels.append(label)
            last_id = lid
        if a is not None:
            label.evidence.append((a, b))  # type: ignore[union-attr]
    if selection.gold:
        _attach_origins(conn, ids, by_id)
    done = select(col(ArticleDone.article_id), col(ArticleDone.annotator_id)).where(
        col(ArticleDone.article_id).in_(ids),
        *_done_filter(selection),
    )
    for aid, annotator_id in fetch_rows(conn, done.order_by(col(ArticleDone.annotator_id))):
        by_id[aid].done_by.append(annotator_id)
    return [by_id[i] for i in ids if i in by_id]


def _attach_origins(conn: Connection, ids: Sequence[int], by_id: dict[int, ArticleData]) -> None:
    g = sa_table(GoldOrigin).c
    origins = {
        (r.article_id, r.actor_id, r.target): Provenance(
            r.origin, r.source_annotator_id, r.strategy, r.curator_id, r.at
        )
        for r in conn.execute(select(sa_table(GoldOrigin)).where(g.article_id.in_(list(ids))))
    }
    for aid, article in by_id.items():
        for label in article.labels:
            label.gold_origin = origins.get((aid, label.actor_id, label.target))


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
