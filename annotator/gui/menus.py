"""The main window's menus and the slower actions behind them (import, actors, help)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.gui.dialogs import (
    AddActorDialog,
    AnnotatorDialog,
    MergeActorsDialog,
    ShortcutsDialog,
)
from annotator.gui.errors import guarded
from annotator.gui.tasks import Task

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class MenuHandlers:
    """Mixed into MainWindow; `self` is the window."""

    _tasks: list[Task]

    def build_menus(self: MainWindow) -> None:  # type: ignore[misc]
        self._tasks = []
        a = self.actions_
        bar = self.menuBar()
        file = bar.addMenu("&File")
        a.add("import", "&Import articles…", self.import_articles, menu=file)
        a.add(
            "import_folder",
            "Import a &folder…",
            lambda: self.import_articles(folder=True),
            menu=file,
        )
        a.add("export", "&Export labelled data…", self.export_dialog, menu=file)
        a.add("merge", "&Merge other project files…", self.merge_dialog, menu=file)
        file.addSeparator()
        a.add("switch_annotator", "&Switch annotator…", self.switch_annotator, menu=file)
        file.addSeparator()
        a.add("quit", "&Quit", self.close, menu=file)

        edit = bar.addMenu("&Edit")
        a.add("undo", "&Undo", self.undo, menu=edit)
        a.add("redo", "&Redo", self.redo, menu=edit)
        edit.addSeparator()
        a.add("add_actor", "&Add actor from selection…", self.add_actor, menu=edit)
        a.add("merge_actors", "&Merge actors…", self.merge_actors_dialog, menu=edit)
        a.add("rehighlight", "Re-&highlight all articles", self.rehighlight_all, menu=edit)

        label = bar.addMenu("&Label")
        for s in reversed(self.codebook.stances):
            a.add(
                f"stance:{s.id}",
                f"Set '{s.label_en}'",
                lambda sid=s.id: self._set_stance(sid),
                menu=label,
            )
        a.add("clear", "&Clear cell", lambda: self._set_stance(""), menu=label)
        label.addSeparator()
        a.add("attach", "Attach selection as &evidence", self.attach_evidence, menu=label)
        a.add("remove_evidence", "Remove last evidence", self.remove_last_evidence, menu=label)
        a.add("note", "Edit &note", self._focus_note, menu=label)
        label.addSeparator()
        for t in self.codebook.targets:
            a.add(
                f"target:{t.id}",
                f"Column: {t.label_en}",
                lambda col=self.codebook.target_ids.index(t.id): self.panel.move(0, col),
                menu=label,
            )
        a.add("row_down", "Next actor", lambda: self.panel.move(1), menu=label)
        a.add("row_up", "Previous actor", lambda: self.panel.move(-1), menu=label)
        a.add("col_right", "Next target", lambda: self._move_col(1), menu=label)
        a.add("col_left", "Previous target", lambda: self._move_col(-1), menu=label)

        go = bar.addMenu("&Go")
        a.add("done_next", "Mark &done and next unfinished", self.mark_done_and_next, menu=go)
        a.add("toggle_done", "Mark / unmark done", self.toggle_done, menu=go)
        a.add("next_unfinished", "Next &unfinished", self.next_unfinished, menu=go)
        a.add("next_article", "&Next article", self.next_article, menu=go)
        a.add("prev_article", "&Previous article", self.prev_article, menu=go)

        view = bar.addMenu("&View")
        a.add("font_bigger", "&Larger text", lambda: self.change_font(1), menu=view)
        a.add("font_smaller", "&Smaller text", lambda: self.change_font(-1), menu=view)
        a.add("focus_cycle", "Move &focus", self.cycle_focus, menu=view)
        a.add("search", "&Search articles", self._focus_search, menu=view)
        a.add("codebook", "Show &codebook", lambda: self.tabs.setCurrentIndex(1), menu=view)
        view.addSeparator()
        a.add("agreement", "&Agreement (project lead)…", self.show_agreement, menu=view)

        help_ = bar.addMenu("&Help")
        a.add("help", "&Keyboard shortcuts", self.show_shortcuts, menu=help_)
        a.add("about", "&About", self.about, menu=help_)

    # ------------------------------------------------------------ small actions

    def _move_col(self: MainWindow, step: int) -> None:  # type: ignore[misc]
        index = self.panel.grid.currentIndex()
        self.panel.move(0, (index.column() if index.isValid() else 0) + step)

    def _focus_note(self: MainWindow) -> None:  # type: ignore[misc]
        self.tabs.setCurrentIndex(0)
        self.panel.note.setFocus()
        self.panel.note.selectAll()

    def _focus_search(self: MainWindow) -> None:  # type: ignore[misc]
        self.list_panel.search.setFocus()
        self.list_panel.search.selectAll()

    def show_shortcuts(self: MainWindow) -> None:  # type: ignore[misc]
        dialog = ShortcutsDialog(self.codebook, self)
        dialog.open()
        self._dialog = dialog

    def about(self: MainWindow) -> None:  # type: ignore[misc]
        from annotator import __version__

        QMessageBox.about(
            self,
            "Stance Annotator",
            f"Stance Annotator {__version__}\nProject: {self.project.db}\n"
            f"Codebook: {self.codebook.name}\nEvery change is saved at once.",
        )

    def run_task(  # type: ignore[misc]
        self: MainWindow,
        work: Any,
        *,
        title: str,
        on_done: Any,
        show_progress: bool = True,
        report_errors: bool = True,
    ) -> Task:
        task = Task(
            self,
            work,
            title=title,
            on_done=on_done,
            show_progress=show_progress,
            report_errors=report_errors,
        )
        self._tasks.append(task)
        task.done.connect(lambda _r, t=task: self._tasks.remove(t) if t in self._tasks else None)
        return task

    # ------------------------------------------------------------ import

    @guarded
    def import_articles(
        self: MainWindow, folder: bool = False, paths: list[str] | None = None
    ) -> Task | None:  # type: ignore[misc]
        from annotator.ingest.importer import import_paths

        if paths is None:
            if folder:
                chosen = QFileDialog.getExistingDirectory(
                    self, "Import a folder of .txt / .jsonl files"
                )
                paths = [chosen] if chosen else []
            else:
                paths, _ = QFileDialog.getOpenFileNames(
                    self, "Import articles", "", "Articles (*.txt *.jsonl *.ndjson);;All files (*)"
                )
        if not paths:
            return None

        def work(progress: Any, cancelled: Any) -> Any:
            return import_paths(
                self.project,
                paths,
                progress=progress,
                cancelled=cancelled,
                codebook=self.codebook,
                model=self.settings.model,
            )

        def done(report: Any) -> None:
            self.list_model.reload()
            self._total = None
            self._refresh_status()
            self.statusBar().showMessage(report.summary(), 10000)
            if self.article_id is None:
                self._go_first()

        return self.run_task(work, title="Importing articles", on_done=done)

    # ------------------------------------------------------------ export

    @guarded
    def export_dialog(self: MainWindow) -> Task | None:  # type: ignore[misc]
        from annotator.gui.export_dialog import ExportDialog
        from annotator.store.labels import annotator_names

        dialog = ExportDialog(sorted(annotator_names(self.project).values()), self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        return self.start_export(*dialog.values())

    def start_export(self: MainWindow, fmt: str, path: str, options: Any) -> Task:  # type: ignore[misc]
        from annotator.export import export

        def work(progress: Any, cancelled: Any) -> Any:
            return export(
                self.project,
                self.codebook,
                fmt,
                path or None,
                options,
                progress=progress,
                cancelled=cancelled,
            )

        def done(report: Any) -> None:
            self.statusBar().showMessage(report.summary(), 15000)

        return self.run_task(work, title="Exporting", on_done=done)

    # ------------------------------------------------------------ lead: merge, agreement

    @guarded
    def merge_dialog(  # type: ignore[misc]
        self: MainWindow, paths: list[str] | None = None, renames: dict[str, str] | None = None
    ) -> Task | None:
        from annotator.store.merge import merge_projects

        renames = dict(renames or {})
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self, "Merge annotators' project files", "", "Projects (*.db);;All files (*)"
            )
        if not paths:
            return None

        def work(progress: Any, cancelled: Any) -> Any:
            return merge_projects(
                self.project, paths, codebook=self.codebook, renames=renames, progress=progress
            )

        def done(report: Any) -> None:
            self.list_model.reload()
            self._total = None
            self._refresh_status()
            if self.article_id is not None:
                self.open_article(self.article_id)
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Merge",
                report.summary(),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.open()  # not exec(): the window (and a test) keeps running

        task = self.run_task(work, title="Merging project files", on_done=done, report_errors=False)
        task.failed.connect(lambda exc: self._merge_failed(exc, paths, renames))
        return task

    def _merge_failed(  # type: ignore[misc]
        self: MainWindow, exc: BaseException, paths: list[str], renames: dict[str, str]
    ) -> None:
        """A namesake in a merged file: ask under which name their labels come in."""
        from PySide6.QtWidgets import QInputDialog

        from annotator.errors import Cancelled
        from annotator.gui.errors import show_error
        from annotator.store.merge import IdentityConflict

        if isinstance(exc, Cancelled):
            return
        if not isinstance(exc, IdentityConflict):
            show_error(self, exc)
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameAnnotatorDialog")
        dialog.setWindowTitle("Same name, another person")
        dialog.setLabelText(
            f"The annotator '{exc.name}' in {exc.path} is not the '{exc.name}' of this "
            "project: another person chose the same name. Nothing was merged.\n\n"
            "Merge their labels under this name:"
        )
        dialog.setTextValue(f"{exc.name}-2")
        dialog.textValueSelected.connect(
            lambda new: (
                self.merge_dialog(paths, renames | {exc.name: new.strip()})  # type: ignore[union-attr]
                if new.strip()
                else None
            )
        )
        dialog.open()

    @guarded
    def show_agreement(self: MainWindow) -> None:  # type: ignore[misc]
        from PySide6.QtCore import Qt

        from annotator.gui.agreement_view import AgreementView

        view = AgreementView(self.project, self.codebook, self)
        view.setWindowFlag(Qt.WindowType.Window)  # its own window beside the annotation one
        view.setWindowTitle("Agreement — project lead view")
        view.open_article.connect(self.open_article)
        view.resize(1200, 800)
        view.show()
        self._agreement = view

    # ------------------------------------------------------------ actors

    @guarded
    def add_actor(self: MainWindow) -> None:  # type: ignore[misc]
        from annotator.store.actors import add_manual_mention, list_actors

        span = self.text.selected_span()
        if span is None or self.article_id is None:
            self.statusBar().showMessage("Select the actor's name in the article text first.", 5000)
            return
        surface = self.article.text[span[0] : span[1]]
        dialog = AddActorDialog(surface, list_actors(self.project), self)
        if dialog.exec() != AddActorDialog.DialogCode.Accepted:
            return
        name, label, kind = dialog.values()
        _mention, actor_id = add_manual_mention(
            self.project, self.article_id, *span, actor_name=name, label=label, actor_type=kind
        )
        self.open_article(self.article_id)
        self.panel.select_actor(actor_id)
        self._rehighlight_containing(surface)

    def _rehighlight_containing(self: MainWindow, alias: str) -> None:  # type: ignore[misc]
        from annotator.ingest.highlighting import rehighlight
        from annotator.store.articles import ids_containing

        ids = [i for i in ids_containing(self.project, alias) if i != self.article_id]
        if not ids:
            return
        self.statusBar().showMessage(f"Highlighting „{alias}“ in {len(ids)} other article(s)…")

        def work(progress: Any, cancelled: Any) -> Any:
            return rehighlight(
                self.project,
                article_ids=ids,
                progress=progress,
                cancelled=cancelled,
                model=self.settings.model,
            )

        def done(report: Any) -> None:
            self.statusBar().showMessage(
                f"„{alias}“ highlighted: {report.articles} article(s) re-highlighted", 8000
            )

        self.run_task(work, title="Re-highlighting", on_done=done, show_progress=False)

    @guarded
    def rehighlight_all(self: MainWindow) -> None:  # type: ignore[misc]
        from annotator.ingest.highlighting import rehighlight

        def work(progress: Any, cancelled: Any) -> Any:
            return rehighlight(
                self.project, progress=progress, cancelled=cancelled, model=self.settings.model
            )

        def done(report: Any) -> None:
            if self.article_id is not None:
                self.open_article(self.article_id)
            self.statusBar().showMessage(f"{report.articles} article(s) re-highlighted", 8000)

        self.run_task(work, title="Re-highlighting all articles", on_done=done)

    @guarded
    def merge_actors_dialog(self: MainWindow) -> None:  # type: ignore[misc]
        from annotator.store.actors import list_actors, merge_actors

        cur = self.panel.current()
        dialog = MergeActorsDialog(list_actors(self.project), cur[0] if cur else None, self)
        if dialog.exec() != MergeActorsDialog.DialogCode.Accepted:
            return
        source, into = dialog.values()
        merge_actors(self.project, source, into)
        if self.article_id is not None:
            self.open_article(self.article_id)
        self.statusBar().showMessage("Actors merged.", 5000)

    # ------------------------------------------------------------ annotator

    @guarded
    def switch_annotator(self: MainWindow) -> None:  # type: ignore[misc]
        from annotator.gui.article_list import ArticleListModel
        from annotator.labelling import LabellingSession
        from annotator.settings import save_settings
        from annotator.store.labels import annotator_names, get_or_create_annotator

        dialog = AnnotatorDialog(
            sorted(annotator_names(self.project).values()), self.annotator, self
        )
        if dialog.exec() != AnnotatorDialog.DialogCode.Accepted:
            return
        self.annotator = dialog.value()
        self.settings.annotator = self.annotator
        save_settings(self.settings)
        self.annotator_id = get_or_create_annotator(self.project, self.annotator)
        self.session = LabellingSession(self.project, self.codebook, self.annotator_id)
        self.session.on_change = self._on_change
        self.list_model = ArticleListModel(self.project, self.annotator_id, self)
        self.list_panel.model = self.list_model
        self.list_panel.table.setModel(self.list_model)
        self.list_panel.table.selectionModel().currentRowChanged.connect(
            self.list_panel._on_current
        )
        self._refresh_status()
        if self.article_id is not None:
            self.open_article(self.article_id)
