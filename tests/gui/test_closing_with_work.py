"""Closing a window while its background work runs stops that work and waits for it.

Every view runs slow work through gui/common/tasks.py; the work here is replaced by one
that runs until it is cancelled (as real work checks between its batches), so the tests
know it is running when they close. pytest-qt fails a test on any exception raised in a
Qt callback, so a result reaching a deleted view ("Internal C++ object already deleted")
would fail them too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from annotator.errors import Cancelled
from annotator.gui.common.tasks import running_tasks
from annotator.gui.lead.agreement_view import AgreementView
from annotator.gui.lead.network_view import NetworkView
from annotator.gui.lead.progress_view import ProgressView


class Endless:
    """Work that goes on until it is cancelled; says when it started and when it ended."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.ended = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        cancelled: Callable[[], bool] = kwargs.get("cancelled") or args[-1]
        self.started.set()
        try:
            while not cancelled():
                time.sleep(0.005)  # one step of the work
        finally:
            self.ended.set()
        raise Cancelled("stopped")


# The lead's views with background work: where their work is looked up, how one is made.
VIEWS: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {
    "networks": ("annotator.gui.lead.network_view.compute", NetworkView),
    "agreement": ("annotator.gui.lead.agreement_view._compute", AgreementView),
    "progress": ("annotator.gui.lead.progress_view._compute", lambda p, _c: ProgressView(p)),
}


@pytest.fixture
def endless(monkeypatch) -> Callable[[str], Endless]:
    def patch(target: str) -> Endless:
        work = Endless()
        monkeypatch.setattr(target, work)
        return work

    return patch


@pytest.mark.parametrize("name", VIEWS)
def test_closing_a_lead_view_stops_and_waits_for_its_computation(
    qtbot, small_project, codebook, endless, name: str
) -> None:
    target, make = VIEWS[name]
    work = endless(target)
    view = make(small_project, codebook)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(work.started.is_set)
    [task] = running_tasks(view)
    summary = view.summary.text()
    with qtbot.assertNotEmitted(task.done):
        view.close()
        assert work.ended.is_set()  # close returned only after the worker had ended
        assert not task.running and not task.worker_alive
        QApplication.processEvents()  # whatever the worker queued arrives now, or never
    assert running_tasks(view) == []
    assert view.summary.text() == summary  # no result or failure shown on a closed view
    assert QApplication.activeModalWidget() is None  # and no error dialog


def test_closing_the_window_stops_and_waits_for_an_import(
    qtbot, window, small_project, endless, tmp_path: Path
) -> None:
    work = endless("annotator.ingest.importer.import_paths")
    task = window.commands.import_articles(paths=[str(tmp_path / "neu.txt")])
    qtbot.waitUntil(work.started.is_set)
    with qtbot.assertNotEmitted(task.done):
        window.close()
        assert work.ended.is_set()
        assert not task.running and not task.worker_alive
        QApplication.processEvents()
    assert running_tasks(window) == []
    assert task.dialog is not None and not task.dialog.isVisible()
    assert QApplication.activeModalWidget() is None


def test_closing_the_window_stops_the_views_it_opened(qtbot, window, endless) -> None:
    """A lead's view is a window of its own inside the main window: closing the main
    window stops the view's work too, though the view itself was never closed."""
    work = endless("annotator.gui.lead.network_view.compute")
    window.lead.show_networks()
    qtbot.waitUntil(work.started.is_set)
    # The window may also be working out the open article's stance suggestions.
    [task] = [t for t in running_tasks(window) if t.owner is window.lead._networks]
    window.close()
    assert work.ended.is_set() and not task.worker_alive
    assert running_tasks(window) == []


def test_a_view_deleted_unclosed_stops_its_work_first(
    qtbot, small_project, codebook, endless
) -> None:
    """Deleted with its parent, never closed: the worker is stopped before the view goes,
    and nothing it sends reaches the deleted view."""
    work = endless("annotator.gui.lead.network_view.compute")
    parent = QWidget()
    view = NetworkView(small_project, codebook, parent)
    qtbot.waitUntil(work.started.is_set)
    [task] = running_tasks(view)
    gone: list[object] = []
    view.destroyed.connect(lambda *_: gone.append(True))
    parent.deleteLater()
    qtbot.waitUntil(lambda: bool(gone))
    assert work.ended.is_set() and not task.running and not task.worker_alive
    QApplication.processEvents()


def test_work_that_ends_by_itself_leaves_nothing_behind(qtbot, small_project, codebook) -> None:
    """The real computation: finished, its task is forgotten and its thread is gone."""
    view = NetworkView(small_project, codebook)
    qtbot.addWidget(view)
    [task] = running_tasks(view)
    with qtbot.waitSignal(view.pictures_ready, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: not task.worker_alive)
    assert running_tasks(view) == [] and not task.running
