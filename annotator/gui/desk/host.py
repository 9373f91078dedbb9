"""What the window's helpers (menus, commands, cell actions) use of the main window.

The helpers are typed against this Protocol, not against MainWindow, so that the window
imports them and they never import the window: the import graph stays acyclic, type-only
imports included (tests/test_architecture.py).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenuBar, QStatusBar, QTabWidget, QWidget

from annotator.codebook import Codebook
from annotator.gui.common.article_view import ArticleTextView
from annotator.gui.desk.actions import Actions
from annotator.gui.desk.stance_panel import StancePanel
from annotator.labelling import LabellingSession
from annotator.settings import Settings
from annotator.store.articles import ArticleView
from annotator.store.engine import Project
from annotator.store.labels import CellKey


class Desk(Protocol):
    project: Project
    codebook: Codebook
    settings: Settings
    annotator: str  # who labels (a name), and her id in the project
    annotator_id: int
    session: LabellingSession
    article_id: int | None  # the open article, `article` (none: no articles yet)
    article: ArticleView
    show_all: bool  # actors (and offered sentences) from boilerplate too
    text: ArticleTextView
    panel: StancePanel
    tabs: QTabWidget
    actions_: Actions

    def window(self) -> QWidget: ...  # the window as a widget: parent of dialogs
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name
    def close(self) -> bool: ...

    def current_key(self) -> CellKey | None: ...
    def open_article(self, article_id: int) -> None: ...
    def articles_changed(self) -> None: ...
    def set_annotator(self, name: str) -> None: ...
    def next_unfinished(self) -> None: ...
    def next_article(self) -> None: ...
    def prev_article(self) -> None: ...

    def focus_grid(self) -> None: ...
    def focus_note(self) -> None: ...
    def focus_search(self) -> None: ...
    def cycle_focus(self) -> None: ...
    def move_column(self, step: int) -> None: ...
    def change_font(self, delta: int) -> None: ...
    def toggle_show_all(self) -> None: ...
    def toggle_collapse(self) -> None: ...
    def toggle_unassigned(self) -> None: ...
