"""Small dialogs: who is annotating, the keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.gui.desk.shortcuts import all_shortcuts


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
