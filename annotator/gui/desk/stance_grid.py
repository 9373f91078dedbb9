"""The stance grid's model (actors x targets; a label, or a suggestion shown pale) and its
cell painter; the panel around it is desk/stance_panel.py."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from annotator.codebook import Codebook
from annotator.gui.common import theme
from annotator.gui.common.plain import plain_tip
from annotator.labelling import ActorRow
from annotator.store.labels import CellState
from annotator.store.suggestions import StoredSuggestion

_Index = QModelIndex | QPersistentModelIndex


class StanceGridModel(QAbstractTableModel):
    def __init__(self, codebook: Codebook, parent: Any = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.rows: list[ActorRow] = []
        self.cells: dict[tuple[int, str], CellState] = {}
        # Stance suggestions by cell: shown pale in an empty cell, never a label.
        self.suggestions: dict[tuple[int, str], StoredSuggestion] = {}
        self._stance = {s.id: s for s in codebook.stances}

    def set_content(self, rows: list[ActorRow], cells: dict[tuple[int, str], CellState]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.cells = dict(cells)
        self.endResetModel()

    def set_cell(self, actor_id: int, target: str, state: CellState) -> None:
        self.cells[(actor_id, target)] = state
        self._changed(actor_id, target)

    def set_suggestions(self, found: dict[tuple[int, str], StoredSuggestion]) -> None:
        old, self.suggestions = self.suggestions, dict(found)
        for actor_id, target in old.keys() | found.keys():
            self._changed(actor_id, target)

    def _changed(self, actor_id: int, target: str) -> None:
        for r, row in enumerate(self.rows):
            if row.actor_id == actor_id and target in self.codebook.target_ids:
                c = self.codebook.target_ids.index(target)
                self.dataChanged.emit(self.index(r, c), self.index(r, c))

    def suggestion_at(self, index: _Index) -> StoredSuggestion | None:
        """The suggestion shown in an empty cell (a labelled cell shows its label)."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        key = (self.rows[index.row()].actor_id, self.codebook.targets[index.column()].id)
        found = self.suggestions.get(key)
        # Until she chooses a stance: evidence or a note of her own do not hide it.
        return (
            found if found is not None and self.cells.get(key, CellState()).stance is None else None
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.codebook.targets)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            target = self.codebook.targets[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{target.short_label} [{target.key}]" if target.key else target.short_label
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_tip(f"{target.label_en} ({target.label_de})\n\n{target.definition}")
            return None
        if section >= len(self.rows):
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name}  ({row.mentions})"
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = theme.MENTION_NAMES.get(row.label, row.label)
            return plain_tip(f"{row.name}: {kind}, {row.mentions} mention(s) in this article")
        if role == Qt.ItemDataRole.BackgroundRole:
            return theme.mention_color(row.label)
        return None

    def state_at(self, index: _Index) -> CellState:
        row = self.rows[index.row()]
        return self.cells.get((row.actor_id, self.codebook.targets[index.column()].id), CellState())

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        state = self.state_at(index)
        stance = self._stance.get(state.stance) if state.stance else None
        if state.stance is None and (suggested := self.suggestion_at(index)) is not None:
            return self._suggestion_data(suggested, state, role)
        if role == Qt.ItemDataRole.DisplayRole:
            text = stance.id if stance else ("·" if state.is_empty else "(no stance)")
            return f"{text}  {_marks(state)}".strip()
        if role == Qt.ItemDataRole.BackgroundRole and stance is not None:
            return theme.stance_color(stance.color)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and stance is not None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and state.note:
            return plain_tip(state.note)
        return None

    def _suggestion_data(self, suggested: StoredSuggestion, state: CellState, role: int) -> Any:
        stance = self._stance.get(suggested.stance)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{suggested.stance}?  {_marks(state)}".strip()
        if role == Qt.ItemDataRole.BackgroundRole and stance is not None:
            return theme.suggestion_color(stance.color)
        if role == Qt.ItemDataRole.ForegroundRole:
            return theme.suggestion_text_color()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"{suggestion_text(suggested)}\nNot a label until you accept it.")
        return None


def _marks(state: CellState) -> str:
    """❝2 ✎: the cell's evidence count and whether it holds a note."""
    marks = [f"❝{len(state.evidence)}"] if state.evidence else []
    return " ".join(marks + (["✎"] if state.note else []))


def suggestion_text(suggested: StoredSuggestion) -> str:
    """ "Suggested: favor (rules, 72 %) · Enter accepts · R rejects" """
    return (f"Suggested: {suggested.stance} ({suggested.source}, "
            f"{round(100 * suggested.confidence)} %) · Enter accepts · R rejects")  # fmt: skip


class CellDelegate(QStyledItemDelegate):
    """Paints a cell in its stance colour also when it is the current one, which gets a
    frame instead of the selection fill (the fill hid the stance just labelled)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        opt.state &= ~QStyle.StateFlag.State_Selected
        opt.state &= ~QStyle.StateFlag.State_HasFocus
        super().paint(painter, opt, index)
        if selected:
            painter.save()
            pen = QPen(option.palette.color(QPalette.ColorRole.Highlight))
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()
