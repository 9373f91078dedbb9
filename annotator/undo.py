"""The one undo engine: steps on an undo and a redo stack, and the stacks rebuilt from the
history after a restart.

An annotator's session (labelling.py) and a curator's (curation/session.py) both keep their
steps in an `UndoStack` and rebuild it with `replay`; they differ only in which of their
history events is a step, an undo, a redo, a barrier or nothing for them (see each).

The replay rules: a step pushes onto undo and empties redo; an undo moves the top of undo
to redo and a redo moves it back, when that top is in the same place (the same cell, the
same article's done mark...); an undo or redo that does not fit the stacks (another window
of the same person wrote in between) counts as a step of its own, so undoing it restores
what the database held before it; a barrier (an import, a merge, a pre-merge, somebody
else's change) empties both stacks, since nothing before it can be undone one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

STEP = "step"
UNDO = "undo"
REDO = "redo"
BARRIER = "barrier"
SKIP = "skip"  # part of a step recorded elsewhere (an actor merge's label moves)
KINDS = (STEP, UNDO, REDO, BARRIER, SKIP)


class Placed(Protocol):
    @property
    def place(self) -> Hashable: ...


C = TypeVar("C", bound=Placed)


@dataclass(frozen=True)
class Replayed(Generic[C]):
    """One history event as the stacks see it: its kind and the change it records.
    `renews`: a redo that made a new record of its step (an actor merged again), which
    replaces the step on the stack."""

    kind: str
    change: C | None = None
    renews: bool = False


def replay(events: Iterable[Replayed[C]], *, depth: int | None = None) -> tuple[list[C], list[C]]:
    """(undo, redo) stacks, each oldest first, as a session would have left them."""
    undo: list[C] = []
    redo: list[C] = []
    for event in events:
        change = event.change
        if event.kind == SKIP:
            continue
        if event.kind == BARRIER or change is None:
            undo.clear()
            redo.clear()
            continue
        if event.kind in (UNDO, REDO):
            source, dest = (undo, redo) if event.kind == UNDO else (redo, undo)
            if source and source[-1].place == change.place:
                moved = source.pop()
                dest.append(change if event.renews else moved)
                continue
        undo.append(change)
        redo.clear()
    if depth is not None:
        del undo[: max(0, len(undo) - depth)]
    return undo, redo


class UndoStack(Generic[C]):
    """A session's steps. `undo`/`redo` hand the step to the session's function, which
    writes it back; if that raises (the step no longer fits), the step is dropped."""

    def __init__(self, undo: list[C] | None = None, redo: list[C] | None = None) -> None:
        self._undo: list[C] = undo or []
        self._redo: list[C] = redo or []

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def push(self, change: C) -> None:
        """A new step: it can be undone, and nothing undone before can be redone."""
        self._undo.append(change)
        self._redo.clear()

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    def undo(self, revert: Callable[[C], C | None]) -> C | None:
        """Take back the last step with `revert` (which returns the step as it now is, or
        None to keep it as it was); None when there is nothing to undo."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self._redo.append(revert(change) or change)
        return self._redo[-1]

    def redo(self, reapply: Callable[[C], C | None]) -> C | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._undo.append(reapply(change) or change)
        return self._undo[-1]

    @property
    def steps(self) -> tuple[list[C], list[C]]:
        """(undo, redo), oldest first (for tests and the history view)."""
        return list(self._undo), list(self._redo)
