"""Stance labels: one cell = (article, actor, target) for one annotator.

`write_cell` and `write_done` are the only code that writes a label or a done mark: the
labelling session (through `update_cell` / `put_cell` / `set_done`, one short transaction
per change), the labelled import and the merge all call them inside their transaction. Each
writes the new state and appends its before/after to the history with an `Action`, so undo,
redo, history and undo-after-restart can never disagree about what a change was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session

from annotator.errors import ConflictError, InputError
from annotator.store.bulk import inserted_id
from annotator.store.engine import Project
from annotator.store.models import (
    Actor,
    Article,
    ArticleDone,
    Evidence,
    LabelEvent,
    StanceAnnotation,
    sa_table,
    utcnow,
)


class Action(StrEnum):
    """What a history event records. Session actions are what an annotator does in the
    window; undo/redo replay them; import and merge changed labels from outside a session."""

    SET = "set"
    CLEAR = "clear"
    EVIDENCE_ADD = "evidence_add"
    EVIDENCE_REMOVE = "evidence_remove"
    NOTE = "note"
    DONE = "done"
    UNDONE = "undone"
    UNDO = "undo"
    REDO = "redo"
    IMPORT = "import"
    MERGE = "merge"
    # Curation (issue 15), only ever on the gold annotator's labels: a curator's own
    # decision, undone and redone like a session action, and a pre-merge strategy, which,
    # like an import or merge, is a barrier for undo (annotator/curation/session.py).
    CURATE = "curate"
    PREMERGE = "premerge"
    # Merging two actors moves labels from one actor's cells to the other's, and undoing
    # the merge moves them back (store/actor_merge.py); every annotator's undo stops there.
    ACTOR_MERGE = "actor_merge"
    ACTOR_UNMERGE = "actor_unmerge"
    # Stance suggestions (annotator/suggest/): accepting one writes the label like a set
    # (an undo step); rejecting one changes no label and is recorded for the lead's figures.
    ACCEPT = "accept_suggestion"
    REJECT = "reject_suggestion"


SESSION_ACTIONS = frozenset(
    {Action.SET, Action.CLEAR, Action.EVIDENCE_ADD, Action.EVIDENCE_REMOVE, Action.NOTE}
    | {Action.ACCEPT}
    | {Action.DONE, Action.UNDONE}
)
REPLAY_ACTIONS = frozenset({Action.UNDO, Action.REDO})


@dataclass(frozen=True)
class CellKey:
    article_id: int
    actor_id: int
    target: str


@dataclass(frozen=True)
class CellState:
    stance: str | None = None
    evidence: tuple[tuple[int, int], ...] = ()
    note: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.stance is None and not self.evidence and not self.note

    def as_json(self) -> dict:
        return {
            "stance": self.stance,
            "evidence": [list(e) for e in self.evidence],
            "note": self.note,
        }

    @staticmethod
    def from_json(data: dict | None) -> CellState:
        if not data:
            return CellState()
        return CellState(
            stance=data.get("stance"),
            evidence=tuple((int(a), int(b)) for a, b in data.get("evidence", [])),
            note=data.get("note"),
        )


@dataclass
class SaveResult:
    before: CellState
    after: CellState
    saved_at: datetime = field(default_factory=utcnow)


# ------------------------------------------------------------------ cells


@dataclass(frozen=True)
class StoredCell:
    """A cell as stored: its row id (None when it holds no label) and its state."""

    row_id: int | None
    state: CellState


def read_cell(s: Session, annotator_id: int, key: CellKey) -> StoredCell:
    """The cell as stored: one query for the label and its evidence (a label without
    evidence is one row with NULLs), built once: every save reads its cell first."""
    rows = s.execute(
        _READ_CELL,
        {"article": key.article_id, "actor": key.actor_id, "target": key.target,
         "annotator": annotator_id},
    ).all()  # fmt: skip
    if not rows:
        return StoredCell(None, CellState())
    row_id, stance, note = rows[0][:3]
    spans = tuple((a, b) for *_, a, b in rows if a is not None)
    return StoredCell(row_id, CellState(stance, spans, note))


def get_cell(project: Project, annotator_id: int, key: CellKey) -> CellState:
    with project.session() as s:
        return read_cell(s, annotator_id, key).state


def normalised(state: CellState) -> CellState:
    """Evidence sorted and without repeats, an empty note as None: the stored form."""
    return replace(state, evidence=tuple(sorted(set(state.evidence))), note=state.note or None)


def write_cell(
    s: Session,
    annotator_id: int,
    key: CellKey,
    state: CellState,
    action: Action,
    *,
    current: StoredCell | None = None,
    at: datetime | None = None,
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
    extra: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
) -> StoredCell:
    """Write the whole new state of one cell and its history event, in the caller's
    transaction; an empty state deletes the label. Returns the cell as it was.

    `current` saves the read when the caller knows the cell already; `at` is the time of
    the change (default now); a merge passes the label's own `created_at` and `updated_at`
    from the other file, so "the newer label wins" still holds at the next merge.
    `extra` (before, after) adds keys to the event's before and after: a gold label's
    provenance (store/gold.py), which can change while the cell stays the same, so with
    `extra` the event is written even then.
    """
    before = current if current is not None else read_cell(s, annotator_id, key)
    state = normalised(state)
    if state == before.state and extra is None:
        return before
    now = at or utcnow()
    row_id = before.row_id
    # Statements built once (below): a merge writes thousands of cells, and building a
    # statement costs more than running it.
    if state.is_empty:
        if row_id is not None:
            s.execute(_DELETE_LABEL, {"rid": row_id})
    else:
        values = {"stance": state.stance, "note": state.note, "updated_at": updated_at or now}
        if row_id is None:
            where = {"article_id": key.article_id, "actor_id": key.actor_id, "target": key.target}
            row_id = inserted_id(
                s.execute(_INSERT_LABEL, where | values | {
                    "annotator_id": annotator_id, "created_at": created_at or now})
            )  # fmt: skip
        else:
            s.execute(_UPDATE_LABEL, values | {"rid": row_id})
        if before.state.evidence != state.evidence:
            s.execute(_DELETE_EVIDENCE, {"rid": row_id})
            if state.evidence:
                spans = [{"annotation_id": row_id, "start": a, "end": b} for a, b in state.evidence]
                s.execute(_INSERT_EVIDENCE, spans)
    s.execute(
        _INSERT_EVENT,
        {
            "at": now,
            "annotator_id": annotator_id,
            "article_id": key.article_id,
            "actor_id": key.actor_id,
            "target": key.target,
            "action": str(action),
            "before": before.state.as_json() | dict(extra[0] if extra else {}),
            "after": state.as_json() | dict(extra[1] if extra else {}),
        },
    )
    return before


_LABELS, _EVIDENCE = sa_table(StanceAnnotation), sa_table(Evidence)
_DELETE_LABEL = delete(_LABELS).where(_LABELS.c.id == bindparam("rid"))
_INSERT_LABEL = insert(_LABELS)
_UPDATE_LABEL = (
    update(_LABELS)
    .where(_LABELS.c.id == bindparam("rid"))
    .values(stance=bindparam("stance"), note=bindparam("note"), updated_at=bindparam("updated_at"))
)
_DELETE_EVIDENCE = delete(_EVIDENCE).where(_EVIDENCE.c.annotation_id == bindparam("rid"))
_INSERT_EVIDENCE = insert(_EVIDENCE)
_INSERT_EVENT = insert(sa_table(LabelEvent))
_READ_CELL = (
    sa_select(_LABELS.c.id, _LABELS.c.stance, _LABELS.c.note, _EVIDENCE.c.start, _EVIDENCE.c.end)
    .select_from(_LABELS.outerjoin(_EVIDENCE, _EVIDENCE.c.annotation_id == _LABELS.c.id))
    .where(
        _LABELS.c.article_id == bindparam("article"),
        _LABELS.c.actor_id == bindparam("actor"),
        _LABELS.c.target == bindparam("target"),
        _LABELS.c.annotator_id == bindparam("annotator"),
    )
    .order_by(_EVIDENCE.c.start, _EVIDENCE.c.end)
)
_ACTOR = sa_table(Actor)
# The article's length (not its text: a save needs no more) and the actor, in one query.
_CHECK_CELL = (
    sa_select(
        func.length(sa_table(Article).c.text),
        sa_select(func.count()).where(_ACTOR.c.id == bindparam("actor")).scalar_subquery(),
        sa_select(_ACTOR.c.merged_into).where(_ACTOR.c.id == bindparam("actor"))
        .scalar_subquery(),
        sa_select(_ACTOR.c.name).where(_ACTOR.c.id == bindparam("actor")).scalar_subquery(),
    ).where(sa_table(Article).c.id == bindparam("article"))
)  # fmt: skip


def write_done(
    s: Session,
    article_id: int,
    annotator_id: int,
    done: bool,
    action: Action,
    *,
    at: datetime | None = None,
    done_at: datetime | None = None,
) -> bool:
    """Mark or unmark an article done in the caller's transaction, with its history event
    ({"done": bool} before and after); returns the previous value. `done_at`: when the
    annotator marked it (a merge keeps the other file's), default `at`."""
    row = s.get(ArticleDone, (article_id, annotator_id))
    was = row is not None
    if was == done:
        return was
    now = at or utcnow()
    if done:
        s.add(ArticleDone(article_id=article_id, annotator_id=annotator_id, done_at=done_at or now))
    else:
        s.delete(row)
    s.add(
        LabelEvent(
            at=now,
            annotator_id=annotator_id,
            article_id=article_id,
            action=str(action),
            before={"done": was},
            after={"done": done},
        )
    )
    s.flush()
    return was


def check_cell(s: Session, key: CellKey, state: CellState, stances: tuple[str, ...] | None) -> None:
    """Refuse a state the store must not hold: an unknown stance, a missing article or
    actor, evidence outside the text (the checks of every write from a session)."""
    if stances is not None and state.stance is not None and state.stance not in stances:
        raise InputError(f"unknown stance {state.stance!r} (expected one of {', '.join(stances)})")
    found = s.execute(_CHECK_CELL, {"article": key.article_id, "actor": key.actor_id}).first()
    if found is None or found[0] is None:
        raise ConflictError(f"article {key.article_id} does not exist")
    n, exists_, merged, name = found
    if not exists_:
        raise ConflictError(f"actor {key.actor_id} does not exist")
    if merged is not None:  # a window that has not seen the merge yet
        raise ConflictError(
            f"{name!r} was merged into another actor meanwhile: label that one "
            "(reopen the article to see it)"
        )
    for a, b in state.evidence:
        if not (0 <= a < b <= n):
            raise InputError(f"evidence {a}-{b} lies outside the article text (length {n})")


def put_cell(
    project: Project,
    annotator_id: int,
    key: CellKey,
    state: CellState,
    *,
    action: Action = Action.SET,
    stances: tuple[str, ...] | None = None,
) -> SaveResult:
    """Write the whole new state of one cell; an empty state deletes the label."""
    return update_cell(project, annotator_id, key, lambda _: state, action=action, stances=stances)


def update_cell(
    project: Project,
    annotator_id: int,
    key: CellKey,
    transform: Callable[[CellState], CellState],
    *,
    action: Action = Action.SET,
    stances: tuple[str, ...] | None = None,
    note: Mapping[str, Any] | None = None,
) -> SaveResult:
    """Change one cell to transform(its current state), read and written in one write
    transaction: a change another window made meanwhile is built on, never overwritten.
    `note` adds keys to the history event (an accepted suggestion's source); with it the
    event is written even when the cell stays the same (a rejected suggestion)."""
    with project.write() as s:
        current = read_cell(s, annotator_id, key)
        state = normalised(transform(current.state))
        check_cell(s, key, state, stances)
        now = utcnow()
        extra = (note, note) if note is not None else None
        write_cell(s, annotator_id, key, state, action, current=current, at=now, extra=extra)
        return SaveResult(before=current.state, after=state, saved_at=now)


# ------------------------------------------------------------------ done


def is_done(project: Project, article_id: int, annotator_id: int) -> bool:
    with project.session() as s:
        return s.get(ArticleDone, (article_id, annotator_id)) is not None


def set_done(
    project: Project,
    article_id: int,
    annotator_id: int,
    done: bool = True,
    *,
    action: Action | None = None,
) -> bool:
    """Mark or unmark an article done for one annotator; return the previous value.

    The history says "done"/"undone", or `action` (undo/redo) when an undo stack replays it.
    """
    with project.write() as s:
        return write_done(
            s, article_id, annotator_id, done, action or (Action.DONE if done else Action.UNDONE)
        )
