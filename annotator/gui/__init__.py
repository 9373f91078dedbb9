"""The window, the only package that imports PySide6.

- `app`: the entry point (`annotator gui`): the application, who is annotating, the project.
- `desk/`: the annotator's window: article list, article, stance grid, codebook, menus and
  what they do.
- `lead/`: the project lead's views: curation, agreement, progress, networks, assignments,
  export; opened from the desk's menus, never importing the desk.
- `common/`: what both use: background tasks, the error dialog, colours, the article text,
  tables.
"""
