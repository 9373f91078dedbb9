"""Finishing gold in bulk (`annotator curate --strategy ... --finish`): every article whose
units all have a gold decision (pre-merged, or decided by a curator) is marked curated,
as the curator would in the window, one article after another, with `Ctrl+Enter`.

Units are those of the pre-merge (curation.apply): the (actor, target) cells that an
annotator who marked the article done filled, and every cell with a gold decision; an
article none of whose done annotators filled a cell has no unit and is finished too ("no
stance" everywhere, agreed). Curated articles are left alone. The states go through
store.gold.write_curation in short transactions that take the gold lock first
(ensure_gold), so a decision a curator takes back meanwhile is seen before the article is
marked. Written with the action "premerge": like a pre-merge, a bulk step from outside a
curator's session ends the curators' undo histories (curation/session.py); a curator
reopens an article to change it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session

from annotator.curation.apply import BATCH, check_articles, curator_annotator, mergeable_articles
from annotator.errors import Cancelled
from annotator.progress import IsCancelled, Progress
from annotator.store.engine import Project
from annotator.store.gold import (
    CURATED,
    IN_CURATION,
    ensure_gold,
    gold_id,
    provenances,
    read_curation,
    write_curation,
)
from annotator.store.label_reads import EVERYONE, LabelFilter, done_marks, read_labels
from annotator.store.labels import Action
from annotator.store.models import utcnow


@dataclass
class FinishSummary:
    """What `--finish` did, in articles unless said otherwise."""

    curated: int = 0  # marked curated now: every unit decided
    open: int = 0  # left: some unit has no decision yet
    open_units: int = 0  # the units without a decision in those
    skipped_curated: int = 0  # curated before, left alone

    def summary(self) -> str:
        text = f"finish: {self.curated} article(s) marked curated (every unit decided)"
        if self.open:
            text += (
                f", {self.open} left for the curator ({self.open_units} unit(s) not decided:"
                " View › Curate)"
            )
        if self.skipped_curated:
            text += f", {self.skipped_curated} curated before"
        return text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def finish_decided(
    project: Project,
    *,
    curator_id: int | None = None,
    curator: str | None = None,
    article_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> FinishSummary:
    """Mark curated every article of `article_ids` (default: every article ready or in
    curation) whose units are all decided. `curator` (a name) instead of `curator_id` is
    created as an annotator only once an article is to be marked."""
    summary = FinishSummary()
    if article_ids is None:
        ids = mergeable_articles(project)
    else:
        ids, summary.skipped_curated = check_articles(project, article_ids)
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), BATCH):
        if cancelled is not None and cancelled():
            raise Cancelled(
                f"finishing cancelled after {start} of {len(ids)} articles; "
                f"{summary.curated} were marked curated and stay so"
            )
        batch = ids[start : start + BATCH]
        if curator is not None and curator_id is None:
            with project.session() as s:
                if any(n == 0 for n in _open_units(s, batch).values()):
                    curator_id = curator_annotator(project, curator)
        with project.write() as s:
            gold = ensure_gold(s)  # the gold lock: decisions read below stay as read
            _finish(s, gold, batch, curator_id, summary)
        if progress:
            progress(start + len(batch), len(ids))
    return summary


def _finish(
    s: Session, gold: int, batch: list[int], curator_id: int | None, summary: FinishSummary
) -> None:
    now = utcnow()
    for article, open_units in _open_units(s, batch).items():
        state = read_curation(s, article).state
        if state == CURATED:  # by a curator in the window, meanwhile
            summary.skipped_curated += 1
        elif open_units:
            summary.open += 1
            summary.open_units += open_units
        else:
            if state is None:  # opened first, as the window does
                write_curation(s, gold, article, IN_CURATION, Action.PREMERGE, by=curator_id,
                               at=now)  # fmt: skip
            write_curation(s, gold, article, CURATED, Action.PREMERGE, by=curator_id, at=now)
            summary.curated += 1


def _open_units(s: Session, ids: list[int]) -> dict[int, int]:
    """Per article, its units without a gold decision (see the module docstring)."""
    done: dict[int, set[int]] = {}
    for article, annotator in done_marks(s, ids):
        done.setdefault(article, set()).add(annotator)
    units: dict[int, set[tuple[int, str]]] = {a: set() for a in ids}
    decided: dict[int, set[tuple[int, str]]] = {a: set() for a in ids}
    gold = gold_id(s)
    for label in read_labels(s, LabelFilter(articles=ids, who=EVERYONE)):
        unit = (label.actor_id, label.target)
        if label.state.is_empty:
            continue
        if label.annotator_id == gold:
            units[label.article_id].add(unit)
            decided[label.article_id].add(unit)
        elif label.annotator_id in done.get(label.article_id, ()):
            units[label.article_id].add(unit)
    for article, actor, target in provenances(s, ids):
        units[article].add((actor, target))
        decided[article].add((actor, target))
    return {a: len(units[a] - decided[a]) for a in ids}
