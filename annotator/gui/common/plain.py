"""Text from data shown as it is typed, never read as HTML.

Qt shows a label's, a tooltip's or a message box's text as rich text whenever it looks like
HTML (Qt.mightBeRichText). Titles, names, notes, sources and codebook labels come from files
that may have been edited by hand: an article titled '<img src="…/project.db">' made the
window open the project file outside SQLite again and again (which drops SQLite's locks,
see annotator/file_guard.py), and a name '<s>ina</s>' showed struck through. Every widget
that shows such text goes through one of these.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui  # Qt.mightBeRichText lives in QtGui
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QWidget

__all__ = ["escape", "plain_label", "plain_tip", "message_box", "plain_input_dialog"]


def plain_label(text: str = "") -> QLabel:
    """A label that never reads its text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # before the text: rich text lays out at once
    label.setText(text)
    return label


def plain_tip(text: str) -> str:
    """A tooltip showing `text` as it is (tooltips have no plain-text switch: text that
    looks like HTML is escaped into rich text that says the same)."""
    if not QtGui.mightBeRichText(text):
        return text
    return "<p style='white-space:pre'>" + escape(text) + "</p>"


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    informative: str = "",
    details: str = "",
    name: str = "",
) -> QMessageBox:
    """A message box with plain texts and an OK button, opened window-modal (open(), not
    exec(): the window, and a test, keeps running)."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if informative:
        # The informative text has no format of its own: its label (made by the first
        # call) is the box's child, made plain before it gets the text.
        box.setInformativeText(" ")
        for label in box.findChildren(QLabel, "qt_msgbox_informativelabel"):
            label.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)  # shown in a plain text field
    if name:
        box.setObjectName(name)
    box.open()
    return box


def plain_input_dialog(parent: QWidget | None, label: str) -> QInputDialog:
    """A text input dialog whose question (which may quote names) is plain text."""
    dialog = QInputDialog(parent)
    dialog.setLabelText("")  # makes its label, then plain before the text
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setLabelText(label)
    return dialog
