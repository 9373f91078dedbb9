"""Focus that never surprises: keys typed go where a labeller expects, whatever came before.

Keys are sent to whichever widget has the focus (QApplication.focusWidget()), as a real
keyboard does, not to a widget the test picked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store.labels import CellKey, get_cell


def type_keys(qtbot, *keys: Qt.Key) -> None:
    for key in keys:
        focused = QApplication.focusWidget()
        assert focused is not None, "no widget has the keyboard focus"
        qtbot.keyClick(focused, key)


def test_typing_after_start_labels_in_the_grid(qtbot, window, small_project) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    type_keys(qtbot, Qt.Key.Key_J, Qt.Key.Key_3, Qt.Key.Key_F)
    assert window.list_panel.search.text() == ""
    masala = window.panel.model.rows[1].actor_id
    key = CellKey(window.article_id, masala, "defence_spending")
    assert get_cell(small_project, window.annotator_id, key).stance == "favor"
    type_keys(qtbot, Qt.Key.Key_Z)  # a stray letter changes nothing
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_cell(small_project, window.annotator_id, key).is_empty  # Ctrl+Z undid it


def test_f6_goes_grid_text_list_grid_and_never_moves_the_cell(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    type_keys(qtbot, Qt.Key.Key_J, Qt.Key.Key_2)
    article, cell = window.article_id, window.panel.current()
    type_keys(qtbot, Qt.Key.Key_F6)
    assert window.text.hasFocus()
    type_keys(qtbot, Qt.Key.Key_F6)
    assert window.list_panel.table.hasFocus()
    type_keys(qtbot, Qt.Key.Key_F6)
    assert window.panel.grid.hasFocus()
    assert (window.article_id, window.panel.current()) == (article, cell)


def test_search_only_with_ctrl_f_and_esc_returns_to_the_grid(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.list_panel.search.hasFocus()
    qtbot.keyClicks(window.list_panel.search, "Nato")
    assert window.list_model.rowCount() == 1
    type_keys(qtbot, Qt.Key.Key_Escape)
    assert window.panel.grid.hasFocus()


def test_enter_in_the_list_opens_the_article_and_returns_to_the_grid(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    first = window.article_id
    type_keys(qtbot, Qt.Key.Key_F6, Qt.Key.Key_F6)  # into the list
    type_keys(qtbot, Qt.Key.Key_Down)  # browsing the list opens each article...
    assert window.article_id != first
    assert window.list_panel.table.hasFocus()  # ...and keeps the focus in the list
    type_keys(qtbot, Qt.Key.Key_Return)
    assert window.panel.grid.hasFocus()


def test_after_a_dialog_the_grid_has_the_focus(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    window.focus_search()
    type_keys(qtbot, Qt.Key.Key_F1)  # the shortcuts dialog
    dialog = window.commands._dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
