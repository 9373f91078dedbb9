"""Menus and shortcuts of the main window, built from the one shortcut table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.codebook import Codebook
from annotator.gui.desk.shortcuts import all_shortcuts


class Actions:
    """Creates one QAction per shortcut-table entry (plus menu-only ones) on a window."""

    def __init__(self, window: QMainWindow, codebook: Codebook) -> None:
        self.window = window
        self.by_name: dict[str, QAction] = {}
        self._keys = {s.action: s.keys for s in all_shortcuts(codebook)}
        self._texts = {s.action: s.text for s in all_shortcuts(codebook)}

    def add(
        self, name: str, text: str, slot: Callable[[], object], *, menu: QMenu | None = None
    ) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action_{name}")
        keys = self._keys.get(name, ())
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
            # Window-wide, so labelling keys work whether the text or the grid has focus;
            # line edits (search, note) still get their letters via ShortcutOverride.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            tip = self._texts.get(name, text)
            action.setToolTip(f"{tip}  ({' / '.join(keys)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        if menu is not None:
            menu.addAction(action)
        self.by_name[name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]
