"""Starting the GUI: the application, who is annotating, the project, the window."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from annotator.codebook import Codebook, load_codebook
from annotator.errors import AnnotatorError, InputError
from annotator.files import check_input
from annotator.gui.common.errors import show_error
from annotator.gui.common.tasks import run_task
from annotator.gui.desk.dialogs import AnnotatorDialog
from annotator.progress import Progress
from annotator.settings import load_settings, save_settings
from annotator.store.engine import Project

# Platforms that need no display server (Qt's offscreen for tests, a VNC server of its own).
_NO_SERVER_NEEDED = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "wayland")
_WHAT_TO_TRY = (
    "run it on a desktop (or over ssh -X); for tests without a screen, "
    "set QT_QPA_PLATFORM=offscreen"
)


def display_problem() -> str | None:
    """Why no window can open here, or None. Qt itself aborts the process (SIGABRT) with
    seven lines that blame a missing libxcb-cursor0, so the display is asked first."""
    if not sys.platform.startswith("linux") or QApplication.instance() is not None:
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(_NO_SERVER_NEEDED) or os.environ.get("WAYLAND_DISPLAY"):
        return None  # Qt is told where to draw, or a Wayland session: it can tell
    display = os.environ.get("DISPLAY", "")
    if not display:
        return f"no display to open the window on (DISPLAY is not set): {_WHAT_TO_TRY}"
    if not _x_server_answers(display):
        return f"cannot connect to the display {display} (no X server answers): {_WHAT_TO_TRY}"
    return None


def _x_server_answers(display: str) -> bool:
    """Connect as Qt will (libxcb, with the X authority), or else to the server's socket."""
    library = ctypes.util.find_library("xcb")
    if library is not None:
        xcb = ctypes.CDLL(library)
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
        connection = xcb.xcb_connect(display.encode(), None)
        # Never NULL: a failed connection is an error object that must be freed too.
        failed = xcb.xcb_connection_has_error(connection) != 0
        xcb.xcb_disconnect(connection)
        return not failed
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form this check does not know: let Qt try
    try:
        if host in ("", "unix"):
            with socket.socket(socket.AF_UNIX) as unix:
                unix.connect(f"/tmp/.X11-unix/X{number}")
        else:
            socket.create_connection((host, 6000 + int(number)), timeout=5).close()
    except OSError:
        return False
    return True


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


def codebook_for_window(path: str | None) -> Codebook:
    """The codebook the window uses. A pipe or device named in the settings is refused
    before anything opens it: reading it would wait forever and no window would show."""
    if path:
        check_input(path)
    return load_codebook(path)


def run(db: str | None = None, codebook: str | None = None) -> int:
    # An InputError (exit code 2): what the tool was started with, its environment's
    # display, cannot be used; the project is fine (not a ProjectError, 4) and nothing was
    # to be written (not an OutputError, 5). The CLI prints it as one line.
    problem = display_problem()
    if problem is not None:
        raise InputError(problem)
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # not news for an annotator
    app = _application()
    settings = load_settings()
    try:
        book = codebook_for_window(codebook or settings.codebook)
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
    # What start-up made (Qt's wrappers, SQLAlchemy, the codebook, the first article)
    # lives as long as the window: kept out of the collector's full passes, which
    # otherwise stopped every seventh article switch for 100 ms (bench/gui_latency.py).
    gc.freeze()
    code = app.exec()
    project.close()
    return code
