"""Dialogs about actors: add one from the selected text, merge two into one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.gui.common.errors import guarded
from annotator.gui.common.plain import plain_label
from annotator.store.actor_merge import MergeConflict
from annotator.store.actors import ActorRecord
from annotator.store.labels import CellState

LABELS = (("PER", "person"), ("ORG", "organisation"), ("LOC", "state / place"), ("MISC", "other"))
_TYPE_FOR_LABEL = {"PER": "person", "ORG": "organisation", "LOC": "country", "MISC": "other"}

# (source, into) -> the cells labelled on both actors (store.actor_merge.merge_conflicts)
ConflictsOf = Callable[[int, int], list[MergeConflict]]


class AddActorDialog(QDialog):
    """Name (or pick) the canonical actor for a selected text."""

    def __init__(self, surface: str, actors: list[ActorRecord], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add actor")
        self._actors = {a.name: a for a in actors}
        self.name = QLineEdit(surface)
        completer = QCompleter(sorted(self._actors))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.label = QComboBox()
        for code, text in LABELS:
            self.label.addItem(f"{text} ({code})", code)
        self.name.textChanged.connect(self._sync_label)
        form = QFormLayout(self)
        form.addRow("Selected text:", plain_label(f"„{surface}“"))
        form.addRow("Canonical actor:", self.name)
        form.addRow("Type:", self.label)
        form.addRow(QLabel("Pick an existing actor to add the text as its alias."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._sync_label(surface)

    def _sync_label(self, text: str) -> None:
        actor = self._actors.get(text.strip())
        if actor is not None:
            i = self.label.findData(actor.label)
            if i >= 0:
                self.label.setCurrentIndex(i)

    def values(self) -> tuple[str, str, str]:
        label = self.label.currentData()
        return self.name.text().strip(), label, _TYPE_FOR_LABEL[label]


def _actor_combo(actors: list[ActorRecord]) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for a in actors:
        combo.addItem(a.name, a.id)
    completer = combo.completer()
    assert completer is not None  # an editable combo box has one
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return combo


class MergeActorsDialog(QDialog):
    """Which actor goes into which. Before merging it shows the cells one annotator (or
    gold) labelled on both actors and asks which label stays there; the other is cleared,
    and undo (Ctrl+Z) brings back the whole merge."""

    HEADERS = ("Annotator", "Article", "Target", "Remaining actor's", "Merged actor's")

    def __init__(
        self,
        actors: list[ActorRecord],
        first: int | None,
        conflicts_of: ConflictsOf,
        codebook: Codebook,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge actors")
        self.setObjectName("mergeActorsDialog")
        self._conflicts_of = conflicts_of
        self._targets = {t.id: t.short_label for t in codebook.targets}
        self._stances = {s.id: s.label_en for s in codebook.stances}
        self.conflicts: list[MergeConflict] = []
        self.source, self.into = _actor_combo(actors), _actor_combo(actors)
        if first is not None and (i := self.source.findData(first)) >= 0:
            self.source.setCurrentIndex(i)
        self.summary = plain_label()
        self.summary.setObjectName("mergeConflicts")
        self.summary.setWordWrap(True)
        # One group box: the two buttons exclude each other.
        self.keep_into, self.keep_source = QRadioButton(), QRadioButton()
        self.keep_into.setChecked(True)  # the remaining actor's label, as the store's default
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.keep = QGroupBox("Which label stays in these cells?")
        keep_layout = QVBoxLayout(self.keep)
        keep_layout.addWidget(self.keep_into)
        keep_layout.addWidget(self.keep_source)
        pair = QFormLayout()
        pair.addRow("Merge this actor:", self.source)
        pair.addRow("into (keeps its name):", self.into)
        undo = QLabel(
            "Mentions, labels and aliases move to the remaining actor. "
            "Edit › Undo (Ctrl+Z) undoes the whole merge."
        )
        undo.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(pair)
        for widget in (self.summary, self.table, self.keep, undo, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(600)
        for combo in (self.source, self.into):
            combo.currentIndexChanged.connect(lambda _index: self._show_conflicts())
        self._show_conflicts()

    @guarded
    def _show_conflicts(self) -> None:
        """What merging the chosen pair would find labelled twice (a read, nothing written)."""
        source, into = self.source.currentData(), self.into.currentData()
        chosen = source is not None and into is not None and source != into
        self.conflicts = self._conflicts_of(source, into) if chosen else []
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(chosen)
        n = len(self.conflicts)
        if not chosen:
            text = "Choose two different actors."
        elif n == 0:
            text = "No annotator labelled both actors in the same cell: every label moves over."
        else:
            text = (
                f"{n} cell(s) are labelled on both actors by the same annotator (or in gold). "
                "One label stays in each; the other is cleared (undo brings it back)."
            )
        self.summary.setText(text)
        self.keep_into.setText(f"the label on „{self.into.currentText()}“ (the remaining actor)")
        self.keep_source.setText(f"the label on „{self.source.currentText()}“ (the merged actor)")
        self.table.setVisible(n > 0)
        self.keep.setVisible(n > 0)
        self._fill_table()
        self.adjustSize()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.conflicts))
        for r, c in enumerate(self.conflicts):
            target = self._targets.get(c.target, c.target)
            cells = (c.annotator, c.article, target, self._stance(c.kept), self._stance(c.dropped))
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.setMaximumHeight(min(220, 30 + 26 * len(self.conflicts)))

    def _stance(self, state: CellState) -> str:
        label = self._stances.get(state.stance or "")
        extra = f" ({len(state.evidence)} evidence)" if state.evidence else ""
        return (label or "no stance") + extra

    def values(self) -> tuple[int, int, str]:
        """(source, into, keep): keep is "into" or "source" (store.actor_merge.KEEP)."""
        keep = "source" if self.keep_source.isChecked() else "into"
        return self.source.currentData(), self.into.currentData(), keep
