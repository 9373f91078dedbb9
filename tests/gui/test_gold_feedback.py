"""View › Compare with gold (Ctrl+Shift+G): an annotator sees where the curated gold differs
from their own labels, only in curated articles they marked done (blind annotation).

anna finished a1-a3, ben a1 and a2; ben's label in a3 (Pistorius favor) is in progress
(tests/agreement/builders.py). In a1 ben said against on Masala / ground troops, anna favor
with evidence and a note; the curator takes anna's version.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.curation import CurationSession
from annotator.settings import Settings
from annotator.store.annotators import get_or_create_annotator
from annotator.store.labels import CellKey, is_done
from tests.agreement.builders import (
    TEXTS,
    actor_id,
    article_id,
    label_anna,
    label_ben,
    new_project,
)

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def project(tmp_path: Path):
    from annotator.ingest.segments import fill_segments

    project = new_project(tmp_path / "team.db")
    label_anna(project)
    label_ben(project)
    fill_segments(project)  # as an import stores them: the window starts no background fill
    yield project
    project.close()


def key(project, ext: str, actor: str, target: str) -> CellKey:
    return CellKey(article_id(project, ext), actor_id(project, actor), target)


def curate_a1(project, codebook) -> None:
    session = CurationSession(project, codebook, get_or_create_annotator(project, "lena"))
    anna = get_or_create_annotator(project, "anna")
    session.accept(key(project, "a1", "Carlo Masala", "ground_troops"), anna)
    session.accept(key(project, "a1", "Boris Pistorius", "defence_spending"), anna)
    session.finish(article_id(project, "a1"))


def curate_a3(project, codebook) -> None:
    session = CurationSession(project, codebook, get_or_create_annotator(project, "lena"))
    session.set_stance(key(project, "a3", "Boris Pistorius", "defence_spending"), "neutral")
    session.finish(article_id(project, "a3"))


def main_window(qtbot, project, codebook, annotator: str):
    from annotator.gui.desk.main_window import MainWindow

    window = MainWindow(project, codebook, annotator, Settings(annotator=annotator))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def press_compare(qtbot, window) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_G, CTRL_SHIFT)


def feedback_dialog(window):
    from annotator.gui.desk.gold_dialog import GoldFeedbackDialog

    found = [d for d in window.findChildren(GoldFeedbackDialog) if d.isVisible()]
    return found[0] if found else None


def test_the_differences_of_a_curated_article_i_marked_done(qtbot, project, codebook) -> None:
    window = main_window(qtbot, project, codebook, "ben")
    action = window.actions_["compare_gold"]
    window.open_article(article_id(project, "a1"))
    assert not action.isEnabled()  # not curated yet: nothing to see
    press_compare(qtbot, window)
    assert feedback_dialog(window) is None

    curate_a1(project, codebook)
    window.open_article(article_id(project, "a1"))
    assert action.isEnabled()
    press_compare(qtbot, window)
    dialog = feedback_dialog(window)
    assert dialog is not None
    evidence = "Masala hält Bodentruppen für denkbar"
    assert evidence in TEXTS["a1"]
    ground_troops = codebook.target("ground_troops").short_label
    # Only the unit where gold differs (they agree on Pistorius); gold's evidence and note.
    assert dialog.rows() == [[
        "Carlo Masala", ground_troops, "against", "favor", f"„{evidence}“\nNote: klar dafür",
        "another annotator's version",
    ]]  # fmt: skip
    assert "anna" not in dialog.summary.text() + str(dialog.rows())
    assert "1 unit" in dialog.summary.text()
    # Enter on the row: to my own cell of that unit in the grid.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.panel.current() == (actor_id(project, "Carlo Masala"), "ground_troops")

    window.open_article(article_id(project, "a2"))  # done, but not curated
    assert not action.isEnabled()


def test_hidden_until_i_mark_the_article_done(qtbot, project, codebook) -> None:
    curate_a3(project, codebook)  # anna's article; ben's label there is work in progress
    window = main_window(qtbot, project, codebook, "ben")
    a3 = article_id(project, "a3")
    window.open_article(a3)
    action = window.actions_["compare_gold"]
    assert not action.isEnabled()
    press_compare(qtbot, window)
    assert feedback_dialog(window) is None
    window.commands.compare_with_gold()  # also when called directly: nothing shown
    assert feedback_dialog(window) is None
    assert "marked done" in window.statusBar().currentMessage()

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert is_done(project, a3, get_or_create_annotator(project, "ben"))
    assert action.isEnabled()
    press_compare(qtbot, window)
    dialog = feedback_dialog(window)
    assert dialog is not None
    assert dialog.rows() == [[
        "Boris Pistorius", codebook.target("defence_spending").short_label, "favor", "neutral",
        "—", "decided by lena",
    ]]  # fmt: skip


def test_no_differences_says_so(qtbot, project, codebook) -> None:
    curate_a1(project, codebook)  # gold is anna's version everywhere in a1
    window = main_window(qtbot, project, codebook, "anna")
    window.open_article(article_id(project, "a1"))
    press_compare(qtbot, window)
    dialog = feedback_dialog(window)
    assert dialog is not None and dialog.rows() == []
    assert "agrees with every stance" in dialog.summary.text()


def test_curating_in_the_window_turns_the_feedback_on(qtbot, project, codebook) -> None:
    """The lead, who also labels, curates a1 with keys; Compare with gold is on at once."""
    window = main_window(qtbot, project, codebook, "anna")
    window.open_article(article_id(project, "a1"))
    assert not window.actions_["compare_gold"].isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C, CTRL_SHIFT)
    curation = window.lead._curation
    qtbot.waitUntil(lambda: QApplication.activeWindow() is curation)
    for k in (Qt.Key.Key_2, Qt.Key.Key_P):  # ben's version on Masala; the agreed unit
        qtbot.keyClick(QApplication.focusWidget(), k)
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert window.actions_["compare_gold"].isEnabled()
    curation.close()
    with qtbot.waitActive(window):
        window.activateWindow()
    press_compare(qtbot, window)
    dialog = feedback_dialog(window)
    assert dialog is not None
    assert [row[:4] for row in dialog.rows()] == [
        ["Carlo Masala", codebook.target("ground_troops").short_label, "favor", "against"]
    ]
