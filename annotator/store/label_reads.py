"""The one way labels are read: one query with filters, one label type.

Every reader of labels (the window, agreement, curation, pre-merge, export, networks, merge,
packages, progress, the article list and `info`) asks `read_labels` or one of the counts
below, so which labels count is decided here once: the people's or the gold standard's,
only where the annotator marked the article done, only in curated articles, one target...
Outside store/ (and the team-mode SQL in server/) no module names the label table
(tests/test_architecture.py checks it).

Reads are plain Core queries whose rows come back as the driver's tuples (store/bulk.py):
a label and its evidence are one row each in one query, names come from small dicts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session

from annotator.store.annotators import GOLD_KIND
from annotator.store.bulk import fetch_rows
from annotator.store.engine import Project
from annotator.store.gold import CURATED, Provenance, provenances
from annotator.store.labels import CellKey, CellState
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    ArticleDone,
    Curation,
    Evidence,
    StanceAnnotation,
    sa_table,
)

PEOPLE = "people"  # every annotator but the gold standard
GOLD = "gold"  # the curated gold standard's labels only
EVERYONE = "everyone"
WHO = (PEOPLE, GOLD, EVERYONE)

_LAB = sa_table(StanceAnnotation)
_EV = sa_table(Evidence)
_DONE = sa_table(ArticleDone)
_ANN = sa_table(Annotator)
_CUR = sa_table(Curation)


@dataclass(frozen=True, slots=True)
class Label:
    """One annotator's stored label for one (article, actor, target) cell."""

    row_id: int
    article_id: int
    actor_id: int
    target: str
    annotator_id: int
    state: CellState
    created_at: datetime | None = None
    updated_at: datetime | None = None
    actor: str = ""  # names, when read with names=True
    annotator: str = ""
    origin: Provenance | None = None  # a gold label's provenance, when read with origins=True

    @property
    def key(self) -> CellKey:
        return CellKey(self.article_id, self.actor_id, self.target)

    @property
    def stance(self) -> str | None:
        return self.state.stance

    @property
    def evidence(self) -> tuple[tuple[int, int], ...]:
        return self.state.evidence

    @property
    def note(self) -> str | None:
        return self.state.note


@dataclass(frozen=True)
class LabelFilter:
    """Which labels to read; None means no restriction.

    `who`: PEOPLE (default), GOLD or EVERYONE; `annotators` narrows to these ids.
    `done_only`: only labels of annotators who marked their article done (judgements, not
    work in progress). `curated_only`: only in articles whose curation is final.
    `with_stance`: only labels that hold a stance (not only evidence or a note).
    """

    articles: Collection[int] | None = None
    annotators: Collection[int] | None = None
    actors: Collection[int] | None = None
    who: str = PEOPLE
    targets: Collection[str] | None = None
    with_stance: bool = False
    done_only: bool = False
    curated_only: bool = False

    def __post_init__(self) -> None:
        if self.who not in WHO:
            raise ValueError(f"who must be one of {WHO}, not {self.who!r}")


def gold_ids() -> Select[Any]:
    """The gold annotator's id as a subquery (no extra round trip)."""
    return select(_ANN.c.id).where(_ANN.c.kind == GOLD_KIND)


def curated_ids() -> Select[Any]:
    return select(_CUR.c.article_id).where(_CUR.c.state == CURATED)


def done_exists(article: Any, annotator: Any) -> ColumnElement[bool]:
    """EXISTS: `annotator` marked `article` done."""
    return exists().where(_DONE.c.article_id == article, _DONE.c.annotator_id == annotator)


def label_conditions(flt: LabelFilter) -> list[ColumnElement[bool]]:
    """The WHERE clause of the label table for `flt`."""
    lab = _LAB.c
    conds: list[ColumnElement[bool]] = []
    if flt.who == PEOPLE:
        conds.append(lab.annotator_id.not_in(gold_ids()))
    elif flt.who == GOLD:
        conds.append(lab.annotator_id.in_(gold_ids()))
    if flt.annotators is not None:
        conds.append(lab.annotator_id.in_(sorted(flt.annotators)))
    if flt.articles is not None:
        conds.append(lab.article_id.in_(sorted(flt.articles)))
    if flt.actors is not None:
        conds.append(lab.actor_id.in_(sorted(flt.actors)))
    if flt.targets is not None:
        conds.append(lab.target.in_(sorted(flt.targets)))
    if flt.with_stance:
        conds.append(lab.stance.is_not(None))
    if flt.done_only:
        conds.append(done_exists(lab.article_id, lab.annotator_id))
    if flt.curated_only:
        conds.append(lab.article_id.in_(curated_ids()))
    return conds


