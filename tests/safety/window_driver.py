"""The real window, started as `annotator gui` starts it, labelling by key presses.

    python window_driver.py DB ANNOTATOR

Runs annotator.gui.app.run (the application, opening the project in a worker, the daily
backup, the window) with a timer that, once the window is up, presses stance keys on the
stance grid cell by cell (never the same cell twice, so an acknowledged save is always its
cell's newest). After a key press has returned and the window's session reports the save,
it prints one line, as label_writer.py does:

    w <annotator> stance <article> <actor> <target> <stance>

The test kills this process with SIGKILL at a random moment (offscreen Qt: QT_QPA_PLATFORM).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.gui import app as gui_app
from annotator.settings import load_settings, save_settings


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


class Driver:
    def __init__(self, name: str) -> None:
        self.name = name
        self.window = None
        self.visited: set[tuple[int, int, str]] = set()
        self.step = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self.tick)
        self.timer.start(20)

    def tick(self) -> None:
        from annotator.gui.desk.main_window import MainWindow

        if self.window is None:
            found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            if not found or not found[0].isVisible():
                return
            self.window = found[0]
            self.window.activateWindow()
            say("window up")
        w = self.window
        grid = w.panel.grid
        grid.setFocus()
        key = w.current_key()
        if key is None or (key.article_id, key.actor_id, key.target) in self.visited:
            QTest.keyClick(grid, Qt.Key.Key_J)
            after = w.current_key()
            if after == key:  # the last actor of this article: on to the next one
                QTest.keyClick(grid, Qt.Key.Key_BracketRight)
                QTest.keyClick(grid, Qt.Key.Key_L)
            return
        stance = w.codebook.stances[self.step % len(w.codebook.stances)]
        before = w.session.last_saved
        QTest.keyClick(grid, stance.key.upper())
        self.step += 1
        if w.session.last_saved is not None and w.session.last_saved != before:
            # The key press returned and the session wrote the label: acknowledge it.
            self.visited.add((key.article_id, key.actor_id, key.target))
            say(f"w {self.name} stance {key.article_id} {key.actor_id} {key.target} {stance.id}")


def main(db: str, name: str) -> int:
    settings = load_settings()
    settings.annotator = name  # no first-launch name dialog
    save_settings(settings)
    QApplication.instance() or gui_app._application()
    _driver = Driver(name)  # noqa: F841 - kept alive for the timer
    return gui_app.run(db=db)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
