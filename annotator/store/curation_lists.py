"""Where articles stand in curation, as the lists and counts ask it: how many coders make
an article ready, the list states (waiting, ready, in curation, curated) as SQL conditions,
and the curated articles. The states themselves are written by store/gold.py."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, func
from sqlalchemy import select as sa_select
from sqlmodel import col

from annotator.errors import InputError
from annotator.store.annotators import GOLD_KIND
from annotator.store.engine import Project
from annotator.store.gold import CURATED, CURATION_STATES, IN_CURATION
from annotator.store.models import Annotator, Article, ArticleDone, Curation, ProjectInfo, sa_table

CODERS_KEY = "coders_per_article"  # ProjectInfo key
DEFAULT_CODERS = 2
MAX_CODERS = 1000


# ------------------------------------------------------------------ coders per article


def coders_per_article(project: Project) -> int:
    """How many annotators must mark an article done before it is ready for curation."""
    value = project.info(CODERS_KEY)
    try:
        return max(1, int(value)) if value is not None else DEFAULT_CODERS
    except ValueError:
        return DEFAULT_CODERS


def set_coders_per_article(project: Project, n: int) -> None:
    if not 1 <= n <= MAX_CODERS:
        raise InputError(f"the number of coders per article must be 1 to {MAX_CODERS}, not {n}")
    with project.write() as s:
        row = s.get(ProjectInfo, CODERS_KEY)
        if row is None:
            s.add(ProjectInfo(key=CODERS_KEY, value=str(n)))
        else:
            row.value = str(n)
            s.add(row)


# ------------------------------------------------------------------ SQL for lists

WAITING = "waiting"  # fewer than N annotators done, no curation started
READY = "ready"  # N or more done, no curation started
LIST_STATES = (WAITING, READY, IN_CURATION, CURATED)


def done_count(article_id: Any) -> Any:
    """Scalar subquery: how many people marked the article done (never the gold annotator)."""
    done, ann = sa_table(ArticleDone).c, sa_table(Annotator).c
    return (
        sa_select(func.count())
        .select_from(sa_table(ArticleDone).join(sa_table(Annotator), ann.id == done.annotator_id))
        .where(done.article_id == article_id, ann.kind != GOLD_KIND)
        .scalar_subquery()
    )


def curation_condition(state: str, required: int, article_id: Any = None) -> ColumnElement[bool]:
    """A WHERE condition on articles: in the list state `state` (LIST_STATES) when
    `required` annotators make an article ready."""
    article_id = col(Article.id) if article_id is None else article_id
    cur = sa_table(Curation).c
    if state in CURATION_STATES:
        return exists().where(cur.article_id == article_id, cur.state == state)
    if state not in LIST_STATES:
        raise InputError(f"unknown curation state {state!r} (choose {', '.join(LIST_STATES)})")
    started = exists().where(cur.article_id == article_id)
    enough = done_count(article_id) >= required
    return and_(~started, enough if state == READY else ~enough)


def curated_article_ids(
    source: Project | Connection, among: Collection[int] | None = None
) -> list[int]:
    """Curated articles (of `among` only, when given: the window asks for one)."""
    cur = sa_table(Curation).c
    stmt = sa_select(cur.article_id).where(cur.state == CURATED).order_by(cur.article_id)
    if among is not None:
        stmt = stmt.where(cur.article_id.in_(sorted(among)))
    if isinstance(source, Connection):
        return [int(i) for (i,) in source.execute(stmt)]
    with source.engine.connect() as conn:
        return [int(i) for (i,) in conn.execute(stmt)]
