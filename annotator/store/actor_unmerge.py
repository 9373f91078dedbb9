"""Undoing a merge of two actors (store/actor_merge.py): labels, gold, mentions, aliases and
the merged-away actor as they were, or a refusal that changes nothing when a cell the merge
wrote was changed since: nothing is ever overwritten unseen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from annotator.errors import ConflictError, InputError
from annotator.store.engine import Project
from annotator.store.gold import (
    GoldCell,
    Provenance,
    ensure_gold,
    gold_id,
    read_gold,
    write_gold,
)
from annotator.store.labels import Action, CellKey, CellState, read_cell, write_cell
from annotator.store.models import (
    Actor,
    ActorAlias,
    ActorMerge,
    LabelEvent,
    Mention,
    sa_table,
    utcnow,
)


@dataclass(frozen=True)
class _Written:
    """One cell an actor merge wrote: who, where, what it held before and after."""

    annotator_id: int
    key: CellKey
    before: CellState
    after: CellState
    origin_before: Any
    origin_after: Any


def _written(s: Session, merge_id: int, actors: Sequence[int]) -> list[_Written]:
    ev = sa_table(LabelEvent).c
    rows = s.execute(
        select(ev.annotator_id, ev.article_id, ev.actor_id, ev.target, ev.before, ev.after)
        .where(ev.action == str(Action.ACTOR_MERGE), ev.actor_id.in_(list(actors)))
        .order_by(ev.id)
    )
    out = []
    for who, article, actor, target, before, after in rows:
        if not isinstance(after, dict) or after.get("actor_merge") != merge_id:
            continue
        before = before if isinstance(before, dict) else {}
        out.append(
            _Written(
                int(who),
                CellKey(int(article), int(actor), str(target)),
                CellState.from_json(before),
                CellState.from_json(after),
                before.get("origin"),
                after.get("origin"),
            )  # fmt: skip
        )
    return out


def undo_actor_merge(project: Project, merge_id: int, *, by: int | None = None) -> None:
    """Undo actor merge `merge_id`: labels, mentions, aliases and the merged-away actor as
    they were. Refused, changing nothing, when the merge was undone already, when one of
    the two actors was merged again since, or when a cell the merge wrote changed since."""
    with project.write() as s:
        row = s.get(ActorMerge, merge_id)
        if row is None:
            raise InputError(f"there is no actor merge {merge_id}")
        if row.undone_at is not None:
            raise ConflictError("this merge of actors was undone already")
        source, into = s.get(Actor, row.source_id), s.get(Actor, row.into_id)
        assert source is not None and into is not None
        if into.merged_into is not None:
            raise ConflictError(
                f"{into.name!r} was merged into another actor since: undo that merge first"
            )
        gold = gold_id(s)
        if gold is not None:
            gold = ensure_gold(s)
        written = _written(s, merge_id, (row.source_id, row.into_id))
        for w in reversed(written):
            if w.annotator_id == gold:
                current: Any = read_gold(s, gold, w.key)
                same = current.state == w.after and _same_origin(current, w.origin_after)
            else:
                current = read_cell(s, w.annotator_id, w.key)
                same = current.state == w.after
            if not same:
                raise ConflictError(
                    f"labels of {into.name!r} changed since the merge, so it cannot be undone "
                    "without losing them; nothing was changed"
                )
        now, mark = utcnow(), {"actor_merge": merge_id}
        for w in reversed(written):
            if w.annotator_id == gold:
                write_gold(s, gold, w.key, w.before, Provenance.from_json(w.origin_before),
                           Action.ACTOR_UNMERGE, by=by, at=now, extra=mark)  # fmt: skip
            else:
                write_cell(s, w.annotator_id, w.key, w.before, Action.ACTOR_UNMERGE, at=now,
                           extra=(mark, mark))  # fmt: skip
        detail = row.detail or {}
        m, al = sa_table(Mention).c, sa_table(ActorAlias).c
        mentions = [int(i) for i in detail.get("mentions", [])]
        if mentions:
            s.execute(
                update(sa_table(Mention))
                .where(m.id.in_(mentions), m.actor_id == row.into_id)
                .values(actor_id=row.source_id)
            )
        aliases = [str(a) for a in detail.get("aliases", [])]
        if aliases:
            gone = sa_table(ActorAlias).delete()
            s.execute(gone.where(al.actor_id == row.into_id, al.alias.in_(aliases)))
        s.execute(
            update(sa_table(Actor))
            .where(sa_table(Actor).c.id == row.source_id)
            .values(merged_into=None)  # fmt: skip
        )
        s.execute(
            update(sa_table(ActorMerge))
            .where(sa_table(ActorMerge).c.id == merge_id)
            .values(undone_at=now, detail={**detail, "undone_by": by})
        )


def _same_origin(current: GoldCell, recorded: Any) -> bool:
    wanted = Provenance.from_json(recorded)
    if wanted is None:
        return current.provenance is None
    return wanted.same_decision(current.provenance)
