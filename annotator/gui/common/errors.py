"""The one path for errors in the GUI: a clear dialog, never a silent failure."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.errors import AnnotatorError
from annotator.gui.common.plain import message_box
from annotator.store.dialects import database_problem

log = logging.getLogger("annotator.gui")
F = TypeVar("F", bound=Callable[..., Any])


def describe(exc: BaseException) -> tuple[str, str]:
    """(headline, details) for a dialog."""
    if isinstance(exc, AnnotatorError):
        return str(exc), ""
    problem = database_problem(exc)  # the one mapping of database errors (store/dialects)
    if problem is not None:
        return str(problem), "Your last change may not have been saved. Nothing else was changed."
    return f"Unexpected error: {type(exc).__name__}: {exc}", "".join(
        traceback.format_exception(exc)
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Error") -> QMessageBox:
    headline, details = describe(exc)
    log.error("%s", headline, exc_info=not isinstance(exc, AnnotatorError))
    # Plain text: the headline may quote a name or a title from a file edited by hand.
    return message_box(
        parent, title, headline, icon=QMessageBox.Icon.Critical,
        informative=details.splitlines()[0] if details and len(details) < 200 else "",
        details=details, name="errorDialog",
    )  # fmt: skip


def guarded(method: F) -> F:
    """Decorate a method of a widget (or of a helper with the window as `w`): any error
    becomes an error dialog on that window."""

    @wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user
            parent = self.window() if isinstance(self, QWidget) else getattr(self, "w", None)
            show_error(parent, exc)
            return None

    return wrapper  # type: ignore[return-value]
