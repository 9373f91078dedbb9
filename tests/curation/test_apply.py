"""Pre-merging articles: what is merged, kept, replaced and taken back, and the summary.

The project (tests/agreement/builders.py): in a1 anna and ben both say favor for Pistorius
and disagree on Masala (favor / against); in a2 both say against for NATO and only ben gives
Masala a stance (neutral); a3 is not ready (ben is not done)."""

from __future__ import annotations

import pytest

from annotator.curation import CurationError, CurationSession, apply_strategy
from annotator.curation.units import load_article_curation
from annotator.store.gold import CURATED, ORIGIN_STRATEGY, read_provenance, write_curation
from annotator.store.gold import gold_annotator_id as gold_id
from annotator.store.labels import Action, CellState, put_cell
from tests.agreement.builders import article_id
from tests.curation.conftest import key, person

MASALA_A1 = ("a1", "Carlo Masala", "ground_troops")
PISTORIUS_A1 = ("a1", "Boris Pistorius", "defence_spending")
MASALA_A2 = ("a2", "Carlo Masala", "ground_troops")
NATO_A2 = ("a2", "NATO", "defence_spending")


def gold(project, where) -> tuple[str | None, str | None]:
    """(gold stance, origin) of a unit; origin None: not decided."""
    k = key(project, *where)
    unit = next(u for u in load_article_curation(project, k.article_id).units if u.key == k)
    return unit.gold.stance, unit.origin.kind if unit.origin else None


def test_complete_agreement_over_every_ready_article(team) -> None:
    lena = person(team, "lena")
    summary = apply_strategy(team, "complete", curator_id=lena)
    assert (summary.articles, summary.premerged, summary.open, summary.kept) == (2, 2, 2, 0)
    assert summary.written == 2 and "2 unit(s) pre-merged; 2 left for the curator" in (
        summary.summary()
    )
    assert gold(team, PISTORIUS_A1) == ("favor", ORIGIN_STRATEGY)
    assert gold(team, NATO_A2) == ("against", ORIGIN_STRATEGY)
    assert gold(team, MASALA_A1) == (None, None)
    with team.session() as s:
        provenance = read_provenance(s, key(team, *PISTORIUS_A1))
    assert (provenance.strategy, provenance.curator_id, provenance.source_annotator_id) == (
        "complete", lena, None)  # fmt: skip
    # a3 is not ready: nothing there
    assert all(not u.decided for u in load_article_curation(team, article_id(team, "a3")).units)
    again = apply_strategy(team, "complete", curator_id=lena)
    assert (again.premerged, again.written) == (2, 0)  # merging twice changes nothing


def test_incomplete_agreement_takes_the_only_stance_given(team) -> None:
    apply_strategy(team, "incomplete", curator_id=None)
    assert gold(team, MASALA_A2) == ("neutral", ORIGIN_STRATEGY)
    assert gold(team, MASALA_A1) == (None, None)


def test_a_remerge_keeps_the_curators_decisions_and_recomputes_its_own(team, codebook) -> None:
    lena = person(team, "lena")
    apply_strategy(team, "complete", curator_id=lena)
    CurationSession(team, codebook, lena).accept(key(team, *MASALA_A1), person(team, "ben"))
    # ben changes his mind on Pistorius: complete agreement no longer holds there
    put_cell(team, person(team, "ben"), key(team, *PISTORIUS_A1), CellState("neutral"))
    summary = apply_strategy(team, "complete", curator_id=lena)
    assert (summary.kept, summary.cleared, summary.premerged) == (1, 1, 1)
    assert gold(team, MASALA_A1) == ("against", "annotator")
    assert gold(team, PISTORIUS_A1) == (None, None)  # the pre-merge was taken back


def test_discarding_decisions_replaces_them(team, codebook) -> None:
    lena = person(team, "lena")
    CurationSession(team, codebook, lena).set_stance(key(team, *NATO_A2), "favor")
    CurationSession(team, codebook, lena).set_stance(key(team, *MASALA_A1), "neutral")
    kept = apply_strategy(team, "complete", curator_id=lena)
    assert kept.kept == 2 and gold(team, NATO_A2) == ("favor", "curator")
    summary = apply_strategy(team, "complete", curator_id=lena, discard_decisions=True)
    assert (summary.replaced, summary.kept) == (2, 0)
    assert gold(team, NATO_A2) == ("against", ORIGIN_STRATEGY)
    assert gold(team, MASALA_A1) == (None, None)  # no agreement there: open again


def test_curated_articles_are_left_alone_and_unready_ones_refused(team) -> None:
    a1, a3 = article_id(team, "a1"), article_id(team, "a3")
    gold_annotator = _gold(team)
    with team.write() as s:
        write_curation(s, gold_annotator, a1, CURATED, Action.CURATE, by=None)
    summary = apply_strategy(team, "complete", curator_id=None)
    assert summary.articles == 1 and gold(team, PISTORIUS_A1) == (None, None)
    one = apply_strategy(team, "complete", curator_id=None, article_ids=[a1])
    assert (one.articles, one.skipped_curated) == (0, 1)
    with pytest.raises(CurationError, match=r"'a3' is not ready for curation \(1/2 done\)"):
        apply_strategy(team, "complete", curator_id=None, article_ids=[a3])
    with pytest.raises(CurationError, match="does not exist"):
        apply_strategy(team, "complete", curator_id=None, article_ids=[999])


def _gold(project) -> int:
    from annotator.store.gold import ensure_gold

    with project.write() as s:
        return ensure_gold(s)


def test_the_threshold_strategy_with_its_parameters(team) -> None:
    # Two coders: favor/against is a tie at any threshold; favor/favor passes.
    summary = apply_strategy(team, "threshold", curator_id=None, min_votes=2, confidence=0.75)
    assert gold(team, PISTORIUS_A1) == ("favor", ORIGIN_STRATEGY)
    assert gold(team, MASALA_A1) == (None, None)
    assert summary.premerged == 2
    assert gold_id(team) is not None
