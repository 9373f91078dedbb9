"""One annotator's labelling session: label changes as commands on an undo stack.

This is the core behind the GUI's stance panel. Every change is written at once (its own
transaction, see store.labels.put_cell); undo and redo write the previous state back the
same way, so the database is always what the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.store import labels as store
from annotator.store.actor_merge import ActorMergeResult, merge_actors
from annotator.store.actor_unmerge import undo_actor_merge
from annotator.store.articles import MentionView
from annotator.store.engine import Project
from annotator.store.history import (
    ActorMergeEvent,
    CellEvent,
    DoneEvent,
    StoredEvent,
    annotator_events,
)
from annotator.store.labels import REPLAY_ACTIONS, SESSION_ACTIONS, Action, CellKey, CellState
from annotator.store.models import utcnow
from annotator.store.suggestions import StoredSuggestion
from annotator.undo import BARRIER, REDO, SKIP, STEP, UNDO, Replayed, UndoStack, replay


@dataclass(frozen=True)
class CellChange:
    key: CellKey
    before: CellState
    after: CellState
    action: Action

    @property
    def place(self) -> Hashable:
        return ("cell", self.key)


@dataclass(frozen=True)
class DoneChange:
    article_id: int
    before: bool
    after: bool

    @property
    def place(self) -> Hashable:
        return ("done", self.article_id)


@dataclass(frozen=True)
class ActorMergeChange:
    """Two actors merged (store/actor_merge.py): one step, labels, mentions and all."""

    merge_id: int
    source_id: int
    into_id: int
    keep: str = "into"

    @property
    def place(self) -> Hashable:
        return ("actor_merge", self.source_id, self.into_id)


Change = CellChange | DoneChange | ActorMergeChange


class LabellingSession:
    def __init__(
        self,
        project: Project,
        codebook: Codebook,
        annotator_id: int,
        *,
        restore_undo: bool = True,
        undo_depth: int = 500,
    ) -> None:
        self.project = project
        self.codebook = codebook
        self.annotator_id = annotator_id
        # Undo survives a restart: the stacks are rebuilt from the label history.
        self.stack: UndoStack[Change] = UndoStack(
            *(undo_stack_from_history(project, annotator_id, depth=undo_depth)
              if restore_undo else ([], []))
        )  # fmt: skip
        self.last_saved: datetime | None = None
        # Called with the change after every successful write (the GUI refreshes from it).
        self.on_change: Callable[[Change], None] | None = None

    # ----------------------------------------------------------- reading

    def cell(self, key: CellKey) -> CellState:
        return store.get_cell(self.project, self.annotator_id, key)

    # ----------------------------------------------------------- writing

    def _write_cell(self, key: CellKey, state: CellState, action: Action) -> CellChange:
        result = store.put_cell(
            self.project,
            self.annotator_id,
            key,
            state,
            action=action,
            stances=self.codebook.stance_ids,
        )
        self.last_saved = result.saved_at
        return CellChange(key, result.before, result.after, action)

    def _apply(
        self,
        key: CellKey,
        transform: Callable[[CellState], CellState],
        action: Action,
        note: dict[str, Any] | None = None,
    ) -> CellChange:
        if key.target not in self.codebook.target_ids:
            raise InputError(f"unknown target {key.target!r}")
        # Read and write in one transaction: another window's change is built on, not lost.
        result = store.update_cell(
            self.project,
            self.annotator_id,
            key,
            transform,
            action=action,
            stances=self.codebook.stance_ids,
            note=note,
        )
        change = CellChange(key, result.before, result.after, action)
        if result.after == result.before:
            return change
        self.last_saved = result.saved_at
        self.stack.push(change)
        self._notify(change)
        return change

    def set_stance(self, key: CellKey, stance: str | None) -> CellChange:
        return self._apply(
            key, lambda s: replace(s, stance=stance), Action.SET if stance else Action.CLEAR
        )

    def clear(self, key: CellKey) -> CellChange:
        return self._apply(key, lambda s: CellState(), Action.CLEAR)

    def add_evidence(self, key: CellKey, start: int, end: int) -> CellChange:
        if end <= start:
            raise InputError("select some text in the article first")
        return self._apply(
            key,
            lambda s: replace(s, evidence=tuple(sorted({*s.evidence, (start, end)}))),
            Action.EVIDENCE_ADD,
        )

    def remove_evidence(self, key: CellKey, start: int, end: int) -> CellChange:
        return self._apply(
            key,
            lambda s: replace(s, evidence=tuple(e for e in s.evidence if e != (start, end))),
            Action.EVIDENCE_REMOVE,
        )

    def set_note(self, key: CellKey, note: str | None) -> CellChange:
        return self._apply(
            key, lambda s: replace(s, note=(note or "").strip() or None), Action.NOTE
        )

    def accept_suggestion(self, suggestion: StoredSuggestion) -> CellChange:
        """Make a suggestion the label: its stance, and its evidence beside any the cell
        holds (the note stays); the history says it was an accepted suggestion, from what
        (rules or model vN) and how sure. An undo step like any stance."""
        key = CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target)
        spans = suggestion.evidence
        return self._apply(
            key,
            lambda s: replace(
                s, stance=suggestion.stance, evidence=tuple(sorted({*s.evidence, *spans}))
            ),  # fmt: skip
            Action.ACCEPT,
            note=_suggestion_note(suggestion),
        )

    def reject_suggestion(self, suggestion: StoredSuggestion) -> None:
        """Say no to a suggestion: the label stays as it is (no undo step); the history
        records it for the lead's acceptance figures."""
        key = CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target)
        self._apply(key, lambda s: s, Action.REJECT, note=_suggestion_note(suggestion))

    def set_done(self, article_id: int, done: bool = True) -> DoneChange:
        was = store.set_done(self.project, article_id, self.annotator_id, done)
        change = DoneChange(article_id, was, done)
        if was != done:
            self.stack.push(change)
            self._notify(change)
        return change

    def merge_actors(self, source_id: int, into_id: int, *, keep: str = "into") -> ActorMergeResult:
        """Merge two actors (store/actor_merge.py) as one undoable step of this session."""
        result = merge_actors(self.project, source_id, into_id, by=self.annotator_id, keep=keep)
        change = ActorMergeChange(result.merge_id, source_id, into_id, keep)
        self.last_saved = utcnow()
        self.stack.push(change)
        self._notify(change)
        return result

    # ----------------------------------------------------------- undo / redo

    @property
    def can_undo(self) -> bool:
        return self.stack.can_undo

    @property
    def can_redo(self) -> bool:
        return self.stack.can_redo

    def _revert(self, change: Change, *, forward: bool) -> Change | None:
        action = Action.REDO if forward else Action.UNDO
        if isinstance(change, DoneChange):
            target = change.after if forward else change.before
            store.set_done(self.project, change.article_id, self.annotator_id, target,
                           action=action)  # fmt: skip
        elif isinstance(change, ActorMergeChange):
            self.last_saved = utcnow()
            if not forward:
                undo_actor_merge(self.project, change.merge_id, by=self.annotator_id)
                return None
            again = merge_actors(self.project, change.source_id, change.into_id,
                                 by=self.annotator_id, keep=change.keep, redo=True)  # fmt: skip
            return replace(change, merge_id=again.merge_id)
        else:
            self._write_cell(change.key, change.after if forward else change.before, action)
        return None

    def undo(self) -> Change | None:
        change = self.stack.undo(lambda c: self._revert(c, forward=False))
        if change is not None:
            self._notify(change)
        return change

    def redo(self) -> Change | None:
        change = self.stack.redo(lambda c: self._revert(c, forward=True))
        if change is not None:
            self._notify(change)
        return change

    def _notify(self, change: Change) -> None:
        if self.on_change is not None:
            self.on_change(change)


