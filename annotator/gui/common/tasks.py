"""Background work in the window, one path for all of it (as Anki's operations go).

`run_task(owner, work, ...)` runs `work(progress, cancelled)` in a worker thread: import,
export, merges, re-highlighting, and the lead's views computing their figures.

- A task belongs to its owner, the widget that started it. When the owner, or a window it
  lives in, closes (or is destroyed unclosed), the task is cancelled and waited for: a
  worker never outlives its view, and nothing it returns reaches a closed view. The owner
  needs no code for it (an event filter watches it).
- Errors go one way: to `on_error` if the caller handles that kind itself (it returns
  True), else to the one error dialog (errors.show_error). A cancel is no error.
- On success the task announces what it changed (`Changes`) to its owner and the windows
  the owner lives in; a window that `listen`s refreshes itself; then `on_done` and `done`.

`Recompute` is a view's own recomputation (agreement, networks, progress) on this path.
A change made in the window itself (a label, a curation decision) is told the same way
(`announce`), so every view refreshes from the change that happened, whoever made it; a
lead's view `Follow`s the kinds of change it shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import Flag, auto
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.errors import Cancelled
from annotator.gui.common.errors import show_error
from annotator.gui.common.plain import plain_label

# work(progress, cancelled) -> result; progress(done, total), cancelled() -> bool
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
ErrorHandler = Callable[[BaseException], bool]


class Changes(Flag):
    """What a finished task changed in the project, for the views that show it."""

    NONE = 0
    ARTICLES = auto()  # articles added or changed: lists, counts, the open article
    HIGHLIGHTS = auto()  # mentions or sentences of articles: the marks in the text
    LABELS = auto()  # labels or done marks: agreement, progress, the articles to curate
    GOLD = auto()  # gold labels or curation states: the Team column, compare with gold
    SUGGESTIONS = auto()  # stance suggestions or models stored, or their switches changed


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
    """One piece of background work (made by `run_task`)."""

    done = Signal(object)  # the result; None after a failure or a cancel

    def __init__(
        self,
        owner: QWidget,
        work: Work,
        *,
        title: str,
        on_done: Callable[[Any], None] | None,
        on_error: ErrorHandler | None,
        show_progress: bool,
        changes: Changes,
    ) -> None:
        # No Qt parent: deleting the owner must never delete a running thread (that aborts
        # the process); the owner's watcher stops the task first.
        super().__init__()
        self.owner, self.changes = owner, changes
        self._on_done, self._on_error = on_done, on_error
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(work, self._cancel)
        self._worker.moveToThread(self._thread)
        self.dialog: QProgressDialog | None = None
        if show_progress:
            # Its label plain from the start: the title may name an annotator.
            self.dialog = QProgressDialog("", "Cancel", 0, 0, owner)
            self.dialog.setLabel(plain_label(title))
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
        self.running = True  # until its result (or failure) is handled, or it is stopped
        self._stopped = False

    def _start(self) -> None:
        self._thread.start()

    @property
    def worker_alive(self) -> bool:
        """The worker thread still runs (it ends soon after `running` turns False)."""
        return self._thread.isRunning()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; it ends as failed with Cancelled."""
        self._cancel.set()

    def stop(self) -> None:
        """Cancel and wait for the worker (its owner is closing). Work committed so far
        stays; the worker stops at its next check; its result goes nowhere."""
        if self._stopped:
            return
        self._stopped = True
        self._cancel.set()
        for signal in (self._worker.progressed, self._worker.finished, self._worker.failed):
            signal.disconnect()
        self._thread.quit()
        self._thread.wait()
        self._finish()

    def _finish(self) -> None:
        self.running = False
        self._thread.quit()
        self._thread.wait()
        _forget(self)
        # The owner's list may have held the last reference: one more is kept until the
        # event loop's next turn, so this object is never deleted inside its own slot.
        QTimer.singleShot(0, partial(_keep_alive, self))
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.close()

    # Slots of this object, so the worker's signals are queued to the GUI thread.
    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._stopped or self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"{done} of {total}")

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        if self._stopped:  # delivered after stop(): the owner is gone or going
            return
        self._finish()
        try:
            if self.changes:
                announce(self.owner, self.changes)
            if self._on_done is not None:
                self._on_done(result)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user
            show_error(self.owner, exc)
        self.done.emit(result)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        if self._stopped:
            return
        self._finish()
        if not isinstance(exc, Cancelled):
            handled = False
            if self._on_error is not None:
                try:
                    handled = self._on_error(exc)
                except Exception as again:  # noqa: BLE001
                    exc, handled = again, False
            if not handled:
                show_error(self.owner, exc)
        self.done.emit(None)


