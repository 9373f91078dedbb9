"""Calm read-only tables for the lead's views (agreement, against gold): a table model of
display strings with colours and tooltips, and small layout helpers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.common import theme
from annotator.gui.common.plain import plain_label, plain_tip

_Index = QModelIndex | QPersistentModelIndex
_Role = Qt.ItemDataRole
Cells = dict[tuple[int, int], Any]
# Kappa cells from poor (<= 0) through moderate (0.4) to good (>= 0.8), in soft tints.
_HEAT = ("#c0392b", "#f1c40f", "#27ae60")


def num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _mix(a: QColor, b: QColor, f: float) -> QColor:
    pairs = zip((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()), strict=True)
    return QColor(*(round(x + (y - x) * f) for x, y in pairs))


def tint(hex_color: str) -> QColor:
    """A quiet cell background: a little of the colour over the base colour."""
    return _mix(QColor("#202020" if theme.is_dark() else "#ffffff"), QColor(hex_color), 0.28)


def heat_color(kappa: float | None) -> QColor | None:
    if kappa is None:
        return None
    low, mid, high = (tint(c) for c in _HEAT)
    t = min(max(kappa, 0.0), 1.0)
    return _mix(low, mid, t / 0.4) if t < 0.4 else _mix(mid, high, min((t - 0.4) / 0.4, 1))


class RowsModel(QAbstractTableModel):
    """A read-only table of display strings, with optional colours, tooltips and row data."""

    def __init__(self, parent: Any = None, *, numbers_from: int = 1) -> None:
        super().__init__(parent)
        self.numbers_from = numbers_from  # columns from here on right-align numbers
        self.set_rows([], [])

    def set_rows(self, headers: list[str], rows: list[list[str]], *, colors: Cells | None = None,
                 tips: Cells | None = None, data: list[Any] | None = None,
                 vertical: list[str] | None = None) -> None:  # fmt: skip
        self.beginResetModel()
        self.headers, self.rows, self.vertical = headers, rows, vertical
        self.colors, self.tips, self.row_data = colors or {}, tips or {}, data or []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = _Role.DisplayRole) -> Any:
        r, c = index.row(), index.column()
        if role == _Role.DisplayRole:
            return self.rows[r][c]
        if role == _Role.BackgroundRole:
            return self.colors.get((r, c))
        if role == _Role.ToolTipRole:
            tip = self.tips.get((r, c))
            return plain_tip(tip) if tip else tip
        numeric = c >= self.numbers_from and self.rows[r][c][:1] in "0123456789-–—"
        if role == _Role.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == _Role.UserRole and r < len(self.row_data):
            return self.row_data[r]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != _Role.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return self.vertical[section] if self.vertical else None


def table(model: RowsModel, *, stretch: str = "last", fit: bool = False) -> QTableView:
    """A calm read-only table; stretch the "last" column, "all" columns, or "none"."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(model.numbers_from == 0)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    mode = QHeaderView.ResizeMode
    header.setSectionResizeMode(mode.Stretch if stretch == "all" else mode.ResizeToContents)
    header.setStretchLastSection(stretch == "last")
    if fit:  # as small as its cells: no empty grid below or beside a short table
        model.modelReset.connect(lambda: _fit(view, width=stretch == "none"))
    return view


def _fit(view: QTableView, *, width: bool) -> None:
    header, rows = view.horizontalHeader(), view.verticalHeader()
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
    frame = 2 * view.frameWidth() + 2
    view.setFixedHeight(header.sizeHint().height() + rows.length() + frame)
    if width:
        side = rows.sizeHint().width() if not rows.isHidden() else 0
        view.setFixedWidth(side + header.length() + frame)


def muted(text: str = "") -> QLabel:
    label = plain_label(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def box(*items: QWidget | str, vertical: bool = True, stretch: bool = True) -> QWidget:
    """Widgets (or texts, as labels) in a column or row, with free space at the end."""
    page = QWidget()
    layout = QVBoxLayout(page) if vertical else QHBoxLayout(page)
    if not vertical:
        layout.setContentsMargins(0, 0, 0, 0)
    for item in items:
        layout.addWidget(plain_label(item) if isinstance(item, str) else item)
    if stretch:
        layout.addStretch(1)
    return page
