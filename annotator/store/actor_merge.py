"""Merging two actors, as one recorded operation that can be undone.

`merge_actors(source → into)` in one write transaction:
- every label on the source actor (anybody's, gold included) moves to the same cell of
  `into` through the one label writer (labels.write_cell, gold.write_gold for gold with its
  provenance), with its evidence, note and times, each move a history event with the
  action "actor_merge" and the merge's id. History is never rewritten;
- where one annotator (or gold) holds a label on both actors for one cell, `keep` decides
  which stays ("into" by default, or "source"); the other is cleared with its own event, so
  nothing is dropped silently: undo restores it, and the result lists every such cell;
- mentions of the source point at `into`, the source's name and aliases become aliases of
  `into`, and the source actor stays with `merged_into` set: the history names it, and every
  later lookup by name (highlighting, imports, a package merge) arrives at `into` instead of
  bringing the source back;
- an `ActorMerge` row records who merged and what moved besides labels, for undo.

`undo_actor_merge` (store/actor_unmerge.py) puts everything back, refusing (and changing
nothing) when a cell the merge wrote was changed since: nothing is ever overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from annotator.errors import ConflictError, InputError
from annotator.store.bulk import inserted_id
from annotator.store.engine import Project
from annotator.store.gold import ensure_gold, gold_id, read_gold, write_gold
from annotator.store.label_reads import EVERYONE, Label, LabelFilter, read_labels
from annotator.store.labels import Action, CellKey, CellState, StoredCell, read_cell, write_cell
from annotator.store.models import (
    Actor,
    ActorAlias,
    ActorMerge,
    Annotator,
    Article,
    GoldOrigin,
    Mention,
    sa_table,
    utcnow,
)

KEEP = ("into", "source")


@dataclass(frozen=True)
class MergeConflict:
    """A cell where one annotator (or gold) labelled both actors."""

    annotator: str
    article: str  # external id
    target: str
    kept: CellState
    dropped: CellState


@dataclass
class ActorMergeResult:
    merge_id: int
    source: str
    into: str
    labels_moved: int = 0
    mentions_moved: int = 0
    aliases_added: int = 0
    conflicts: list[MergeConflict] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.source!r} merged into {self.into!r}: {self.labels_moved} label(s) and "
            f"{self.mentions_moved} mention(s) moved"
        )
        if self.conflicts:
            text += (
                f"; {len(self.conflicts)} cell(s) were labelled on both actors by the same "
                "annotator: one label each was kept and the other cleared (undo restores it)"
            )
        return text


def final_actor(s: Session, actor_id: int) -> int:
    """The actor `actor_id` became after merges (itself if never merged)."""
    seen = {actor_id}
    while True:
        target = s.execute(
            select(sa_table(Actor).c.merged_into).where(sa_table(Actor).c.id == actor_id)
        ).scalar()
        if target is None or target in seen:
            return actor_id
        seen.add(target)
        actor_id = int(target)


def _actor(s: Session, actor_id: int, what: str) -> Actor:
    actor = s.get(Actor, actor_id)
    if actor is None:
        raise ConflictError(f"the {what} actor {actor_id} does not exist")
    if actor.merged_into is not None:
        raise InputError(f"{actor.name!r} was already merged into another actor")
    return actor


def _names(s: Session) -> tuple[dict[int, str], dict[int, str]]:
    ann, art = sa_table(Annotator).c, sa_table(Article).c
    people = {int(i): str(n) for i, n in s.execute(select(ann.id, ann.name))}
    articles = {int(i): str(e) for i, e in s.execute(select(art.id, art.external_id))}
    return people, articles


def _gold_units(s: Session, actor_id: int, gold: int | None) -> set[tuple[int, str]]:
    """(article, target) of the actor's gold decisions: labels and "no stance" rows."""
    if gold is None:
        return set()
    g = sa_table(GoldOrigin).c
    rows = s.execute(select(g.article_id, g.target).where(g.actor_id == actor_id))
    units = {(int(a), str(t)) for a, t in rows}
    labels = read_labels(s, LabelFilter(actors=(actor_id,), annotators=(gold,), who=EVERYONE))
    return units | {(lab.article_id, lab.target) for lab in labels}


def merge_conflicts(project: Project, source_id: int, into_id: int) -> list[MergeConflict]:
    """The cells a merge would find labelled on both actors (what the window asks about),
    with the `into` label as the one kept."""
    with project.session() as s:
        return _Merge(s, source_id, into_id, "into", None, dry_run=True).conflicts()


def merge_actors(
    project: Project,
    source_id: int,
    into_id: int,
    *,
    by: int | None = None,
    keep: str = "into",
    redo: bool = False,
) -> ActorMergeResult:
    """Merge actor `source_id` into `into_id` (see the module docstring); `by` is who
    merges (an annotator id, for the history and undo), `keep` which label stays where one
    annotator labelled both actors for one cell; `redo`: the merge is made again after an
    undo (so a rebuilt undo stack knows it)."""
    if keep not in KEEP:
        raise InputError(f"keep must be one of {', '.join(KEEP)}, not {keep!r}")
    if source_id == into_id:
        raise InputError("an actor cannot be merged into itself")
    with project.write() as s:
        return _Merge(s, source_id, into_id, keep, by, redo=redo).run()


