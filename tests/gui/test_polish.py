"""Small things a labeller notices within minutes (issue 12, list 5)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.gui.common import theme
from annotator.gui.desk.codebook_panel import codebook_html
from annotator.store.labels import CellKey, CellState, put_cell


def test_the_current_cell_still_shows_its_stance_colour(qtbot, window, small_project) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F)  # favor on the current cell
    grid = window.panel.grid
    rect = grid.visualRect(grid.currentIndex())
    image = grid.viewport().grab().toImage()
    favor = next(s for s in window.codebook.stances if s.id == "favor")
    expected = theme.stance_color(favor.color)
    # Inside the frame, away from the text: the stance colour, not the selection colour.
    seen = QColor(image.pixel(rect.left() + 6, rect.top() + 6))
    assert seen.name() == expected.name()


def test_evidence_that_is_a_quote_is_not_quoted_twice(qtbot, window, small_project) -> None:
    text = window.article.text
    quote = "„Zwei Prozent reichen nicht“"
    start = text.index(quote)
    key = CellKey(window.article_id, window.panel.model.rows[0].actor_id, "nato_membership")
    put_cell(
        small_project, window.annotator_id, key, CellState("favor", ((start, start + len(quote)),))
    )
    window.open_article(window.article_id)
    assert window.panel.evidence.item(0).text() == quote


def test_codebook_definitions_are_reflowed_not_broken_mid_sentence(codebook) -> None:
    html = codebook_html(codebook)
    assert "unless the actor presents them" in html  # was "actor<br>presents"
    assert "combat troops, peacekeepers" in html
    assert "<br>FAVOR:" in html and "<br>AGAINST:" in html  # the structure stays


def test_the_agreement_window_counts_right_and_closes_with_esc(qtbot, window) -> None:
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_F)
    window.session.set_done(window.article_id, True)  # one annotator who is done
    window.lead.show_agreement()
    view = window.lead._agreement
    qtbot.waitUntil(lambda: view.report is not None or "could not" in view.summary.text(),
                    timeout=30_000)  # fmt: skip
    assert view.summary.text().startswith("1 annotator ·"), view.summary.text()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()