def run_task(
    owner: QWidget,
    work: Work,
    *,
    title: str,
    on_done: Callable[[Any], None] | None = None,
    on_error: ErrorHandler | None = None,
    show_progress: bool = True,
    changes: Changes = Changes.NONE,
) -> Task:
    """Run `work` in a worker for `owner` (see the module docstring). `show_progress`: a
    window-modal progress dialog with Cancel; without it the work runs unseen."""
    task = Task(owner, work, title=title, on_done=on_done, on_error=on_error,
                show_progress=show_progress, changes=changes)  # fmt: skip
    _watcher(owner).tasks.append(task)
    task._start()
    return task


def running_tasks(widget: QWidget) -> list[Task]:
    """The tasks of `widget` and of every widget inside it, oldest first."""
    return [task for watcher in _watchers(widget) for task in watcher.tasks]


def stop_tasks(widget: QWidget) -> None:
    """Cancel and wait for the tasks of `widget` and of every widget inside it."""
    for task in running_tasks(widget):
        task.stop()


def listen(window: QWidget, on_changes: Callable[[Changes], None]) -> None:
    """Call `on_changes` whenever a task owned by `window`, or by a widget inside it,
    finished and changed something."""
    _watcher(window).changed.connect(on_changes)


class _Watcher(QObject):
    """Lives on a widget that owns tasks: holds them and stops them when it closes."""

    changed = Signal(object)  # Changes

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.setObjectName("taskWatcher")
        self.tasks: list[Task] = []
        widget.installEventFilter(self)
        # Deleted without a close (a parent window deleted): the same, from the list alone,
        # since this object dies with the widget.
        widget.destroyed.connect(partial(_stop_all, self.tasks))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            stop_tasks(watched)
        return False


def _keep_alive(_task: Task) -> None:
    """Does nothing: being called late, holding the task until then, is its purpose."""


def _stop_all(tasks: list[Task], *_destroyed: object) -> None:
    for task in list(tasks):
        task.stop()


def _watcher(widget: QWidget) -> _Watcher:
    found = widget.findChild(_Watcher, "taskWatcher", Qt.FindChildOption.FindDirectChildrenOnly)
    return found if isinstance(found, _Watcher) else _Watcher(widget)


def _watchers(widget: QWidget) -> list[_Watcher]:
    if not shiboken6.isValid(widget):
        return []
    return [w for w in widget.findChildren(_Watcher, "taskWatcher") if isinstance(w, _Watcher)]


def _forget(task: Task) -> None:
    owner = task.owner
    if shiboken6.isValid(owner):
        for watcher in _watchers(owner):
            if task in watcher.tasks:
                watcher.tasks.remove(task)


def announce(owner: QWidget, changes: Changes) -> None:
    """Tell `changes` to the owner and every widget it lives in (a lead's view: the main
    window too): what a finished task changed, or a change made in the window itself."""
    widget: QWidget | None = owner
    while widget is not None:
        found = widget.findChild(_Watcher, "taskWatcher", Qt.FindChildOption.FindDirectChildrenOnly)
        if isinstance(found, _Watcher):
            found.changed.emit(changes)
        widget = widget.parentWidget()


class Recompute:
    """A view's recomputation in the background: one at a time; asked again while one
    runs, it runs once more when that one ends (with what the view asks for then), and only
    the newest result is shown: `show(result)`, or `show(None)` after a failure."""

    def __init__(
        self,
        owner: QWidget,
        title: str,
        work: Callable[[], Work],
        show: Callable[[Any], None],
    ) -> None:
        self._owner, self._title, self._work, self._show = owner, title, work, show
        self.task: Task | None = None
        self._again = False

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def request(self) -> None:
        if self.running:
            self._again = True
            return
        self._again = False
        self.task = run_task(self._owner, self._work(), title=self._title, show_progress=False)
        self.task.done.connect(self._finished)

    def _finished(self, result: Any) -> None:
        if self._again:
            self.request()
            return
        self._show(result)


class Follow(QObject):
    """A view that follows the project: `refresh()` after changes of the kinds it shows,
    once they pause for `delay_ms` (a lead's view beside someone labelling recomputes once
    per pause, not once per key)."""

    def __init__(
        self, view: QWidget, kinds: Changes, refresh: Callable[[], None], delay_ms: int = 700
    ) -> None:
        super().__init__(view)
        self.kinds = kinds
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(refresh)

    def changed(self, changes: Changes) -> None:
        if changes & self.kinds:
            self.timer.start()  # (again): the refresh waits for the changes to pause
