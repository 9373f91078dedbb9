"""The window's three columns: article list | article text | stances and codebook.

Their first widths fit the window (a 1366 x 768 laptop included): the stance panel as wide
as its buttons and three target columns need, the list a fifth of the window (a little
more in a team, for its Team column), the text the rest. Widths the annotator chose by
dragging are remembered (gui/common/geometry.py) and then kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget

from annotator.gui.common.geometry import restore_columns
from annotator.settings import Settings

NAME = "main"  # the window's name in the settings


class Columns(QSplitter):
    def __init__(
        self, articles: QWidget, text: QWidget, stances: QWidget, settings: Settings
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.articles, self.text, self.stances = articles, text, stances
        for widget in (articles, text, stances):
            self.addWidget(widget)
        # A wider window widens the text; no column is dragged away to nothing.
        for index, stretch in enumerate((0, 1, 0)):
            self.setStretchFactor(index, stretch)
        self.setChildrenCollapsible(False)
        articles.setMinimumWidth(240)
        text.setMinimumWidth(360)
        self.own = restore_columns(self, settings, NAME)  # the annotator's own widths
        self.splitterMoved.connect(self._moved)
        self.team: bool | None = None  # the widths are for a team's list, or not, or unset

    def _moved(self, _pos: int, _index: int) -> None:
        self.own = True  # dragged: remembered when the window closes, and kept

    def fit(self, width: int, *, team: bool) -> None:
        """First widths for a window `width` wide, and again when the list gets (or loses)
        its Team column; never over the annotator's own."""
        if self.own or team == self.team:
            return
        self.team = team
        panel = max(self.stances.minimumSizeHint().width(), round(width * 0.36))
        share = 0.22 if team else 0.19
        articles = max(self.articles.minimumWidth(), round(width * share))
        self.setSizes([articles, max(width - articles - panel, self.text.minimumWidth()), panel])
