"""The curation window's article list: every article an annotator marked done, with its
curation badge ("1/2 done", "ready", "in curation", "curated"); curation.curation_queue
reads them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from annotator.curation import curation_queue
from annotator.store.engine import Project

_ID = Qt.ItemDataRole.UserRole
_TITLE = Qt.ItemDataRole.UserRole + 1
_BADGE = Qt.ItemDataRole.UserRole + 2
TO_CURATE = ("ready", "in curation")  # badges of the articles Ctrl+Enter goes on to


class CurationArticles(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curationArticles")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the keys belong to the units
        self.setWordWrap(True)  # whole titles, the badge on a line of its own
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(2)

    def reload(self, project: Project, select: int | None) -> int | None:
        """Fill the list and make `select` (else the first article) current, without
        signals; returns the current article's id (None: the list is empty)."""
        self.blockSignals(True)
        self.clear()
        for article_id, title, state in curation_queue(project):
            item = QListWidgetItem()
            item.setData(_ID, article_id)
            item.setData(_TITLE, title)
            self.addItem(item)
            self._badge(item, state.badge)
        ids = [self.article_at(i) for i in range(self.count())]
        row = ids.index(select) if select in ids else (0 if ids else -1)
        self.setCurrentRow(row)
        self.blockSignals(False)
        return ids[row] if ids else None

    def article_at(self, row: int) -> int | None:
        item = self.item(row)
        return None if item is None else int(item.data(_ID))

    def badge_at(self, row: int) -> str:
        item = self.item(row)
        return "" if item is None else str(item.data(_BADGE))

    def set_badge(self, badge: str) -> None:
        """The current article's badge, after a change of its state."""
        item = self.currentItem()
        if item is not None:
            self._badge(item, badge)

    def next_to_curate(self) -> int | None:
        """The row of the next article that is ready or in curation (after the current
        one, wrapping; never the current one)."""
        n, row = self.count(), self.currentRow()
        for i in range(1, n):
            if self.badge_at((row + i) % n) in TO_CURATE:
                return (row + i) % n
        return None

    def step(self, step: int) -> None:
        row = self.currentRow() + step
        if 0 <= row < self.count():
            self.setCurrentRow(row)

    @staticmethod
    def _badge(item: QListWidgetItem, badge: str) -> None:
        item.setData(_BADGE, badge)
        item.setText(f"{item.data(_TITLE)}\n{badge}")
