"""One annotator's labelling session: label changes as commands on an undo stack.

This is the core behind the GUI's stance panel. Every change is written at once (its own
transaction, see store.labels.put_cell); undo and redo write the previous state back the
same way, so the database is always what the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.store import labels as store
from annotator.store.articles import MentionView
from annotator.store.engine import Project
from annotator.store.history import CellEvent, DoneEvent, StoredEvent, annotator_events
from annotator.store.labels import REPLAY_ACTIONS, SESSION_ACTIONS, Action, CellKey, CellState


@dataclass(frozen=True)
class CellChange:
    key: CellKey
    before: CellState
    after: CellState
    action: Action


@dataclass(frozen=True)
class DoneChange:
    article_id: int
    before: bool
    after: bool


Change = CellChange | DoneChange


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
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        if restore_undo:
            # Undo survives a restart: the stacks are rebuilt from the label history.
            self._undo, self._redo = undo_stack_from_history(
                project, annotator_id, depth=undo_depth
            )
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
        self, key: CellKey, transform: Callable[[CellState], CellState], action: Action
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
        )
        change = CellChange(key, result.before, result.after, action)
        if result.after == result.before:
            return change
        self.last_saved = result.saved_at
        self._undo.append(change)
        self._redo.clear()
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

    def set_done(self, article_id: int, done: bool = True) -> DoneChange:
        was = store.set_done(self.project, article_id, self.annotator_id, done)
        change = DoneChange(article_id, was, done)
        if was != done:
            self._undo.append(change)
            self._redo.clear()
            self._notify(change)
        return change

    # ----------------------------------------------------------- undo / redo

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _revert(self, change: Change, *, forward: bool) -> Change:
        if isinstance(change, DoneChange):
            target = change.after if forward else change.before
            store.set_done(
                self.project,
                change.article_id,
                self.annotator_id,
                target,
                action=Action.REDO if forward else Action.UNDO,
            )
            return change
        state = change.after if forward else change.before
        self._write_cell(change.key, state, Action.REDO if forward else Action.UNDO)
        return change

    def undo(self) -> Change | None:
        if not self._undo:
            return None
        change = self._undo.pop()
        self._revert(change, forward=False)
        self._redo.append(change)
        self._notify(change)
        return change

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._revert(change, forward=True)
        self._undo.append(change)
        self._notify(change)
        return change

    def _notify(self, change: Change) -> None:
        if self.on_change is not None:
            self.on_change(change)


def _change_of(event: StoredEvent) -> Change | None:
    """The session change an event records, or None if it cannot be replayed."""
    if isinstance(event, CellEvent):
        return CellChange(event.key, event.before, event.after, Action(event.action))
    if isinstance(event, DoneEvent):
        return DoneChange(event.article_id, event.before, event.after)
    return None


def _same_place(a: Change, b: Change) -> bool:
    if isinstance(a, CellChange) and isinstance(b, CellChange):
        return a.key == b.key
    return isinstance(a, DoneChange) and isinstance(b, DoneChange) and a.article_id == b.article_id


def undo_stack_from_history(
    project: Project, annotator_id: int, *, depth: int | None = None
) -> tuple[list[Change], list[Change]]:
    """Rebuild (undo, redo) stacks, each oldest first, as a session would have left them.

    Replays the annotator's events in order: a change pushes onto undo and empties redo;
    "undo" moves the top of undo to redo and "redo" moves it back. An undo/redo that does
    not fit the stacks (another window of the same annotator wrote in between) counts as a
    change of its own, so undoing it restores what the database held before it. An import
    or merge empties both stacks. `depth` keeps only the newest undo steps.
    """
    undo: list[Change] = []
    redo: list[Change] = []
    for event in annotator_events(project, annotator_id):
        change = _change_of(event)
        if event.action not in SESSION_ACTIONS | REPLAY_ACTIONS or change is None:
            undo.clear()
            redo.clear()
            continue
        if event.action in REPLAY_ACTIONS:
            source, dest = (undo, redo) if event.action == Action.UNDO else (redo, undo)
            if source and _same_place(source[-1], change):
                dest.append(source.pop())
                continue
        undo.append(change)
        redo.clear()
    if depth is not None:
        del undo[: max(0, len(undo) - depth)]
    return undo, redo


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
