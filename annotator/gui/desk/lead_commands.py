"""The lead's entries in the window's menus: export, merging the annotators' files, and
the lead's views (gui/lead/), each its own window inside the main window, so closing the
main window stops their background work too. The one module of the desk that imports the
lead's views.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.gui.common.errors import guarded
from annotator.gui.common.geometry import keep_geometry
from annotator.gui.common.plain import message_box, plain_input_dialog
from annotator.gui.common.tasks import Changes, Task, run_task
from annotator.gui.desk.host import Desk
from annotator.gui.desk.lead_gate import refused, update_lead_actions


class LeadCommands:
    def __init__(self, window: Desk) -> None:
        self.w = window
        self.parent: QWidget = window.window()  # dialogs' parent, tasks' owner
        self._agreement: Any = None
        self._networks: Any = None
        self._curation: Any = None
        self._progress: Any = None
        self._assign: Any = None

    # ------------------------------------------------------------ export

    @guarded
    def export_dialog(self) -> Task | None:
        if refused(self.w, "export"):
            return None
        from annotator.gui.lead.export_dialog import ExportDialog
        from annotator.store.annotators import annotator_names

        dialog = ExportDialog(sorted(annotator_names(self.w.project).values()), self.parent)
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

        return run_task(self.parent, work, title="Exporting", on_done=done)

    # ------------------------------------------------------------ lead: merge, agreement

    @guarded
    def merge_dialog(
        self, paths: list[str] | None = None, renames: dict[str, str] | None = None
    ) -> Task | None:
        if refused(self.w, "merge"):
            return None
        from annotator.store.merge import merge_projects

        renames = dict(renames or {})
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self.parent, "Merge annotators' project files", "", "Projects (*.db);;All files (*)"
            )
        if not paths:
            return None

        def work(progress: Any, cancelled: Any) -> Any:
            return merge_projects(
                self.w.project, paths, codebook=self.w.codebook, renames=renames, progress=progress
            )

        def done(report: Any) -> None:
            message_box(self.parent, "Merge", report.summary())  # file names: plain text

        return run_task(
            self.parent, work, title="Merging project files", on_done=done,
            on_error=lambda exc: self._ask_new_name(exc, paths, renames),
            changes=Changes.ARTICLES,
        )  # fmt: skip

    def _ask_new_name(self, exc: BaseException, paths: list[str], renames: dict[str, str]) -> bool:
        """A namesake in a merged file: ask under which name their labels come in (other
        errors go to the error dialog)."""
        from annotator.store.merge import IdentityConflict

        if not isinstance(exc, IdentityConflict):
            return False
        dialog = plain_input_dialog(
            self.parent,
            f"The annotator '{exc.name}' in {exc.path} is not the '{exc.name}' of this "
            "project: another person chose the same name. Nothing was merged.\n\n"
            "Merge their labels under this name:",
        )
        dialog.setObjectName("renameAnnotatorDialog")
        dialog.setWindowTitle("Same name, another person")
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
        if refused(self.w, "agreement"):
            return
        from PySide6.QtCore import Qt

        from annotator.gui.lead.agreement_view import AgreementView

        view = AgreementView(self.w.project, self.w.codebook, self.parent)
        view.setWindowFlag(Qt.WindowType.Window)  # its own window beside the annotation one
        view.setWindowTitle("Agreement — project lead view")
        view.open_article.connect(self.w.open_article)
        keep_geometry(view, self.w.settings, "agreement")
        view.show()
        self._agreement = view

    @guarded
    def show_networks(self) -> None:
        if refused(self.w, "networks"):
            return
        from annotator.gui.lead.network_view import NetworkView

        view = NetworkView(self.w.project, self.w.codebook, self.parent)
        view.setWindowTitle("Discourse networks — project lead view")
        keep_geometry(view, self.w.settings, "networks")
        view.show()
        self._networks = view

    @guarded
    def show_curation(self) -> None:
        """View › Curate: the lead's window from the annotators' versions to gold, on the
        article open here (if annotators are done with it)."""
        if refused(self.w, "curate"):
            return
        from annotator.gui.lead.curation_view import CurationWindow

        view = CurationWindow(
            self.w.project, self.w.codebook, self.w.annotator_id, self.parent,
            article_id=self.w.article_id,
        )  # fmt: skip
        keep_geometry(view, self.w.settings, "curation", view.splitter)
        view.show()
        view.activateWindow()
        self._curation = view

    def annotator_changed(self) -> None:
        """Another annotator labels in this window now: the lead's entries follow, and if
        she is no lead the views still open close (they show everybody's labels)."""
        if update_lead_actions(self.w) is None:
            return
        for view in (self._agreement, self._networks, self._curation, self._progress, self._assign):
            if view is not None and shiboken6.isValid(view):
                view.close()

    def project_changed(self, changes: Changes) -> None:
        """Labels, gold or articles changed (in the window, a view, a task): the open
        views that show them follow (gui/common/tasks.Follow)."""
        for view in (self._agreement, self._networks, self._curation, self._progress):
            if view is not None and shiboken6.isValid(view) and view.isVisible():
                view.follow.changed(changes)

    # ------------------------------------------------------------ lead: the team's work

    @guarded
    def show_progress(self) -> None:
        """View › Progress: the team's progress on the plan (matplotlib loads only here)."""
        if refused(self.w, "progress"):
            return
        from annotator.gui.lead.progress_view import ProgressView

        view = ProgressView(self.w.project, self.parent)
        keep_geometry(view, self.w.settings, "progress")
        view.show()
        view.activateWindow()
        self._progress = view

    @guarded
    def assign_dialog(self) -> None:
        """File › Assign articles: plan who codes what; the list then shows the queue."""
        if refused(self.w, "assign"):
            return
        from annotator.gui.lead.assign_dialog import AssignDialog

        dialog = AssignDialog(self.w.project, self.parent)
        dialog.accepted.connect(lambda: self._planned(dialog))
        dialog.open()  # not exec(): the window (and a test) keeps running
        self._assign = dialog

    def _planned(self, dialog: Any) -> None:
        self.w.articles_changed()
        if dialog.planned is not None:
            summary = dialog.planned.summary().splitlines()[0]
            self.w.statusBar().showMessage(summary[:1].upper() + summary[1:], 10000)
