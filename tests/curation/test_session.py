"""The curator's session: decisions with provenance, undo/redo (also rebuilt from the history
after a restart), curated articles are final, and the annotators' labels are never touched."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from annotator.curation import (
    CurationConflict,
    CurationError,
    CurationSession,
    load_article_curation,
)
from annotator.store.gold import CURATED, IN_CURATION, gold_annotator_id
from annotator.store.labels import CellState, put_cell
from annotator.store.models import Curation, GoldOrigin, LabelEvent
from tests.agreement.builders import TEXTS, article_id
from tests.curation.conftest import annotators_data, key, person

MASALA = ("a1", "Carlo Masala", "ground_troops")  # anna favor (+evidence, note), ben against
PISTORIUS = ("a1", "Boris Pistorius", "defence_spending")  # both favor


def session(project, codebook, name: str = "lena", **kw) -> CurationSession:
    return CurationSession(project, codebook, person(project, name), **kw)


def origin_row(project, k) -> GoldOrigin | None:
    with project.session() as s:
        return s.get(GoldOrigin, (k.article_id, k.actor_id, k.target))


def gold_of(project, k) -> CellState:
    return next(u for u in load_article_curation(project, k.article_id).units if u.key == k).gold


def test_accepting_a_version_copies_it_and_records_where_it_came_from(team, codebook) -> None:
    cur = session(team, codebook)
    masala, anna = key(team, *MASALA), person(team, "anna")
    cur.accept(masala, anna)
    start = TEXTS["a1"].index("Masala hält")
    expected = CellState("favor", ((start, start + len("Masala hält Bodentruppen für denkbar")),),
                         "klar dafür")  # fmt: skip
    unit = next(u for u in cur.article(masala.article_id).units if u.key == masala)
    assert unit.gold == expected
    assert (unit.origin.kind, unit.origin.annotator, unit.origin.curator) == (
        "annotator", "anna", "lena")  # fmt: skip
    row = origin_row(team, masala)
    assert (row.origin, row.source_annotator_id, row.curator_id) == (
        "annotator", anna, person(team, "lena"))  # fmt: skip
    # The same transaction wrote one history event of the gold annotator with both.
    with team.session() as s:
        events = s.exec(select(LabelEvent).where(LabelEvent.actor_id == masala.actor_id,
                        LabelEvent.annotator_id == gold_annotator_id(team))).all()  # fmt: skip
    assert [e.action for e in events] == ["curate"]
    assert events[0].after["origin"]["origin"] == "annotator"
    assert events[0].after["by"] == person(team, "lena")
    assert events[0].before["origin"] is None
    # The first decision opened the article for curation.
    assert cur.article(masala.article_id).state == IN_CURATION


def test_editing_gold_makes_it_the_curators_decision_based_on_the_version(team, codebook) -> None:
    cur = session(team, codebook)
    masala = key(team, *MASALA)
    cur.accept(masala, person(team, "ben"))
    cur.set_note(masala, "  Masala is cautious  ")
    cur.add_evidence(masala, 0, 9)
    unit = next(u for u in cur.article(masala.article_id).units if u.key == masala)
    assert unit.gold.stance == "against" and unit.gold.note == "Masala is cautious"
    assert (0, 9) in unit.gold.evidence
    assert (unit.origin.kind, unit.origin.annotator) == ("curator", "ben")
    cur.remove_evidence(masala, 0, 9)
    assert (0, 9) not in gold_of(team, masala).evidence


def test_no_stance_is_a_decision_and_clear_opens_the_unit_again(team, codebook) -> None:
    cur = session(team, codebook)
    masala = key(team, *MASALA)
    cur.set_stance(masala, None)
    unit = next(u for u in cur.article(masala.article_id).units if u.key == masala)
    assert unit.gold.is_empty and unit.decided and unit.origin.kind == "curator"
    cur.clear(masala)
    unit = next(u for u in cur.article(masala.article_id).units if u.key == masala)
    assert not unit.decided and origin_row(team, masala) is None


def test_undo_and_redo_restore_the_label_and_its_provenance(team, codebook) -> None:
    cur = session(team, codebook)
    masala = key(team, *MASALA)
    cur.accept(masala, person(team, "anna"))
    cur.set_stance(masala, "neutral")
    assert gold_of(team, masala).stance == "neutral"
    cur.undo()
    assert gold_of(team, masala).stance == "favor"
    assert origin_row(team, masala).origin == "annotator"  # not "curator" any more
    cur.undo()
    assert not gold_of(team, masala).stance and origin_row(team, masala) is None
    assert cur.undo() is None
    cur.redo()
    assert origin_row(team, masala).origin == "annotator"
    cur.redo()
    assert (gold_of(team, masala).stance, origin_row(team, masala).origin) == ("neutral", "curator")


def test_undo_survives_a_restart_and_holds_only_this_curators_steps(team, codebook) -> None:
    masala, pistorius = key(team, *MASALA), key(team, *PISTORIUS)
    lena = session(team, codebook)
    lena.accept(masala, person(team, "anna"))
    lena.set_stance(masala, "against")
    lena.undo()  # back to anna's version; "against" is on the redo stack
    session(team, codebook, "otto").accept(pistorius, person(team, "ben"))
    again = session(team, codebook)  # lena after a restart
    assert again.can_undo and again.can_redo
    again.redo()
    assert gold_of(team, masala).stance == "against"
    again.undo()
    again.undo()
    assert not gold_of(team, masala).stance
    assert gold_of(team, pistorius).stance == "favor"  # otto's decision is not lena's to undo
    assert not again.can_undo


def test_a_premerge_ends_the_undo_history(team, codebook) -> None:
    masala = key(team, *MASALA)
    lena = session(team, codebook)
    lena.accept(masala, person(team, "anna"))
    summary = lena.premerge(masala.article_id, "complete")
    assert summary.written == 1  # Pistorius: both favor
    assert not lena.can_undo
    assert not session(team, codebook).can_undo  # also when rebuilt from the history


def test_undo_refuses_a_unit_another_curator_changed_since(team, codebook) -> None:
    masala = key(team, *MASALA)
    lena, otto = session(team, codebook), session(team, codebook, "otto")
    lena.accept(masala, person(team, "anna"))
    otto.set_stance(masala, "neutral")
    with pytest.raises(CurationConflict, match="changed since"):
        lena.undo()
    assert gold_of(team, masala).stance == "neutral"  # otto's decision stands
    assert not lena.can_undo and not lena.can_redo  # the step was dropped


def test_a_curated_article_is_final_until_reopened(team, codebook) -> None:
    cur = session(team, codebook)
    masala, pistorius = key(team, *MASALA), key(team, *PISTORIUS)
    a1 = masala.article_id
    cur.accept(masala, person(team, "ben"))
    with pytest.raises(CurationError, match="1 unit"):
        cur.finish(a1)  # Pistorius is not decided yet
    cur.accept(pistorius, person(team, "anna"))
    cur.finish(a1)
    assert cur.article(a1).state == CURATED and cur.article(a1).badge == "curated"
    with pytest.raises(CurationError, match="curated.*reopen"):
        cur.set_stance(masala, "neutral")
    cur.undo()  # the "curated" mark is an undo step
    assert cur.article(a1).state == IN_CURATION
    cur.redo()
    cur.reopen(a1)
    cur.set_stance(masala, "neutral")
    assert gold_of(team, masala).stance == "neutral"
    with team.session() as s:
        assert s.get(Curation, a1).state == IN_CURATION


def test_only_versions_of_annotators_who_are_done_can_be_accepted(team, codebook) -> None:
    cur = session(team, codebook)
    a3 = key(team, "a3", "Boris Pistorius", "defence_spending")  # ben is not done with a3
    with pytest.raises(CurationError, match="marked the article done"):
        cur.accept(a3, person(team, "ben"))
    view = cur.article(a3.article_id)
    assert view.coders == ("anna",) and view.in_progress == ("ben",)
    assert [v.annotator for u in view.units for v in u.versions] == ["anna"]  # not ben's label
    assert view.badge == "1/2 done" and not view.ready


def test_the_view_lists_disagreements_first_with_every_done_version(team, codebook) -> None:
    view = session(team, codebook).article(article_id(team, "a1"))
    assert [(u.actor, u.agreed) for u in view.units] == [
        ("Carlo Masala", False),
        ("Boris Pistorius", True),
    ]
    masala = view.units[0]
    assert [(v.annotator, v.state.stance) for v in masala.versions] == [
        ("anna", "favor"), ("ben", "against")]  # fmt: skip
    assert not masala.decided and masala.origin is None and view.ready


def test_the_curator_never_changes_an_annotators_labels(team, codebook) -> None:
    before = annotators_data(team, None)
    cur = session(team, codebook)
    masala, pistorius = key(team, *MASALA), key(team, *PISTORIUS)
    a1, a2 = masala.article_id, article_id(team, "a2")
    cur.premerge(a1, "complete")
    cur.accept(masala, person(team, "anna"))
    cur.set_stance(masala, "neutral")
    cur.add_evidence(masala, 0, 9)
    cur.set_note(masala, "x")
    cur.clear(pistorius)
    cur.set_stance(pistorius, None)
    cur.undo()
    cur.redo()
    cur.premerge(a2, "incomplete", discard_decisions=True)
    cur.premerge(a1, "threshold", min_votes=1, confidence=0.5, discard_decisions=True)
    for unit in cur.article(a1).units:
        if not unit.decided:
            cur.set_stance(unit.key, None)
    cur.finish(a1)
    cur.reopen(a1)
    gold = gold_annotator_id(team)
    assert annotators_data(team, gold) == before
    with team.session() as s:
        # Every event the curation wrote is the gold annotator's.
        events = s.exec(select(LabelEvent).where(col(LabelEvent.action).in_(
            ["curate", "premerge"]))).all()  # fmt: skip
    assert events and {e.annotator_id for e in events} == {gold}


def test_an_annotator_editing_their_label_is_never_blocked_by_curation(team, codebook) -> None:
    cur = session(team, codebook)
    masala = key(team, *MASALA)
    cur.accept(masala, person(team, "anna"))
    put_cell(team, person(team, "anna"), masala, CellState("against"))  # anna's own window
    unit = next(u for u in cur.article(masala.article_id).units if u.key == masala)
    assert unit.version("anna").state.stance == "against"
    assert unit.gold.stance == "favor"  # gold keeps what the curator accepted
