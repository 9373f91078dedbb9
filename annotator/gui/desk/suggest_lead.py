"""The Suggest menu's work beyond one cell: computing and storing suggestions for every
article, training a stance model (from gold, or from one's own labels), the project's
switches, and what became of the suggestions per annotator. Long work runs in the
background with progress and cancel (common/tasks.run_task); the window reads the
suggestions anew when it is done (Changes.SUGGESTIONS).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMenu

from annotator.gui.common.errors import guarded
from annotator.gui.common.plain import message_box
from annotator.gui.common.tasks import Changes, Task, announce, run_task
from annotator.gui.desk.host import Desk
from annotator.gui.desk.lead_gate import refused
from annotator.gui.desk.suggestions import show_use


class SuggestLead:
    def __init__(self, window: Desk) -> None:
        self.w = window

    def add_entries(self, menu: QMenu) -> None:
        a = self.w.actions_
        a.add("suggest_all", "&Compute suggestions for every article (project lead)…",
              self.compute_all, menu=menu)  # fmt: skip
        a.add("train_gold", "&Train the stance model from gold (project lead)…",
              lambda: self.train("gold"), menu=menu)  # fmt: skip
        a.add("train_mine", "Train a stance model from &my own labels…",
              lambda: self.train(self.w.annotator), menu=menu)  # fmt: skip
        menu.addSeparator()
        a.add("suggest_on", "Suggestions &on in this project (project lead)", self.toggle_on,
              menu=menu)  # fmt: skip
        a.add("suggest_overlap", "… also on &double-coded articles (project lead)",
              self.toggle_overlap, menu=menu)  # fmt: skip
        for name in ("suggest_on", "suggest_overlap"):
            a[name].setCheckable(True)
        menu.addSeparator()
        a.add("suggest_use", "Suggestion &use per annotator (project lead)…", self.show_use,
              menu=menu)  # fmt: skip
        menu.aboutToShow.connect(self.update_switches)

    def update_switches(self) -> None:
        from annotator.store.suggestions import settings

        chosen = settings(self.w.project)
        self.w.actions_["suggest_on"].setChecked(chosen.enabled)
        self.w.actions_["suggest_overlap"].setChecked(chosen.on_overlap)

    # ------------------------------------------------------------ the switches

    @guarded
    def toggle_on(self) -> None:
        if refused(self.w, "suggest_on"):
            self.update_switches()
            return
        self._switch(enabled=self.w.actions_["suggest_on"].isChecked())

    @guarded
    def toggle_overlap(self) -> None:
        if refused(self.w, "suggest_overlap"):
            self.update_switches()
            return
        self._switch(on_overlap=self.w.actions_["suggest_overlap"].isChecked())

    def _switch(self, **change: bool) -> None:
        from dataclasses import replace

        from annotator.store.suggestions import save_settings, settings

        try:
            save_settings(self.w.project, replace(settings(self.w.project), **change))
        finally:
            self.update_switches()  # a refused change shows as it is stored
        announce(self.w.window(), Changes.SUGGESTIONS)

    # ------------------------------------------------------------ long work

    @guarded
    def compute_all(self) -> Task | None:
        if refused(self.w, "suggest_all"):
            return None
        from annotator.suggest.service import compute

        project, codebook = self.w.project, self.w.codebook

        def work(progress: Any, cancelled: Any) -> Any:
            return compute(project, codebook, progress=progress, cancelled=cancelled)

        def done(report: Any) -> None:
            self.w.statusBar().showMessage(report.summary(), 15000)

        return run_task(self.w.window(), work, title="Computing stance suggestions",
                        on_done=done, changes=Changes.SUGGESTIONS)  # fmt: skip

    @guarded
    def train(self, source: str) -> Task | None:
        """Train from `source` (gold or an annotator's name), then store the suggestions
        the new model makes (for everybody from gold, for her alone from her labels)."""
        from annotator.store.annotators import GOLD_NAME

        if source == GOLD_NAME and refused(self.w, "train_gold"):
            return None
        from annotator.suggest.service import compute
        from annotator.suggest.training import train_stance

        project, codebook = self.w.project, self.w.codebook
        owner = None if source == GOLD_NAME else self.w.annotator_id

        def work(progress: Any, cancelled: Any) -> Any:
            report = train_stance(project, codebook, source, progress=progress,
                                  cancelled=cancelled)  # fmt: skip
            made = None
            if report.quality.usable:
                made = compute(project, codebook, annotator_id=owner, progress=progress,
                               cancelled=cancelled)  # fmt: skip
            return report, made

        def done(result: Any) -> None:
            report, made = result
            lines = report.lines() + ([made.summary()] if made is not None else [])
            message_box(self.w.window(), "Stance model", lines[0],
                        informative="\n".join(lines[1:]), name="trainReport")  # fmt: skip

        return run_task(self.w.window(), work, title=f"Training a stance model from {source}",
                        on_done=done, changes=Changes.SUGGESTIONS)  # fmt: skip

    @guarded
    def show_use(self) -> None:
        if refused(self.w, "suggest_use"):
            return
        from annotator.store.suggestions import suggestion_use

        show_use(self.w.window(), suggestion_use(self.w.project))
