"""Reading articles and their mentions as plain objects; the article list for the GUI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import and_, exists, func, literal, or_
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from annotator.errors import ConflictError
from annotator.store.curation_lists import coders_per_article, curation_condition
from annotator.store.engine import Project
from annotator.store.models import (
    Actor,
    Article,
    ArticleDone,
    Assignment,
    Mention,
    StanceAnnotation,
    sa_table,
)

STATUS_NOT_STARTED = "not started"
STATUS_IN_PROGRESS = "in progress"
STATUS_DONE = "done"
STATUSES = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE)


@dataclass(frozen=True)
class ArticleRow:
    id: int
    external_id: str
    title: str
    source: str | None
    date: str | None
    status: str
    # With `assigned_to`: whether the article is in that annotator's queue (None: not asked).
    assigned: bool | None = None


@dataclass(frozen=True, slots=True)
class MentionView:
    id: int
    start: int
    end: int
    label: str
    actor_id: int | None
    actor: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One article as every reader sees it (the window, the exports); the export's
    ArticleData adds the labels and done marks it selected."""

    id: int
    external_id: str
    title: str
    text: str
    source: str | None
    date: str | None
    url: str | None
    meta: dict[str, Any]
    mentions: Sequence[MentionView] = ()
    # Stored at import (Article.segments); empty for an article whose segments are not
    # computed yet (a project from an older version, before fill_segments ran).
    sentences: Sequence[tuple[int, int]] = ()
    boilerplate: Sequence[tuple[int, int, str]] = ()


def _status_columns(annotator_id: int | None):
    if annotator_id is None:
        return literal(False), literal(False)
    done = exists().where(
        and_(
            col(ArticleDone.article_id) == Article.id,
            col(ArticleDone.annotator_id) == annotator_id,
        )
    )
    started = exists().where(
        and_(
            col(StanceAnnotation.article_id) == Article.id,
            col(StanceAnnotation.annotator_id) == annotator_id,
        )
    )
    return done, started


def _filtered(stmt, annotator_id: int | None, search: str, status: str | None):
    if search:
        like = f"%{search}%"
        stmt = stmt.where(
            or_(
                col(Article.title).ilike(like),
                col(Article.external_id).ilike(like),
                col(Article.source).ilike(like),
            )
        )
    if status:
        done, started = _status_columns(annotator_id)
        if status == STATUS_DONE:
            stmt = stmt.where(done)
        elif status == STATUS_IN_PROGRESS:
            stmt = stmt.where(~done, started)
        elif status == STATUS_NOT_STARTED:
            stmt = stmt.where(~done, ~started)
    return stmt


def _curation_filtered(project: Project, stmt, curation: str | None):
    """Only articles in the curation state `curation` (waiting, ready, in_curation, curated)."""
    if not curation:
        return stmt
    return stmt.where(curation_condition(curation, coders_per_article(project)))


def _queued(stmt, assigned_to: int | None, others: bool):
    """The articles in `assigned_to`'s queue (store/assignments.py): only those, or with
    `others` all articles, the queue first. Order them with `_queue_order`."""
    if assigned_to is None:
        return stmt
    a = sa_table(Assignment).c
    stmt = stmt.outerjoin(
        sa_table(Assignment), and_(a.article_id == Article.id, a.annotator_id == assigned_to)
    )
    return stmt if others else stmt.where(a.id.is_not(None))


def _queue_order(assigned_to: int | None) -> tuple:
    """The queue in the plan's order (by position), then the articles outside it."""
    if assigned_to is None:
        return ()
    a = sa_table(Assignment).c
    return (a.id.is_(None), a.position)


def count_articles(
    project: Project,
    annotator_id: int | None = None,
    *,
    search: str = "",
    status: str | None = None,
    curation: str | None = None,
    assigned_to: int | None = None,
    others: bool = False,
) -> int:
    stmt = _filtered(select(func.count(col(Article.id))), annotator_id, search, status)
    stmt = _queued(stmt, assigned_to, others)
    stmt = _curation_filtered(project, stmt, curation)
    with project.session() as s:
        return int(s.exec(stmt).one())


def count_without_segments(project: Project) -> int:
    """Articles whose sentences and boilerplate are not stored yet (from an older version)."""
    stmt = select(func.count(col(Article.id))).where(col(Article.segments).is_(None))
    with project.session() as s:
        return int(s.exec(stmt).one())


def article_rows(
    project: Project,
    annotator_id: int | None,
    offset: int,
    limit: int,
    *,
    search: str = "",
    status: str | None = None,
    curation: str | None = None,
    assigned_to: int | None = None,
    others: bool = False,
) -> list[ArticleRow]:
    """One page of the article list, in import order, with this annotator's status.
    `curation` keeps the articles in one curation state (store.curation_lists.LIST_STATES); their
    badges come from annotator.curation.states.article_states, a page at a time.
    `assigned_to`: only that annotator's queue, in its order; with `others` the rest
    follows, with `ArticleRow.assigned` False."""
    done, started = _status_columns(annotator_id)
    # SQLAlchemy's select: SQLModel's is typed for at most four columns.
    stmt = sa_select(
        col(Article.id),
        col(Article.external_id),
        col(Article.title),
        col(Article.source),
        col(Article.date),
        done.label("done"),
        started.label("started"),
    )
    stmt = _filtered(stmt, annotator_id, search, status)
    stmt = _curation_filtered(project, stmt, curation)
    if assigned_to is not None:
        stmt = _queued(stmt, assigned_to, others).add_columns(
            sa_table(Assignment).c.id.is_not(None).label("assigned")
        )
    stmt = stmt.order_by(*_queue_order(assigned_to), Article.id).offset(offset).limit(limit)
    with project.session() as s:
        rows = s.exec(stmt).all()
    return [
        ArticleRow(
            id=r[0],
            external_id=r[1],
            title=r[2],
            source=r[3],
            date=r[4],
            status=STATUS_DONE if r[5] else STATUS_IN_PROGRESS if r[6] else STATUS_NOT_STARTED,
            assigned=bool(r[7]) if assigned_to is not None else None,
        )
        for r in rows
    ]


