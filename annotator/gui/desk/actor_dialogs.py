"""Small dialogs: who is annotating, keyboard shortcuts, add an actor, merge actors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.gui.desk.shortcuts import all_shortcuts
from annotator.store.actors import ActorRecord

LABELS = (("PER", "person"), ("ORG", "organisation"), ("LOC", "state / place"), ("MISC", "other"))
_TYPE_FOR_LABEL = {"PER": "person", "ORG": "organisation", "LOC": "country", "MISC": "other"}


class AnnotatorDialog(QDialog):
    def __init__(self, known: list[str], current: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(known)
        self.name.setCurrentText(current or "")
        editor = self.name.lineEdit()
        assert editor is not None  # an editable combo box has one
        editor.setPlaceholderText("Your name or initials")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Every label is stored with your name. You see only your own labels\n"
                "(blind annotation); the project lead compares annotators later."
            )
        )
        layout.addWidget(self.name)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self.name.currentText().strip():
            self.accept()

    def value(self) -> str:
        return self.name.currentText().strip()


class ShortcutsDialog(QDialog):
    def __init__(self, codebook: Codebook, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        shortcuts = all_shortcuts(codebook)
        table = QTableWidget(len(shortcuts), 2)
        table.setObjectName("shortcutsTable")
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, s in enumerate(shortcuts):
            table.setItem(i, 0, QTableWidgetItem("  /  ".join(s.keys)))
            table.setItem(i, 1, QTableWidgetItem(s.text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        table.verticalHeader().setDefaultSectionSize(24)
        self.resize(780, 720)


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
        form.addRow("Selected text:", QLabel(f"„{surface}“"))
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


class MergeActorsDialog(QDialog):
    def __init__(self, actors: list[ActorRecord], first: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Merge actors")
        self.source = QComboBox()
        self.into = QComboBox()
        for combo in (self.source, self.into):
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for a in actors:
                combo.addItem(a.name, a.id)
            completer = combo.completer()
            assert completer is not None  # an editable combo box has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        if first is not None:
            i = self.source.findData(first)
            if i >= 0:
                self.source.setCurrentIndex(i)
        form = QFormLayout(self)
        form.addRow("Merge this actor:", self.source)
        form.addRow("into (keeps its name):", self.into)
        form.addRow(QLabel("Mentions, labels and aliases move over; this cannot be undone."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[int, int]:
        return self.source.currentData(), self.into.currentData()
