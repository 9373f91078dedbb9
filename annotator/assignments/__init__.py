"""Work distribution for a coding team: assignment plans with planned overlap (plan.py,
service.py), packages for offline coders (package.py), and progress (progress.py, with the
chart in figures.py). Qt-free; the GUI shows them in gui/progress_view.py and
gui/assign_dialog.py."""
