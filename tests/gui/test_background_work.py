"""Import and export from the window run in a worker; errors reach the user as a dialog."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.export import ExportOptions
from annotator.store.articles import count_articles


def test_import_from_the_window_adds_articles_and_refreshes_the_list(
    qtbot, window, small_project, tmp_path: Path
) -> None:
    path = tmp_path / "neu.txt"
    path.write_text("Neuer Artikel\n\nKanzler Olaf Scholz lehnt Bodentruppen ab.", "utf-8")
    task = window.commands.import_articles(paths=[str(path)])
    with qtbot.waitSignal(task.done, timeout=60_000):
        pass
    assert count_articles(small_project) == 4
    assert window.list_model.rowCount() == 4
    assert window.progress_label.text() == "Done 0 / 4"


def test_a_bad_import_file_shows_a_dialog_and_changes_nothing(
    qtbot, window, small_project, tmp_path: Path
) -> None:
    path = tmp_path / "kaputt.jsonl"
    path.write_text('{"id": "1", "text": "gut"}\n{nicht json}\n', "utf-8")
    task = window.commands.import_articles(paths=[str(path)])
    with qtbot.waitSignal(task.done, timeout=60_000):
        pass
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert "kaputt.jsonl:2" in box.text()
    box.close()
    assert count_articles(small_project) == 3


def test_export_from_the_window_writes_the_labels(
    qtbot, window, small_project, tmp_path: Path
) -> None:
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_3)
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F)
    out = tmp_path / "stances.jsonl"
    task = window.lead.start_export("stances", str(out), ExportOptions())
    with qtbot.waitSignal(task.done, timeout=60_000):
        pass
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["actor"], r["target"], r["label"], r["annotator"]) for r in rows] == [
        ("Boris Pistorius", "defence_spending", "favor", "anna")
    ]


def test_cancelling_an_import_with_the_model_answers_at_the_next_small_batch(
    qtbot, window, small_project, tmp_path: Path
) -> None:
    path = tmp_path / "viele.jsonl"
    lines = [
        json.dumps({"id": f"n{i}", "text": f"Porsche und Olaf Scholz, Runde {i}. " * 40})
        for i in range(200)
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    task = window.commands.import_articles(paths=[str(path)])
    assert task.dialog is not None
    qtbot.waitUntil(lambda: task.dialog.value() > 0, timeout=120_000)  # the first batch is in
    task.cancel()
    with qtbot.waitSignal(task.done, timeout=120_000):
        pass
    imported = count_articles(small_project) - 3
    # Whole batches of 16 went in before Cancel was seen; the rest did not.
    assert 0 < imported < 200 and imported % 16 == 0, imported
    assert QApplication.activeModalWidget() is None  # cancelling is no error
