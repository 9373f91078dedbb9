"""Starting the GUI as `annotator` does: first launch asks who is annotating."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.settings import load_settings
from annotator.store.annotators import annotator_names
from annotator.store.engine import open_project
from tests.conftest import add_article


def test_first_launch_asks_for_the_name_and_remembers_it(qtbot, tmp_path: Path) -> None:
    from annotator.gui import app as gui_app
    from annotator.gui.desk.dialogs import AnnotatorDialog
    from annotator.gui.desk.main_window import MainWindow

    db = tmp_path / "p.db"
    project = open_project(str(db))
    add_article(project, "a", "Die Nato tagt in Brüssel.", title="Nato tagt")
    project.close()
    seen: dict[str, object] = {}
    deadline = time.monotonic() + 60

    def give_up(step: str) -> None:
        # Never hang: whatever is open (an unexpected dialog, the window) is closed, and
        # run() returns so that the test fails with what it saw.
        seen["gave up waiting for"] = step
        for widget in QApplication.topLevelWidgets():
            widget.close()
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AnnotatorDialog):
            if time.monotonic() > deadline:
                give_up(f"the name dialog (saw {type(dialog).__name__})")
                return
            QTimer.singleShot(50, answer)
            return
        dialog.name.setCurrentText("Zoë")
        dialog._accept()
        QTimer.singleShot(50, close_window)

    def close_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].isVisible():
            if time.monotonic() > deadline:
                give_up("the main window")
                return
            QTimer.singleShot(50, close_window)
            return
        seen["title"] = windows[0].article_title.text()
        seen["annotator"] = windows[0].annotator_label.text()
        windows[0].close()

    QTimer.singleShot(50, answer)
    code = gui_app.run(db=str(db))
    assert "gave up waiting for" not in seen, seen
    assert code == 0
    assert seen == {"title": "Nato tagt", "annotator": "Annotator: Zoë"}
    assert load_settings().annotator == "Zoë"
    project = open_project(str(db))
    assert list(annotator_names(project).values()) == ["Zoë"]
    project.close()


def test_a_pipe_named_as_the_codebook_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A codebook path in the settings that is a named pipe: the window read it and waited
    forever before showing anything (the CLI's --codebook was checked, the settings not)."""
    from annotator.errors import InputError
    from annotator.gui.app import codebook_for_window

    fifo = tmp_path / "codebook.toml"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            codebook_for_window(str(fifo))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # let the stuck reader go: a writer that closes at once
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
    assert outcome and isinstance(outcome[0], InputError), outcome
    assert "not a regular file" in str(outcome[0])
