"""Small things of issue 25: a country named by its adjective is coloured as a place, and
"Saved hh:mm ✓" belongs to the annotator who saved."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from annotator.gui.common import theme
from annotator.gui.desk.dialogs import AnnotatorDialog
from annotator.settings import Settings
from annotator.store.models import Mention
from tests.conftest import add_actor, add_article
from tests.gui.test_team_queue import open_window

TEXT = "Frankreich und die russischen Truppen: Europa schweigt. Die europäische Antwort fehlt."


def mention(project, article: int, surface: str, actor: int, label: str) -> None:
    start = TEXT.index(surface)
    with project.write() as s:
        s.add(Mention(article_id=article, start=start, end=start + len(surface), label=label,
                      actor_id=actor, source="lexicon"))  # fmt: skip


def background_at(view, offset: int) -> QColor | None:
    """The background the highlighter gave the character at `offset` (a str index)."""
    position = view.map.to_qt(offset)
    block = view.document().findBlock(position)
    inside = position - block.position()
    for rng in block.layout().formats():
        if rng.start <= inside < rng.start + rng.length and rng.format.background().style():
            return rng.format.background().color()
    return None


def test_a_country_named_by_its_adjective_is_a_place(qtbot, project, codebook) -> None:
    """The adjectives "russischen" and "europäische" are stored as MISC mentions of LOC
    actors: coloured as places, like "Frankreich", in the text and in the grid."""
    article = add_article(project, "a", TEXT, title="Drei Orte")
    france, russia = add_actor(project, "Frankreich", "LOC"), add_actor(project, "Russland", "LOC")
    europe = add_actor(project, "Europa", "LOC")
    mention(project, article, "Frankreich", france, "LOC")
    mention(project, article, "russischen", russia, "MISC")
    mention(project, article, "Europa", europe, "LOC")
    mention(project, article, "europäische", europe, "MISC")
    win = open_window(qtbot, project, codebook, "anna")
    place = theme.mention_color("LOC")
    qtbot.waitUntil(lambda: background_at(win.text, TEXT.index("russischen")) is not None)
    for surface in ("Frankreich", "russischen", "Europa", "europäische"):
        assert background_at(win.text, TEXT.index(surface)) == place, surface
    model = win.panel.model
    rows = {model.headerData(r, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole): r
            for r in range(model.rowCount())}  # fmt: skip
    for name in ("Frankreich  (1)", "Russland  (1)", "Europa  (2)"):
        background = model.headerData(rows[name], Qt.Orientation.Vertical,
                                      Qt.ItemDataRole.BackgroundRole)  # fmt: skip
        assert background == place, name


def test_saved_belongs_to_the_annotator_who_saved(qtbot, small_project, codebook) -> None:
    win = open_window(qtbot, small_project, codebook, "anna", Settings(annotator="anna"))
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_F)
    assert win.saved_label.text().startswith("Saved ") and win.saved_label.text().endswith("✓")
    deadline = time.monotonic() + 30

    def answer() -> None:  # File › Switch annotator… is modal: answered as a user would
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, AnnotatorDialog):
            dialog.name.setCurrentText("ben")
            dialog._accept()
        elif time.monotonic() < deadline:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    win.actions_["switch_annotator"].trigger()
    assert win.annotator == "ben" and win.annotator_label.text() == "Annotator: ben"
    assert win.saved_label.text() == ""  # ben has saved nothing yet
    win.activateWindow()  # back from the dialog: the labelling keys are the window's
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win and win.panel.grid.hasFocus())
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_A)
    assert win.saved_label.text().startswith("Saved ")
