"""Titles, names, sources and notes from files that may have been edited by hand are shown
as typed, never read as HTML (gui/common/plain.py).

Qt reads a label's or tooltip's text as HTML when it looks like HTML: a title
'<img src="…">' made the window open that file again and again, outside SQLite (were it
the project file, that drops SQLite's locks: annotator/file_guard.py). The file here is a
decoy watched with inotify, so the test sees every time anything in the process opens it.
"""

from __future__ import annotations

import ctypes
import json
import os
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip

from annotator.errors import InputError
from annotator.gui.common.errors import show_error
from annotator.gui.common.plain import message_box
from annotator.gui.common.tasks import run_task
from annotator.ingest.importer import import_paths
from annotator.nlp.model import NO_MODEL
from annotator.settings import Settings
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell
from tests.gui.test_team_queue import open_window


class OpenWatch:
    """Whether anything opened `path` since the last call (Linux inotify, IN_OPEN)."""

    IN_OPEN = 0x20

    def __init__(self, path: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, os.fsencode(path), self.IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify")

    def opened(self) -> bool:
        try:
            return bool(os.read(self.fd, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        os.close(self.fd)


def test_text_that_looks_like_html_is_shown_as_typed(qtbot, tmp_path: Path, codebook) -> None:
    decoy = tmp_path / "decoy.png"
    decoy.write_bytes(b"stands for the project file")
    trap = f'<img src="{decoy}">'
    title = f"{trap} <b>Ein Titel</b> mit x < y"
    page = tmp_path / "hand-edited.jsonl"
    text = "Boris Pistorius fordert mehr Geld für die Bundeswehr. Die NATO berät."
    record = {"id": "h1", "title": title, "text": text, "source": trap, "date": "2024-11-07"}
    page.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "project.db"
    name, actor = "<s>ina</s>", f"<u>Boris</u> Pistorius {trap}"
    with open_project(str(db)) as project:
        import_paths(project, [page], model=NO_MODEL, codebook=codebook)
        who = get_or_create_annotator(project, name)
    with sqlite3.connect(db) as con:  # a name as someone typed it into the database
        con.execute("UPDATE actor SET name = ? WHERE name = 'Boris Pistorius'", (actor,))
    con.close()

    project = open_project(str(db))
    first_actor = project_actor_id(project, actor)
    put_cell(project, who, CellKey(1, first_actor, "defence_spending"),
             CellState("favor", note=f"siehe {trap}"))  # fmt: skip
    watch = OpenWatch(decoy)
    try:
        win = open_window(qtbot, project, codebook, name, Settings(annotator=name))
        # The row of that actor and the spending column: the cell's title names the actor.
        grid = win.panel.grid
        row = [r.name for r in win.panel.model.rows].index(actor)
        grid.setCurrentIndex(win.panel.model.index(row, 2))
        QApplication.processEvents()

        shown = {label.text(): label for label in win.findChildren(QLabel) if label.isVisible()}
        assert shown[title].textFormat() == Qt.TextFormat.PlainText
        assert any(actor in t for t in shown), "the cell's title names the actor as typed"
        assert any(t.endswith(name) for t in shown), "the status bar names the annotator"
        for label in win.findChildren(QLabel):
            if trap in label.text() or name in label.text():
                assert label.textFormat() == Qt.TextFormat.PlainText, label.text()

        # Tooltips: the article in the list, the actor's row, the cell with its note.
        tips = [
            win.list_model.data(win.list_model.index(0, 1), Qt.ItemDataRole.ToolTipRole),
            win.panel.model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole),
            win.panel.model.data(win.panel.model.index(row, 2), Qt.ItemDataRole.ToolTipRole),
        ]
        for tip in tips:
            assert trap not in tip  # escaped, shown as the same characters
            QToolTip.showText(grid.mapToGlobal(QPoint(5, 5)), tip, grid)
            QApplication.processEvents()
        QToolTip.hideText()

        # An error that quotes the title (the one error dialog).
        box = show_error(win, InputError(f"cannot read {title}"))
        QApplication.processEvents()
        assert box.textFormat() == Qt.TextFormat.PlainText and title in box.text()
        box.done(QMessageBox.StandardButton.Ok)
        box = message_box(win, "Stance model", "trained", informative=f"from {trap}")
        QApplication.processEvents()
        box.done(QMessageBox.StandardButton.Ok)

        # Long work's progress dialog, its title naming the annotator.
        release = threading.Event()
        task = run_task(win, lambda progress, cancelled: release.wait(10),
                        title=f"Training a stance model from {trap}")  # fmt: skip
        assert task.dialog is not None
        task.dialog.show()
        QApplication.processEvents()
        with qtbot.waitSignal(task.done, timeout=10_000):
            release.set()

        assert not watch.opened(), "the window opened a file named in the article's title"
    finally:
        watch.close()
        project.close()


def project_actor_id(project, name: str) -> int:
    from annotator.store.actors import list_actors

    return next(a.id for a in list_actors(project) if a.name == name)
