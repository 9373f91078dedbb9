"""The gold standard in a merge (store/merge.py): another file's gold decisions and
curation states, brought in where this project has none.

- The other file's gold annotator (kind "gold") is this project's gold annotator, whatever
  its name; a *person* called "gold" (a file from before curation) is refused with a
  `--rename` hint, like any namesake.
- A gold decision (the gold label and its GoldOrigin row, or a "no stance" decision: a row
  without a label) comes along for a unit this project has not decided; a unit decided here
  is kept as it is (counted as kept when the two differ): curation is the lead's work in
  this project, and a merge never overwrites a decision silently. The provenance keeps its
  annotators and curator (mapped to this project's), written with the action "merge".
- A curation state comes along for an article that has none here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, inspect, select
from sqlmodel import Session

from annotator.store import models as m
from annotator.store.annotators import GOLD_KIND
from annotator.store.gold import (
    CURATION_STATES,
    ORIGINS,
    Provenance,
    ensure_gold,
    read_curation,
    read_gold,
    write_curation,
    write_gold,
)
from annotator.store.label_reads import EVERYONE, LabelFilter, read_labels
from annotator.store.labels import Action, CellKey, CellState, write_cell

GOLD_TABLES = ("goldorigin", "curation")


@dataclass
class GoldMerge:
    added: int = 0  # gold decisions brought in
    kept: int = 0  # decided here already, differently: ours kept
    curations_added: int = 0


def has_gold_tables(conn: Connection) -> bool:
    return set(GOLD_TABLES) <= set(inspect(conn).get_table_names())


def gold_annotator(conn: Connection) -> int | None:
    """The other file's gold annotator (None: none, or a file from before curation)."""
    table = m.sa_table(m.Annotator)
    if "kind" not in {c["name"] for c in inspect(conn).get_columns(table.name)}:
        return None
    found = conn.execute(select(table.c.id).where(table.c.kind == GOLD_KIND)).scalar()
    return None if found is None else int(found)


def gold_problem(
    conn: Connection, articles: set[int], actors: set[int], annotators: set[int]
) -> str | None:
    """What is wrong with the file's gold rows (None: nothing), checked before writing."""
    if not has_gold_tables(conn):
        return None
    for row in conn.execute(select(m.sa_table(m.GoldOrigin))):
        if row.article_id not in articles or row.actor_id not in actors:
            return "a gold origin refers to an article or actor the file lacks"
        if row.origin not in ORIGINS:
            return f"a gold origin has the unknown origin {row.origin!r}"
        for who in (row.source_annotator_id, row.curator_id):
            if who is not None and who not in annotators:
                return "a gold origin refers to an annotator the file lacks"
    for row in conn.execute(select(m.sa_table(m.Curation))):
        if row.article_id not in articles:
            return "a curation state refers to an article the file lacks"
        if row.state not in CURATION_STATES:
            return f"an article has the unknown curation state {row.state!r}"
    return None


def _gold_labels(src: Connection, gold: int) -> dict[tuple[int, int, str], CellState]:
    return {
        (lab.article_id, lab.actor_id, lab.target): lab.state
        for lab in read_labels(src, LabelFilter(annotators=(gold,), who=EVERYONE))
    }


def merge_gold(
    s: Session,
    src: Connection,
    *,
    annotators: Mapping[int, int],
    actors: Mapping[int, int],
    articles: Mapping[int, int],
    conflicted: set[int],
) -> GoldMerge:
    """Bring the file's gold decisions and curation states in (see the module docstring);
    the maps take the file's ids to this project's."""
    result = GoldMerge()
    src_gold = gold_annotator(src)
    tables = has_gold_tables(src)
    labels = _gold_labels(src, src_gold) if src_gold is not None else {}
    origins: dict[tuple[int, int, str], Any] = {}
    if tables:
        for row in src.execute(select(m.sa_table(m.GoldOrigin))):
            origins[(row.article_id, row.actor_id, row.target)] = row
    if not (labels or origins or tables):
        return result

    def who(other: int | None) -> int | None:
        return None if other is None else annotators.get(other)

    gold: int | None = None
    for unit in sorted(labels.keys() | origins.keys()):
        article, actor, target = unit
        if article in conflicted:
            continue
        gold = gold if gold is not None else ensure_gold(s)
        key = CellKey(articles[article], actors[actor], target)
        state = labels.get(unit, CellState())
        found = origins.get(unit)
        provenance = (
            None
            if found is None
            else Provenance(
                found.origin,
                who(found.source_annotator_id),
                found.strategy,
                who(found.curator_id),
                found.at,
            )  # fmt: skip
        )
        current = read_gold(s, gold, key)
        if current.decided:
            same = current.state == state and (
                (provenance is None and current.provenance is None)
                or (provenance is not None and provenance.same_decision(current.provenance))
            )
            result.kept += not same
            continue
        if provenance is None:  # a gold label from an import: its origin is unknown
            write_cell(s, gold, key, state, Action.MERGE, current=current.stored)
        else:
            write_gold(s, gold, key, state, provenance, Action.MERGE, by=None, current=current)
        result.added += 1
    if tables:
        for row in src.execute(select(m.sa_table(m.Curation))):
            if row.article_id in conflicted:
                continue
            target_article = articles[row.article_id]
            if read_curation(s, target_article).state is not None:
                continue
            gold = gold if gold is not None else ensure_gold(s)
            write_curation(s, gold, target_article, row.state, Action.MERGE, by=who(row.curator_id),
                           at=row.at)  # fmt: skip
            result.curations_added += 1
    return result
