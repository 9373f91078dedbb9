"""The annotator's queue in the real window: with the lead's plan the article list is my
assigned articles in the plan's order, and Ctrl+Enter (one key) marks the article done and
opens the next assigned one that is not done. Keys go to the widget that has the focus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.gui.common import theme
from annotator.ingest.segments import fill_segments
from annotator.settings import Settings, load_settings
from annotator.store.annotators import get_or_create_annotator
from annotator.store.assignments import queue
from annotator.store.engine import open_project
from annotator.store.labels import is_done, set_done
from tests.assignments.test_service import corpus


@pytest.fixture
def planned(tmp_path: Path):
    """12 articles for anna and ben, 20 % of them (2) for both: 7 each, shuffled."""
    project = open_project(str(tmp_path / "team.db"))
    corpus(project, 12)
    fill_segments(project)  # as an import stores them: no background work in the window
    plan_project(project, PlanRequest(("anna", "ben"), 0.2, 2, seed=1))
    yield project
    project.close()


def open_window(qtbot, project, codebook, name: str, settings: Settings | None = None):
    from annotator.gui.desk.main_window import MainWindow

    win = MainWindow(project, codebook, name, settings or Settings(annotator=name))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    qtbot.waitUntil(lambda: win.panel.grid.hasFocus())
    return win


def listed(win) -> list[int]:
    model = win.list_model
    return [model.row_at(r).id for r in range(model.rowCount())]


def press_done_and_next(qtbot) -> int:
    """Ctrl+Enter as typed, to the focused widget; returns the keys pressed (1)."""
    focused = QApplication.focusWidget()
    assert focused is not None, "no widget has the keyboard focus"
    qtbot.keyClick(focused, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return 1


def test_the_list_is_my_queue_and_ctrl_enter_opens_the_next_assigned(
    qtbot, planned, codebook
) -> None:
    anna, ben = (get_or_create_annotator(planned, n) for n in ("anna", "ben"))
    mine, bens = queue(planned, anna), queue(planned, ben)
    only_ben = set(bens) - set(mine)
    assert len(mine) == 7 and only_ben and mine != sorted(mine)  # shuffled, not import order
    win = open_window(qtbot, planned, codebook, "anna")
    assert listed(win) == mine  # only my articles, in the plan's order
    assert win.article_id == mine[0]
    assert "1 of 7 in your queue" in win.article_meta.text()
    assert win.progress_label.text() == "Done 0 / 7 assigned"

    keys = press_done_and_next(qtbot)
    assert win.article_id == mine[1] and keys == 1
    set_done(planned, mine[2], anna)  # done elsewhere (a package merged back): skipped
    keys += press_done_and_next(qtbot)
    assert win.article_id == mine[3] and keys == 2
    assert "4 of 7 in your queue" in win.article_meta.text()
    # The database has the done marks, on my articles only.
    assert [is_done(planned, a, anna) for a in mine[:4]] == [True, True, True, False]
    assert not any(is_done(planned, a, anna) for a in only_ben)
    assert win.progress_label.text() == "Done 3 / 7 assigned"
    assert win.list_panel.table.currentIndex().row() == 3  # the list follows
    assert win.list_model.data(win.list_model.index(0, 0)) == "✓"


def test_the_last_open_article_of_the_queue_leads_back_to_the_first_open_one(
    qtbot, planned, codebook
) -> None:
    anna = get_or_create_annotator(planned, "anna")
    mine = queue(planned, anna)
    for article in mine[1:6]:
        set_done(planned, article, anna)
    win = open_window(qtbot, planned, codebook, "anna")
    assert win.article_id == mine[0]
    press_done_and_next(qtbot)
    assert win.article_id == mine[6]
    press_done_and_next(qtbot)  # everything assigned is done now
    assert win.article_id == mine[6]
    assert "Every article in your queue is done" in win.statusBar().currentMessage()
    assert all(is_done(planned, a, anna) for a in mine)


def test_unassigned_articles_show_greyed_after_the_queue_by_a_setting(
    qtbot, planned, codebook
) -> None:
    anna = get_or_create_annotator(planned, "anna")
    mine = queue(planned, anna)
    win = open_window(qtbot, planned, codebook, "anna")
    action = win.actions_["show_unassigned"]
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    rows = listed(win)
    assert len(rows) == 12 and rows[:7] == mine
    assert sorted(rows[7:]) == rows[7:] and not set(rows[7:]) & set(mine)
    model = win.list_model
    assert model.data(model.index(8, 1), Qt.ItemDataRole.ForegroundRole) == (
        theme.boilerplate_color()
    )
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is None
    assert "not in your queue" in model.data(model.index(8, 1), Qt.ItemDataRole.ToolTipRole)
    assert load_settings().show_unassigned  # remembered in the one settings file
    # Done and next stays in the queue, also from an article outside it.
    win.open_article(rows[8])
    win.focus_grid()
    assert "not in your queue" in win.article_meta.text()
    press_done_and_next(qtbot)
    assert win.article_id == mine[0]
    action.trigger()
    assert listed(win) == mine and not load_settings().show_unassigned


def test_the_setting_applies_when_the_window_opens(qtbot, planned, codebook) -> None:
    settings = Settings(annotator="ben", show_unassigned=True)
    win = open_window(qtbot, planned, codebook, "ben", settings)
    assert win.list_model.rowCount() == 12 and win.actions_["show_unassigned"].isChecked()


def test_without_a_queue_everybody_sees_every_article(qtbot, planned, codebook) -> None:
    win = open_window(qtbot, planned, codebook, "lena")  # the lead: nothing assigned
    assert listed(win) == sorted(listed(win)) and len(listed(win)) == 12
    assert win.progress_label.text() == "Done 0 / 12"
    assert "queue" not in win.article_meta.text()
