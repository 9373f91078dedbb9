"""The annotation window: article list | article text | stance panel and codebook.

A thin layer: it reads plain objects from the core, calls LabellingSession for every label
change (each written at once) and refreshes what changed. Nothing here needs saving.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.cues import CueMatcher
from annotator.evidence import Candidate, evidence_candidates
from annotator.gui.common import theme
from annotator.gui.common.article_view import ArticleTextView
from annotator.gui.common.errors import guarded
from annotator.gui.common.tasks import Changes, listen, run_task
from annotator.gui.desk.actions import Actions
from annotator.gui.desk.article_list import ArticleListModel, ArticleListPanel
from annotator.gui.desk.article_order import ArticleOrder
from annotator.gui.desk.codebook_panel import CodebookPanel
from annotator.gui.desk.commands import WindowCommands
from annotator.gui.desk.menus import build_menus
from annotator.gui.desk.stance_panel import StancePanel
from annotator.labelling import (
    ActorMergeChange,
    CellChange,
    Change,
    DoneChange,
    LabellingSession,
    actor_rows,
)
from annotator.settings import Settings, save_settings
from annotator.store.articles import load_article
from annotator.store.assignments import has_plan
from annotator.store.engine import Project
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import (
    CellKey,
    CellState,
    annotator_names,
    get_or_create_annotator,
)
from annotator.store.labels import is_done as store_is_done


class MainWindow(QMainWindow):
    def __init__(
        self, project: Project, codebook: Codebook, annotator: str, settings: Settings
    ) -> None:
        super().__init__()
        self.project = project
        self.codebook = codebook
        self.settings = settings
        self.annotator = annotator
        self.annotator_id = get_or_create_annotator(project, annotator)
        self.session = LabellingSession(project, codebook, self.annotator_id)
        self.session.on_change = self._on_change
        self.article_id: int | None = None
        self._cues = CueMatcher(codebook)
        self._candidates: list[Candidate] = []
        self._candidate_index = 0
        self._resume_at = 0
        self.show_all = False  # actors and candidates from boilerplate too
        self.collapse_boilerplate = False
        self._segments_checked = False
        self._total: int | None = None  # articles in the project; reset after an import
        # The queue of an assignment plan, or import order (desk/article_order.py).
        self.order = ArticleOrder(project, self.annotator_id, settings)
        self.setWindowTitle(f"Stance Annotator — {project.db}")
        self._build()
        self.actions_ = Actions(self, codebook)
        self.commands = WindowCommands(self)
        build_menus(self, self.commands)
        listen(self, self._after_background)
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

        self.text = ArticleTextView(self.codebook, self.settings.font_size)
        self.text.mention_clicked.connect(self._select_actor)
        self.article_title = QLabel()
        self.article_title.setObjectName("articleTitle")
        self.article_title.setWordWrap(True)
        font = self.article_title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.article_title.setFont(font)
        self.article_meta = QLabel()
        self.article_meta.setObjectName("articleMeta")
        center = QWidget()
        cl = QVBoxLayout(center)
        cl.setContentsMargins(8, 4, 8, 0)
        cl.addWidget(self.article_title)
        cl.addWidget(self.article_meta)
        cl.addWidget(self._legend())
        cl.addWidget(self.text, 1)

        self.panel = StancePanel(self.codebook)
        self.panel.stance_clicked.connect(self.set_stance)
        self.panel.attach_clicked.connect(self.attach_evidence)
        self.panel.evidence_activated.connect(self._show_evidence)
        self.panel.evidence_remove.connect(self._remove_evidence)
        self.panel.note_edited.connect(self._save_note)
        self.panel.current_changed.connect(self._on_cell_changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.panel, "Stances")
        self.tabs.addTab(CodebookPanel(self.codebook), "Codebook")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list_panel)
        splitter.addWidget(center)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 4)
        self.list_panel.setMinimumWidth(260)
        self.setCentralWidget(splitter)
        self.splitter = splitter

        self.saved_label = QLabel("")
        self.progress_label = QLabel("")
        self.annotator_label = QLabel("")
        for w in (self.annotator_label, self.progress_label, self.saved_label):
            w.setFrameShape(QFrame.Shape.NoFrame)
            self.statusBar().addPermanentWidget(w)
        self.resize(1500, 920)
        splitter.setSizes([270, 690, 540])
        self._show_team()

    def _show_team(self) -> None:
        """A team (a plan, or several annotators): the list shows each article's curation
        state, and gets the room for it."""
        team = has_plan(self.project) or len(annotator_names(self.project)) > 1
        if team and not self.list_panel.team:
            self.splitter.setSizes([400, 590, 510])
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

    def _legend(self) -> QWidget:
        legend = QWidget()
        row = QHBoxLayout(legend)
        row.setContentsMargins(0, 2, 0, 2)
        for label, name in theme.MENTION_NAMES.items():
            chip = QLabel(f" {name} ")
            chip.setStyleSheet(
                f"background:{theme.mention_color(label).name()};"
                "border-radius:3px; padding:1px 4px;"
            )
            row.addWidget(chip)
        row.addSpacing(12)
        row.addWidget(QLabel("cue words:"))
        for i, t in enumerate(self.codebook.targets):
            color = theme.cue_color(i).name()
            cue = QLabel(f"<b><u>{t.short_label}</u></b>")
            cue.setStyleSheet(f"color:{color}")
            cue.setToolTip(f"Cue words for '{t.label_en}' are underlined in this colour")
            row.addWidget(cue)
        row.addStretch(1)
        return legend

    # ------------------------------------------------------------ navigation

    def _go_first(self) -> None:
        first = self.order.first()
        if first is not None:
            self.open_article(first)
        else:
            self.text.clear_article()
            self.article_title.setText("No articles yet: File › Import articles… (Ctrl+I)")

    @guarded
    def open_article(self, article_id: int) -> None:
        article = load_article(self.project, article_id)
        self.article_id = article_id
        self.article = article
        self.text.show_article(article)
        if self.collapse_boilerplate:
            self.text.set_boilerplate_hidden(True)
        self.article_title.setText(article.title)
        done = store_is_done(self.project, article_id, self.annotator_id)
        meta = " · ".join(x for x in (article.source, article.date, article.external_id) if x)
        place = self.order.place(article_id)
        self.article_meta.setText(
            meta + (f"   · {place}" if place else "") + ("   ✓ done" if done else "")
        )
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
        self.panel.set_content(rows, cells, self.article.text)
        self._on_cell_changed()

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
        self.session = LabellingSession(self.project, self.codebook, self.annotator_id)
        self.session.on_change = self._on_change
        self.order = ArticleOrder(self.project, self.annotator_id, self.settings)
        self.list_model = ArticleListModel(
            self.project, self.annotator_id, self, **self.order.list_filter()
        )
        self.list_panel.set_model(self.list_model)
        self._show_team()
        self._total = None
        self._refresh_status()
        if self.order.queue_mode:
            self._go_first()  # their queue, where they left it
        elif self.article_id is not None:
            self.open_article(self.article_id)

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

    def focus_grid(self) -> None:
        """Labelling happens here: after start, an article switch, a dialog, Esc."""
        self.panel.grid.setFocus()

    @guarded
    def set_stance(self, stance: str) -> None:
        key = self.current_key()
        if key is None:
            return
        if stance:
            self.session.set_stance(key, stance)
        else:
            self.session.clear(key)

    @guarded
    def attach_evidence(self) -> None:
        """E: the selected text, or else the sentence on offer (one key for evidence)."""
        key = self.current_key()
        if key is None:
            return
        span = self.text.selected_span()
        if span is None and self._candidates:
            candidate = self._candidates[self._candidate_index]
            span = (candidate.start, candidate.end)
            # The next offer is the sentence after the one just taken, not the first again.
            self._resume_at = self._candidate_index
        if span is None:
            self.statusBar().showMessage(
                "No sentence to offer here: select the evidence in the text (F6 moves there, "
                "S selects a sentence).",
                6000,
            )
            return
        self.session.add_evidence(key, *span)
        self.text.clear_selection()

    def step_candidate(self, step: int) -> None:
        """Space / Shift+Space: offer the next / previous candidate sentence."""
        if not self._candidates:
            self.statusBar().showMessage("No sentence to offer for this cell.", 3000)
            return
        self._candidate_index = (self._candidate_index + step) % len(self._candidates)
        self._show_candidate()

    def select_sentence(self) -> None:
        if not self.text.select_sentence_at(self.text.cursor_offset()):
            self.statusBar().showMessage("No sentence here.", 3000)

    def _offer_candidates(self) -> None:
        """The evidence sentences worth offering for the current cell (evidence.py)."""
        self._candidates, self._candidate_index = [], 0
        resume, self._resume_at = self._resume_at, 0
        cur = self.panel.current()
        if cur is not None and self.article_id is not None:
            self._candidates = evidence_candidates(
                self.article,
                cur[0],
                cur[1],
                self._cues,
                hidden=() if self.show_all else self.article.boilerplate,
                attached=self.panel.current_state().evidence,
            )
            if self._candidates:
                self._candidate_index = min(resume, len(self._candidates) - 1)
        self._show_candidate()

    def _show_candidate(self) -> None:
        evidence = list(self.panel.current_state().evidence)
        if not self._candidates:
            self.panel.show_candidate(None)
            self.text.show_evidence(evidence)
            return
        c = self._candidates[self._candidate_index]
        self.panel.show_candidate(
            f"Offered: sentence {self._candidate_index + 1} of {len(self._candidates)}"
            + (" (with a cue word)" if c.with_cue else "")
            + " · Space next · E attach"
        )
        self.text.show_evidence(evidence, candidate=(c.start, c.end))

    @guarded
    def remove_last_evidence(self) -> None:
        key = self.current_key()
        state = self.panel.current_state()
        if key is not None and state.evidence:
            self.session.remove_evidence(key, *state.evidence[-1])

    @guarded
    def _remove_evidence(self, start: int, end: int) -> None:
        key = self.current_key()
        if key is not None:
            self.session.remove_evidence(key, start, end)

    @guarded
    def _save_note(self, note: str) -> None:
        key = self.current_key()
        if key is not None:
            self.session.set_note(key, note)
            self.panel.grid.setFocus()

    def _show_evidence(self, start: int, end: int) -> None:
        self.text.show_evidence(list(self.panel.current_state().evidence), focus=(start, end))

    def _on_cell_changed(self) -> None:
        self.panel.show_cell_details()
        self._offer_candidates()

    @guarded
    def mark_done_and_next(self) -> None:
        if self.article_id is None:
            return
        self.session.set_done(self.article_id, True)
        self.next_unfinished()

    @guarded
    def toggle_done(self) -> None:
        if self.article_id is None:
            return
        done = store_is_done(self.project, self.article_id, self.annotator_id)
        self.session.set_done(self.article_id, not done)

    @guarded
    def undo(self) -> None:
        # A merge of actors whose labels changed since refuses (ConflictError): the error
        # dialog says so, like every failure here (@guarded).
        change = self.session.undo()
        if change is None:
            self.statusBar().showMessage("Nothing to undo.", 3000)
        elif isinstance(change, ActorMergeChange):
            self.statusBar().showMessage("The merge of the two actors is undone.", 8000)

    @guarded
    def redo(self) -> None:
        change = self.session.redo()
        if change is None:
            self.statusBar().showMessage("Nothing to redo.", 3000)
        elif isinstance(change, ActorMergeChange):
            self.statusBar().showMessage("The two actors are merged again.", 8000)

    def _on_change(self, change: Change) -> None:
        if isinstance(change, ActorMergeChange):
            self._actors_merged()
            return
        article_id = change.key.article_id if isinstance(change, CellChange) else change.article_id
        if article_id != self.article_id:
            # An undo reached into another article: show it, so nothing changes unseen.
            self.open_article(article_id)
        elif isinstance(change, CellChange):
            state = self.session.cell(change.key)
            self.panel.update_cell(change.key.actor_id, change.key.target, state)
            self.panel.select_actor(change.key.actor_id)
            self._on_cell_changed()
        elif isinstance(change, DoneChange):
            self.open_article(article_id)
        self.list_model.refresh_article(article_id)
        self._refresh_status()

    def _actors_merged(self) -> None:
        """Two actors merged, or the merge undone: labels and mentions of any article moved.
        The list and the open article anew, on the same actor where it is still there."""
        self.list_model.reload()
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
        saved = self.session.last_saved
        if saved is not None:
            local = saved.astimezone().strftime("%H:%M:%S")
            self.saved_label.setText(f"Saved {local} ✓")

    # ------------------------------------------------------------ view

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
            QTimer.singleShot(0, self._fill_missing_segments)

    def _fill_missing_segments(self) -> None:
        """A project from an older version has no stored sentences and boilerplate yet:
        find them in the background (spaCy's tokenizer loads there, never at start)."""
        from annotator.store.articles import count_without_segments

        if self.project.path is None or count_without_segments(self.project) == 0:
            return  # on a server the lead fills them (annotators may not change articles)

        def work(progress, cancelled):
            from annotator.ingest.segments import fill_segments

            return fill_segments(self.project, progress=progress, cancelled=cancelled)

        def done(filled: int) -> None:
            self.statusBar().showMessage(f"Sentences found in {filled} article(s).", 5000)

        self.statusBar().showMessage("Finding the sentences of older articles…")
        run_task(self, work, title="Finding sentences", on_done=done, show_progress=False,
                 changes=Changes.HIGHLIGHTS)  # fmt: skip

    def _after_background(self, changes: Changes) -> None:
        """A task of this window (or of a view it opened) changed the project."""
        if Changes.ARTICLES in changes:
            self.articles_changed()
        elif Changes.HIGHLIGHTS in changes and self.article_id is not None:
            self.open_article(self.article_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # Every change is already in the database: closing never asks anything. Background
        # work, the views' included, is stopped by gui/common/tasks.py as the window closes.
        save_settings(self.settings)
        event.accept()


__all__ = ["MainWindow", "CellState"]
