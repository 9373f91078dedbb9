"""Pre-merging: apply a strategy (curation.strategies) to one article or to every article
ready for curation, and say what it did.

Per unit (an (actor, target) cell a done annotator filled, or one with a gold decision):
- a decision of the curator (an accepted version, the curator's own, or an imported gold
  label) is kept, unless `discard_decisions` (the GUI asks first; the CLI wants --yes);
- otherwise the strategy's result is written as the gold label with origin "strategy"
  (an earlier pre-merge is recomputed, so a re-merge picks up the annotators' changes); a
  unit the strategy does not decide is left open, and an earlier pre-merge there is taken
  back (cleared).
Curated articles are never touched: their gold is final (reopen one to re-merge it).
Every change goes through store.gold.write_gold with the action "premerge", which ends
curators' undo histories, as an import or merge does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from annotator.curation.strategies import (
    DEFAULT_CONFIDENCE,
    DEFAULT_MIN_VOTES,
    Strategy,
    check_strategy,
    premerge,
)
from annotator.curation.units import CurationError
from annotator.errors import Cancelled
from annotator.progress import IsCancelled, Progress
from annotator.store.annotators import check_person_name, get_or_create_annotator
from annotator.store.bulk import fetch_rows
from annotator.store.curation_lists import coders_per_article, done_count
from annotator.store.engine import Project
from annotator.store.gold import (
    CURATED,
    ORIGIN_STRATEGY,
    GoldCell,
    Provenance,
    ensure_gold,
    gold_annotator_id,
    provenances,
    read_curation,
    write_gold,
)
from annotator.store.label_reads import EVERYONE, LabelFilter, done_marks, read_labels
from annotator.store.labels import Action, CellKey, CellState, StoredCell
from annotator.store.models import Article, Curation, sa_table, utcnow

BATCH = 50  # articles per write transaction: short transactions, few round trips


@dataclass
class ApplySummary:
    """What a pre-merge did, in units (actor x target cells) unless said otherwise."""

    strategy: str
    articles: int = 0  # articles pre-merged
    premerged: int = 0  # units the strategy decided
    open: int = 0  # units left for the curator
    kept: int = 0  # the curator's decisions kept
    replaced: int = 0  # the curator's decisions replaced (discard_decisions)
    cleared: int = 0  # earlier pre-merges the strategy no longer supports
    written: int = 0  # units whose gold label or origin changed
    skipped_curated: int = 0  # curated articles left alone

    def summary(self) -> str:
        parts = [
            f"{self.strategy}: {self.articles} article(s) pre-merged",
            f"{self.premerged} unit(s) pre-merged",
            f"{self.open} left for the curator",
            f"{self.kept} already decided and kept",
        ]
        if self.replaced:
            parts.append(f"{self.replaced} decision(s) replaced")
        if self.cleared:
            parts.append(f"{self.cleared} earlier pre-merge(s) taken back")
        if self.skipped_curated:
            parts.append(f"{self.skipped_curated} curated article(s) left alone")
        parts.append(f"{self.written} unit(s) changed")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def mergeable_articles(project: Project) -> list[int]:
    """Articles a bulk pre-merge works on: enough annotators done, not curated."""
    cur = sa_table(Curation).c
    art = sa_table(Article).c
    curated = select(cur.article_id).where(cur.state == CURATED)
    stmt = (
        select(art.id)
        .where(done_count(art.id) >= coders_per_article(project), art.id.not_in(curated))
        .order_by(art.id)
    )
    with project.engine.connect() as conn:
        return [int(i) for (i,) in fetch_rows(conn, stmt)]


def check_articles(project: Project, ids: Sequence[int]) -> tuple[list[int], int]:
    """(articles to pre-merge, curated ones skipped); refuses unknown or unready ones."""
    required = coders_per_article(project)
    art, cur = sa_table(Article).c, sa_table(Curation).c
    stmt = (
        select(art.id, art.external_id, done_count(art.id), cur.state)
        .select_from(sa_table(Article).outerjoin(sa_table(Curation), cur.article_id == art.id))
        .where(art.id.in_(list(ids)))
    )
    with project.engine.connect() as conn:
        found = {int(r[0]): r for r in conn.execute(stmt)}
    out, curated = [], 0
    for aid in dict.fromkeys(ids):
        row = found.get(aid)
        if row is None:
            raise CurationError(f"article {aid} does not exist")
        if row[3] == CURATED:
            curated += 1
            continue
        if row[2] < required:
            raise CurationError(
                f"article {row[1]!r} is not ready for curation ({row[2]}/{required} done)"
            )
        out.append(aid)
    return out, curated


def apply_strategy(
    project: Project,
    strategy: Strategy | str,
    *,
    curator_id: int | None = None,
    curator: str | None = None,
    article_ids: Sequence[int] | None = None,
    min_votes: int = DEFAULT_MIN_VOTES,
    confidence: float = DEFAULT_CONFIDENCE,
    discard_decisions: bool = False,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ApplySummary:
    """Pre-merge `article_ids` (default: every article ready or in curation) with
    `strategy`; `curator_id` is who runs it (recorded in the provenance and history).
    Explicitly named articles must be ready; curated ones are skipped and counted.
    `curator` (a name) instead of `curator_id` is created as an annotator only once there
    is something to pre-merge: a refused or empty run leaves the project as it was."""
    strategy = check_strategy(strategy, min_votes=min_votes, confidence=confidence)
    summary = ApplySummary(strategy=strategy.value)
    if article_ids is None:
        ids = mergeable_articles(project)
    else:
        ids, summary.skipped_curated = check_articles(project, article_ids)
    if ids and curator is not None:
        curator_id = curator_annotator(project, curator)
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), BATCH):
        if cancelled is not None and cancelled():
            raise Cancelled(
                f"pre-merge cancelled after {start} of {len(ids)} articles; those stay pre-merged"
            )
        batch = ids[start : start + BATCH]
        with project.write() as s:
            # ensure_gold takes the gold lock, so what follows reads the units as they are
            # and no curator's decision can land between that read and the writes below.
            gold = ensure_gold(s)
            # Curated meanwhile (by a curator in the window): their gold is final.
            open_ = [a for a in batch if read_curation(s, a).state != CURATED]
            _Premerge(s, gold, strategy, curator_id, min_votes, confidence, discard_decisions,
                      summary).articles(open_)  # fmt: skip
        summary.skipped_curated += len(batch) - len(open_)
        summary.articles += len(open_)
        if progress:
            progress(start + len(batch), len(ids))
    return summary


def curator_annotator(project: Project, name: str) -> int:
    """The curator's annotator id, created if new, after the gold annotator: a project
    where a person holds the gold standard's name refuses (store/gold.ensure_gold) before
    the curator is created, so the refusal changes nothing."""
    check_person_name(name)
    gold_annotator_id(project, create=True)
    return get_or_create_annotator(project, name)


class _Premerge:
    """One batch of articles in one write transaction."""

    def __init__(
        self,
        s: Any,
        gold: int,
        strategy: Strategy,
        curator_id: int | None,
        min_votes: int,
        confidence: float,
        discard: bool,
        summary: ApplySummary,
    ) -> None:
        self.s, self.gold, self.strategy, self.curator_id = s, gold, strategy, curator_id
        self.min_votes, self.confidence, self.discard = min_votes, confidence, discard
        self.summary = summary

    def articles(self, ids: list[int]) -> None:
        done = self._done(ids)
        cells, gold_cells = self._cells(ids, done)
        origins = self._origins(ids)
        now = utcnow()
        for article in ids:
            coders = done.get(article, set())
            units = set(cells.get(article, {})) | set(gold_cells.get(article, {}))
            units |= set(origins.get(article, {}))
            for unit in sorted(units):
                versions = {str(a): st for a, st in cells.get(article, {}).get(unit, {}).items()}
                stored = gold_cells.get(article, {}).get(unit, StoredCell(None, CellState()))
                current = GoldCell(stored, origins.get(article, {}).get(unit))
                self._unit(
                    CellKey(article, *unit), versions, [str(c) for c in coders], current, now
                )

    def _unit(
        self,
        key: CellKey,
        versions: dict[str, CellState],
        coders: list[str],
        current: GoldCell,
        now: Any,
    ) -> None:
        summary = self.summary
        by_curator = current.decided and (
            current.provenance is None or current.provenance.origin != ORIGIN_STRATEGY
        )
        if by_curator and not self.discard:
            summary.kept += 1
            return
        result = premerge(versions, coders, self.strategy, min_votes=self.min_votes,
                          confidence=self.confidence)  # fmt: skip
        if result is None:
            summary.open += 1
            if not current.decided:
                return
            if by_curator:
                summary.replaced += 1
            else:
                summary.cleared += 1
            state, provenance = CellState(), None
        else:
            summary.premerged += 1
            summary.replaced += by_curator
            state = result
            provenance = Provenance(
                ORIGIN_STRATEGY, strategy=self.strategy.value, curator_id=self.curator_id, at=now
            )
        before = write_gold(self.s, self.gold, key, state, provenance, Action.PREMERGE,
                            by=self.curator_id, current=current, at=now)  # fmt: skip
        summary.written += before is not None

    def _done(self, ids: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for article, annotator in done_marks(self.s, ids):
            out.setdefault(article, set()).add(annotator)
        return out

    def _cells(
        self, ids: list[int], done: dict[int, set[int]]
    ) -> tuple[
        dict[int, dict[tuple[int, str], dict[int, CellState]]],
        dict[int, dict[tuple[int, str], StoredCell]],
    ]:
        """Done annotators' cells and the gold cells of the batch's articles."""
        cells: dict[int, dict[tuple[int, str], dict[int, CellState]]] = {}
        gold_cells: dict[int, dict[tuple[int, str], StoredCell]] = {}
        for label in read_labels(self.s, LabelFilter(articles=ids, who=EVERYONE)):
            unit, article = (label.actor_id, label.target), label.article_id
            if label.annotator_id == self.gold:
                gold_cells.setdefault(article, {})[unit] = StoredCell(label.row_id, label.state)
            elif label.annotator_id in done.get(article, ()):
                cells.setdefault(article, {}).setdefault(unit, {})[label.annotator_id] = label.state
        return cells, gold_cells

    def _origins(self, ids: list[int]) -> dict[int, dict[tuple[int, str], Provenance]]:
        out: dict[int, dict[tuple[int, str], Provenance]] = {}
        for (article, actor, target), provenance in provenances(self.s, ids).items():
            out.setdefault(article, {})[(actor, target)] = provenance
        return out
