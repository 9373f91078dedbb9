"""The pre-merge strategies on hand-built units: truth tables for two and three annotators,
agreement, disagreement, empty cells ("no stance") and annotators who are not done."""

from __future__ import annotations

import pytest

from annotator.curation.strategies import Strategy, agreed, check_strategy, premerge
from annotator.errors import InputError
from annotator.store.labels import CellState

FAVOR, AGAINST = CellState("favor"), CellState("against")
NO_STANCE = CellState()  # a decision: the actor takes no stance here
OPEN = None  # no decision: the curator decides

C, INC, T = Strategy.COMPLETE, Strategy.INCOMPLETE, Strategy.THRESHOLD


def versions(*cells: CellState | None) -> dict[str, CellState]:
    """Annotators a, b, c...; None: that annotator left the cell empty (no label row)."""
    return {name: cell for name, cell in zip("abc", cells, strict=False) if cell is not None}


def merged(cells: dict[str, CellState], done: str, strategy: Strategy, **kw) -> CellState | None:
    result = premerge(cells, list(done), strategy, **kw)
    # Only the stance decides here; evidence and notes have their own tests below.
    return None if result is None else CellState(result.stance)


# Two annotators, both done. Threshold with its defaults: at least 2 votes, share >= 0.75.
TWO = [
    # a,       b,       complete,  incomplete, threshold
    (FAVOR,   FAVOR,   FAVOR,     FAVOR,      FAVOR),
    (FAVOR,   AGAINST, OPEN,      OPEN,       OPEN),  # 1:1, a tie
    (FAVOR,   None,    OPEN,      FAVOR,      OPEN),  # favor 1 vote, no stance 1 vote
    (None,    FAVOR,   OPEN,      FAVOR,      OPEN),
    (None,    None,    NO_STANCE, NO_STANCE,  NO_STANCE),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "complete", "incomplete", "threshold"), TWO)
def test_two_annotators(a, b, complete, incomplete, threshold) -> None:
    cells = versions(a, b)
    assert merged(cells, "ab", C) == complete
    assert merged(cells, "ab", INC) == incomplete
    assert merged(cells, "ab", T) == threshold


# Three annotators, all done: threshold at the default share 0.75 and at 0.6.
THREE = [
    # a,      b,       c,       complete, incomplete, threshold .75, threshold .6
    (FAVOR,  FAVOR,   FAVOR,   FAVOR,    FAVOR,      FAVOR,         FAVOR),
    (FAVOR,  FAVOR,   AGAINST, OPEN,     OPEN,       OPEN,          FAVOR),      # 2/3
    (FAVOR,  FAVOR,   None,    OPEN,     FAVOR,      OPEN,          FAVOR),
    (FAVOR,  None,    None,    OPEN,     FAVOR,      OPEN,          NO_STANCE),  # 2/3 none
    (FAVOR,  AGAINST, None,    OPEN,     OPEN,       OPEN,          OPEN),       # 1:1:1
    (None,   None,    None,    NO_STANCE, NO_STANCE, NO_STANCE,     NO_STANCE),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "c", "complete", "incomplete", "t75", "t60"), THREE)
def test_three_annotators(a, b, c, complete, incomplete, t75, t60) -> None:
    cells = versions(a, b, c)
    assert merged(cells, "abc", C) == complete
    assert merged(cells, "abc", INC) == incomplete
    assert merged(cells, "abc", T) == t75
    assert merged(cells, "abc", T, confidence=0.6) == t60


def test_threshold_needs_min_votes_for_the_winner() -> None:
    cells = versions(FAVOR, FAVOR, AGAINST)
    assert merged(cells, "abc", T, confidence=0.6, min_votes=2) == FAVOR
    assert merged(cells, "abc", T, confidence=0.6, min_votes=3) is None
    # Four annotators, 3 of 4 = 0.75 exactly meets the default share.
    four = {"a": FAVOR, "b": FAVOR, "c": FAVOR, "d": AGAINST}
    assert merged(four, "abcd", T) == FAVOR
    assert merged(four, "abcd", T, min_votes=4) is None


def test_a_tie_is_no_decision_even_at_a_low_confidence() -> None:
    cells = versions(FAVOR, AGAINST)
    assert merged(cells, "ab", T, confidence=0.5, min_votes=1) is None


def test_only_annotators_who_are_done_count() -> None:
    cells = versions(FAVOR, FAVOR, AGAINST)  # c is still working: not done
    assert merged(cells, "ab", C) == FAVOR
    assert merged(cells, "ac", C) is None
    # One done annotator: complete agreement with oneself, but too few votes for threshold.
    assert merged(cells, "a", C) == FAVOR
    assert merged(cells, "a", T) is None
    assert premerge(cells, [], C) is None


def test_a_cell_with_only_evidence_or_a_note_says_no_stance() -> None:
    noted = CellState(None, ((0, 5),), "unsure")
    assert merged({"a": noted}, "ab", C) == NO_STANCE
    assert merged({"a": noted, "b": FAVOR}, "ab", INC) == FAVOR


def test_agreed_evidence_is_the_union_of_the_agreeing_versions_and_no_note() -> None:
    cells = {
        "a": CellState("favor", ((0, 10),), "klar"),
        "b": CellState("favor", ((0, 10), (20, 30)), None),
        "c": CellState("against", ((40, 50),), "anders"),
    }
    result = premerge(cells, "abc", T, confidence=0.6)
    assert result == CellState("favor", ((0, 10), (20, 30)), None)
    incomplete = premerge({"a": cells["a"], "b": CellState(None, ((60, 70),))}, "ab", INC)
    assert incomplete == CellState("favor", ((0, 10),), None)  # b's stance-less span: not agreeing
    assert premerge({}, "ab", C) == CellState()  # "no stance" keeps nobody's evidence


def test_agreed_counts_no_stance_as_a_value() -> None:
    assert agreed(versions(FAVOR, FAVOR), "ab")
    assert not agreed(versions(FAVOR, None), "ab")
    assert agreed(versions(None, None), "ab")
    assert agreed(versions(FAVOR, AGAINST), "a")


@pytest.mark.parametrize(
    ("strategy", "kw", "message"),
    [
        ("majority", {}, "unknown strategy 'majority' (choose complete, incomplete, threshold)"),
        ("threshold", {"min_votes": 0}, "at least 1"),
        ("threshold", {"confidence": 0}, "above 0 and at most 1"),
        ("threshold", {"confidence": 1.5}, "above 0 and at most 1"),
    ],
)
def test_bad_parameters_are_refused_clearly(strategy, kw, message) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_strategy(strategy, **kw)
