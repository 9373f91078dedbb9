"""Every view refreshes from the change that happened, wherever it was made: curating in
the curation window updates the main window's Team column, labelling in the main window
updates the curation window's articles and the progress view (gui/common/tasks.announce)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.curation.states import article_states
from annotator.gui.lead.curation_view import CurationWindow
from annotator.gui.lead.progress_view import ProgressView
from annotator.store.annotators import get_or_create_annotator
from annotator.store.labels import is_done
from tests.agreement.builders import article_id
from tests.gui.test_team_queue import open_window
from tests.gui.test_team_views import badges, choose_filter, team  # noqa: F401 - a fixture


def open_curation(qtbot, win) -> CurationWindow:
    win.actions_["curate"].trigger()
    view = win.lead._curation
    assert isinstance(view, CurationWindow)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)  # its keys need it active
    return view


def activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def click_article(qtbot, view: CurationWindow, article: int) -> None:
    rows = [view.articles.article_at(r) for r in range(view.articles.count())]
    item = view.articles.item(rows.index(article))
    view.articles.scrollToItem(item)
    qtbot.mouseClick(view.articles.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.articles.visualItemRect(item).center())  # fmt: skip
    assert view.article_id == article


def test_curating_updates_the_team_column_at_once(qtbot, team, codebook) -> None:  # noqa: F811
    win = open_window(qtbot, team, codebook, "lena")
    a4 = article_id(team, "a4")
    assert badges(win)["a4"] == "ready"
    choose_filter(win, "Team: ready for curation")
    assert list(badges(win)) == ["a4"]

    view = open_curation(qtbot, win)
    click_article(qtbot, view, a4)
    # No unit is open in a4 (neither coder labelled it): Ctrl+Enter marks it curated.
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert article_states(team, [a4])[a4].state == "curated"
    assert list(badges(win)) == []  # it left the "ready" filter, no restart needed
    choose_filter(win, "All articles")
    assert badges(win)["a4"] == "curated"

    click_article(qtbot, view, a4)  # Ctrl+Enter went on to the next article to curate
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert article_states(team, [a4])[a4].state == "in_curation"
    assert badges(win)["a4"] == "in curation"


def test_the_curation_window_follows_done_marks_made_in_the_main_window(
    qtbot,
    team,  # noqa: F811
    codebook,
) -> None:
    win = open_window(qtbot, team, codebook, "ben")
    view = open_curation(qtbot, win)
    a3 = article_id(team, "a3")
    assert _badge(view, a3) == "1/2 done"
    activate(qtbot, win)
    win.open_article(a3)
    win.focus_grid()
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert is_done(team, a3, get_or_create_annotator(team, "ben"))
    qtbot.waitUntil(lambda: _badge(view, a3) == "ready")


def _badge(view: CurationWindow, article: int) -> str:
    for row in range(view.articles.count()):
        if view.articles.article_at(row) == article:
            return view.articles.badge_at(row)
    return ""


def test_the_progress_view_follows_labelling(qtbot, team, codebook) -> None:  # noqa: F811
    win = open_window(qtbot, team, codebook, "ben")
    win.actions_["progress"].trigger()
    view = win.lead._progress
    assert isinstance(view, ProgressView)
    qtbot.waitUntil(lambda: view.report is not None, timeout=30_000)
    ben = next(p for p in view.report.people if p.name == "ben")
    done_before = ben.done
    activate(qtbot, win)
    win.open_article(article_id(team, "a3"))
    win.focus_grid()
    with qtbot.waitSignal(view.report_ready, timeout=30_000):
        qtbot.keyClick(win.panel.grid, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    ben = next(p for p in view.report.people if p.name == "ben")
    assert ben.done == done_before + 1
