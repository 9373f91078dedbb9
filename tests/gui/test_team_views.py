"""The team in the main window: the article list's curation badges and their filter, and
the lead's menu entries (File › Assign articles, View › Progress) opening their views."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from annotator.curation import CurationSession
from annotator.gui.desk.article_list import TEAM_COLUMN
from annotator.ingest.segments import fill_segments
from annotator.store.annotators import get_or_create_annotator
from annotator.store.assignments import queue, read_assignments
from annotator.store.engine import open_project
from annotator.store.labels import is_done
from tests.agreement.builders import TEXTS, article_id, done, label_anna, label_ben, new_project
from tests.assignments.test_service import corpus
from tests.curation.conftest import key
from tests.gui.test_team_queue import listed, open_window


@pytest.fixture
def team(tmp_path: Path, codebook):
    """a1 curated, a2 in curation, a3 done by anna only, a4 done by both, a5 untouched."""
    extra = {"a4": "Masala schweigt zur Nato.", "a5": "Pistorius reist nach Kiew."}
    project = new_project(tmp_path / "lead.db", TEXTS | extra)
    label_anna(project)
    label_ben(project)
    done(project, "anna", "a4")
    done(project, "ben", "a4")
    fill_segments(project)
    curator = CurationSession(project, codebook, get_or_create_annotator(project, "lena"))
    curator.start(article_id(project, "a2"))
    anna = get_or_create_annotator(project, "anna")
    curator.accept(key(project, "a1", "Carlo Masala", "ground_troops"), anna)
    curator.accept(key(project, "a1", "Boris Pistorius", "defence_spending"), anna)
    curator.finish(article_id(project, "a1"))
    yield project
    project.close()


def badges(win) -> dict[str, str]:
    model = win.list_model
    return {
        model.row_at(r).external_id: model.data(model.index(r, TEAM_COLUMN))
        for r in range(model.rowCount())
    }


def choose_filter(win, text: str) -> None:
    combo = win.list_panel.status
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def test_the_list_shows_the_teams_state_and_filters_by_it(qtbot, team, codebook) -> None:
    win = open_window(qtbot, team, codebook, "ben")
    assert not win.list_panel.table.isColumnHidden(TEAM_COLUMN)
    assert win.list_model.headerData(TEAM_COLUMN, Qt.Orientation.Horizontal, 0) == "Team"
    assert badges(win) == {
        "a1": "curated", "a2": "in curation", "a3": "1/2 done", "a4": "ready", "a5": "",
    }  # fmt: skip
    choose_filter(win, "Team: ready for curation")
    assert list(badges(win)) == ["a4"]
    choose_filter(win, "Team: waiting for coders")
    assert list(badges(win)) == ["a3", "a5"]
    choose_filter(win, "Team: in curation")
    assert list(badges(win)) == ["a2"]
    choose_filter(win, "Team: curated")
    assert list(badges(win)) == ["a1"]
    # ben finishes a3 (Ctrl+D): now two of two are done, and the badge says so at once.
    choose_filter(win, "All articles")
    assert badges(win)["a3"] == "1/2 done"  # read (and kept) with its page
    win.open_article(article_id(team, "a3"))
    win.focus_grid()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert is_done(team, article_id(team, "a3"), get_or_create_annotator(team, "ben"))
    assert badges(win)["a3"] == "ready"
    choose_filter(win, "Team: ready for curation")
    assert list(badges(win)) == ["a3", "a4"]


def test_a_lone_annotator_sees_no_team_column(qtbot, window) -> None:
    assert window.list_panel.table.isColumnHidden(TEAM_COLUMN)
    combo = window.list_panel.status
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All articles", "Not started", "In progress", "Done",
    ]  # fmt: skip


def menu_action(win, menu: str, text: str) -> QAction:
    """The entry `text` of the menu bar's menu `menu`, as a user finds it."""
    for top in win.menuBar().actions():
        if top.text() == menu:
            for action in top.menu().actions():
                if action.text() == text:
                    return action
    raise AssertionError(f"no {menu} › {text}")


@pytest.fixture
def unplanned(tmp_path: Path):
    project = open_project(str(tmp_path / "lead.db"))
    corpus(project, 12)
    fill_segments(project)
    yield project
    project.close()


def test_assign_articles_plans_and_my_list_becomes_my_queue(qtbot, unplanned, codebook) -> None:
    from annotator.gui.lead.assign_dialog import AssignDialog

    win = open_window(qtbot, unplanned, codebook, "anna")
    assert win.list_model.rowCount() == 12 and win.list_panel.table.isColumnHidden(TEAM_COLUMN)
    menu_action(win, "&File", "&Assign articles (project lead)…").trigger()
    dialog = win.lead._assign
    assert isinstance(dialog, AssignDialog) and dialog.isVisible()
    dialog.annotators.setText("anna, ben")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: ok.isEnabled() and dialog.table.rowCount() == 2, timeout=5_000)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert len(read_assignments(unplanned)) == 14  # 12 articles, 2 of them for both
    anna = get_or_create_annotator(unplanned, "anna")
    assert listed(win) == queue(unplanned, anna)  # the list is anna's queue now
    assert not win.list_panel.table.isColumnHidden(TEAM_COLUMN)
    assert win.progress_label.text() == "Done 0 / 7 assigned"
    assert "Planned 12 article(s)" in win.statusBar().currentMessage()


def test_view_progress_opens_the_progress_window(qtbot, team, codebook) -> None:
    from annotator.gui.lead.progress_view import ProgressView

    win = open_window(qtbot, team, codebook, "lena")
    menu_action(win, "&View", "&Progress (project lead)…").trigger()
    view = win.lead._progress
    assert isinstance(view, ProgressView)
    qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
    assert view.isVisible() and view.isWindow()
    assert "No assignment plan yet" in view.summary.text()
    view.close()
