"""The gold standard in the store: the reserved gold annotator, where each gold label came
from (`GoldOrigin`), each article's curation state (`Curation`) and the number of coders an
article needs before it is ready for curation.

Gold labels are the gold annotator's labels, written by `labels.write_cell` like everybody's.
`write_gold` is the only writer of a gold label: the cell, its GoldOrigin row and one history
event whose before and after carry the provenance, all in the caller's transaction, so the
provenance can neither be forgotten nor disagree with the history, and undo
(annotator/curation/session.py) restores both.

A unit (article, actor, target) is *decided* when it has a GoldOrigin row or a gold label.
"No stance" is a decision too: a GoldOrigin row without a label (a gold label without a
GoldOrigin row comes only from outside curation, an import; its origin is unknown).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from annotator.errors import InputError, ProjectError
from annotator.store.annotators import GOLD_KIND, GOLD_NAME
from annotator.store.bulk import inserted_id
from annotator.store.dialects import Postgres
from annotator.store.engine import Project
from annotator.store.labels import (
    Action,
    CellKey,
    CellState,
    StoredCell,
    normalised,
    read_cell,
    write_cell,
)
from annotator.store.models import (
    Annotator,
    Curation,
    GoldOrigin,
    LabelEvent,
    sa_table,
    utcnow,
)

ORIGIN_ANNOTATOR = "annotator"  # the curator accepted an annotator's version
ORIGIN_STRATEGY = "strategy"  # a pre-merge strategy decided
ORIGIN_CURATOR = "curator"  # the curator decided (set or edited the gold label)
ORIGINS = (ORIGIN_ANNOTATOR, ORIGIN_STRATEGY, ORIGIN_CURATOR)

IN_CURATION = "in_curation"
CURATED = "curated"
CURATION_STATES = (IN_CURATION, CURATED)


# ------------------------------------------------------------------ the gold annotator


def gold_id(s: Session | Connection) -> int | None:
    """The gold annotator's id, or None while nothing was curated."""
    ann = sa_table(Annotator).c
    found = s.execute(sa_select(ann.id).where(ann.kind == GOLD_KIND)).scalar()
    return None if found is None else int(found)


def ensure_gold(s: Session) -> int:
    """The gold annotator's id, created in the caller's transaction when missing.

    Every transaction that writes gold starts here, and here it takes the gold lock: gold
    writes are serialised, so what a pre-merge reads after this is what it replaces (a
    curator's decision committed meanwhile is seen and kept). SQLite's single writer
    serialises them already; PostgreSQL needs the lock (store/dialects.py)."""
    if s.get_bind().dialect.name == "postgresql":
        Postgres.lock_gold(s)
    found = gold_id(s)
    if found is not None:
        return found
    holder = s.exec(select(Annotator.kind).where(Annotator.name == GOLD_NAME)).first()
    if holder is not None:
        raise ProjectError(
            f"this project has an annotator called {GOLD_NAME!r}, a name reserved for the "
            "curated gold standard: give them another name by merging the project into a new "
            f"one (annotator --db NEW.db merge THIS.db --rename {GOLD_NAME}={GOLD_NAME}-2) "
            "and curate there"
        )
    table = sa_table(Annotator)
    return int(
        inserted_id(
            s.execute(insert(table).values(name=GOLD_NAME, kind=GOLD_KIND, created_at=utcnow()))
        )
    )


def gold_annotator_id(project: Project, *, create: bool = False) -> int | None:
    """The gold annotator's id; with `create`, made on demand (its own short write)."""
    with project.session() as s:
        found = gold_id(s)
    if found is not None or not create:
        return found
    with project.write() as s:
        return ensure_gold(s)


# ------------------------------------------------------------------ provenance


@dataclass(frozen=True)
class Provenance:
    """Where a gold label came from (a GoldOrigin row as a value).

    `source_annotator_id`: the version accepted, or for a curator's own decision the
    version it was based on (None if none); `strategy`: the pre-merge strategy that
    decided (or that the curator's decision was based on); `curator_id`: who decided or
    ran the pre-merge.
    """

    origin: str
    source_annotator_id: int | None = None
    strategy: str | None = None
    curator_id: int | None = None
    at: datetime | None = None

    def same_decision(self, other: Provenance | None) -> bool:
        """The same decision whoever made it and when (a pre-merge run twice changes
        nothing)."""
        return other is not None and (self.origin, self.source_annotator_id, self.strategy) == (
            other.origin,
            other.source_annotator_id,
            other.strategy,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "annotator_id": self.source_annotator_id,
            "strategy": self.strategy,
            "curator_id": self.curator_id,
            "at": self.at.isoformat() if self.at else None,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any] | None) -> Provenance | None:
        if not data or data.get("origin") not in ORIGINS:
            return None
        at = data.get("at")
        return Provenance(
            origin=data["origin"],
            source_annotator_id=data.get("annotator_id"),
            strategy=data.get("strategy"),
            curator_id=data.get("curator_id"),
            at=datetime.fromisoformat(at) if isinstance(at, str) else None,
        )


def _same(a: Provenance | None, b: Provenance | None) -> bool:
    return (a is None and b is None) or (a is not None and a.same_decision(b))


