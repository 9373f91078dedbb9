"""Stance suggestions in the real window, driven by keys, checked in the database: pale in
an empty cell and never a label until Enter accepts it (with its evidence, an undo step),
R rejects it on record, a different stance key overwrites it (recorded as rejected), Enter
in the note stays the note's; switched off or another annotator's: nothing shown; where
none are stored the rules' come in the background and are stored; training runs in the
background and can be cancelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from annotator.gui.common.tasks import running_tasks
from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.engine import Project
from annotator.store.history import history
from annotator.store.labels import CellKey, CellState, get_cell
from annotator.store.suggestions import (
    StoredSuggestion,
    SuggestionSettings,
    latest_model,
    replace_suggestions,
    save_settings,
    stored_for,
)
from annotator.suggest.service import compute
from tests.gui.test_team_queue import open_window
from tests.suggest.builders import labelled_project

SEED = "001_2a7d540fb5e89974"  # rules suggest several cells here


@pytest.fixture
def seeded(project: Project, codebook) -> Project:
    import_paths(project, [seeds_dir() / f"{SEED}.txt"], model="none")
    return project


def suggested_cells(win) -> list[tuple[int, int, StoredSuggestion]]:
    """(row, column, suggestion) of every cell showing one, top to bottom."""
    model = win.panel.model
    out = []
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            found = model.suggestion_at(model.index(r, c))
            if found is not None:
                out.append((r, c, found))
    return out


def go_to(qtbot, win, row: int, column: int) -> None:
    """To the cell with keys: the column's key, then J down the rows."""
    target = win.codebook.targets[column]
    qtbot.keyClick(win.panel.grid, target.key)
    for _ in range(row - win.panel.grid.currentIndex().row()):
        qtbot.keyClick(win.panel.grid, Qt.Key.Key_J)
    assert win.panel.grid.currentIndex().row() == row


def key_of(s: StoredSuggestion) -> CellKey:
    return CellKey(s.article_id, s.actor_id, s.target)


def actions(project: Project, name: str) -> list[str]:
    """Her history's actions, oldest first."""
    return [e.action for e in reversed(history(project, annotator=name))]


def test_enter_accepts_the_pale_suggestion_and_undo_brings_it_back(qtbot, seeded, codebook) -> None:
    compute(seeded, codebook)
    win = open_window(qtbot, seeded, codebook, "anna")
    (row, col, found), *_ = suggested_cells(win)
    index = win.panel.model.index(row, col)
    assert win.panel.model.data(index) == f"{found.stance}?"  # pale, a question
    assert win.panel.model.data(index, Qt.ItemDataRole.FontRole).italic()
    go_to(qtbot, win, row, col)
    assert win.panel.suggestion.isVisible() and "Enter accepts" in win.panel.suggestion.text()
    assert get_cell(seeded, win.annotator_id, key_of(found)).is_empty  # no label yet
    # Its evidence is what the text marks and what E would attach.
    assert (win.cell.candidates[0].start, win.cell.candidates[0].end) == found.evidence[0]

    qtbot.keyClick(win.panel.grid, Qt.Key.Key_Return)
    cell = get_cell(seeded, win.annotator_id, key_of(found))
    assert cell.stance == found.stance and set(found.evidence) <= set(cell.evidence)
    assert actions(seeded, "anna") == ["accept_suggestion"]
    assert win.panel.model.data(index) == f"{found.stance}  ❝{len(cell.evidence)}"
    assert not win.panel.suggestion.isVisible()

    qtbot.keyClick(win.panel.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_cell(seeded, win.annotator_id, key_of(found)).is_empty
    assert win.panel.model.data(index) == f"{found.stance}?"  # offered again


def test_r_rejects_and_a_different_stance_key_overwrites_on_record(qtbot, seeded, codebook) -> None:
    compute(seeded, codebook)
    win = open_window(qtbot, seeded, codebook, "anna")
    cells = suggested_cells(win)
    assert len(cells) >= 3
    (r1, c1, first), (r2, c2, second), (r3, c3, third) = cells[:3]

    go_to(qtbot, win, r1, c1)
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_R)
    assert get_cell(seeded, win.annotator_id, key_of(first)).is_empty
    assert actions(seeded, "anna") == ["reject_suggestion"]
    assert win.panel.model.suggestion_at(win.panel.model.index(r1, c1)) is None
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_BracketRight)
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_BracketLeft)  # back: not asked again
    assert win.panel.model.suggestion_at(win.panel.model.index(r1, c1)) is None

    other = next(s for s in codebook.stances if s.id != second.stance)
    go_to(qtbot, win, r2, c2)
    qtbot.keyClick(win.panel.grid, other.key)
    assert get_cell(seeded, win.annotator_id, key_of(second)).stance == other.id
    assert actions(seeded, "anna")[-2:] == ["reject_suggestion", "set"]

    same = next(s for s in codebook.stances if s.id == third.stance)
    go_to(qtbot, win, r3, c3)
    qtbot.keyClick(win.panel.grid, same.key)  # her label, agreeing: nothing rejected
    assert get_cell(seeded, win.annotator_id, key_of(third)).stance == third.stance
    assert actions(seeded, "anna")[-1] == "set"
    assert actions(seeded, "anna").count("reject_suggestion") == 2
    assert "accept_suggestion" not in actions(seeded, "anna")


