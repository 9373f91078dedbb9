from __future__ import annotations

from sqlmodel import select

from annotator.labelling import LabellingSession, actor_rows
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import MentionView
from annotator.store.labels import CellKey, CellState, get_cell, is_done
from annotator.store.models import LabelEvent
from tests.conftest import add_actor, add_article

TEXT = "Pistorius will mehr Geld. Masala fordert Bodentruppen."


def _session(project, codebook):
    article = add_article(project, "a", TEXT)
    actor = add_actor(project, "Boris Pistorius")
    anna = get_or_create_annotator(project, "anna")
    return (
        LabellingSession(project, codebook, anna),
        CellKey(article, actor, "defence_spending"),
        anna,
    )


def test_every_change_is_written_at_once_and_undo_redo_walk_back(project, codebook) -> None:
    session, key, anna = _session(project, codebook)
    session.set_stance(key, "favor")
    session.add_evidence(key, 0, 25)
    session.set_note(key, "  eindeutig ")
    assert get_cell(project, anna, key) == CellState("favor", ((0, 25),), "eindeutig")
    session.undo()
    assert get_cell(project, anna, key) == CellState("favor", ((0, 25),))
    session.undo()
    assert get_cell(project, anna, key) == CellState("favor")
    session.undo()
    assert get_cell(project, anna, key).is_empty
    assert session.undo() is None
    session.redo()
    session.redo()
    assert get_cell(project, anna, key) == CellState("favor", ((0, 25),))


def test_a_new_change_drops_the_redo_stack(project, codebook) -> None:
    session, key, anna = _session(project, codebook)
    session.set_stance(key, "favor")
    session.undo()
    session.set_stance(key, "against")
    assert not session.can_redo
    assert get_cell(project, anna, key).stance == "against"


def test_undo_of_done_and_history(project, codebook) -> None:
    session, key, anna = _session(project, codebook)
    session.set_done(key.article_id)
    assert is_done(project, key.article_id, anna)
    session.undo()
    assert not is_done(project, key.article_id, anna)
    session.set_stance(key, "neutral")
    session.clear(key)
    with project.session() as s:
        actions = [e.action for e in s.exec(select(LabelEvent).order_by(LabelEvent.id)).all()]
    assert actions == ["done", "undo", "set", "clear"]


def test_remove_evidence(project, codebook) -> None:
    session, key, anna = _session(project, codebook)
    session.add_evidence(key, 0, 25)
    session.add_evidence(key, 26, 54)
    session.remove_evidence(key, 0, 25)
    assert get_cell(project, anna, key).evidence == ((26, 54),)


def test_actor_rows_group_mentions_in_reading_order() -> None:
    ms = [
        MentionView(1, 30, 36, "PER", 7, "Carlo Masala", "rule"),
        MentionView(2, 0, 9, "PER", 3, "Boris Pistorius", "lexicon"),
        MentionView(3, 50, 59, "PER", 3, "Boris Pistorius", "lexicon"),
        MentionView(4, 60, 65, "LOC", None, None, "rule"),
    ]
    rows = actor_rows(ms, [(9, "NATO")])
    assert [(r.name, r.mentions) for r in rows] == [
        ("Boris Pistorius", 2),
        ("Carlo Masala", 1),
        ("NATO", 0),
    ]