def read_provenance(s: Session, key: CellKey) -> Provenance | None:
    row = s.get(GoldOrigin, (key.article_id, key.actor_id, key.target))
    if row is None:
        return None
    return Provenance(row.origin, row.source_annotator_id, row.strategy, row.curator_id, row.at)


@dataclass(frozen=True)
class GoldCell:
    """A unit's gold label as stored, with its provenance."""

    stored: StoredCell
    provenance: Provenance | None

    @property
    def state(self) -> CellState:
        return self.stored.state

    @property
    def decided(self) -> bool:
        return self.provenance is not None or not self.stored.state.is_empty


def read_gold(s: Session, gold: int, key: CellKey) -> GoldCell:
    return GoldCell(read_cell(s, gold, key), read_provenance(s, key))


def write_gold(
    s: Session,
    gold: int,
    key: CellKey,
    state: CellState,
    provenance: Provenance | None,
    action: Action,
    *,
    by: int | None,
    current: GoldCell | None = None,
    at: datetime | None = None,
    extra: Mapping[str, Any] | None = None,
) -> GoldCell | None:
    """Write a unit's gold label and its provenance, with one history event, in the
    caller's transaction. Returns the unit as it was, or None when nothing changed.

    `provenance` None makes the unit undecided again (and needs an empty `state`); `by` is
    who made the change (a curator's annotator id), recorded in the event for undo;
    `extra` adds keys to both sides of the event (an actor merge's id).
    """
    if provenance is None and not state.is_empty:
        raise InputError("a gold label needs its provenance (who or what decided it)")
    if provenance is not None and provenance.origin not in ORIGINS:
        raise InputError(f"unknown gold origin {provenance.origin!r}")
    before = current if current is not None else read_gold(s, gold, key)
    now = at or utcnow()
    if provenance is not None and provenance.at is None:
        provenance = replace(provenance, at=now)
    new_state = normalised(state)
    if new_state == before.state and _same(provenance, before.provenance):
        return None
    origin_before = before.provenance.as_json() if before.provenance else None
    origin_after = provenance.as_json() if provenance else None
    write_cell(
        s,
        gold,
        key,
        new_state,
        action,
        current=before.stored,
        at=now,
        extra=(
            {"origin": origin_before, **(extra or {})},
            {"origin": origin_after, "by": by, **(extra or {})},
        ),
    )
    table = sa_table(GoldOrigin)
    where = and_(
        table.c.article_id == key.article_id,
        table.c.actor_id == key.actor_id,
        table.c.target == key.target,
    )
    if provenance is None:
        s.execute(delete(table).where(where))
        return before
    values = {
        "origin": provenance.origin,
        "source_annotator_id": provenance.source_annotator_id,
        "strategy": provenance.strategy,
        "curator_id": provenance.curator_id,
        "at": provenance.at,
    }
    if before.provenance is None:
        s.execute(
            insert(table).values(
                article_id=key.article_id, actor_id=key.actor_id, target=key.target, **values
            )
        )
    else:
        s.execute(update(table).where(where).values(**values))
    return before


# ------------------------------------------------------------------ curation state


@dataclass(frozen=True)
class CurationMark:
    """An article's curation state as stored (state None: not started)."""

    state: str | None = None
    curator_id: int | None = None
    at: datetime | None = None


def read_curation(s: Session, article_id: int) -> CurationMark:
    row = s.get(Curation, article_id)
    return CurationMark() if row is None else CurationMark(row.state, row.curator_id, row.at)


def write_curation(
    s: Session,
    gold: int,
    article_id: int,
    state: str | None,
    action: Action,
    *,
    by: int | None,
    at: datetime | None = None,
) -> str | None:
    """Set an article's curation state (None: not started) with its history event (of the
    gold annotator, {"curation": state} before and after) in the caller's transaction;
    returns the previous state."""
    if state is not None and state not in CURATION_STATES:
        raise InputError(
            f"unknown curation state {state!r} (expected {', '.join(CURATION_STATES)})"
        )
    before = read_curation(s, article_id).state
    if before == state:
        return before
    now = at or utcnow()
    table = sa_table(Curation)
    if state is None:
        s.execute(delete(table).where(table.c.article_id == article_id))
    elif before is None:
        s.execute(insert(table).values(article_id=article_id, state=state, curator_id=by, at=now))
    else:
        s.execute(
            update(table)
            .where(table.c.article_id == article_id)
            .values(state=state, curator_id=by, at=now)
        )
    s.execute(
        insert(sa_table(LabelEvent)).values(
            at=now,
            annotator_id=gold,
            article_id=article_id,
            action=str(action),
            before={"curation": before},
            after={"curation": state, "by": by},
        )
    )
    return before


def provenances(
    source: Session | Connection, articles: Collection[int] | None = None
) -> dict[tuple[int, int, str], Provenance]:
    """Gold provenance by unit (article, actor, target), of `articles` if given."""
    g = sa_table(GoldOrigin).c
    stmt = sa_select(sa_table(GoldOrigin))
    if articles is not None:
        stmt = stmt.where(g.article_id.in_(sorted(articles)))
    return {
        (r.article_id, r.actor_id, r.target): Provenance(
            r.origin, r.source_annotator_id, r.strategy, r.curator_id, r.at
        )
        for r in source.execute(stmt)
    }
