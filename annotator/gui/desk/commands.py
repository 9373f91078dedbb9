"""What the window's menus do beyond labelling: import, export, merge, agreement, actors,
switching annotator, help. Slow work runs through gui/common/tasks.run_task, owned by the
window (stopped when it closes; errors to the one dialog; what changed announced to the
window, which refreshes itself). A helper object the window owns (composition, not a
mixin): it reads and refreshes the window through its public parts.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator.gui.common.errors import guarded
from annotator.gui.common.tasks import Changes, Task, run_task
from annotator.gui.desk.actor_dialogs import AddActorDialog, MergeActorsDialog
from annotator.gui.desk.dialogs import AnnotatorDialog, ShortcutsDialog

if TYPE_CHECKING:
    from annotator.gui.desk.main_window import MainWindow


class WindowCommands:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self._agreement: Any = None
        self._networks: Any = None
        self._curation: Any = None
        self._dialog: Any = None
        self._gold: Any = None
        self._progress: Any = None

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.w.codebook, self.w)
        dialog.open()
        self._dialog = dialog

    def about(self) -> None:
        from annotator import __version__

        QMessageBox.about(
            self.w,
            "Stance Annotator",
            f"Stance Annotator {__version__}\nProject: {self.w.project.db}\n"
            f"Codebook: {self.w.codebook.name}\nEvery change is saved at once.",
        )

    # ------------------------------------------------------------ import

    @guarded
    def import_articles(self, folder: bool = False, paths: list[str] | None = None) -> Task | None:
        from annotator.ingest.importer import import_paths

        if paths is None:
            if folder:
                chosen = QFileDialog.getExistingDirectory(
                    self.w, "Import a folder of .txt / .html / .jsonl files"
                )
                paths = [chosen] if chosen else []
            else:
                paths, _ = QFileDialog.getOpenFileNames(
                    self.w,
                    "Import articles",
                    "",
                    "Articles (*.txt *.html *.htm *.jsonl *.ndjson);;All files (*)",
                )
        if not paths:
            return None

        def work(progress: Any, cancelled: Any) -> Any:
            return import_paths(
                self.w.project,
                paths,
                progress=progress,
                cancelled=cancelled,
                codebook=self.w.codebook,
                model=self.w.settings.model,
                # Small batches: the model takes a few seconds for 16 articles, so the bar
                # moves and Cancel answers within seconds, not after 200 articles.
                batch_size=16,
            )

        def done(report: Any) -> None:
            self.w.statusBar().showMessage(report.summary(), 10000)

        return run_task(self.w, work, title="Importing articles", on_done=done,
                        changes=Changes.ARTICLES)  # fmt: skip

    # ------------------------------------------------------------ export

    @guarded
    def export_dialog(self) -> Task | None:
        from annotator.gui.lead.export_dialog import ExportDialog
        from annotator.store.labels import annotator_names

        dialog = ExportDialog(sorted(annotator_names(self.w.project).values()), self.w)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        return self.start_export(*dialog.values())

    def start_export(self, fmt: str, path: str, options: Any) -> Task:
        from annotator.export import export

        def work(progress: Any, cancelled: Any) -> Any:
            return export(
                self.w.project,
                self.w.codebook,
                fmt,
                path or None,
                options,
                progress=progress,
                cancelled=cancelled,
            )

        def done(report: Any) -> None:
            self.w.statusBar().showMessage(report.summary(), 15000)

        return run_task(self.w, work, title="Exporting", on_done=done)

    # ------------------------------------------------------------ lead: merge, agreement

    @guarded
    def merge_dialog(
        self, paths: list[str] | None = None, renames: dict[str, str] | None = None
    ) -> Task | None:
        from annotator.store.merge import merge_projects

        renames = dict(renames or {})
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self.w, "Merge annotators' project files", "", "Projects (*.db);;All files (*)"
            )
        if not paths:
            return None

        def work(progress: Any, cancelled: Any) -> Any:
            return merge_projects(
                self.w.project, paths, codebook=self.w.codebook, renames=renames, progress=progress
            )

        def done(report: Any) -> None:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Merge",
                report.summary(),
                QMessageBox.StandardButton.Ok,
                self.w,
            )
            box.open()  # not exec(): the window (and a test) keeps running

        return run_task(
            self.w, work, title="Merging project files", on_done=done,
            on_error=lambda exc: self._ask_new_name(exc, paths, renames),
            changes=Changes.ARTICLES,
        )  # fmt: skip

    def _ask_new_name(self, exc: BaseException, paths: list[str], renames: dict[str, str]) -> bool:
        """A namesake in a merged file: ask under which name their labels come in (other
        errors go to the error dialog)."""
        from PySide6.QtWidgets import QInputDialog

        from annotator.store.merge import IdentityConflict

        if not isinstance(exc, IdentityConflict):
            return False
        dialog = QInputDialog(self.w)
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
                self.merge_dialog(paths, renames | {exc.name: new.strip()}) if new.strip() else None
            )
        )
        dialog.open()
        return True

    @guarded
    def show_agreement(self) -> None:
        from PySide6.QtCore import Qt

        from annotator.gui.lead.agreement_view import AgreementView

        view = AgreementView(self.w.project, self.w.codebook, self.w)
        view.setWindowFlag(Qt.WindowType.Window)  # its own window beside the annotation one
        view.setWindowTitle("Agreement — project lead view")
        view.open_article.connect(self.w.open_article)
        view.resize(1200, 800)
        view.show()
        self._agreement = view

    @guarded
    def show_networks(self) -> None:
        from annotator.gui.lead.network_view import NetworkView

        view = NetworkView(self.w.project, self.w.codebook, self.w)
        view.setWindowTitle("Discourse networks — project lead view")
        view.show()
        self._networks = view

    @guarded
    def show_curation(self) -> None:
        """View › Curate: the lead's window from the annotators' versions to gold, on the
        article open here (if annotators are done with it)."""
        from annotator.gui.lead.curation_view import CurationWindow

        view = CurationWindow(
            self.w.project, self.w.codebook, self.w.annotator_id, self.w,
            article_id=self.w.article_id,
        )  # fmt: skip
        view.gold_changed.connect(self.update_gold_action)  # curated: feedback may open
        view.show()
        view.activateWindow()
        self._curation = view

    # ------------------------------------------------------------ lead: the team's work

    @guarded
    def show_progress(self) -> None:
        """View › Progress: the team's progress on the plan (matplotlib loads only here)."""
        from annotator.gui.lead.progress_view import ProgressView

        view = ProgressView(self.w.project, self.w)
        view.show()
        view.activateWindow()
        self._progress = view

    @guarded
    def assign_dialog(self) -> None:
        """File › Assign articles: plan who codes what; the list then shows the queue."""
        from annotator.gui.lead.assign_dialog import AssignDialog

        dialog = AssignDialog(self.w.project, self.w)
        dialog.accepted.connect(lambda: self._planned(dialog))
        dialog.open()  # not exec(): the window (and a test) keeps running
        self._dialog = dialog

    def _planned(self, dialog: Any) -> None:
        self.w.articles_changed()
        if dialog.planned is not None:
            summary = dialog.planned.summary().splitlines()[0]
            self.w.statusBar().showMessage(summary[:1].upper() + summary[1:], 10000)

    # ------------------------------------------------------------ feedback from gold

    def update_gold_action(self) -> None:
        """View › Compare with gold is on only for a curated article I marked done."""
        from annotator.curation import gold_visible

        article = self.w.article_id
        visible = article is not None and gold_visible(self.w.project, article, self.w.annotator_id)
        self.w.actions_["compare_gold"].setEnabled(visible)

    @guarded
    def compare_with_gold(self) -> None:
        """Where the curated gold standard differs from my labels in the open article."""
        from annotator.curation import gold_differences, gold_visible
        from annotator.gui.desk.gold_dialog import GoldFeedbackDialog

        article = self.w.article_id
        if article is None or not gold_visible(self.w.project, article, self.w.annotator_id):
            self.w.statusBar().showMessage(
                "Gold is shown only for curated articles you marked done.", 5000
            )
            return
        differences = gold_differences(self.w.project, article, self.w.annotator_id)
        dialog = GoldFeedbackDialog(
            self.w.codebook, self.w.article.title, self.w.article.text, differences,
            self.w.annotator, self.w,
        )  # fmt: skip
        dialog.cell_chosen.connect(self._go_to_cell)
        dialog.open()  # not exec(): the window (and a test) keeps running
        self._gold = dialog

    def _go_to_cell(self, actor_id: int, target: str) -> None:
        """From the feedback dialog to my own cell of that unit, to compare the evidence."""
        self.w.panel.select_actor(actor_id)
        if target in self.w.codebook.target_ids:
            self.w.panel.step(0, self.w.codebook.target_ids.index(target))
        self.w.focus_grid()

    # ------------------------------------------------------------ actors

    @guarded
    def add_actor(self) -> None:
        from annotator.store.actors import add_manual_mention, list_actors

        span = self.w.text.selected_span()
        if span is None or self.w.article_id is None:
            self.w.statusBar().showMessage(
                "Select the actor's name in the article text first.", 5000
            )
            return
        surface = self.w.article.text[span[0] : span[1]]
        dialog = AddActorDialog(surface, list_actors(self.w.project), self.w)
        if dialog.exec() != AddActorDialog.DialogCode.Accepted:
            return
        name, label, kind = dialog.values()
        _mention, actor_id = add_manual_mention(
            self.w.project, self.w.article_id, *span, actor_name=name, label=label, actor_type=kind
        )
        self.w.open_article(self.w.article_id)
        self.w.panel.select_actor(actor_id)
        self._rehighlight_containing(surface)

    def _rehighlight_containing(self, alias: str) -> None:
        from annotator.ingest.highlighting import rehighlight
        from annotator.store.articles import ids_containing

        ids = [i for i in ids_containing(self.w.project, alias) if i != self.w.article_id]
        if not ids:
            return
        if self.w.project.path is None:
            # Team mode: shared mentions change only through the lead's re-highlighting
            # (annotators may not delete them), so this article alone has the new mark.
            self.w.statusBar().showMessage(
                f"„{alias}“ marked here; {len(ids)} other article(s) show it after the project "
                "lead re-highlights (Edit › Re-highlight all articles).",
                10000,
            )
            return
        self.w.statusBar().showMessage(f"Highlighting „{alias}“ in {len(ids)} other article(s)…")

        def work(progress: Any, cancelled: Any) -> Any:
            return rehighlight(
                self.w.project,
                article_ids=ids,
                progress=progress,
                cancelled=cancelled,
                model=self.w.settings.model,
            )

        def done(report: Any) -> None:
            self.w.statusBar().showMessage(
                f"„{alias}“ highlighted: {report.articles} article(s) re-highlighted", 8000
            )

        # Other articles only (the open one was marked above): nothing on screen changes.
        run_task(self.w, work, title="Re-highlighting", on_done=done, show_progress=False)

    @guarded
    def rehighlight_all(self) -> None:
        from annotator.ingest.highlighting import rehighlight

        def work(progress: Any, cancelled: Any) -> Any:
            return rehighlight(
                self.w.project,
                progress=progress,
                cancelled=cancelled,
                model=self.w.settings.model,
                batch_size=16,  # as the window's import: Cancel answers within seconds
            )

        def done(report: Any) -> None:
            self.w.statusBar().showMessage(f"{report.articles} article(s) re-highlighted", 8000)

        run_task(self.w, work, title="Re-highlighting all articles", on_done=done,
                 changes=Changes.HIGHLIGHTS)  # fmt: skip

    @guarded
    def merge_actors_dialog(self) -> None:
        """Edit › Merge actors: one step of the labelling session, so Ctrl+Z undoes it."""
        from annotator.store.actor_merge import merge_conflicts
        from annotator.store.actors import list_actors

        cur = self.w.panel.current()
        dialog = MergeActorsDialog(
            list_actors(self.w.project), cur[0] if cur else None,
            partial(merge_conflicts, self.w.project), self.w.codebook, self.w,
        )  # fmt: skip
        if dialog.exec() != MergeActorsDialog.DialogCode.Accepted:
            return
        source, into, keep = dialog.values()
        result = self.w.session.merge_actors(source, into, keep=keep)  # the window refreshes
        self.w.statusBar().showMessage(
            f"{result.summary()}. Edit › Undo (Ctrl+Z) undoes the merge.", 15000
        )

    # ------------------------------------------------------------ annotator

    @guarded
    def switch_annotator(self) -> None:
        from annotator.store.labels import annotator_names

        dialog = AnnotatorDialog(
            sorted(annotator_names(self.w.project).values()), self.w.annotator, self.w
        )
        if dialog.exec() != AnnotatorDialog.DialogCode.Accepted:
            return
        self.w.set_annotator(dialog.value())