def _suggestion_note(suggestion: StoredSuggestion) -> dict[str, Any]:
    return {"suggestion": {"source": suggestion.source,
                           "confidence": round(suggestion.confidence, 3)}}  # fmt: skip


def _replayed(event: StoredEvent, mine: set[int]) -> Replayed[Change]:
    """What one of the annotator's history events is for her undo stack (annotator/undo.py);
    `mine`: the actor merges she made, whose label moves belong to that one step."""
    if isinstance(event, ActorMergeEvent):
        merged = ActorMergeChange(event.merge_id, event.source_id, event.into_id, event.keep)
        if event.action == Action.ACTOR_UNMERGE:
            return Replayed(UNDO, merged)
        return Replayed(REDO, merged, renews=True) if event.redo else Replayed(STEP, merged)
    if isinstance(event, CellEvent) and event.actor_merge is not None:
        return Replayed(SKIP if event.actor_merge in mine else BARRIER)
    if event.action == Action.REJECT:
        return Replayed(SKIP)  # a rejected suggestion changed no label
    change: Change
    if isinstance(event, CellEvent):
        change = CellChange(event.key, event.before, event.after, Action(event.action))
    elif isinstance(event, DoneEvent):
        change = DoneChange(event.article_id, event.before, event.after)
    else:
        return Replayed(BARRIER)
    if event.action in REPLAY_ACTIONS:
        return Replayed(UNDO if event.action == Action.UNDO else REDO, change)
    return Replayed(STEP if event.action in SESSION_ACTIONS else BARRIER, change)


def undo_stack_from_history(
    project: Project, annotator_id: int, *, depth: int | None = None
) -> tuple[list[Change], list[Change]]:
    """(undo, redo) stacks, each oldest first, as a session would have left them: the
    annotator's own steps since the last import, merge or change by somebody else (an
    actor merge, a pre-merge) of her labels (the rules: annotator/undo.py)."""
    events = annotator_events(project, annotator_id)
    mine = {e.merge_id for e in events if isinstance(e, ActorMergeEvent)}
    return replay((_replayed(e, mine) for e in events), depth=depth)


@dataclass(frozen=True)
class ActorRow:
    actor_id: int
    name: str
    label: str
    mentions: int
    first: int  # offset of the first mention, for reading order


def actor_rows(
    mentions: Sequence[MentionView],
    labelled: Sequence[tuple[int, str]] = (),
    *,
    hidden: Sequence[tuple[int, int, str]] | Sequence[tuple[int, int]] = (),
) -> list[ActorRow]:
    """The actors of an article in reading order, with their mention counts.

    `labelled` adds (actor_id, name) pairs that carry labels but have no mention (any more).
    Mentions inside a `hidden` span (the article's boilerplate: a teaser list, a photo
    credit) are not counted, so an actor named only there gets no row, unless labelled.
    """
    spans = [(int(h[0]), int(h[1])) for h in hidden]
    rows: dict[int, list] = {}
    for m in mentions:
        if m.actor_id is None:
            continue
        if spans and any(a <= m.start and m.end <= b for a, b in spans):
            continue
        row = rows.get(m.actor_id)
        if row is None:
            rows[m.actor_id] = [m.actor or "?", m.label, 1, m.start]
        else:
            row[2] += 1
    for actor_id, name in labelled:
        rows.setdefault(actor_id, [name, "MISC", 0, 10**12])
    out = [ActorRow(aid, r[0], r[1], r[2], r[3]) for aid, r in rows.items()]
    return sorted(out, key=lambda r: (r.first, r.name))
