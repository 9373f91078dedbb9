"""Drive the real main window with keys and mouse; check what lands in the database."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlmodel import select

from annotator.store.labels import CellKey, get_cell, is_done
from annotator.store.models import Actor, Article
from tests.gui.conftest import TEXT_1


def _ids(project):
    with project.session() as s:
        arts = {a.external_id: a.id for a in s.exec(select(Article)).all()}
        actors = {a.name: a.id for a in s.exec(select(Actor)).all()}
    return arts, actors


def _point_of(view, index: int) -> QPoint:
    cursor = view.textCursor()
    cursor.setPosition(view.map.to_qt(index))
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def _select_with_mouse(qtbot, view, start: int, end: int) -> None:
    vp = view.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=_point_of(view, start))
    qtbot.mouseClick(
        vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos=_point_of(view, end)
    )


def test_keyboard_labelling_flow_is_saved_at_once(qtbot, window, small_project) -> None:
    arts, actors = _ids(small_project)
    anna = window.annotator_id
    assert window.article_id == arts["art-1"]
    rows = [r.name for r in window.panel.model.rows]
    assert rows == ["Boris Pistorius", "Carlo Masala"]

    window.panel.grid.setFocus()
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_3)  # column: defence spending
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F)  # favor
    key = CellKey(arts["art-1"], actors["Boris Pistorius"], "defence_spending")
    assert get_cell(small_project, anna, key).stance == "favor"

    # Evidence: select a quote with the mouse (an emoji flag precedes it), press E.
    quote = "„Zwei Prozent reichen nicht“"
    start = TEXT_1.index(quote)
    _select_with_mouse(qtbot, window.text, start, start + len(quote))
    assert window.text.selected_span() == (start, start + len(quote))
    qtbot.keyClick(window.text, Qt.Key.Key_E)
    assert get_cell(small_project, anna, key).evidence == ((start, start + len(quote)),)
    assert window.panel.evidence.count() == 1

    # Next actor, ground troops, favor; then undo it.
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_J)
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_2)
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F)
    masala = CellKey(arts["art-1"], actors["Carlo Masala"], "ground_troops")
    assert get_cell(small_project, anna, masala).stance == "favor"
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_cell(small_project, anna, masala).is_empty
    qtbot.keyClick(
        window.panel.grid,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert get_cell(small_project, anna, masala).stance == "favor"
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_Delete)
    assert get_cell(small_project, anna, masala).is_empty
    assert "Saved" in window.saved_label.text()

    # Done and on to the next unfinished article.
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert is_done(small_project, arts["art-1"], anna)
    assert window.article_id == arts["art-2"]
    assert window.progress_label.text() == "Done 1 / 3"
    assert [r.name for r in window.panel.model.rows] == ["NATO"]
    # The evidence and label are still there when we come back.
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.article_id == arts["art-1"]
    window.panel.step(0, 2)
    assert window.panel.current_state().stance == "favor"


def test_note_is_saved_with_enter(qtbot, window, small_project) -> None:
    arts, actors = _ids(small_project)
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F2)
    assert window.panel.note.hasFocus()
    qtbot.keyClicks(window.panel.note, "Fast eindeutig")  # letters go to the note, not shortcuts
    qtbot.keyClick(window.panel.note, Qt.Key.Key_Return)
    key = CellKey(arts["art-1"], actors["Boris Pistorius"], "nato_membership")
    assert get_cell(small_project, window.annotator_id, key).note == "Fast eindeutig"
    assert get_cell(small_project, window.annotator_id, key).stance is None


def test_clicking_evidence_scrolls_to_it(qtbot, window, small_project) -> None:
    start = TEXT_1.index("Carlo Masala")
    window.text.select_span(start, start + 12)
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_E)
    window.text.moveCursor(QTextCursor.MoveOperation.Start)
    item = window.panel.evidence.item(0)
    rect = window.panel.evidence.visualItemRect(item)
    qtbot.mouseClick(window.panel.evidence.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.text.map.to_py(window.text.textCursor().position()) == start


def test_blind_annotation_hides_other_annotators_labels(qtbot, small_project, codebook) -> None:
    from annotator.gui.desk.main_window import MainWindow
    from annotator.settings import Settings
    from annotator.store.annotators import get_or_create_annotator
    from annotator.store.labels import CellState, put_cell

    arts, actors = _ids(small_project)
    ben = get_or_create_annotator(small_project, "ben")
    put_cell(
        small_project,
        ben,
        CellKey(arts["art-1"], actors["Carlo Masala"], "ground_troops"),
        CellState("against"),
    )
    win = MainWindow(small_project, codebook, "anna", Settings(annotator="anna"))
    qtbot.addWidget(win)
    assert all(s.is_empty for s in win.panel.model.cells.values())


def test_a_database_error_shows_a_dialog_and_changes_nothing(qtbot, window, small_project) -> None:
    with small_project.write_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE evidence")
        conn.exec_driver_sql("DROP TABLE stanceannotation")
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert "database" in box.text().lower()
    box.close()
    with small_project.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM labelevent").scalar() == 0


def test_shortcuts_dialog_lists_every_action(qtbot, window) -> None:
    from annotator.gui.desk.shortcuts import all_shortcuts

    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(object, "shortcutsTable") is not None)
    table = window.findChild(object, "shortcutsTable")
    assert table.rowCount() == len(all_shortcuts(window.codebook))


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None is immortal from Python 3.12 on: its reference count cannot show the bug "
    "there (nor can the bug abort Python); the guard runs on 3.11",
)
def test_highlighting_a_long_article_keeps_reference_counts_intact(qtbot, codebook) -> None:
    """PySide6 6.12.0 decref'd None on every setFormat; a long article then aborted Python."""
    import gc
    import sys

    from annotator.gui.common.article_view import ArticleTextView
    from annotator.store.articles import ArticleView, MentionView

    n = 20_000
    text = "Boris Pistorius sagte etwas.\n" * n
    mentions = tuple(
        MentionView(i, i * 29, i * 29 + 15, "PER", 1, "Boris Pistorius", "lexicon")
        for i in range(n)
    )
    view = ArticleTextView(codebook)
    qtbot.addWidget(view)
    gc.collect()
    gc.disable()  # other objects freed meanwhile would also lower None's count
    try:
        before = sys.getrefcount(None)
        view.show_article(ArticleView(1, "x", "t", text, None, None, None, {}, mentions))
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    # With the bug every one of the n formatted blocks takes one reference away.
    assert after > before - n // 2


def test_undo_survives_closing_the_window(qtbot, small_project, codebook) -> None:
    from annotator.gui.desk.main_window import MainWindow
    from annotator.settings import Settings

    arts, actors = _ids(small_project)
    key = CellKey(arts["art-1"], actors["Boris Pistorius"], "nato_membership")
    first = MainWindow(small_project, codebook, "anna", Settings(annotator="anna"))
    with qtbot.waitActive(first):
        first.show()
        first.activateWindow()
    qtbot.keyClick(first.panel.grid, Qt.Key.Key_A)
    qtbot.keyClick(first.panel.grid, Qt.Key.Key_F)
    first.close()
    first.deleteLater()  # as when the program ends: the next run has only the new window
    qtbot.wait(50)
    again = MainWindow(small_project, codebook, "anna", Settings(annotator="anna"))
    qtbot.addWidget(again)
    with qtbot.waitActive(again):
        again.show()
        again.activateWindow()
    qtbot.keyClick(again.panel.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_cell(small_project, again.annotator_id, key).stance == "against"
    qtbot.keyClick(again.panel.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_cell(small_project, again.annotator_id, key).is_empty
