"""A curator's steps as values, and the undo and redo stacks rebuilt from the history
(the rules: annotator/curation/session.py)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from annotator.curation.apply import ApplySummary
from annotator.store.engine import Project
from annotator.store.gold import Provenance
from annotator.store.history import event_problem
from annotator.store.labels import Action, CellKey, CellState
from annotator.store.models import LabelEvent
from annotator.undo import BARRIER, REDO, SKIP, STEP, UNDO, Replayed, replay


@dataclass(frozen=True)
class GoldChange:
    """A unit's gold label and provenance before and after one step."""

    key: CellKey
    before: CellState
    after: CellState
    before_origin: Provenance | None
    after_origin: Provenance | None

    @property
    def place(self) -> Hashable:
        return ("gold", self.key)


@dataclass(frozen=True)
class StateChange:
    """An article's curation state before and after one step (None: not started)."""

    article_id: int
    before: str | None
    after: str | None

    @property
    def place(self) -> Hashable:
        return ("curation", self.article_id)


@dataclass(frozen=True)
class Premerged:
    """A pre-merge ran (it is no undo step; it ends the undo history)."""

    article_ids: tuple[int, ...]
    summary: ApplySummary


Change = GoldChange | StateChange
CurationChange = GoldChange | StateChange | Premerged


# ------------------------------------------------------------------ undo from history


def _change_of(event: LabelEvent) -> Change | None:
    before, after = event.before or {}, event.after or {}
    if event.actor_id is None or event.target is None:
        if "curation" not in before or "curation" not in after:
            return None
        return StateChange(event.article_id, before["curation"], after["curation"])
    return GoldChange(
        CellKey(event.article_id, event.actor_id, event.target),
        CellState.from_json(before),
        CellState.from_json(after),
        Provenance.from_json(before.get("origin")),
        Provenance.from_json(after.get("origin")),
    )


def undo_stack_from_history(
    project: Project, gold: int, curator_id: int, *, depth: int | None = None
) -> tuple[list[Change], list[Change]]:
    """Rebuild a curator's (undo, redo) stacks, oldest first, from the gold annotator's
    history (see the module docstring for the rules). Reads only the events after the last
    pre-merge, merge or import: everything before it is out of reach anyway."""
    steps = (str(Action.CURATE), str(Action.UNDO), str(Action.REDO))
    with project.session() as s:
        barrier = s.execute(
            sa_select(func.max(LabelEvent.id)).where(
                col(LabelEvent.annotator_id) == gold, col(LabelEvent.action).not_in(steps)
            )
        ).scalar()
        stmt = select(LabelEvent).where(LabelEvent.annotator_id == gold)
        if barrier is not None:
            stmt = stmt.where(col(LabelEvent.id) > barrier)
        events = s.exec(stmt.order_by(col(LabelEvent.id))).all()
    return replay((_replayed(event, curator_id) for event in events), depth=depth)


def _replayed(event: LabelEvent, curator_id: int) -> Replayed[Change]:
    """What one of the gold annotator's events is for this curator's stack."""
    if event_problem(event.action, event.before, event.after) is not None:
        return Replayed(BARRIER)  # nobody can undo what nobody can read
    if (event.after or {}).get("by") != curator_id:
        return Replayed(SKIP)  # another curator's step: not on this stack
    change = _change_of(event)
    if change is None:
        return Replayed(BARRIER)
    if event.action == Action.CURATE and isinstance(change, StateChange) and change.before is None:
        return Replayed(SKIP)  # opening an article for curation is no undo step
    if event.action in (Action.UNDO, Action.REDO):
        return Replayed(UNDO if event.action == Action.UNDO else REDO, change)
    return Replayed(STEP, change)
