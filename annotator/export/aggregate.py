"""From stored labels to exported stance labels: one per annotator, or one per unit.

A unit is one (article, actor, target). Aggregated labels keep the number of votes and the
full distribution over the codebook's stance scale, so a model can train on soft labels.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from annotator.store.gold import Provenance
from annotator.store.label_reads import Label


@dataclass(slots=True)
class StanceRecord:
    actor_id: int
    actor: str
    target: str
    label: str | None  # None: an aggregated unit without agreement (kept only when asked)
    annotator: str | None  # None for aggregated labels
    votes: int
    distribution: dict[str, int]
    agreed: bool
    evidence: tuple[tuple[int, int], ...]
    note: str | None
    origin: dict[str, Any] | None = None  # gold labels: where the label came from


def _distribution(stances: Sequence[str], rows: Sequence[Label]) -> dict[str, int]:
    counts = dict.fromkeys(stances, 0)
    for r in rows:
        if r.stance is not None:
            counts[r.stance] = counts.get(r.stance, 0) + 1
    return counts


def per_annotator(
    labels: Sequence[Label], stances: Sequence[str], names: dict[int, str]
) -> Iterator[StanceRecord]:
    """One label per annotator and unit (only cells that hold a stance).

    Labels with the same stance share one distribution dict: treat it as read-only.
    """
    one_hot: dict[str, dict[str, int]] = {}
    for r in labels:
        if r.stance is None:
            continue
        distribution = one_hot.get(r.stance)
        if distribution is None:
            distribution = one_hot[r.stance] = dict.fromkeys(stances, 0)
            distribution[r.stance] = 1
        yield StanceRecord(
            actor_id=r.actor_id,
            actor=r.actor,
            target=r.target,
            label=r.stance,
            annotator=names.get(r.annotator_id, str(r.annotator_id)),
            votes=1,
            distribution=distribution,
            agreed=True,
            evidence=tuple(r.evidence),
            note=r.note,
        )


@dataclass
class AggregateCounts:
    dropped: int = 0  # units without agreement (or with too few votes) left out
    flagged: int = 0  # units without agreement kept with label None


def aggregated(
    labels: Sequence[Label],
    stances: Sequence[str],
    *,
    method: str,
    min_votes: int = 1,
    keep_disagreements: bool = False,
    counts: AggregateCounts | None = None,
) -> Iterator[StanceRecord]:
    """One label per unit: the strict majority, or the label everybody gave."""
    units: dict[tuple[int, str], list[Label]] = {}
    for r in labels:
        if r.stance is not None:
            units.setdefault((r.actor_id, r.target), []).append(r)
    for rows in units.values():
        votes = len(rows)
        distribution = _distribution(stances, rows)
        if votes < min_votes:
            if counts is not None:
                counts.dropped += 1
            continue
        top, top_n = max(distribution.items(), key=lambda kv: kv[1])
        # Majority means more than half of the votes, so a tie is no majority.
        agreed = top_n == votes if method == "unanimous" else top_n * 2 > votes
        if not agreed and not keep_disagreements:
            if counts is not None:
                counts.dropped += 1
            continue
        if not agreed and counts is not None:
            counts.flagged += 1
        # Evidence of the annotators who gave the winning label (of everybody, if none won).
        voters = [r for r in rows if r.stance == top] if agreed else rows
        evidence = tuple(sorted({span for r in voters for span in r.evidence}))
        yield StanceRecord(
            actor_id=rows[0].actor_id,
            actor=rows[0].actor,
            target=rows[0].target,
            label=top if agreed else None,
            annotator=None,
            votes=votes,
            distribution=distribution,
            agreed=agreed,
            evidence=evidence,
            note=None,
        )


def origin_json(provenance: Provenance | None, names: Mapping[int, str]) -> dict[str, Any]:
    """A gold label's provenance as exported (`gold_origin`): origin "annotator" (their
    version accepted), "strategy" (pre-merged), "curator" (the curator's own decision) or
    "unknown" (imported without one); names as in the rest of the export."""
    if provenance is None:
        return {"origin": "unknown", "annotator": None, "strategy": None, "curator": None,
                "at": None}  # fmt: skip
    source, curator, at = provenance.source_annotator_id, provenance.curator_id, provenance.at
    return {
        "origin": provenance.origin,
        "annotator": None if source is None else names.get(source, str(source)),
        "strategy": provenance.strategy,
        "curator": None if curator is None else names.get(curator, str(curator)),
        "at": None if at is None else (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat(),
    }


def gold_labels(
    labels: Sequence[Label], stances: Sequence[str], names: Mapping[int, str]
) -> Iterator[StanceRecord]:
    """One label per unit: the curated gold label (only cells that hold a stance), with
    its provenance; votes 1, as the curator's one decision."""
    for r in labels:
        if r.stance is None:
            continue
        distribution = dict.fromkeys(stances, 0)
        distribution[r.stance] = 1
        yield StanceRecord(
            actor_id=r.actor_id,
            actor=r.actor,
            target=r.target,
            label=r.stance,
            annotator=None,
            votes=1,
            distribution=distribution,
            agreed=True,
            evidence=tuple(r.evidence),
            note=r.note,
            origin=origin_json(r.origin, names),
        )
