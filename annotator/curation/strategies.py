"""Pre-merge strategies: what one unit's gold label is when the annotators' versions say
it clearly enough, or None (no decision: the curator decides).

Pure functions over one unit (article, actor, target): `versions` maps an annotator to
their cell, `done` names the annotators who marked the article done. Only their versions
count (work in progress is no judgement, as in agreement); a done annotator without a
cell, or with a cell without a stance, says "no stance". The result is a CellState:

- a stance the versions agree on: that stance, the evidence of every version that gave
  it (the union of their spans), no note (notes are the annotators' comments);
- "no stance" agreed: the empty state (a decision: the actor takes no stance here);
- None: no decision.

Strategies, after INCEpTION's (docs/curation.md compares them):

- COMPLETE: every done annotator gives the same value, "no stance" included.
- INCOMPLETE: every done annotator who gave a stance gave the same one; the others gave
  none. If nobody gave a stance, that is complete agreement on "no stance".
- THRESHOLD: each done annotator has one vote (a stance or "no stance"); the value with
  the most votes wins if it has at least `min_votes` votes and a share of at least
  `confidence` of all votes. A tie for the most votes is no decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from enum import StrEnum

from annotator.errors import InputError
from annotator.store.labels import CellState


class Strategy(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    THRESHOLD = "threshold"


STRATEGIES = tuple(s.value for s in Strategy)
DEFAULT_MIN_VOTES = 2
DEFAULT_CONFIDENCE = 0.75


def check_strategy(
    strategy: Strategy | str,
    *,
    min_votes: int = DEFAULT_MIN_VOTES,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Strategy:
    """The strategy, after checking it and its parameters (one clear message each)."""
    try:
        checked = Strategy(strategy)
    except ValueError:
        raise InputError(
            f"unknown strategy {strategy!r} (choose {', '.join(STRATEGIES)})"
        ) from None
    if min_votes < 1:
        raise InputError(f"the minimum number of votes must be at least 1, not {min_votes}")
    if not 0 < confidence <= 1:
        raise InputError(f"the confidence must be above 0 and at most 1, not {confidence}")
    return checked


def _stances(versions: Mapping[str, CellState], coders: list[str]) -> list[str | None]:
    return [versions[c].stance if c in versions else None for c in coders]


def agreed(versions: Mapping[str, CellState], done: Collection[str]) -> bool:
    """Whether every done annotator gives the unit the same value ("no stance" included)."""
    coders = list(dict.fromkeys(done))
    return len(set(_stances(versions, coders))) <= 1


def _decided(value: str | None, versions: Mapping[str, CellState], coders: list[str]) -> CellState:
    if value is None:
        return CellState()
    spans = {
        span
        for c in coders
        if c in versions and versions[c].stance == value
        for span in versions[c].evidence
    }
    return CellState(value, tuple(sorted(spans)), None)


def premerge(
    versions: Mapping[str, CellState],
    done: Collection[str],
    strategy: Strategy | str,
    *,
    min_votes: int = DEFAULT_MIN_VOTES,
    confidence: float = DEFAULT_CONFIDENCE,
) -> CellState | None:
    """The unit's gold label by `strategy`, or None when it does not decide (see the module
    docstring for the exact rules). Without any done annotator nothing is decided."""
    strategy = check_strategy(strategy, min_votes=min_votes, confidence=confidence)
    coders = list(dict.fromkeys(done))
    if not coders:
        return None
    stances = _stances(versions, coders)
    if strategy is Strategy.COMPLETE:
        values = set(stances)
        return _decided(stances[0], versions, coders) if len(values) == 1 else None
    if strategy is Strategy.INCOMPLETE:
        given = {s for s in stances if s is not None}
        if len(given) > 1:
            return None
        return _decided(next(iter(given), None), versions, coders)
    ranked = Counter(stances).most_common()
    top, votes = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == votes:
        return None  # a tie for the most votes
    if votes < min_votes or votes / len(stances) < confidence:
        return None
    return _decided(top, versions, coders)
