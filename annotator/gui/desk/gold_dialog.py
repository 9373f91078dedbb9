"""View › Compare with gold: where the curated gold standard differs from my labels in the
open article. A thin layer over curation.gold_differences; the window offers it only for a
curated article the annotator marked done (curation.gold_visible), so annotation stays blind.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.curation import GoldDifference
from annotator.curation.units import Origin
from annotator.store.gold import ORIGIN_ANNOTATOR, ORIGIN_CURATOR
from annotator.store.labels import CellState

HEADERS = ("Actor", "Target", "Your stance", "Gold stance", "Gold evidence", "Gold from")


def _stance(state: CellState) -> str:
    return state.stance or "no stance"


def _origin(origin: Origin | None, me: str) -> str:
    """Where gold came from, without naming another annotator (their labels stay theirs)."""
    if origin is None:
        return ""
    if origin.kind == ORIGIN_ANNOTATOR:
        return "your version" if origin.annotator == me else "another annotator's version"
    if origin.kind == ORIGIN_CURATOR:
        return f"decided by {origin.curator or 'the curator'}"
    return origin.describe()


class GoldFeedbackDialog(QDialog):
    """The units of one article where gold's stance is not the annotator's. Enter (or a
    double click) on a row goes to that cell in the stance grid."""

    cell_chosen = Signal(int, str)  # actor id, target

    def __init__(
        self,
        codebook: Codebook,
        title: str,
        text: str,
        differences: list[GoldDifference],
        annotator: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("goldFeedback")
        self.setWindowTitle("Compare with gold")
        targets = {t.id: t.short_label for t in codebook.targets}
        n = len(differences)
        self.summary = QLabel(
            f"<b>{escape(title)}</b><br>"
            + (
                f"Gold differs from your labels in {n} unit{'s' if n != 1 else ''}."
                if n
                else "Gold agrees with every stance you gave in this article."
            )
        )
        self.summary.setWordWrap(True)
        hint = QLabel("Enter: go to the cell in your grid · Esc: close")
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.table = QTableWidget(n, len(HEADERS))
        self.table.setObjectName("goldDifferences")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for r, d in enumerate(differences):
            quotes = [f"„{' '.join(text[a:b].split())}“" for a, b in d.gold.evidence]
            evidence = "\n".join(quotes) or "—"
            if d.gold.note:
                evidence += f"\nNote: {d.gold.note}"
            cells = (d.actor, targets.get(d.key.target, d.key.target), _stance(d.mine),
                     _stance(d.gold), evidence, _origin(d.origin, annotator))  # fmt: skip
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self._keys = [(d.key.actor_id, d.key.target) for d in differences]
        self.table.activated.connect(self._go)
        if n:
            self.table.setCurrentCell(0, 0)
        self.table.setVisible(bool(n))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        if n:
            layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(900, 220 + 60 * min(n, 6))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _go(self, index: QModelIndex) -> None:
        self.cell_chosen.emit(*self._keys[index.row()])
        self.accept()

    def rows(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and screen readers alike)."""
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]  # type: ignore[union-attr]
            for r in range(self.table.rowCount())
        ]
