"""The annotator's window: labelling stances, keyboard first (desk/main_window.py)."""
