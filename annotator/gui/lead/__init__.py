"""The project lead's views, each its own window, opened from the desk's menus."""
