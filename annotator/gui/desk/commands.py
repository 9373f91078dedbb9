"""What the window's menus do beyond labelling: import, re-highlighting, actors, feedback
from gold, switching annotator, help (the lead's entries: desk/lead_commands.py).

Slow work runs through gui/common/tasks.run_task, owned by the window: stopped when it
closes, errors to the one dialog, what changed announced to the window, which refreshes
itself. A helper object the window owns (composition, not a mixin): it reads and refreshes
the window through what desk/host.Desk names.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from annotator.gui.common.errors import guarded
from annotator.gui.common.tasks import Changes, Task, run_task
from annotator.gui.desk.actor_dialogs import AddActorDialog, MergeActorsDialog
from annotator.gui.desk.dialogs import AnnotatorDialog, ShortcutsDialog
from annotator.gui.desk.host import Desk


class WindowCommands:
    def __init__(self, window: Desk) -> None:
        self.w = window
        self.parent: QWidget = window.window()  # dialogs' parent, tasks' owner
        self._dialog: Any = None
        self._gold: Any = None

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self.w.codebook, self.parent)
        dialog.open()
        self._dialog = dialog

    def about(self) -> None:
        from annotator import __version__

        QMessageBox.about(
            self.parent,
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
                    self.parent, "Import a folder of .txt / .html / .jsonl files"
                )
                paths = [chosen] if chosen else []
            else:
                paths, _ = QFileDialog.getOpenFileNames(
                    self.parent,
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

        return run_task(self.parent, work, title="Importing articles", on_done=done,
                        changes=Changes.ARTICLES)  # fmt: skip

    def fill_missing_segments(self) -> None:
        """A project from an older version has no stored sentences and boilerplate yet:
        find them in the background (spaCy's tokenizer loads there, never at start)."""
        from annotator.store.articles import count_without_segments

        if self.w.project.path is None or count_without_segments(self.w.project) == 0:
            return  # on a server the lead fills them (annotators may not change articles)

        def work(progress: Any, cancelled: Any) -> Any:
            from annotator.ingest.segments import fill_segments

            return fill_segments(self.w.project, progress=progress, cancelled=cancelled)

        def done(filled: int) -> None:
            self.w.statusBar().showMessage(f"Sentences found in {filled} article(s).", 5000)

        self.w.statusBar().showMessage("Finding the sentences of older articles…")
        run_task(self.parent, work, title="Finding sentences", on_done=done, show_progress=False,
                 changes=Changes.HIGHLIGHTS)  # fmt: skip

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
            self.w.annotator, self.parent,
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
        dialog = AddActorDialog(surface, list_actors(self.w.project), self.parent)
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
        run_task(self.parent, work, title="Re-highlighting", on_done=done, show_progress=False)

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

        run_task(self.parent, work, title="Re-highlighting all articles", on_done=done,
                 changes=Changes.HIGHLIGHTS)  # fmt: skip

    @guarded
    def merge_actors_dialog(self) -> None:
        """Edit › Merge actors: one step of the labelling session, so Ctrl+Z undoes it."""
        from annotator.store.actor_merge import merge_conflicts
        from annotator.store.actors import list_actors

        cur = self.w.panel.current()
        dialog = MergeActorsDialog(
            list_actors(self.w.project), cur[0] if cur else None,
            partial(merge_conflicts, self.w.project), self.w.codebook, self.parent,
        )  # fmt: skip
        if dialog.exec() != MergeActorsDialog.DialogCode.Accepted:
            return
        source, into, keep = dialog.values()
        result = self.w.session.merge_actors(source, into, keep=keep)  # the window refreshes
        # The store's summary, short enough for the status bar of a small screen.
        moved = f"{result.labels_moved} label(s), {result.mentions_moved} mention(s) moved"
        if result.conflicts:
            kept = result.into if keep == "into" else result.source
            both = len(result.conflicts)
            moved += f"; {both} cell(s) labelled on both keep the label on „{kept}“"
        self.w.statusBar().showMessage(
            f"„{result.source}“ merged into „{result.into}“ ({moved}). Ctrl+Z undoes the merge.",
            15000,
        )

    # ------------------------------------------------------------ annotator

    @guarded
    def switch_annotator(self) -> None:
        from annotator.store.annotators import annotator_names

        dialog = AnnotatorDialog(
            sorted(annotator_names(self.w.project).values()), self.w.annotator, self.parent
        )
        if dialog.exec() != AnnotatorDialog.DialogCode.Accepted:
            return
        self.w.set_annotator(dialog.value())
