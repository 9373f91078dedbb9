"""Window sizes: a first size that fits the screen, and the place, size and column widths
each window had when it was closed, kept in the user's settings (annotator/settings.py)
under the window's name."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject
from PySide6.QtWidgets import QSplitter, QWidget

from annotator.settings import Settings, save_settings

# Room for a title bar and frame, which the screen's available area does not leave out.
_FRAME = 40


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """`width` x `height`, or the screen's free area where that is smaller (a 1366 x 768
    laptop): the status bar and the buttons at the bottom stay on screen."""
    free = window.screen().availableGeometry()
    window.resize(min(width, free.width()), min(height, free.height() - _FRAME))


def restore(window: QWidget, settings: Settings, name: str) -> bool:
    """The window's remembered place and size (Qt moves it back onto a screen that is
    still there); False when there was none."""
    saved = settings.windows.get(name)
    if not saved:
        return False
    return window.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))


def restore_columns(splitter: QSplitter, settings: Settings, name: str) -> bool:
    """The splitter's remembered column widths; False when there were none that fit."""
    sizes = settings.splitters.get(name)
    if not sizes or len(sizes) != splitter.count() or not any(sizes):
        return False
    splitter.setSizes(sizes)
    return True


def remember(
    window: QWidget, settings: Settings, name: str, splitter: QSplitter | None = None
) -> None:
    """Write the window's geometry and column widths into `settings` (not to disk)."""
    settings.windows[name] = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    if splitter is not None:
        settings.splitters[name] = [int(n) for n in splitter.sizes()]


class _Keeper(QObject):
    def __init__(
        self, window: QWidget, settings: Settings, name: str, splitter: QSplitter | None
    ) -> None:
        super().__init__(window)
        self._settings, self._name, self._splitter = settings, name, splitter
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            remember(watched, self._settings, self._name, self._splitter)
            save_settings(self._settings)
        return False


def keep_geometry(
    window: QWidget, settings: Settings, name: str, splitter: QSplitter | None = None
) -> None:
    """Restore the window's remembered geometry and columns now and remember them when it
    closes (a lead's view; the main window does both itself)."""
    restore(window, settings, name)
    if splitter is not None:
        restore_columns(splitter, settings, name)
    _Keeper(window, settings, name, splitter)
