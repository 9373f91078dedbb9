"""A curator's session: gold decisions as changes on an undo stack (the core of the
curation view; the Qt layer only shows `article()` and calls the methods below).

Every decision is written at once, in its own short transaction, through
store.gold.write_gold: the gold annotator's label, its provenance (GoldOrigin) and one
history event whose before/after carry both, so `undo` writes back exactly what was
there, provenance included. The curator never changes an annotator's labels: a session
writes only the gold annotator's cells and the articles' curation state.

Undo and redo, also after a restart (rebuilt from the history like labelling's):
- A curator's stack holds that curator's own decisions (events of the gold annotator with
  action "curate" and "by" = the curator) and "curated"/"reopened" marks. Opening an article
  for curation ("in curation") is not an undo step.
- A pre-merge (action "premerge"), a merge or an import ends the undo history for every
  curator: their decisions before it can no longer be undone one by one.
- Undo and redo refuse (CurationConflict, and drop that step) when the unit or article no
  longer holds what the step left, e.g. another curator changed it since: nothing is ever
  overwritten unseen. A curated article's gold is final: changing it (also by undo) needs
  `reopen` first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from annotator.codebook import Codebook
from annotator.curation.apply import ApplySummary, apply_strategy
from annotator.curation.changes import (
    Change,
    CurationChange,
    GoldChange,
    Premerged,
    StateChange,
    undo_stack_from_history,
)
from annotator.curation.strategies import (
    DEFAULT_CONFIDENCE,
    DEFAULT_MIN_VOTES,
    Strategy,
)
from annotator.curation.units import ArticleCuration, CurationError, load_article_curation
from annotator.errors import InputError
from annotator.store.annotators import GOLD_KIND
from annotator.store.engine import Project
from annotator.store.gold import (
    CURATED,
    IN_CURATION,
    ORIGIN_ANNOTATOR,
    ORIGIN_CURATOR,
    GoldCell,
    Provenance,
    ensure_gold,
    gold_annotator_id,
    read_curation,
    read_gold,
    write_curation,
    write_gold,
)
from annotator.store.labels import Action, CellKey, CellState, check_cell, normalised, read_cell
from annotator.store.models import Annotator, ArticleDone, utcnow
from annotator.undo import UndoStack


class CurationConflict(CurationError):
    """An undo or redo step no longer fits: the unit or article changed since."""


__all__ = [
    "Change",
    "CurationChange",
    "CurationConflict",
    "CurationSession",
    "GoldChange",
    "Premerged",
    "StateChange",
    "undo_stack_from_history",
]


_DecideFn = Callable[[Session, GoldCell, datetime], tuple[CellState, Provenance | None]]


class CurationSession:
    """One curator (an annotator id: who decides) curating the project's gold standard."""

    def __init__(
        self,
        project: Project,
        codebook: Codebook,
        curator_id: int,
        *,
        restore_undo: bool = True,
        undo_depth: int = 500,
    ) -> None:
        self.project = project
        self.codebook = codebook
        self.curator_id = curator_id
        self._gold = gold_annotator_id(project)  # made by the first decision if missing
        self.stack: UndoStack[Change] = UndoStack()
        if restore_undo and self._gold is not None:
            self.stack = UndoStack(
                *undo_stack_from_history(project, self._gold, curator_id, depth=undo_depth)
            )
        self.last_saved: datetime | None = None
        # Called after every successful write, undo and redo (the view refreshes from it).
        self.on_change: Callable[[CurationChange], None] | None = None

    # ----------------------------------------------------------- reading

    def article(self, article_id: int) -> ArticleCuration:
        """The article's units (each annotator's version, gold, origin), disagreeing first."""
        return load_article_curation(self.project, article_id, targets=self.codebook.target_ids)

    # ----------------------------------------------------------- decisions on one unit

    def accept(self, key: CellKey, annotator_id: int) -> GoldChange:
        """Make annotator `annotator_id`'s version (stance, evidence and note) the gold
        label; an empty version means "no stance". Only versions of annotators who marked
        the article done can be accepted."""

        def decide(s: Session, current: GoldCell, now: datetime) -> tuple[CellState, Provenance]:
            if s.get(ArticleDone, (key.article_id, annotator_id)) is None:
                raise CurationError(
                    "only the versions of annotators who marked the article done can be accepted"
                )
            who = s.get(Annotator, annotator_id)
            if who is None or who.kind == GOLD_KIND:
                raise CurationError(f"annotator {annotator_id} has no version to accept")
            version = read_cell(s, annotator_id, key).state
            return version, Provenance(
                ORIGIN_ANNOTATOR,
                source_annotator_id=annotator_id,
                curator_id=self.curator_id,
                at=now,
            )

        return self._decide(key, decide)

    def set_stance(self, key: CellKey, stance: str | None) -> GoldChange:
        """Set the gold stance (None: decide "no stance"); evidence and note stay."""
        return self._edit(key, lambda state: replace(state, stance=stance))

    def add_evidence(self, key: CellKey, start: int, end: int) -> GoldChange:
        if end <= start:
            raise InputError("select some text in the article first")
        return self._edit(
            key,
            lambda state: replace(state, evidence=tuple(sorted({*state.evidence, (start, end)}))),
        )

    def remove_evidence(self, key: CellKey, start: int, end: int) -> GoldChange:
        return self._edit(
            key,
            lambda state: replace(
                state, evidence=tuple(e for e in state.evidence if e != (start, end))
            ),
        )

    def set_note(self, key: CellKey, note: str | None) -> GoldChange:
        return self._edit(key, lambda state: replace(state, note=(note or "").strip() or None))

    def clear(self, key: CellKey) -> GoldChange:
        """Take the unit's decision back: no gold label, not decided (open again)."""
        return self._decide(key, lambda s, current, now: (CellState(), None))

    # ----------------------------------------------------------- the article's state

    def start(self, article_id: int) -> StateChange:
        """Mark the article "in curation" (if not started). Not an undo step."""
        with self.project.write() as s:
            gold = self._gold_in(s)
            before = read_curation(s, article_id).state
            if before is None:
                write_curation(s, gold, article_id, IN_CURATION, Action.CURATE, by=self.curator_id)
        change = StateChange(article_id, before, before or IN_CURATION)
        if before is None:
            self.last_saved = utcnow()
            self._notify(change)
        return change

    def finish(self, article_id: int) -> StateChange:
        """Mark the article curated: its gold labels are final. Refused while units are
        open (decide them, "no stance" included, first)."""
        open_units = self.article(article_id).open_units
        if open_units:
            raise CurationError(
                f"{open_units} unit(s) of this article are not decided yet: decide them "
                '("no stance" is a decision too) before marking it curated'
            )
        return self._set_state(article_id, CURATED)

    def reopen(self, article_id: int) -> StateChange:
        """Un-curate: the article goes back to "in curation" and its gold can change."""
        with self.project.session() as s:
            if read_curation(s, article_id).state != CURATED:
                raise CurationError("this article is not curated")
        return self._set_state(article_id, IN_CURATION)

    # ----------------------------------------------------------- pre-merge

    def premerge(
        self,
        article_id: int,
        strategy: Strategy | str,
        *,
        min_votes: int = DEFAULT_MIN_VOTES,
        confidence: float = DEFAULT_CONFIDENCE,
        discard_decisions: bool = False,
    ) -> ApplySummary:
        """Apply a strategy to this article (see curation.apply): pre-merged units are
        recomputed, the curator's decisions kept unless `discard_decisions` (ask the user
        first: they are replaced and cannot be undone). Ends the undo history."""
        summary = apply_strategy(
            self.project,
            strategy,
            curator_id=self.curator_id,
            article_ids=[article_id],
            min_votes=min_votes,
            confidence=confidence,
            discard_decisions=discard_decisions,
        )
        if summary.written:
            self._gold = gold_annotator_id(self.project)
            self.stack.clear()
            self.last_saved = utcnow()
        self._notify(Premerged((article_id,), summary))
        return summary

    # ----------------------------------------------------------- undo / redo

    @property
    def can_undo(self) -> bool:
        return self.stack.can_undo

    @property
    def can_redo(self) -> bool:
        return self.stack.can_redo

    def undo(self) -> Change | None:
        """Take back this curator's last step; None if there is none. Raises
        CurationConflict (and drops the step) if its unit or article changed since."""
        change = self.stack.undo(lambda c: self._revert(c, forward=False))
        if change is not None:
            self._notify(change)
        return change

    def redo(self) -> Change | None:
        change = self.stack.redo(lambda c: self._revert(c, forward=True))
        if change is not None:
            self._notify(change)
        return change

    # ----------------------------------------------------------- internals

    def _gold_in(self, s: Session) -> int:
        self._gold = ensure_gold(s)
        return self._gold

    def _edit(self, key: CellKey, transform: Callable[[CellState], CellState]) -> GoldChange:
        """A change of the gold label by the curator: the origin becomes the curator's
        decision, based on what the unit held (the accepted version or the strategy)."""

        def decide(s: Session, current: GoldCell, now: datetime) -> tuple[CellState, Provenance]:
            base = current.provenance
            return transform(current.state), Provenance(
                ORIGIN_CURATOR,
                source_annotator_id=base.source_annotator_id if base else None,
                strategy=base.strategy if base else None,
                curator_id=self.curator_id,
                at=now,
            )

        return self._decide(key, decide)

    def _decide(self, key: CellKey, decide: _DecideFn) -> GoldChange:
        if key.target not in self.codebook.target_ids:
            raise InputError(f"unknown target {key.target!r}")
        with self.project.write() as s:
            gold = self._gold_in(s)
            _refuse_curated(s, key.article_id)
            current = read_gold(s, gold, key)
            now = utcnow()
            state, provenance = decide(s, current, now)
            state = normalised(state)
            check_cell(s, key, state, self.codebook.stance_ids)
            before = write_gold(
                s, gold, key, state, provenance, Action.CURATE, by=self.curator_id,
                current=current, at=now,
            )  # fmt: skip
            if before is not None and read_curation(s, key.article_id).state is None:
                # The first decision opens the article for curation (not an undo step).
                write_curation(s, gold, key.article_id, IN_CURATION, Action.CURATE,
                               by=self.curator_id, at=now)  # fmt: skip
        change = GoldChange(key, current.state, state, current.provenance, provenance)
        if before is None:
            return change
        self.last_saved = now
        self.stack.push(change)
        self._notify(change)
        return change

    def _set_state(self, article_id: int, state: str) -> StateChange:
        with self.project.write() as s:
            gold = self._gold_in(s)
            before = read_curation(s, article_id).state
            if before is None:
                # Curated straight away: opened first, so the undo step is curated <-> open.
                write_curation(s, gold, article_id, IN_CURATION, Action.CURATE, by=self.curator_id)
                before = IN_CURATION
            write_curation(s, gold, article_id, state, Action.CURATE, by=self.curator_id)
        change = StateChange(article_id, before, state)
        if before != state:
            self.last_saved = utcnow()
            self.stack.push(change)
            self._notify(change)
        return change

    def _revert(self, change: Change, *, forward: bool) -> None:
        action = Action.REDO if forward else Action.UNDO
        with self.project.write() as s:
            gold = self._gold_in(s)
            if isinstance(change, StateChange):
                was, wanted = (
                    (change.before, change.after) if forward else (change.after, change.before)
                )
                if read_curation(s, change.article_id).state != was:
                    raise CurationConflict(
                        "the article's curation state was changed since (by another curator?); "
                        "that step was dropped"
                    )
                write_curation(s, gold, change.article_id, wanted, action, by=self.curator_id)
            else:
                if forward:
                    held, held_origin = change.before, change.before_origin
                    state, origin = change.after, change.after_origin
                else:
                    held, held_origin = change.after, change.after_origin
                    state, origin = change.before, change.before_origin
                _refuse_curated(s, change.key.article_id)
                current = read_gold(s, gold, change.key)
                same_origin = (held_origin is None and current.provenance is None) or (
                    held_origin is not None and held_origin.same_decision(current.provenance)
                )
                if current.state != held or not same_origin:
                    raise CurationConflict(
                        f"the gold label of this unit ({change.key.target}) was changed since "
                        "(by another curator or a pre-merge?); that step was dropped"
                    )
                write_gold(
                    s, gold, change.key, state, origin, action, by=self.curator_id, current=current
                )
        self.last_saved = utcnow()

    def _notify(self, change: CurationChange) -> None:
        if self.on_change is not None:
            self.on_change(change)


def _refuse_curated(s: Session, article_id: int) -> None:
    if read_curation(s, article_id).state == CURATED:
        raise CurationError(
            "this article is curated and its gold labels are final: reopen it to change them"
        )
