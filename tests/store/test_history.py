"""Every label change is in the history, and undo survives a restart of the session."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from annotator.cli.app import main
from annotator.errors import InputError
from annotator.labelling import CellChange, DoneChange, LabellingSession, undo_stack_from_history
from annotator.store.annotators import get_or_create_annotator
from annotator.store.history import history
from annotator.store.labels import CellKey, CellState, get_cell, is_done
from tests.conftest import add_actor, add_article

TEXT = "Pistorius will mehr Geld. Masala fordert Bodentruppen."


@pytest.fixture
def setup(project, codebook):
    article = add_article(project, "art-1", TEXT)
    other = add_article(project, "art-2", "Scholz zögert. " * 3)
    pistorius = add_actor(project, "Boris Pistorius")
    masala = add_actor(project, "Carlo Masala")
    anna = get_or_create_annotator(project, "anna")
    ben = get_or_create_annotator(project, "ben")
    return {
        "article": article,
        "other": other,
        "key": CellKey(article, pistorius, "defence_spending"),
        "key2": CellKey(article, masala, "ground_troops"),
        "key3": CellKey(other, pistorius, "nato_membership"),
        "anna": anna,
        "ben": ben,
        "session": LabellingSession(project, codebook, anna),
    }


def _restart(project, codebook, annotator_id):
    """A new session as the GUI builds it after a restart (stacks from the history)."""
    return LabellingSession(project, codebook, annotator_id)


def test_every_kind_of_change_is_in_the_history_with_annotator_and_time(
    project, codebook, setup
) -> None:
    s, key = setup["session"], setup["key"]
    start = datetime.now(UTC) - timedelta(seconds=1)
    s.set_stance(key, "favor")
    s.set_stance(key, "against")
    s.add_evidence(key, 0, 25)
    s.set_note(key, "eindeutig")
    s.remove_evidence(key, 0, 25)
    s.set_stance(key, None)
    s.clear(key)
    s.set_done(key.article_id)
    s.set_done(key.article_id, False)
    s.undo()
    s.redo()

    entries = history(project)
    assert [e.action for e in reversed(entries)] == [
        "set", "set", "evidence_add", "note", "evidence_remove", "clear", "clear",
        "done", "undone", "undo", "redo",
    ]  # fmt: skip
    assert all(e.annotator == "anna" and e.article == "art-1" for e in entries)
    assert all(start <= e.time <= datetime.now(UTC) for e in entries)
    oldest = list(reversed(entries))
    assert (oldest[0].before_stance, oldest[0].after_stance) == (None, "favor")
    assert (oldest[1].before_stance, oldest[1].after_stance) == ("favor", "against")
    assert oldest[2].after_evidence == ((0, 25),) and oldest[2].actor == "Boris Pistorius"
    assert oldest[2].target == "defence_spending"
    assert (oldest[3].before_note, oldest[3].after_note) == (None, "eindeutig")
    assert oldest[4].before_evidence == ((0, 25),) and oldest[4].after_evidence == ()
    assert (oldest[7].actor, oldest[7].target) == (None, None)
    assert (oldest[7].before_done, oldest[7].after_done) == (False, True)
    assert (oldest[9].before_done, oldest[9].after_done) == (False, True)  # undo of "undone"


def test_history_filters_and_limit(project, codebook, setup) -> None:
    LabellingSession(project, codebook, setup["ben"]).set_stance(setup["key"], "favor")
    anna = setup["session"]
    anna.set_stance(setup["key"], "against")
    anna.set_stance(setup["key3"], "neutral")

    assert [e.annotator for e in history(project, annotator="ben")] == ["ben"]
    assert [e.article for e in history(project, article="art-2")] == ["art-2"]
    assert [e.after_stance for e in history(project, annotator="anna", article="art-1")] == [
        "against"
    ]
    newest = history(project, limit=2)
    assert [e.after_stance for e in newest] == ["neutral", "against"]
    with pytest.raises(InputError, match="no annotator 'nobody'"):
        history(project, annotator="nobody")
    with pytest.raises(InputError, match="no article 'missing'"):
        history(project, article="missing")


def test_undo_survives_a_restart(project, codebook, setup) -> None:
    s, key, anna = setup["session"], setup["key"], setup["anna"]
    s.set_stance(key, "favor")
    s.add_evidence(key, 0, 25)
    s.set_stance(key, "against")

    again = _restart(project, codebook, anna)
    assert again.can_undo and not again.can_redo
    again.undo()
    assert get_cell(project, anna, key) == CellState("favor", ((0, 25),))
    again.undo()
    assert get_cell(project, anna, key) == CellState("favor")

    # Restart once more: the two undone steps are redoable, in the right order.
    third = _restart(project, codebook, anna)
    assert third.can_redo
    third.redo()
    assert get_cell(project, anna, key) == CellState("favor", ((0, 25),))
    third.redo()
    assert get_cell(project, anna, key) == CellState("against", ((0, 25),))
    assert not third.can_redo


def test_rebuilt_stacks_equal_the_live_session_stacks(project, codebook, setup) -> None:
    s, key, key2, anna = setup["session"], setup["key"], setup["key2"], setup["anna"]
    s.set_stance(key, "favor")
    s.set_done(key.article_id)
    s.add_evidence(key2, 26, 54)
    s.set_note(key2, "Bodentruppen")
    s.undo()
    s.undo()
    s.redo()
    s.set_stance(key, "neutral")  # drops the redo stack
    s.undo()
    # Another annotator's work never enters anna's stacks.
    LabellingSession(project, codebook, setup["ben"]).set_stance(key, "against")

    undo, redo = undo_stack_from_history(project, anna)
    assert (undo, redo) == s.stack.steps
    assert isinstance(undo[1], DoneChange) and isinstance(undo[0], CellChange)


def test_an_actor_merge_is_one_step_also_after_a_restart(project, codebook, setup) -> None:
    s, key, anna = setup["session"], setup["key"], setup["anna"]
    s.set_stance(key, "favor")
    from tests.conftest import add_actor

    other = add_actor(project, "Boris P.")
    s.merge_actors(key.actor_id, other)
    moved = CellKey(key.article_id, other, key.target)
    assert get_cell(project, anna, moved).stance == "favor"
    again = _restart(project, codebook, anna)
    assert again.stack.steps == s.stack.steps
    again.undo()  # the merge, whole
    assert get_cell(project, anna, key).stance == "favor"
    assert get_cell(project, anna, moved) == CellState()
    assert _restart(project, codebook, anna).stack.steps == again.stack.steps
    again.redo()  # merged again: a new record, still one step
    assert get_cell(project, anna, moved).stance == "favor"
    last = _restart(project, codebook, anna)
    assert last.stack.steps == again.stack.steps
    last.undo()
    last.undo()  # and then the stance set before the merge
    assert get_cell(project, anna, key) == CellState()


def test_undo_of_done_survives_a_restart(project, codebook, setup) -> None:
    s, article, anna = setup["session"], setup["article"], setup["anna"]
    s.set_done(article)
    again = _restart(project, codebook, anna)
    again.undo()
    assert not is_done(project, article, anna)
    _restart(project, codebook, anna).redo()
    assert is_done(project, article, anna)


def test_an_undo_by_another_window_that_does_not_fit_is_undoable_itself(
    project, codebook, setup
) -> None:
    # Two windows of the same annotator: the second undoes a change the first one made,
    # so in the shared history the undo does not match the top of any one stack.
    first = setup["session"]
    first.set_stance(setup["key"], "favor")
    second = _restart(project, codebook, setup["anna"])
    first.set_stance(setup["key2"], "against")
    second.undo()  # undoes key (favor -> empty) while key2 is the newest change
    undo, redo = undo_stack_from_history(project, setup["anna"])
    assert redo == []
    assert undo[-1] == CellChange(setup["key"], CellState("favor"), CellState(), "undo")
    again = _restart(project, codebook, setup["anna"])
    again.undo()  # puts back what the other window's undo removed
    assert get_cell(project, setup["anna"], setup["key"]) == CellState("favor")
    assert get_cell(project, setup["anna"], setup["key2"]) == CellState("against")


def test_an_import_or_merge_ends_the_undo_stack(project, codebook, setup) -> None:
    from annotator.store.models import LabelEvent

    s, key, anna = setup["session"], setup["key"], setup["anna"]
    s.set_stance(key, "favor")
    with project.write() as w:
        w.add(LabelEvent(annotator_id=anna, article_id=key.article_id, action="merge"))
    s.set_stance(setup["key2"], "against")
    undo, redo = undo_stack_from_history(project, anna)
    assert [c.key for c in undo] == [setup["key2"]]
    assert redo == []


def test_depth_keeps_the_newest_steps(project, codebook, setup) -> None:
    s, key = setup["session"], setup["key"]
    for stance in ("favor", "against", "neutral", "favor"):
        s.set_stance(key, stance)
    undo, _ = undo_stack_from_history(project, setup["anna"], depth=2)
    assert [c.after.stance for c in undo] == ["neutral", "favor"]


def test_history_command_table_and_json(project, codebook, setup, capsys) -> None:
    s, key = setup["session"], setup["key"]
    s.set_stance(key, "favor")
    s.add_evidence(key, 0, 25)
    s.set_done(key.article_id)
    db = project.url or str(project.path)

    main(["--db", db, "history"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["time", "annotator", "article", "actor", "target", "action", "change"]
    assert "marked done" in out[1]
    assert "evidence_add" in out[2] and "+evidence 0-25" in out[2]
    assert "Boris Pistorius" in out[3] and "– → favor" in out[3]

    main(["--db", db, "history", "--annotator", "anna", "--article", "art-1", "-n", "1", "--json"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["action"] == "done" and record["after"] == {"done": True}
    assert record["annotator"] == "anna" and record["article"] == "art-1"


def test_history_command_unknown_annotator_is_one_clear_line(project, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", project.url or str(project.path), "history", "--annotator", "nobody"])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["annotator: error: the project has no annotator 'nobody'"]
