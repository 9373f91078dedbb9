"""Every error the core raises on purpose, in one place, one class per kind of mistake.

The core raises these with a message a user can act on; the CLI prints the message as one
line on stderr and exits with the class's code, the GUI shows it in a dialog. Anything else
that escapes is a bug (exit code 1, details in the error log). The codes, for scripts (the
README has the same table):

    0    done
    1    unexpected error: a bug (details in error.log in the user data folder)
    2    InputError: a file, record, option or name given to the tool cannot be used
         (CodebookError and ModelNotFoundError are kinds of it)
    3    ConflictError: it contradicts what the project holds, or another user's change
         made at the same moment (CurationError is a kind of it)
    4    ProjectError: the project cannot be opened, read or saved (not a project, newer
         version, read-only, damaged, disk full, database server refused or unreachable)
    5    OutputError: an output file or folder cannot be written
    130  Cancelled: the user cancelled or interrupted (what was committed stays)

The base class AnnotatorError is never raised itself (tests/test_errors.py checks).
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base class: the message is meant for the user, as it is."""

    exit_code = 1


class InputError(AnnotatorError):
    """A file, record, option or name given to the tool cannot be used. Names the file
    and line where there is one."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


class CodebookError(InputError):
    """The codebook file is unreadable or invalid."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ModelNotFoundError(InputError):
    """A statistical spaCy pipeline was asked for but is not installed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ConflictError(AnnotatorError):
    """It contradicts what the project holds (same id, other text; a label changed since
    the step to undo; a merged actor), or another user's change at the same moment."""

    exit_code = 3


class ProjectError(AnnotatorError):
    """The project database cannot be opened or used (not a project, too new, read-only...)."""

    exit_code = 4


class OutputError(AnnotatorError):
    """An output file or folder cannot be written (permissions, a full disk, a device)."""

    exit_code = 5


class Cancelled(AnnotatorError):
    """The user cancelled a long operation; what was committed before stays."""

    exit_code = 130


EXIT_CODES = {
    InputError: InputError.exit_code,
    ConflictError: ConflictError.exit_code,
    ProjectError: ProjectError.exit_code,
    OutputError: OutputError.exit_code,
    Cancelled: Cancelled.exit_code,
}