Source = Project | Connection | Session


@contextmanager
def connected(source: Source) -> Iterator[Connection]:
    """A connection for `source`: a project's own short read, or the caller's transaction."""
    if isinstance(source, Project):
        with source.engine.connect() as conn:
            yield conn
    elif isinstance(source, Session):
        yield source.connection()
    else:
        yield source


def read_labels(
    source: Source,
    flt: LabelFilter = LabelFilter(),
    *,
    evidence: bool = True,
    names: bool = False,
    times: bool = False,
    origins: bool = False,
) -> list[Label]:
    """The labels `flt` selects, ordered by article and row: with their evidence spans
    (sorted) unless `evidence` is False, actor and annotator names with `names`,
    created_at/updated_at with `times`, and gold labels' provenance with `origins`."""
    lab, ev = _LAB.c, _EV.c
    cols = [lab.id, lab.article_id, lab.actor_id, lab.target, lab.annotator_id, lab.stance,
            lab.note, lab.created_at, lab.updated_at]  # fmt: skip
    if evidence:
        stmt = (
            select(*cols, ev.start, ev.end)
            .select_from(_LAB.outerjoin(_EV, ev.annotation_id == lab.id))
            .order_by(lab.article_id, lab.id, ev.start, ev.end)
        )
    else:
        stmt = select(*cols).order_by(lab.article_id, lab.id)
    stmt = stmt.where(*label_conditions(flt))
    actors: dict[int, str] = {}
    people: dict[int, str] = {}
    rows: list[list[Any]] = []
    provenance: dict[tuple[int, int, str], Provenance] = {}
    with connected(source) as conn:
        if origins:
            provenance = provenances(conn, flt.articles)
        if names:
            actor = sa_table(Actor).c
            actors = dict(fetch_rows(conn, select(actor.id, actor.name)))
            people = dict(fetch_rows(conn, select(_ANN.c.id, _ANN.c.name)))
        # Typed rows only when times are asked for (SQLite hands datetimes over as text);
        # the driver's plain tuples are several times faster for the rest.
        found = conn.execute(stmt) if times else fetch_rows(conn, stmt)
        last = None
        for row in found:
            if row[0] != last:
                last = row[0]
                rows.append([*row[:9], []])
            if evidence and row[9] is not None:
                rows[-1][9].append((row[9], row[10]))
    return [
        Label(
            lid,
            article,
            actor,
            target,
            who,
            CellState(stance, tuple(spans), note),
            created if times else None,
            updated if times else None,
            actors.get(actor, ""),
            people.get(who, ""),
            provenance.get((article, actor, target)),
        )  # fmt: skip
        for lid, article, actor, target, who, stance, note, created, updated, spans in rows
    ]


def read_cells(source: Source, flt: LabelFilter) -> list[tuple[Any, ...]]:
    """(row id, article, actor, target, annotator, stance) of the labels `flt` selects,
    ordered by article, actor and target: the cheap read for counting units and building
    code matrices (no evidence, no notes)."""
    lab = _LAB.c
    stmt = (
        select(lab.id, lab.article_id, lab.actor_id, lab.target, lab.annotator_id, lab.stance)
        .where(*label_conditions(flt))
        .order_by(lab.article_id, lab.actor_id, lab.target)
    )
    with connected(source) as conn:
        return fetch_rows(conn, stmt)


def done_marked(article: Any, annotators: Collection[int] | None = None) -> ColumnElement[bool]:
    """EXISTS: a person (one of `annotators`, if given) marked the article (a column) done."""
    conds = [_DONE.c.article_id == article, _DONE.c.annotator_id.not_in(gold_ids())]
    if annotators is not None:
        conds.append(_DONE.c.annotator_id.in_(sorted(annotators)))
    return exists().where(*conds)


def done_marks(
    source: Source,
    articles: Collection[int] | None = None,
    annotators: Collection[int] | None = None,
) -> list[tuple[int, int]]:
    """(article, annotator) of the people's done marks (of `annotators`, in `articles`, if
    given), ordered by annotator."""
    d = _DONE.c
    stmt = select(d.article_id, d.annotator_id).where(d.annotator_id.not_in(gold_ids()))
    if articles is not None:
        stmt = stmt.where(d.article_id.in_(sorted(articles)))
    if annotators is not None:
        stmt = stmt.where(d.annotator_id.in_(sorted(annotators)))
    with connected(source) as conn:
        return [(int(a), int(b)) for a, b in fetch_rows(conn, stmt.order_by(d.annotator_id))]


