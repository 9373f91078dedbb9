"""Old path of gui/desk/shortcuts.py, kept for tests/test_readme.py; new code imports the
new path."""

from annotator.gui.desk.shortcuts import all_shortcuts

__all__ = ["all_shortcuts"]
