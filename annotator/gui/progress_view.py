"""Old path of gui/lead/progress_view.py, kept for tests/assignments/scenario.py; new code
imports the new path."""

from annotator.gui.lead.progress_view import ProgressView

__all__ = ["ProgressView"]
