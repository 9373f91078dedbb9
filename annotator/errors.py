"""Every error the core raises on purpose, in one place.

The core raises these with a message a user can act on; the CLI prints the message as one
line on stderr and exits non-zero, the GUI shows it in a dialog. Anything else that escapes
is a bug.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base class: the message is meant for the user, as it is."""

    exit_code = 1


class InputError(AnnotatorError):
    """A file or record given to the tool cannot be used. Names the file and line."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


class ConflictError(AnnotatorError):
    """The input contradicts what is already in the project (e.g. same id, other text)."""

    exit_code = 3


class CodebookError(AnnotatorError):
    """The codebook file is unreadable or invalid."""

    exit_code = 2


class ProjectError(AnnotatorError):
    """The project database cannot be opened or used (not a project, too new, read-only...)."""

    exit_code = 4


class ModelNotFoundError(AnnotatorError):
    """A statistical spaCy pipeline was asked for but is not installed."""

    exit_code = 2


class Cancelled(AnnotatorError):
    """The user cancelled a long operation; what was committed before stays."""

    exit_code = 130