def article_ids(
    project: Project,
    annotator_id: int | None = None,
    *,
    search: str = "",
    status: str | None = None,
    curation: str | None = None,
    assigned_to: int | None = None,
    others: bool = False,
) -> list[int]:
    """Ids in the order of `article_rows` with the same filters."""
    stmt = _filtered(select(Article.id), annotator_id, search, status)
    stmt = _queued(stmt, assigned_to, others).order_by(*_queue_order(assigned_to), Article.id)
    stmt = _curation_filtered(project, stmt, curation)
    with project.session() as s:
        return list(s.exec(stmt).all())


def mentions_of(project: Project, article_id: int) -> tuple[MentionView, ...]:
    # Plain rows, not ORM objects: a 200 KB article has thousands of mentions, and building
    # an ORM object per row took most of the time an article switch spends reading.
    m, a = sa_table(Mention).c, sa_table(Actor).c
    stmt = (
        sa_select(m.id, m.start, m.end, m.label, m.actor_id, a.name, m.source)
        .select_from(sa_table(Mention).outerjoin(sa_table(Actor), m.actor_id == a.id))
        .where(m.article_id == article_id)
        .order_by(m.start)
    )
    with project.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    # A mention an annotator marked by hand wins over automatic ones it overlaps. A project
    # file deletes those when marking; on a server they stay (annotators may not delete
    # shared data), so reading hides them the same way.
    manual = [(r.start, r.end) for r in rows if r.source == "manual"]
    if manual:
        rows = [
            r
            for r in rows
            if r.source == "manual" or not any(x < r.end and r.start < y for x, y in manual)
        ]
    return tuple(MentionView(*r) for r in rows)


def stored_segments(
    segments: Any, length: int
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int, str], ...]]:
    """(sentences, boilerplate) of an Article.segments value; empty for NULL.

    A merge copies segments from other project files as they are, so anything that is not
    a span inside the text is dropped here rather than trusted by the window."""
    if isinstance(segments, str):  # SQLite hands JSON over as text where read as a column
        segments = json.loads(segments)
    if not isinstance(segments, dict):
        return (), ()
    sentences = _sentence_spans(segments.get("sentences"), length)
    boilerplate = tuple(_spans(segments.get("boilerplate"), length, kind=True))
    return sentences, boilerplate


def _sentence_spans(value: Any, length: int) -> tuple[tuple[int, int], ...]:
    # Every article switch reads them (thousands in a 200 KB article): checked in one
    # pass where all are well formed, item by item only where some are not.
    try:
        pairs = tuple((a, b) for a, b in value)
        if all(type(a) is int and type(b) is int and 0 <= a < b <= length for a, b in pairs):
            return pairs
    except (TypeError, ValueError):
        pass
    return tuple((a, b) for a, b, _ in _spans(value, length, kind=False))


def _spans(value: Any, length: int, *, kind: bool) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for item in value if isinstance(value, list) else ():
        if not isinstance(item, list) or len(item) != (3 if kind else 2):
            continue
        a, b = item[0], item[1]
        if type(a) is int and type(b) is int and 0 <= a < b <= length:
            out.append((a, b, str(item[2]) if kind else ""))
    return out


def load_article(project: Project, article_id: int) -> ArticleView:
    with project.session() as s:
        a = s.get(Article, article_id)
        if a is None:
            raise ConflictError(
                f"article {article_id} is no longer in the project (removed by another "
                "program or user meanwhile?)"
            )
    sentences, boilerplate = stored_segments(a.segments, len(a.text))
    return ArticleView(
        id=a.id,  # type: ignore[arg-type]
        external_id=a.external_id,
        title=a.title,
        text=a.text,
        source=a.source,
        date=a.date,
        url=a.url,
        meta=dict(a.meta or {}),
        mentions=mentions_of(project, article_id),
        sentences=sentences,
        boilerplate=boilerplate,
    )


def article_titles(project: Project) -> list[tuple[int, str, str]]:
    """(id, external id, title) of every article, in import order."""
    art = sa_table(Article).c
    with project.engine.connect() as conn:
        stmt = sa_select(art.id, art.external_id, art.title).order_by(art.id)
        return [(int(a), str(e), str(t)) for a, e, t in conn.execute(stmt)]


def article_id_by_external(project: Project, external_id: str) -> int | None:
    with project.session() as s:
        return s.exec(select(Article.id).where(Article.external_id == external_id)).first()


def count_done(project: Project, annotator_id: int) -> int:
    with project.session() as s:
        stmt = (
            select(func.count())
            .select_from(ArticleDone)
            .where(ArticleDone.annotator_id == annotator_id)
        )
        return int(s.exec(stmt).one())


def ids_containing(project: Project, needle: str) -> list[int]:
    """Articles whose text contains `needle` (to re-highlight only those after a new alias)."""
    if not needle:
        return []
    stmt = (
        select(Article.id)
        .where(col(Article.text).contains(needle, autoescape=True))
        .order_by(col(Article.id))
    )
    with project.session() as s:
        return list(cast(Sequence[int], s.exec(stmt).all()))  # ids: never NULL
