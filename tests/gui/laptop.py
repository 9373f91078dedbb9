"""The windows on a 1366 x 768 laptop screen, measured in a child process.

The test process's Qt has one offscreen screen of 800 x 600 for good; a child process gets
Qt's offscreen platform with a screen of the laptop's size (its `configfile` option), opens
the real window as `annotator` does (its size from the screen), and prints what fits as
JSON. `python -m tests.gui.laptop VIEW PROJECT` with VIEW "desk", "remember" (the window
resized and a column dragged, closed, opened again) or "agreement".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1366, 768
REPO = Path(__file__).resolve().parents[2]


def measure(view: str, db: Path, tmp: Path) -> dict[str, Any]:
    """Run this module for `view` on the project `db`; its report."""
    screen = tmp / "screen.json"
    screen.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": WIDTH, "height": HEIGHT,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))  # fmt: skip
    env = os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.laptop", view, str(db)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _box(widget: Any, window: Any) -> list[int]:
    from PySide6.QtCore import QPoint

    at = widget.mapTo(window, QPoint(0, 0))
    return [at.x(), at.y(), widget.width(), widget.height()]


def _desk(db: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from annotator.codebook import load_codebook
    from annotator.gui.desk.main_window import MainWindow
    from annotator.settings import Settings
    from annotator.store.engine import open_project

    project = open_project(db)
    win = MainWindow(project, load_codebook(), "anna", Settings(annotator="anna"))
    win.show()
    _settle()
    grid, header = win.panel.grid, win.panel.grid.horizontalHeader()
    model = grid.model()
    targets = []
    for c in range(header.count()):
        text = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        targets.append({
            "text": text,
            "right": header.sectionViewportPosition(c) + header.sectionSize(c),
            "width": header.sectionSize(c),
            "text_width": header.fontMetrics().horizontalAdvance(text),
        })  # fmt: skip
    buttons = win.panel.findChildren(QPushButton)  # stances, Clear, evidence
    list_header = win.list_panel.table.horizontalHeader()
    report = {
        "window": [win.x(), win.y(), win.width(), win.height()],
        "screen": [WIDTH, HEIGHT],
        "grid_viewport": grid.viewport().width(),
        "targets": targets,
        "buttons": {b.text(): _box(b, win) + [b.sizeHint().width()] for b in buttons},
        "title_column": list_header.sectionSize(1),
        "team": win.list_panel.team,
        "columns": win.splitter.sizes(),
    }
    win.close()
    project.close()
    return report


def _remember(db: str) -> dict[str, Any]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from annotator.codebook import load_codebook
    from annotator.gui.desk.main_window import MainWindow
    from annotator.settings import Settings, load_settings
    from annotator.store.engine import open_project

    project, codebook = open_project(db), load_codebook()
    win = MainWindow(project, codebook, "anna", Settings(annotator="anna"))
    win.show()
    _settle()
    win.setGeometry(40, 30, 1180, 700)
    _settle()
    before = win.splitter.sizes()
    handle = win.splitter.handle(1)  # between the list and the text: dragged 60 pixels
    start, end = QPoint(1, handle.height() // 2), QPoint(61, handle.height() // 2)
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(handle, end)
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=end)
    dragged = win.splitter.sizes()
    closed = [win.x(), win.y(), win.width(), win.height()]  # x, y: where its frame is
    win.close()  # the window writes the settings file as it closes
    again = MainWindow(project, codebook, "anna", load_settings())
    again.show()
    _settle()
    report = {
        "before": before,
        "dragged": dragged,
        "closed": closed,
        "again": [again.x(), again.y(), again.width(), again.height()],
        "again_columns": again.splitter.sizes(),
    }
    again.close()
    project.close()
    return report


def _agreement(db: str) -> dict[str, Any]:
    from annotator.codebook import load_codebook
    from annotator.gui.lead.agreement_view import AgreementView
    from annotator.store.engine import open_project

    project = open_project(db)
    view = AgreementView(project, load_codebook(), bootstrap=50)
    view.tabs.setCurrentIndex(2)  # Disagreements
    view.show()
    if view.report is None:  # computed in a worker: wait for it
        from PySide6.QtCore import QEventLoop

        loop = QEventLoop()
        view.report_ready.connect(lambda _report: loop.quit())
        loop.exec()
    _settle()
    table = view.disagreement_view
    header = table.horizontalHeader()
    model = table.model()
    report = {
        "window": [view.x(), view.y(), view.width(), view.height()],
        "headers": [model.headerData(c, _horizontal()) for c in range(model.columnCount())],
        "sections": [
            [header.sectionViewportPosition(c), header.sectionSize(c)]
            for c in range(model.columnCount())
        ],  # fmt: skip
        "viewport": table.viewport().width(),
        "scrollbar": table.horizontalScrollBar().isVisible(),
        "rows": model.rowCount(),
        "first_row": [model.data(model.index(0, c)) for c in range(model.columnCount())],
        "title_tip": model.data(model.index(0, model.columnCount() - 1), _tooltip()),
    }
    view.close()
    project.close()
    return report


def _horizontal() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _tooltip() -> int:
    from PySide6.QtCore import Qt

    return int(Qt.ItemDataRole.ToolTipRole)


def _settle() -> None:
    """Let the window lay itself out: the layout requests posted by showing it, and
    those their handling posts in turn."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    view, db = sys.argv[1], sys.argv[2]
    app = QApplication([])
    app.setStyle("Fusion")  # as the window does (gui/app.py)
    report = {"desk": _desk, "remember": _remember, "agreement": _agreement}[view](db)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
