"""The evidence offer on a seed article, in the window: Pistorius × spending in seed 000
offers the Lastenteilung quote (not the headline), shown where the annotator can read it,
and E then F label the cell with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.labels import CellKey, get_cell
from annotator.store.suggestions import SuggestionSettings, save_settings
from tests.gui.test_team_queue import open_window


def on_screen(view, start: int, end: int) -> bool:
    cursor = QTextCursor(view.document())
    top, bottom = (view.cursorRect(_at(cursor, view.map.to_qt(i))) for i in (start, end))
    return top.top() >= 0 and bottom.bottom() <= view.viewport().height()


def _at(cursor: QTextCursor, position: int) -> QTextCursor:
    cursor.setPosition(position)
    return cursor


def test_the_offer_is_the_quote_and_in_view(qtbot, project, codebook) -> None:
    seeds = [seeds_dir() / f"{n}.txt" for n in ("000_bdcb18cc22753435", "001_2a7d540fb5e89974")]
    import_paths(project, seeds, model="none")
    # The evidence rule's own offer: a stance suggestion would put its evidence first.
    save_settings(project, SuggestionSettings(enabled=False))
    win = open_window(qtbot, project, codebook, "anna")
    assert win.text.verticalScrollBar().value() == 0  # an article opens at its top
    names = [row.name for row in win.panel.model.rows]
    keys = 0
    for _ in range(names.index("Boris Pistorius")):
        qtbot.keyClick(win.panel.grid, Qt.Key.Key_J)
        keys += 1
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_3)  # the spending column
    keys += 1
    offer = win.cell.candidates[0]
    text = win.article.text[offer.start : offer.end]
    assert text.startswith("Uns muss eine faire Lastenteilung") and "SPD-Politiker" in text
    assert "after the name" in win.panel.candidate.text()
    assert on_screen(win.text, offer.start, offer.end)  # scrolled to, far below the top
    assert win.text.verticalScrollBar().value() > 0
    assert win.text.textCursor().position() == 0  # the text cursor stays where it was
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_E)
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_F)
    keys += 2
    pistorius = win.panel.model.rows[names.index("Boris Pistorius")].actor_id
    cell = get_cell(project, win.annotator_id, CellKey(win.article_id, pistorius,
                                                       "defence_spending"))  # fmt: skip
    assert cell.stance == "favor" and cell.evidence == ((offer.start, offer.end),)
    assert keys == names.index("Boris Pistorius") + 3  # to the cell, then E and F
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_BracketRight)  # the next article: at its top
    assert win.article.external_id.startswith("001")
    assert win.text.verticalScrollBar().value() == 0
