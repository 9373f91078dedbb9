"""Starting the GUI: the application, who is annotating, the project, the window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from annotator.codebook import load_codebook
from annotator.errors import AnnotatorError
from annotator.gui.common.errors import show_error
from annotator.gui.common.tasks import run_task
from annotator.gui.desk.dialogs import AnnotatorDialog
from annotator.progress import Progress
from annotator.settings import load_settings, save_settings
from annotator.store.engine import Project


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Stance Annotator")
        app.setOrganizationName("stance-annotator")
        app.setStyle("Fusion")  # same look on every desktop; colours follow the system palette
    return app  # type: ignore[return-value]


def _open_with_progress(db: str | None, model: str | None) -> Project | None:
    """Open the project (the first run fills the default project from the seeds) and make
    the daily backup, in a worker; a failed backup is reported, not fatal."""
    from annotator.project import open_for_labelling

    holder: dict[str, object] = {}
    loop = QEventLoop()
    parent_dialog = QProgressDialog("Opening the project…", "", 0, 0)
    parent_dialog.setCancelButton(None)
    parent_dialog.setMinimumDuration(500)

    def work(progress: Progress, cancelled: Callable[[], bool]) -> tuple[Project, Any]:
        return open_for_labelling(db, model=model, progress=progress)

    def failed(exc: BaseException) -> bool:
        holder["error"] = exc  # shown below, modal: there is no window yet to show it on
        return True

    task = run_task(
        parent_dialog,
        work,
        title="Opening the project",
        on_done=lambda result: holder.update(p=result[0], backup_error=result[1]),
        on_error=failed,
    )
    task.done.connect(lambda _r: loop.quit())
    if task.running:
        loop.exec()
    parent_dialog.close()
    error = holder.get("error")
    if isinstance(error, BaseException):
        show_error(None, error, "Cannot open the project").exec()
    backup_error = holder.get("backup_error")
    if isinstance(backup_error, AnnotatorError):
        show_error(None, backup_error, "The daily backup failed").exec()
    project = holder.get("p")
    return project if isinstance(project, Project) else None


def run(db: str | None = None, codebook: str | None = None) -> int:
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # not news for an annotator
    app = _application()
    settings = load_settings()
    try:
        book = load_codebook(codebook or settings.codebook)
    except AnnotatorError as exc:
        show_error(None, exc, "Cannot load the codebook").exec()
        return 2
    project = _open_with_progress(db, settings.model)
    if project is None:
        return 4
    if not settings.annotator:
        from annotator.store.annotators import annotator_names

        dialog = AnnotatorDialog(sorted(annotator_names(project).values()), None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        settings.annotator = dialog.value()
        save_settings(settings)
    from annotator.gui.desk.main_window import MainWindow

    window = MainWindow(project, book, settings.annotator, settings)
    window.show()
    code = app.exec()
    project.close()
    return code
