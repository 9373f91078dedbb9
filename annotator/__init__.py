"""Stance Annotator: label which actor takes which stance on which target in news articles."""

import os as _os

__version__ = "0.1.0"

if _os.environ.get("ANNOTATOR_AUDIT"):
    # The test suite's guard against opening a project file behind SQLite's back
    # (annotator/file_guard.py); it reaches every process the tests start.
    from annotator.file_guard import install_from_environment

    install_from_environment()