class _Merge:
    def __init__(
        self,
        s: Session,
        source_id: int,
        into_id: int,
        keep: str,
        by: int | None,
        *,
        dry_run: bool = False,
        redo: bool = False,
    ) -> None:
        self.s, self.keep, self.by, self.redo = s, keep, by, redo
        self.source = _actor(s, source_id, "merged")
        self.into = _actor(s, into_id, "remaining")
        self.gold = gold_id(s)
        gold_units = _gold_units(s, source_id, self.gold)
        if gold_units and not dry_run:
            self.gold = ensure_gold(s)  # takes the gold lock before gold is read
        self.gold_units = sorted(gold_units)
        self.labels = [
            lab
            for lab in read_labels(s, LabelFilter(actors=(source_id,), who=EVERYONE), times=True)
            if lab.annotator_id != self.gold
        ]
        self.people, self.articles = _names(s)
        self.result = ActorMergeResult(0, self.source.name, self.into.name)

    def _key(self, article: int, target: str, *, into: bool) -> CellKey:
        actor = self.into.id if into else self.source.id
        return CellKey(article, actor, target)  # type: ignore[arg-type]

    def conflicts(self) -> list[MergeConflict]:
        out = []
        for lab in self.labels:
            twin = read_cell(self.s, lab.annotator_id, self._key(lab.article_id, lab.target,
                                                                 into=True))  # fmt: skip
            if twin.row_id is not None:
                out.append(self._conflict(lab.annotator_id, lab.article_id, lab.target,
                                          twin.state, lab.state))  # fmt: skip
        for article, target in self.gold_units:
            assert self.gold is not None
            twin_gold = read_gold(self.s, self.gold, self._key(article, target, into=True))
            if twin_gold.decided:
                mine = read_gold(self.s, self.gold, self._key(article, target, into=False))
                out.append(self._conflict(self.gold, article, target, twin_gold.state,
                                          mine.state))  # fmt: skip
        return out

    def _conflict(
        self, who: int, article: int, target: str, into: CellState, source: CellState
    ) -> MergeConflict:
        kept, dropped = (into, source) if self.keep == "into" else (source, into)
        return MergeConflict(self.people.get(who, str(who)), self.articles.get(article, ""),
                             target, kept, dropped)  # fmt: skip

    def run(self) -> ActorMergeResult:
        s, now = self.s, utcnow()
        table = sa_table(ActorMerge)
        values: dict[str, Any] = {"at": now, "annotator_id": self.by, "source_id": self.source.id,
                  "into_id": self.into.id, "detail": {}}  # fmt: skip
        merge_id = int(inserted_id(s.execute(insert(table).values(**values))))
        self.result.merge_id = merge_id
        mark = {"actor_merge": merge_id}
        self.result.conflicts = self.conflicts()
        for lab in self.labels:
            self._move(lab, mark, now)
        for article, target in self.gold_units:
            self._move_gold(article, target, mark, now)
        mentions = self._mentions()
        aliases = self._aliases()
        s.execute(
            update(sa_table(Actor))
            .where(sa_table(Actor).c.id == self.source.id)
            .values(merged_into=self.into.id)
        )
        s.execute(
            update(table)
            .where(table.c.id == merge_id)
            .values(
                detail={
                    "aliases": aliases,
                    "mentions": mentions,
                    "keep": self.keep,
                    "redo": self.redo,
                }
            )
        )
        self.result.mentions_moved = len(mentions)
        self.result.aliases_added = len(aliases)
        return self.result

    def _move(self, lab: Label, mark: dict[str, Any], now: datetime) -> None:
        who, src = lab.annotator_id, lab.key
        dst = self._key(lab.article_id, lab.target, into=True)
        twin = read_cell(self.s, who, dst)
        extra = (mark, mark)
        if twin.row_id is None or self.keep == "source":
            times = {"created_at": lab.created_at, "updated_at": lab.updated_at}
            write_cell(self.s, who, dst, lab.state, Action.ACTOR_MERGE, current=twin, at=now,
                       extra=extra, **times)  # fmt: skip
            self.result.labels_moved += 1
        write_cell(self.s, who, src, CellState(), Action.ACTOR_MERGE,
                   current=StoredCell(lab.row_id, lab.state), at=now, extra=extra)  # fmt: skip

    def _move_gold(self, article: int, target: str, mark: dict[str, Any], now: datetime) -> None:
        assert self.gold is not None
        src, dst = self._key(article, target, into=False), self._key(article, target, into=True)
        mine, twin = read_gold(self.s, self.gold, src), read_gold(self.s, self.gold, dst)
        if not twin.decided or self.keep == "source":
            write_gold(self.s, self.gold, dst, mine.state, mine.provenance, Action.ACTOR_MERGE,
                       by=self.by, current=twin, at=now, extra=mark)  # fmt: skip
            self.result.labels_moved += not mine.state.is_empty
        write_gold(self.s, self.gold, src, CellState(), None, Action.ACTOR_MERGE, by=self.by,
                   current=mine, at=now, extra=mark)  # fmt: skip

    def _mentions(self) -> list[int]:
        m = sa_table(Mention).c
        ids = [int(i) for (i,) in self.s.execute(select(m.id).where(m.actor_id == self.source.id))]
        if ids:
            self.s.execute(
                update(sa_table(Mention)).where(m.id.in_(ids)).values(actor_id=self.into.id)
            )
        return ids

    def _aliases(self) -> list[str]:
        al = sa_table(ActorAlias).c
        have = {
            str(a) for (a,) in self.s.execute(select(al.alias).where(al.actor_id == self.into.id))
        }
        theirs = [str(a) for (a,) in self.s.execute(
            select(al.alias).where(al.actor_id == self.source.id).order_by(al.alias))]  # fmt: skip
        added = []
        for alias in [self.source.name, *theirs]:
            if alias not in have and alias != self.into.name:
                have.add(alias)
                added.append(alias)
        if added:
            self.s.execute(
                insert(sa_table(ActorAlias)),
                [{"actor_id": self.into.id, "alias": a} for a in added],
            )
        return added
