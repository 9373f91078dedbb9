"""Old path of gui/desk/main_window.py, kept for importers outside the package
(bench/gui_latency.py, tests/safety/window_driver.py); new code imports the new path."""

from annotator.gui.desk.main_window import MainWindow

__all__ = ["MainWindow"]