def test_enter_in_the_note_saves_the_note(qtbot, seeded, codebook) -> None:
    compute(seeded, codebook)
    win = open_window(qtbot, seeded, codebook, "anna")
    (row, col, found), *_ = suggested_cells(win)
    go_to(qtbot, win, row, col)
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_F2)
    qtbot.keyClicks(win.panel.note, "pruefen")
    qtbot.keyClick(win.panel.note, Qt.Key.Key_Return)
    cell = get_cell(seeded, win.annotator_id, key_of(found))
    assert cell == CellState(note="pruefen")
    assert actions(seeded, "anna") == ["note"]
    # A note is no stance: the suggestion stays on offer.
    assert win.panel.model.suggestion_at(win.panel.model.index(row, col)) == found


def test_switched_off_or_made_for_another_nothing_is_shown(qtbot, seeded, codebook) -> None:
    compute(seeded, codebook)
    from annotator.store.annotators import get_or_create_annotator

    ben = get_or_create_annotator(seeded, "ben")
    article = stored_for(seeded, [1], None)[0].article_id
    actor = stored_for(seeded, [1], None)[0].actor_id
    bens = StoredSuggestion(article, actor, "nato_membership", "against", 0.99, ((0, 5),),
                            "model v7")  # fmt: skip
    replace_suggestions(seeded, [article], [bens], annotator_id=ben)
    win = open_window(qtbot, seeded, codebook, "anna")
    shown = [s for *_, s in suggested_cells(win)]
    assert shown and all(s.source == "rules" for s in shown)
    win.close()

    save_settings(seeded, SuggestionSettings(enabled=False))
    again = open_window(qtbot, seeded, codebook, "anna")
    assert suggested_cells(again) == []
    assert not again.suggestions.pending  # nothing worked out in the background either


def test_without_stored_ones_the_rules_come_in_the_background(qtbot, seeded, codebook) -> None:
    assert stored_for(seeded, [1], None) == []
    win = open_window(qtbot, seeded, codebook, "anna")
    task = win.suggestions.pending.get(win.article_id)
    if task is not None:  # else it finished while the window opened
        with qtbot.waitSignal(task.done, timeout=60_000):
            pass
    assert suggested_cells(win)
    assert stored_for(seeded, [win.article_id], None)  # in the file: read at once next time


def train_task(qtbot, win):
    win.actions_["train_mine"].trigger()
    (task,) = [t for t in running_tasks(win)
               if t.dialog is not None and "Training" in t.dialog.windowTitle()]  # fmt: skip
    return task


def test_training_runs_in_the_background_and_can_be_cancelled(
    qtbot, tmp_path: Path, codebook
) -> None:
    project, _ = labelled_project(tmp_path / "p.db", 40, seed=5, coder="anna")
    try:
        win = open_window(qtbot, project, codebook, "anna")
        me = win.annotator_id
        task = train_task(qtbot, win)
        with qtbot.waitSignal(task.done, timeout=120_000):
            task.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel
        assert latest_model(project, me) is None  # cancelled: nothing stored

        task = train_task(qtbot, win)
        with qtbot.waitSignal(task.done, timeout=120_000):
            pass
        info = latest_model(project, me)
        assert info is not None and info[0].trained_from == "anna"
        report = win.findChild(QMessageBox, "trainReport")
        assert report is not None and "model v" in report.text()
        assert "macro-F1" in report.informativeText()
        report.close()
    finally:
        project.close()


def test_the_projects_suggestion_work_is_the_leads(qtbot, seeded, codebook) -> None:
    from annotator.store.leads import ensure_lead

    ensure_lead(seeded, "anna")  # the first to open it leads it
    ben = open_window(qtbot, seeded, codebook, "ben")
    for name in ("suggest_all", "train_gold", "suggest_on", "suggest_overlap", "suggest_use"):
        assert not ben.actions_[name].isEnabled(), name
        assert "leads" in ben.actions_[name].toolTip()
    for name in ("accept_suggestion", "reject_suggestion", "train_mine"):
        assert ben.actions_[name].isEnabled(), name
