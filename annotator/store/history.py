"""Reading the label history: who changed which label, when, from what to what.

Every label change is appended to the LabelEvent table in the same transaction as the
change itself (see store.labels), so the history is exactly what happened. Two readers:
`history` lists events for people (the `annotator history` command), and
`annotator_events` gives one annotator's events, oldest first, from which
annotator.labelling rebuilds a session's undo and redo stacks after a restart.

A row the tool did not write (an action it does not know, before/after states of another
shape: an annotator may append to her own history with any SQL client) must not break
reading everybody else's: `event_problem` says what is wrong with it, `history` shows it as
unreadable with that reason, and `annotator_events` treats it as a step that cannot be
undone. The team server refuses such rows in the first place (annotator/server/checks.py).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from annotator.errors import InputError
from annotator.store.engine import Project
from annotator.store.gold import CURATION_STATES, ORIGINS
from annotator.store.labels import Action, CellKey, CellState
from annotator.store.models import Actor, ActorMerge, Annotator, Article, LabelEvent


@dataclass(frozen=True)
class HistoryEntry:
    """One label change as a user reads it. Cell fields are None for done marks."""

    id: int
    time: datetime  # UTC
    annotator: str
    article: str  # the article's external id
    actor: str | None
    target: str | None
    action: str
    before_stance: str | None = None
    after_stance: str | None = None
    before_evidence: tuple[tuple[int, int], ...] = ()
    after_evidence: tuple[tuple[int, int], ...] = ()
    before_note: str | None = None
    after_note: str | None = None
    before_done: bool | None = None
    after_done: bool | None = None
    # Curation: an article's curation state (events of the gold annotator), and for those
    # and gold labels who decided and where a gold label came from.
    before_curation: str | None = None
    after_curation: str | None = None
    by: str | None = None
    origin: str | None = None
    problem: str | None = None  # why the row cannot be read; then nothing above it is shown

    def as_json(self) -> dict[str, Any]:
        if self.problem is not None:
            return {"id": self.id, "time": self.time.isoformat(), "annotator": self.annotator,
                    "article": self.article, "actor": self.actor, "target": self.target,
                    "action": self.action, "problem": self.problem}  # fmt: skip
        curation = {}
        if self.after_curation is not None or self.by is not None:
            curation = {"curation": [self.before_curation, self.after_curation], "by": self.by,
                        "origin": self.origin}  # fmt: skip
        return curation | {
            "id": self.id,
            "time": self.time.isoformat(),
            "annotator": self.annotator,
            "article": self.article,
            "actor": self.actor,
            "target": self.target,
            "action": self.action,
            "before": _side_json(
                self.before_stance, self.before_evidence, self.before_note, self.before_done
            ),
            "after": _side_json(
                self.after_stance, self.after_evidence, self.after_note, self.after_done
            ),
        }


def _side_json(
    stance: str | None, evidence: tuple[tuple[int, int], ...], note: str | None, done: bool | None
) -> dict[str, Any]:
    if done is not None:
        return {"done": done}
    return {"stance": stance, "evidence": [list(e) for e in evidence], "note": note}


_ACTIONS = frozenset(str(a) for a in Action)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _spans_problem(spans: Any) -> str | None:
    if not isinstance(spans, list):
        return "has evidence that is no list"
    for span in spans:
        if not (isinstance(span, list) and len(span) == 2 and all(_whole(x) for x in span)):
            return "has evidence that is not a list of [start, end] pairs"
        if span[0] >= span[1]:
            return "has evidence that ends before it starts"
    return None


def _origin_problem(origin: Any) -> str | None:
    if origin is None:
        return None
    if not isinstance(origin, dict):
        return "has a gold origin that is no JSON object"
    at = origin.get("at")
    readable = (
        origin.get("origin") in ORIGINS
        and isinstance(origin.get("strategy"), str | None)
        and all(origin.get(k) is None or _whole(origin[k]) for k in ("annotator_id", "curator_id"))
        and isinstance(at, str | None)
    )
    if not readable:
        return "has a gold origin the tool cannot read"
    try:
        if isinstance(at, str):
            datetime.fromisoformat(at)
    except ValueError:
        return f"has a gold origin with the impossible time {str(at)[:40]!r}"
    return None


def _side_problem(side: Any) -> str | None:
    """What is wrong with one before/after state (None: the tool can read it). The same
    rule as the server's team_check_event, but for the codebook, which a reader of a project
    file does not know."""
    if side is None:
        return None
    if not isinstance(side, dict):
        return "is no JSON object"
    checks = (
        (not isinstance(side.get("stance"), str | None), "has a stance that is no text"),
        (not isinstance(side.get("note"), str | None), "has a note that is no text"),
        (
            not isinstance(side.get("done", False), bool),
            "has a done mark that is neither true nor false",
        ),
        (
            side.get("curation") is not None and side.get("curation") not in CURATION_STATES,
            f"has a curation state that is not one of {', '.join(CURATION_STATES)}",
        ),
        (
            side.get("by") is not None and not _whole(side.get("by")),
            "names who decided (by) with something that is no annotator id",
        ),
    )
    for failed, problem in checks:
        if failed:
            return problem
    spans = _spans_problem(side["evidence"]) if "evidence" in side else None
    return spans or _origin_problem(side.get("origin"))


def event_problem(action: Any, before: Any, after: Any) -> str | None:
    """Why a stored history row cannot be read, or None."""
    if action not in _ACTIONS:
        return f"the action {str(action)[:40]!r} is not one the tool writes"
    for which, side in (("before", before), ("after", after)):
        problem = _side_problem(side)
        if problem is not None:
            return f"its {which}-state {problem}"
    return None


def _utc(at: datetime) -> datetime:
    # SQLite hands datetimes back without a zone; they were written in UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _cell(data: dict[str, Any] | None) -> CellState:
    if not data or "done" in data:
        return CellState()
    return CellState.from_json(data)


def _done(data: dict[str, Any] | None) -> bool | None:
    if isinstance(data, dict) and "done" in data:
        return bool(data["done"])
    return None


def _id_for(project: Project, model: Any, column: Any, value: str, what: str) -> int:
    with project.session() as s:
        found = s.exec(select(model.id).where(column == value)).first()
    if found is None:
        raise InputError(f"the project has no {what} {value!r}")
    return found


def history(
    project: Project,
    *,
    annotator: str | None = None,
    article: str | None = None,
    limit: int | None = None,
) -> list[HistoryEntry]:
    """Label changes, newest first; optionally one annotator's (by name) or one article's
    (by external id). Unknown names raise InputError rather than returning nothing."""
    if limit is not None and limit < 0:
        raise InputError("the limit must be 0 or more")
    annotator_row = aliased(Annotator)
    stmt = (
        select(LabelEvent, annotator_row.name, Article.external_id, Actor.name)
        .join(annotator_row, col(LabelEvent.annotator_id) == annotator_row.id)
        .join(Article, col(LabelEvent.article_id) == Article.id)
        .outerjoin(Actor, col(LabelEvent.actor_id) == Actor.id)
        .order_by(col(LabelEvent.id).desc())
    )
    if annotator is not None:
        stmt = stmt.where(
            LabelEvent.annotator_id
            == _id_for(project, Annotator, Annotator.name, annotator, "annotator")
        )
    if article is not None:
        stmt = stmt.where(
            LabelEvent.article_id
            == _id_for(project, Article, Article.external_id, article, "article")
        )
    if limit:
        stmt = stmt.limit(limit)
    with project.session() as s:
        rows = s.exec(stmt).all()
        names = dict(s.exec(select(Annotator.id, Annotator.name)).all())
    out = []
    for event, who, ext_id, actor in rows:
        problem = event_problem(event.action, event.before, event.after)
        if problem is not None:
            out.append(
                HistoryEntry(
                    id=event.id,  # type: ignore[arg-type]
                    time=_utc(event.at),
                    annotator=who,
                    article=ext_id,
                    actor=actor,
                    target=event.target,
                    action=str(event.action)[:40],
                    problem=f"unreadable history entry: {problem}",
                )
            )
            continue
        before, after = _cell(event.before), _cell(event.after)
        was, now = event.before or {}, event.after or {}
        by = now.get("by") if isinstance(now, dict) else None
        origin = now.get("origin") if isinstance(now, dict) else None
        out.append(
            HistoryEntry(
                id=event.id,  # type: ignore[arg-type]
                time=_utc(event.at),
                annotator=who,
                article=ext_id,
                actor=actor,
                target=event.target,
                action=event.action,
                before_stance=before.stance,
                after_stance=after.stance,
                before_evidence=before.evidence,
                after_evidence=after.evidence,
                before_note=before.note,
                after_note=after.note,
                before_done=_done(event.before),
                after_done=_done(event.after),
                before_curation=was.get("curation") if isinstance(was, dict) else None,
                after_curation=now.get("curation") if isinstance(now, dict) else None,
                by=None if by is None else names.get(by, str(by)),
                origin=origin.get("origin") if isinstance(origin, dict) else None,
            )
        )
    return out


# ------------------------------------------------------------------ events for replay


@dataclass(frozen=True)
class CellEvent:
    """A label change as stored, for replaying (annotator.labelling rebuilds undo from it).
    `actor_merge`: the actor merge that wrote it, if one did."""

    action: str
    key: CellKey
    before: CellState
    after: CellState
    actor_merge: int | None = None


@dataclass(frozen=True)
class DoneEvent:
    action: str
    article_id: int
    before: bool
    after: bool


@dataclass(frozen=True)
class OtherEvent:
    """An event a session cannot replay (a done mark from before before/after were kept)."""

    action: str


@dataclass(frozen=True)
class ActorMergeEvent:
    """An actor merge this annotator made ("actor_merge"; `redo`: made again after an undo)
    or took back ("actor_unmerge"), from the actormerge table (store/actor_merge.py)."""

    action: str
    merge_id: int
    source_id: int
    into_id: int
    keep: str = "into"
    redo: bool = False


StoredEvent = CellEvent | DoneEvent | OtherEvent | ActorMergeEvent


def _label_events(s: Session, annotator_id: int) -> Iterator[tuple[datetime, StoredEvent]]:
    stmt = (
        select(LabelEvent)
        .where(LabelEvent.annotator_id == annotator_id)
        .order_by(col(LabelEvent.id))
    )
    for event in s.exec(stmt).all():
        at = _utc(event.at)
        if event_problem(event.action, event.before, event.after) is not None:
            # Nobody can undo what nobody can read: a barrier, like an import.
            yield at, OtherEvent(str(event.action))
            continue
        if event.actor_id is not None and event.target is not None:
            key = CellKey(event.article_id, event.actor_id, event.target)
            merge = (event.after or {}).get("actor_merge")
            merge = merge if isinstance(merge, int) else None
            yield at, CellEvent(event.action, key, _cell(event.before), _cell(event.after), merge)
            continue
        before, after = _done(event.before), _done(event.after)
        if before is None or after is None:
            yield at, OtherEvent(event.action)
        else:
            yield at, DoneEvent(event.action, event.article_id, before, after)


def _merge_events(s: Session, annotator_id: int) -> list[tuple[datetime, StoredEvent]]:
    out: list[tuple[datetime, StoredEvent]] = []
    for row in s.exec(select(ActorMerge).order_by(col(ActorMerge.id))).all():
        detail = row.detail if isinstance(row.detail, dict) else {}
        keep = str(detail.get("keep", "into"))
        ids = (int(row.id), row.source_id, row.into_id)  # type: ignore[arg-type]
        if row.annotator_id == annotator_id:
            redo = bool(detail.get("redo"))
            out.append((_utc(row.at), ActorMergeEvent("actor_merge", *ids, keep, redo)))
        if row.undone_at is not None and detail.get("undone_by") == annotator_id:
            out.append((_utc(row.undone_at), ActorMergeEvent("actor_unmerge", *ids, keep)))
    return sorted(out, key=lambda e: e[0])


def annotator_events(project: Project, annotator_id: int) -> list[StoredEvent]:
    """One annotator's history, oldest first, as plain events: label changes in the order
    they were written, and the actor merges she made or took back among them by time (a
    merge after the label moves it wrote, which share its time)."""
    with project.session() as s:
        labels = list(_label_events(s, annotator_id))
        merges = _merge_events(s, annotator_id)
    merged = heapq.merge(labels, merges, key=lambda e: e[0])
    return [event for _at, event in merged]
