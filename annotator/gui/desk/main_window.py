"""The annotation window: article list | article text | stance panel and codebook.

A thin layer: it reads plain objects from the core, calls LabellingSession for every label
change (each written at once) and refreshes what changed. Nothing here needs saving.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLineEdit,
    QMainWindow,
    QTabWidget,
)

from annotator.codebook import Codebook
from annotator.gui.common.article_view import actor_kinds
from annotator.gui.common.errors import guarded
from annotator.gui.common.geometry import fit_to_screen, remember, restore
from annotator.gui.common.plain import plain_label
from annotator.gui.common.tasks import Changes, announce, listen
from annotator.gui.desk.actions import Actions
from annotator.gui.desk.article_list import ArticleListModel, ArticleListPanel
from annotator.gui.desk.article_order import ArticleOrder
from annotator.gui.desk.article_pane import ArticlePane
from annotator.gui.desk.cell_actions import CellActions
from annotator.gui.desk.codebook_panel import CodebookPanel
from annotator.gui.desk.columns import NAME, Columns
from annotator.gui.desk.commands import WindowCommands
from annotator.gui.desk.lead_commands import LeadCommands
from annotator.gui.desk.menus import build_menus
from annotator.gui.desk.stance_panel import StancePanel
from annotator.gui.desk.suggest_lead import SuggestLead
from annotator.gui.desk.suggestions import Suggestions
from annotator.gui.desk.view_toggles import ViewToggles
from annotator.labelling import (
    ActorMergeChange,
    CellChange,
    Change,
    DoneChange,
    LabellingSession,
    actor_rows,
)
from annotator.settings import Settings, save_settings
from annotator.store.annotators import annotator_names, get_or_create_annotator
from annotator.store.articles import load_article
from annotator.store.assignments import has_plan
from annotator.store.engine import Project
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import CellKey, is_done
from annotator.store.leads import ensure_lead


class MainWindow(ViewToggles, QMainWindow):
    def __init__(
        self, project: Project, codebook: Codebook, annotator: str, settings: Settings
    ) -> None:
        super().__init__()
        self.project = project
        self.codebook = codebook
        self.settings = settings
        self.annotator = annotator
        self.annotator_id = get_or_create_annotator(project, annotator)
        ensure_lead(project, annotator)  # the first to open a project file leads it
        self.session = LabellingSession(project, codebook, self.annotator_id)
        self.session.on_change = self._on_change
        self.article_id: int | None = None
        self.show_all = False  # actors and candidates from boilerplate too
        self.collapse_boilerplate = False
        self._segments_checked = False
        self._total: int | None = None  # articles in the project; reset after an import
        # The queue of an assignment plan, or import order (desk/article_order.py).
        self.order = ArticleOrder(project, self.annotator_id, settings)
        self.setWindowTitle(f"Stance Annotator — {project.db}")
        self.cell = CellActions(self)  # what the labelling keys do
        self.suggestions = Suggestions(self, self.cell.cell_changed)
        self.cell.suggestions = self.suggestions  # stance keys on a suggested cell
        self._build()
        self.actions_ = Actions(self, codebook)
        self.commands = WindowCommands(self)
        self.lead = LeadCommands(self)
        build_menus(self, self.cell, self.commands, self.lead, self.suggestions, SuggestLead(self))
        listen(self, self._after_background)  # background work done: refresh (common/tasks)
        self._refresh_status()
        self._go_first()

    # ------------------------------------------------------------ layout

    def _build(self) -> None:
        self.list_model = ArticleListModel(
            self.project, self.annotator_id, self, **self.order.list_filter()
        )
        self.list_panel = ArticleListPanel(self.list_model)
        self.list_panel.article_chosen.connect(self.open_article)
        self.list_panel.leave.connect(self.focus_grid)

        self.pane = ArticlePane(self.codebook, self.settings.font_size)
        self.text, self.article_title, self.article_meta = (
            self.pane.text,
            self.pane.title,
            self.pane.meta,
        )
        self.text.mention_clicked.connect(self._select_actor)
        self.text.actor_kinds = actor_kinds(self.project)

        self.panel = StancePanel(self.codebook)
        self.panel.stance_clicked.connect(self.cell.set_stance)
        self.panel.attach_clicked.connect(self.cell.attach_evidence)
        self.panel.evidence_activated.connect(self.cell.show_evidence)
        self.panel.evidence_remove.connect(self.cell.remove_evidence)
        self.panel.note_edited.connect(self.cell.save_note)
        self.panel.current_changed.connect(self.cell.cell_changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.panel, "Stances")
        self.tabs.addTab(CodebookPanel(self.codebook), "Codebook")

        self.splitter = Columns(self.list_panel, self.pane, self.tabs, self.settings)
        self.setCentralWidget(self.splitter)

        self.saved_label = plain_label("")
        self.progress_label = plain_label("")
        self.annotator_label = plain_label("")
        for w in (self.annotator_label, self.progress_label, self.saved_label):
            w.setFrameShape(QFrame.Shape.NoFrame)
            self.statusBar().addPermanentWidget(w)
        # Where the annotator left it; else 1500 x 920 or the screen where that is smaller
        # (a 1366 x 768 laptop): the status bar, where saves show, stays on screen.
        if not restore(self, self.settings, NAME):
            fit_to_screen(self, 1500, 920)
        self._show_team()

    def _show_team(self) -> None:
        """A team (a plan, or several annotators): the list shows each article's curation
        state, and gets the room for it (desk/columns.py)."""
        team = has_plan(self.project) or len(annotator_names(self.project)) > 1
        self.splitter.fit(self.width(), team=team)
        self.list_panel.set_team(team)

    def _reload_list(self) -> None:
        """The queue, the plan or the articles changed: the list and its counts anew."""
        self.order.refresh()
        self.list_model.set_queue(**self.order.list_filter())
        self._show_team()
        self._total = None
        self._refresh_status()
        if self.article_id is not None:
            self.list_panel.select_article(self.article_id)

    # ------------------------------------------------------------ navigation

    def _go_first(self) -> None:
        first = self.order.first()
        if first is not None:
            self.open_article(first)
        else:
            self.pane.show_nothing("No articles yet: File › Import articles… (Ctrl+I)")

    @guarded
    def open_article(self, article_id: int) -> None:
        article = load_article(self.project, article_id)
        self.article_id = article_id
        self.article = article
        done = is_done(self.project, article_id, self.annotator_id)
        self.pane.show_article(article, place=self.order.place(article_id), done=done)
        if self.collapse_boilerplate:
            self.text.set_boilerplate_hidden(True)
        self._load_labels()
        self.list_panel.select_article(article_id)
        if not self.list_panel.table.hasFocus():  # browsing the list keeps its focus
            self.focus_grid()

    def _load_labels(self) -> None:
        assert self.article_id is not None
        labels = labels_for_article(self.project, self.article_id, self.annotator_id)
        cells = {(lab.actor_id, lab.target): lab.state for lab in labels}
        rows = actor_rows(
            self.article.mentions,
            [(lab.actor_id, lab.actor) for lab in labels],
            hidden=() if self.show_all else self.article.boilerplate,
        )
        kinds = self.text.actor_kinds  # the actor's type, not its first mention's ("russisch")
        rows = [replace(r, label=kinds.get(r.actor_id, r.label)) for r in rows]
        self.suggestions.load({cell for cell, state in cells.items() if state.stance})
        # The article stays where it is (at its top when just opened): the offer of the
        # first cell is marked; moving to a cell scrolls to that cell's offer.
        self.cell.keep_view = True
        try:
            self.panel.set_content(rows, cells, self.article.text)
            self.cell.cell_changed()
        finally:
            self.cell.keep_view = False

    def next_article(self) -> None:
        target = self.order.neighbour(self.article_id, 1)
        if target is not None:
            self.open_article(target)
        else:
            self.statusBar().showMessage("This is the last article.", 4000)

    def prev_article(self) -> None:
        target = self.order.neighbour(self.article_id, -1)
        if target is not None:
            self.open_article(target)

    def next_unfinished(self) -> None:
        """The next article not done: of the annotator's queue with a plan."""
        target = self.order.next_unfinished(self.article_id)
        if target is None:
            where = "in your queue " if self.order.queue_mode else ""
            self.statusBar().showMessage(f"Every article {where}is done. Well done!", 6000)
            return
        self.open_article(target)

    # ------------------------------------------------------------ labelling

    def current_key(self) -> CellKey | None:
        cur = self.panel.current()
        if cur is None or self.article_id is None:
            self.statusBar().showMessage("No cell chosen: this article has no actors yet.", 4000)
            return None
        return CellKey(self.article_id, cur[0], cur[1])

    def _select_actor(self, actor_id: int) -> None:
        self.panel.select_actor(actor_id)

    def articles_changed(self) -> None:
        """After an import, a merge or a plan: the list, the counts and the open article
        anew."""
        self._reload_list()
        if self.article_id is None:
            self._go_first()
        else:
            self.open_article(self.article_id)

    def set_annotator(self, name: str) -> None:
        """Label as another annotator from now on (remembered in the settings)."""
        self.annotator = name
        self.settings.annotator = name
        save_settings(self.settings)
        self.annotator_id = get_or_create_annotator(self.project, name)
        ensure_lead(self.project, name)
        self.session = LabellingSession(self.project, self.codebook, self.annotator_id)
        self.session.on_change = self._on_change
        self.suggestions.forget(reopen=False)  # hers are read as her article opens
        self.order = ArticleOrder(self.project, self.annotator_id, self.settings)
        self.list_model = ArticleListModel(
            self.project, self.annotator_id, self, **self.order.list_filter()
        )
        self.list_panel.set_model(self.list_model)
        self._show_team()
        self._total = None
        self._refresh_status()
        self.lead.annotator_changed()  # the lead's entries: hers to use, or greyed
        if self.order.queue_mode:
            self._go_first()  # their queue, where they left it
        elif self.article_id is not None:
            self.open_article(self.article_id)

    def focus_grid(self) -> None:
        """Labelling happens here: after start, an article switch, a dialog, Esc."""
        self.panel.grid.setFocus()

    def _on_change(self, change: Change) -> None:
        """A label, done mark or actor merge of this window's session (or its undo)."""
        if isinstance(change, ActorMergeChange):
            self._actors_merged()
        else:
            self._label_changed(change)
        announce(self, Changes.LABELS)  # the lead's views beside it follow

    def _label_changed(self, change: CellChange | DoneChange) -> None:
        article_id = change.key.article_id if isinstance(change, CellChange) else change.article_id
        if article_id != self.article_id:
            # An undo reached into another article: show it, so nothing changes unseen.
            self.open_article(article_id)
        elif isinstance(change, CellChange):
            state = self.session.cell(change.key)
            self.panel.update_cell(change.key.actor_id, change.key.target, state)
            if not self.panel.select_actor(change.key.actor_id):  # moved: offers done
                self.cell.cell_changed()
        elif isinstance(change, DoneChange):
            self.open_article(article_id)
        self.list_model.refresh_article(article_id)
        self._refresh_status()

    def _actors_merged(self) -> None:
        """Two actors merged, or the merge undone: labels and mentions of any article moved.
        The list and the open article anew, on the same actor where it is still there."""
        self.list_model.reload()
        self.text.actor_kinds = actor_kinds(self.project)
        if self.article_id is not None:
            cell = self.panel.current()
            self.open_article(self.article_id)
            if cell is not None:
                self.panel.select_actor(cell[0])
        self._refresh_status()

    def _refresh_status(self) -> None:
        if self._total is None:
            self._total = self.order.total()
        assigned = " assigned" if self.order.queue_mode else ""
        self.progress_label.setText(f"Done {self.order.done()} / {self._total}{assigned}")
        self.annotator_label.setText(f"Annotator: {self.annotator}")
        saved = self.session.last_saved  # this annotator's session's: none yet after a switch
        local = saved.astimezone().strftime("%H:%M:%S") if saved is not None else ""
        self.saved_label.setText(f"Saved {local} ✓" if local else "")

    # ------------------------------------------------------------ view

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.WindowActivate:
            # Back from a dialog (or another program): labelling keys go to the grid
            # unless the focus is already somewhere they work.
            focused = QApplication.focusWidget()
            if focused is None or isinstance(focused, QLineEdit) or focused.window() is not self:
                QTimer.singleShot(0, self.focus_grid)
        return super().event(e)

    def showEvent(self, e: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(e)
        QTimer.singleShot(0, self.focus_grid)
        if not self._segments_checked:
            self._segments_checked = True
            QTimer.singleShot(0, self.commands.fill_missing_segments)
            self.splitter.team = None  # resized since it was built: fit the columns anew
            self._show_team()

    def _after_background(self, changes: Changes) -> None:
        """A task of this window or of a view it opened changed the project, or a change
        was made here or there (a label, a curation decision): refresh what shows it."""
        if changes & (Changes.ARTICLES | Changes.HIGHLIGHTS):
            self.text.actor_kinds = actor_kinds(self.project)  # new actors among them
        if Changes.ARTICLES in changes:
            self.articles_changed()
        elif Changes.HIGHLIGHTS in changes and self.article_id is not None:
            self.open_article(self.article_id)
        if Changes.SUGGESTIONS in changes:  # computed, a new model, switched on or off
            self.suggestions.forget()
        if Changes.GOLD in changes:  # curated, reopened, decided: the Team column anew
            self.list_model.refresh_states()
            self.commands.update_gold_action()
        self.lead.project_changed(changes)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # Every change is already in the database: closing never asks anything. Background
        # work, the views' included, is stopped by gui/common/tasks.py as the window closes.
        remember(self, self.settings, NAME, self.splitter if self.splitter.own else None)
        save_settings(self.settings)
        event.accept()
