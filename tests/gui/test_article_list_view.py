"""The article list as the annotator sees it: long titles cut in their middle with the whole
title as a tooltip, the narrow list's columns, and one row marked after `]`."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette

from annotator.gui.desk.article_list import DATE_COLUMN, SOURCE_COLUMN
from tests.conftest import add_article

LONG = "Sorge um weniger US-Hilfe Pistorius spricht mit Frankreich über engere Zusammenarbeit"


def test_a_long_title_is_cut_in_its_middle_and_whole_in_the_tooltip(qtbot, window) -> None:
    add_article(window.project, "long", "Ein Text.", title=LONG)
    window.articles_changed()
    model, table = window.list_model, window.list_panel.table
    row = model.row_of(_id(window, "long"))
    assert row is not None
    index = model.index(row, 1)
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    shown = table.fontMetrics().elidedText(
        LONG, table.textElideMode(), table.visualRect(index).width() - 8
    )
    assert shown.startswith("Sorge um") and shown.endswith("arbeit") and "…" in shown
    assert model.data(index, Qt.ItemDataRole.ToolTipRole).splitlines()[0] == LONG


def test_a_narrow_list_gives_its_room_to_the_titles(qtbot, window) -> None:
    panel, splitter = window.list_panel, window.splitter
    window.resize(1500, 700)
    qtbot.waitUntil(lambda: sum(splitter.sizes()) > 1400)
    sizes = splitter.sizes()
    splitter.setSizes([520, sizes[0] + sizes[1] - 520, sizes[2]])
    qtbot.waitUntil(lambda: not panel.table.isColumnHidden(SOURCE_COLUMN))
    assert not panel.table.isColumnHidden(DATE_COLUMN)
    splitter.setSizes([240, sizes[0] + sizes[1] - 240, sizes[2]])
    qtbot.waitUntil(lambda: panel.table.isColumnHidden(SOURCE_COLUMN))
    assert panel.table.isColumnHidden(DATE_COLUMN)
    assert panel.table.horizontalHeader().sectionSize(1) >= 150


def _id(window, external_id: str) -> int:
    from annotator.store.articles import article_id_by_external

    found = article_id_by_external(window.project, external_id)
    assert found is not None
    return found


def _marked_rows(window) -> list[int]:
    """Rows painted in the selection colour on the screen (what was last drawn, not a
    fresh rendering: the old bug left a row's paint behind)."""
    table = window.list_panel.table
    image = window.screen().grabWindow(window.winId()).toImage()
    origin = table.viewport().mapTo(window, QPoint(0, 0))
    palette = table.palette()
    marks = {palette.color(group, QPalette.ColorRole.Highlight).rgb()
             for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)}  # fmt: skip
    rows = []
    for row in range(window.list_model.rowCount()):
        rect = table.visualRect(window.list_model.index(row, 1))
        point = origin + QPoint(rect.right() - 3, rect.center().y())  # right of the title
        if image.pixelColor(point).rgb() in marks:
            rows.append(row)
    return rows


def test_after_the_next_article_key_one_row_is_marked(qtbot, window) -> None:
    window.focus_grid()
    qtbot.waitUntil(lambda: _marked_rows(window) == [0])
    for expected in (1, 2, 1):
        key = Qt.Key.Key_BracketRight if expected > window.list_panel.table.currentIndex().row() \
            else Qt.Key.Key_BracketLeft  # fmt: skip
        qtbot.keyClick(window.panel.grid, key)
        qtbot.waitUntil(lambda e=expected: _marked_rows(window) == [e])