def label_texts(
    source: Source, label_ids: Collection[int]
) -> tuple[dict[int, list[str]], dict[int, str]]:
    """(evidence texts, note) of the given labels by row id, the texts cut from the
    articles by the database (the disagreement list shows thousands of them)."""
    wanted = set(label_ids)
    lab, ev, art = _LAB.c, _EV.c, sa_table(Article).c
    # substr counts characters like Python str indices do (1-based in SQL). Whole-table
    # reads filtered here: cheaper than thousands of IN (...) lists; both are sparse.
    text = func.substr(art.text, ev.start + 1, ev.end - ev.start)
    stmt = (
        select(ev.annotation_id, text)
        .join_from(_EV, _LAB)
        .join(sa_table(Article))
        .order_by(ev.annotation_id, ev.start)
    )
    evidence: dict[int, list[str]] = {}
    notes: dict[int, str] = {}
    with connected(source) as conn:
        for label_id, snippet in conn.execute(stmt):
            if label_id in wanted:
                evidence.setdefault(label_id, []).append(snippet or "")
        for label_id, note in conn.execute(select(lab.id, lab.note).where(lab.note.is_not(None))):
            if label_id in wanted:
                notes[label_id] = note
    return evidence, notes


def done_counts(source: Source) -> dict[int, int]:
    """How many articles each annotator marked done, by annotator id."""
    d = _DONE.c
    stmt = select(d.annotator_id, func.count()).group_by(d.annotator_id)
    with connected(source) as conn:
        return {int(a): int(n) for a, n in fetch_rows(conn, stmt)}


def labelled(flt: LabelFilter, article: Any) -> ColumnElement[bool]:
    """EXISTS: the article (a column) holds a label that `flt` selects."""
    return exists().where(_LAB.c.article_id == article, *label_conditions(flt))


def count_labels(source: Source, flt: LabelFilter) -> int:
    """How many labels `flt` selects."""
    stmt = select(func.count()).select_from(_LAB).where(*label_conditions(flt))
    with connected(source) as conn:
        return int(conn.execute(stmt).scalar_one())


def count_labels_by(source: Source, flt: LabelFilter, by: str) -> dict[int, int]:
    """How many labels `flt` selects per "article" or per "annotator"."""
    column = {"article": _LAB.c.article_id, "annotator": _LAB.c.annotator_id}[by]
    grouped = select(column, func.count()).where(*label_conditions(flt)).group_by(column)
    with connected(source) as conn:
        return {int(k): int(n) for k, n in fetch_rows(conn, grouped)}


def started(source: Source, flt: LabelFilter) -> set[tuple[int, int]]:
    """(article, annotator) pairs where `flt` selects at least one label."""
    lab = _LAB.c
    stmt = select(lab.article_id, lab.annotator_id).where(*label_conditions(flt)).distinct()
    with connected(source) as conn:
        return {(int(a), int(b)) for a, b in fetch_rows(conn, stmt)}


def labelled_actors() -> Select[Any]:
    """Actors that carry at least one label (anybody's), as a subquery."""
    return select(_LAB.c.actor_id)


def label_times(
    source: Source, since: datetime, *, with_stance: bool = False
) -> list[tuple[int, datetime, datetime]]:
    """(annotator, created_at, updated_at) of the people's labels made or changed since
    `since` (progress and pace: assignments/progress.py)."""
    lab = _LAB.c
    conds = [*label_conditions(LabelFilter(with_stance=with_stance))]
    stmt = select(lab.annotator_id, lab.created_at, lab.updated_at).where(
        and_(*conds), (lab.created_at >= since) | (lab.updated_at >= since)
    )
    with connected(source) as conn:
        return [(int(a), c, u) for a, c, u in conn.execute(stmt)]


def labels_for_article(
    source: Source,
    article_id: int,
    annotator_id: int | None = None,
    *,
    include_gold: bool = False,
) -> list[Label]:
    """Labels in one article with names: one annotator's (blind view) or everybody's (lead
    view); the gold standard's only when asked for (by `include_gold` or its id)."""
    who = PEOPLE if annotator_id is None and not include_gold else EVERYONE
    annotators: Sequence[int] | None = None if annotator_id is None else (annotator_id,)
    flt = LabelFilter(articles=(article_id,), annotators=annotators, who=who)
    return read_labels(source, flt, names=True, times=True)
