"""The curation window's table of units: one row per unit (actor, target, each done
annotator's version, gold with its origin), disagreeing units first, agreeing ones greyed
and ticked; moving between units by rule (next undecided, next disagreement)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.curation.units import ArticleCuration, CurationUnit
from annotator.gui.common import theme
from annotator.gui.lead.curation_details import describe_origin, stance_text


class UnitsTable(QTableWidget):
    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curationUnits")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._targets = {t.id: t.short_label for t in codebook.targets}
        self.units: tuple[CurationUnit, ...] = ()

    def target_label(self, target: str) -> str:
        return self._targets.get(target, target)

    def show_units(
        self, view: ArticleCuration, names: dict[str, str], *, keep: bool, anonymous: bool
    ) -> None:
        """Fill the rows; with `keep` the unit that was current stays current (else the
        first). Emits currentCellChanged only if the row changes."""
        current = self.current_unit() if keep else None
        self.units = view.units
        headers = ["Actor", "Target", *(names[c] for c in view.coders), "Gold"]
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(view.units))
        quiet = QColor(theme.boilerplate_color())
        for r, unit in enumerate(view.units):
            cells = [f"✓ {unit.actor}" if unit.agreed else unit.actor,
                     self.target_label(unit.target)]  # fmt: skip
            for coder in view.coders:
                version = unit.version(coder)
                cells.append(stance_text(version.state) if version else "—")
            gold = stance_text(unit.gold) if unit.decided else "· undecided"
            if unit.origin is not None:
                gold += f"  ({describe_origin(unit.origin, names, anonymous=anonymous)})"
            cells.append(gold)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if unit.agreed:
                    item.setForeground(quiet)
                    item.setToolTip("everyone agrees")
                self.setItem(r, c, item)
        row = 0
        if current is not None:
            row = next((i for i, u in enumerate(view.units) if u.key == current.key), 0)
        if view.units:
            self.setCurrentCell(row, 0)

    def current_unit(self) -> CurationUnit | None:
        row = self.currentRow()
        return self.units[row] if 0 <= row < len(self.units) else None

    def step(self, step: int) -> None:
        """J / K: the next / previous unit (no wrapping)."""
        if self.units:
            self.setCurrentCell(max(0, min(len(self.units) - 1, self.currentRow() + step)), 0)

    def go_to(self, wanted: Callable[[CurationUnit], bool], step: int = 1) -> bool:
        """Move to the next unit in direction `step` (wrapping, the current one last) that
        is `wanted`; False if there is none."""
        n, start = len(self.units), self.currentRow()
        for i in range(1, n + 1):
            row = (start + step * i) % n
            if wanted(self.units[row]):
                self.setCurrentCell(row, 0)
                return True
        return False
