"""Running slow core work (import, re-highlighting, merge, export) off the GUI thread.

One helper for all of it: a progress dialog that can be cancelled, the result handed back
on the GUI thread, and any failure routed to the one error dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.errors import Cancelled
from annotator.gui.common.errors import show_error

# fn(progress, cancelled) -> result
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, cancel_event: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel_event

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class Task(QObject):
    """A running background task. Keep a reference until `done` fires."""

    done = Signal(object)  # result, or None after failure/cancel
    failed = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        work: Work,
        *,
        title: str,
        on_done: Callable[[Any], None] | None = None,
        show_progress: bool = True,
        report_errors: bool = True,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(work, self._cancel)
        self._worker.moveToThread(self._thread)
        self._on_done = on_done
        self._report_errors = report_errors
        self.dialog: QProgressDialog | None = None
        if show_progress:
            self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.canceled.connect(self._cancel.set)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = True
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def stop(self) -> None:
        """Cancel and wait for the worker (the window is closing): a QThread destroyed
        while it runs aborts the process. Work finished so far is committed; the worker
        stops at its next cancellation check; its result goes nowhere."""
        self._cancel.set()
        for signal in (self._worker.progressed, self._worker.finished, self._worker.failed):
            signal.disconnect()
        self._thread.quit()
        self._thread.wait()
        self.running = False

    def _on_progress(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(done)
            self.dialog.setLabelText(f"{done} of {total}")

    def _finish(self) -> None:
        self.running = False
        self._thread.quit()
        self._thread.wait()
        if self.dialog is not None:
            self.dialog.close()

    def _on_finished(self, result: Any) -> None:
        self._finish()
        self.result = result
        if self._on_done is not None:
            try:
                self._on_done(result)
            except Exception as exc:  # noqa: BLE001
                show_error(self._parent, exc)
        self.done.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        self.error = exc
        if self._report_errors and not isinstance(exc, Cancelled):
            show_error(self._parent, exc)
        self.failed.emit(exc)
        self.done.emit(None)
