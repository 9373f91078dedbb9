"""The project lead's flow in the window: merge two annotators' files, read the agreement."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.agreement import agreement_report
from annotator.settings import Settings
from annotator.store.label_reads import labels_for_article
from tests.agreement.builders import article_id, label_anna, label_ben, new_project


def test_merge_then_agreement_view_then_open_a_disagreement(
    qtbot, tmp_path: Path, codebook
) -> None:
    from annotator.gui.desk.main_window import MainWindow

    for name, fill in (("anna", label_anna), ("ben", label_ben)):
        p = new_project(tmp_path / f"{name}.db")
        fill(p)
        p.close()
    lead = new_project(tmp_path / "lead.db")
    window = MainWindow(lead, codebook, "lead", Settings(annotator="lead"))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()

    task = window.lead.merge_dialog(paths=[str(tmp_path / "anna.db"), str(tmp_path / "ben.db")])
    with qtbot.waitSignal(task.done, timeout=60_000):
        pass
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    box.close()
    a1 = article_id(lead, "a1")
    assert {lab.annotator for lab in labels_for_article(lead, a1)} == {"anna", "ben"}
    # Blind annotation still holds for the lead's own grid.
    assert all(s.is_empty for s in window.panel.model.cells.values())

    window.lead.show_agreement()
    view = window.lead._agreement
    with qtbot.waitSignal(view.report_ready, timeout=30_000):
        pass
    expected = agreement_report(lead, codebook, bootstrap=1000, seed=0)
    got = view.report
    assert got.overall.units == expected.overall.units
    assert math.isclose(got.overall.alpha_nominal, expected.overall.alpha_nominal, rel_tol=1e-12)

    view.tabs.setCurrentIndex(2)
    table = view.disagreement_view
    rect = table.visualRect(view.disagreements.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article_id == a1


def test_a_namesake_in_a_merged_file_is_asked_for_and_kept_apart(
    qtbot, tmp_path: Path, codebook
) -> None:
    import sqlite3

    from PySide6.QtWidgets import QInputDialog

    from annotator.gui.common.tasks import running_tasks
    from annotator.gui.desk.main_window import MainWindow

    for name in ("anna", "other"):
        p = new_project(tmp_path / f"{name}.db")
        label_anna(p)  # both call themselves "anna"; each file gives its anna her own uid
        p.close()
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.execute("UPDATE stanceannotation SET stance = 'against', updated_at = '2999-01-01'")
    conn.commit()
    conn.close()
    lead = new_project(tmp_path / "lead.db")
    window = MainWindow(lead, codebook, "lead", Settings(annotator="lead"))
    qtbot.addWidget(window)
    window.show()
    for name in ("anna", "other"):
        task = window.lead.merge_dialog(paths=[str(tmp_path / f"{name}.db")])
        with qtbot.waitSignal(task.done, timeout=60_000):
            pass
        if name == "anna":
            QApplication.activeModalWidget().close()  # the merge summary
    dialog = window.findChild(QInputDialog, "renameAnnotatorDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.textValue() == "anna-2"
    dialog.setTextValue("anna (other)")
    dialog.accept()
    assert running_tasks(window), "the merge did not start again"
    with qtbot.waitSignal(running_tasks(window)[-1].done, timeout=60_000):
        pass
    a1 = article_id(lead, "a1")
    by_annotator = {
        (lab.annotator, lab.state.stance) for lab in labels_for_article(lead, a1)
        if lab.target == "defence_spending"
    }  # fmt: skip
    assert by_annotator == {("anna", "favor"), ("anna (other)", "against")}
