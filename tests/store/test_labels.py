from __future__ import annotations

import pytest
from sqlmodel import select

from annotator.errors import InputError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import CellKey, CellState, get_cell, is_done, put_cell, set_done
from annotator.store.models import Evidence, LabelEvent, StanceAnnotation
from tests.conftest import add_actor, add_article

TEXT = "Pistorius fordert mehr Geld für die Verteidigung. Masala widerspricht."


@pytest.fixture
def cell(project):
    article = add_article(project, "a1", TEXT)
    actor = add_actor(project, "Boris Pistorius")
    return CellKey(article, actor, "defence_spending")


def test_put_cell_writes_label_evidence_and_history(project, cell) -> None:
    anna = get_or_create_annotator(project, "anna")
    put_cell(project, anna, cell, CellState("favor", ((0, 49),), "klar"))
    assert get_cell(project, anna, cell) == CellState("favor", ((0, 49),), "klar")
    with project.session() as s:
        events = s.exec(select(LabelEvent)).all()
    assert [(e.action, e.before["stance"], e.after["stance"]) for e in events] == [
        ("set", None, "favor")
    ]


def test_labels_are_per_annotator(project, cell) -> None:
    anna = get_or_create_annotator(project, "anna")
    ben = get_or_create_annotator(project, "ben")
    put_cell(project, anna, cell, CellState("favor"))
    put_cell(project, ben, cell, CellState("against"))
    assert get_cell(project, anna, cell).stance == "favor"
    assert get_cell(project, ben, cell).stance == "against"
    assert {lab.annotator for lab in labels_for_article(project, cell.article_id)} == {
        "anna",
        "ben",
    }
    assert [lab.annotator for lab in labels_for_article(project, cell.article_id, anna)] == ["anna"]


def test_empty_state_deletes_row_and_its_evidence(project, cell) -> None:
    anna = get_or_create_annotator(project, "anna")
    put_cell(project, anna, cell, CellState("favor", ((0, 9),)))
    put_cell(project, anna, cell, CellState())
    with project.session() as s:
        assert s.exec(select(StanceAnnotation)).all() == []
        assert s.exec(select(Evidence)).all() == []


def test_evidence_outside_the_text_is_refused_and_nothing_changes(project, cell) -> None:
    anna = get_or_create_annotator(project, "anna")
    put_cell(project, anna, cell, CellState("favor"))
    with pytest.raises(InputError, match="outside the article"):
        put_cell(project, anna, cell, CellState("against", ((0, len(TEXT) + 5),)))
    assert get_cell(project, anna, cell) == CellState("favor")


def test_unknown_stance_is_refused(project, cell) -> None:
    anna = get_or_create_annotator(project, "anna")
    with pytest.raises(InputError, match="unknown stance"):
        put_cell(project, anna, cell, CellState("maybe"), stances=("against", "neutral", "favor"))
    assert get_cell(project, anna, cell).is_empty


def test_done_marks(project, cell) -> None:
    anna = get_or_create_annotator(project, "anna")
    assert set_done(project, cell.article_id, anna) is False
    assert is_done(project, cell.article_id, anna)
    assert set_done(project, cell.article_id, anna, False) is True
    assert not is_done(project, cell.article_id, anna)
