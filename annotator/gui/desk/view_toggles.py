"""The window's view switches and focus moves (View menu, F2, F6, Ctrl+F, Ctrl+B…): a part
of MainWindow kept in its own module; they change what is shown, never a label."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStatusBar, QTabWidget

from annotator.gui.common.article_view import ArticleTextView
from annotator.gui.desk.actions import Actions
from annotator.gui.desk.article_list import ArticleListPanel
from annotator.gui.desk.article_order import ArticleOrder
from annotator.gui.desk.stance_panel import StancePanel
from annotator.settings import Settings, save_settings


class ViewToggles:
    """Mixed into MainWindow, whose attributes these are."""

    settings: Settings
    show_all: bool
    collapse_boilerplate: bool
    article_id: int | None
    order: ArticleOrder
    actions_: Actions
    panel: StancePanel
    text: ArticleTextView
    tabs: QTabWidget
    list_panel: ArticleListPanel

    if TYPE_CHECKING:  # only for the type checker: at run time they are MainWindow's own

        def statusBar(self) -> QStatusBar: ...  # noqa: N802 - QMainWindow's
        def _reload_list(self) -> None: ...
        def _load_labels(self) -> None: ...

    def toggle_unassigned(self) -> None:
        """View › Show unassigned articles: greyed after the queue, or hidden (a setting)."""
        self.settings.show_unassigned = not self.settings.show_unassigned
        save_settings(self.settings)
        self.actions_["show_unassigned"].setChecked(self.settings.show_unassigned)
        self._reload_list()
        if not self.order.queue_mode:
            self.statusBar().showMessage(
                "No articles are assigned to you: the list shows every article.", 5000
            )

    def toggle_show_all(self) -> None:
        """Ctrl+B: actors (and offered sentences) that occur only in boilerplate."""
        self.show_all = not self.show_all
        self.actions_["show_all_actors"].setChecked(self.show_all)
        if self.article_id is not None:
            cell = self.panel.current()
            self._load_labels()
            if cell is not None:
                self.panel.select_actor(cell[0])
        self.statusBar().showMessage(
            "Actors from boilerplate shown" if self.show_all else "Boilerplate actors hidden", 4000
        )

    def toggle_collapse(self) -> None:
        """Ctrl+Shift+B: fold the boilerplate lines away, or show them (greyed)."""
        self.collapse_boilerplate = not self.collapse_boilerplate
        self.actions_["collapse_boilerplate"].setChecked(self.collapse_boilerplate)
        self.text.set_boilerplate_hidden(self.collapse_boilerplate)

    def move_column(self, step: int) -> None:
        index = self.panel.grid.currentIndex()
        self.panel.step(0, (index.column() if index.isValid() else 0) + step)

    def focus_note(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.panel.note.setFocus()
        self.panel.note.selectAll()

    def focus_search(self) -> None:
        self.list_panel.search.setFocus()
        self.list_panel.search.selectAll()

    def change_font(self, delta: int) -> None:
        self.settings.font_size = max(8, min(32, self.settings.font_size + delta))
        self.text.set_font_size(self.settings.font_size)
        save_settings(self.settings)

    def cycle_focus(self) -> None:
        """F6: grid -> text -> list -> grid. Never changes the article or the cell."""
        order = [self.panel.grid, self.text, self.list_panel.table]
        current = next((i for i, w in enumerate(order) if w.hasFocus()), -1)
        following = order[(current + 1) % len(order)]
        if following is self.list_panel.table:
            self.list_panel.focus_list()
        else:
            following.setFocus()
