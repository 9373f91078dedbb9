"""Stance suggestions in the window: shown pale in empty cells, accepted with Enter (the
label written through the one writer, history "accepted suggestion"), rejected with R
(recorded, the label unchanged, not asked again), overwritten by the stance keys (then
recorded as rejected where the stance differs). The lead's work with them (computing,
training, the switches, what became of them) runs from the Suggest menu, in the
background with progress and cancel.

What a coder may see is decided in the core (suggest/service.visible): the rules, gold's
model, her own model's; never another annotator's. Stored suggestions are read at an
article switch (a few small queries); an article without stored ones gets them worked out
in the background (stored in a project file; on a server, where storing them is the
leads' part, kept for the session), so a switch never waits for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from annotator.gui.common.errors import guarded
from annotator.gui.common.plain import escape
from annotator.gui.common.tasks import Task, run_task
from annotator.gui.desk.host import Desk
from annotator.store.suggestions import StoredSuggestion


class Suggestions:
    def __init__(self, window: Desk, cell_changed: Callable[[], None]) -> None:
        self.w = window
        self._cell_changed = cell_changed  # the current cell's details and offers anew
        self._computed: dict[int, list[StoredSuggestion]] = {}  # rules' of this session
        self.pending: dict[int, Task] = {}  # articles whose suggestions are being worked out
        self._rules: Any = None  # one RuleSuggester for the session (built on first use)

    # ------------------------------------------------------------ showing them

    def load(self, labelled: set[tuple[int, str]]) -> None:
        """The open article's suggestions into the grid; `labelled`: her labelled cells."""
        from annotator.suggest.service import visible

        article = self.w.article
        found = visible(self.w.project, article, self.w.annotator_id, self.w.codebook,
                        labelled=labelled, compute=False)  # fmt: skip
        if found is None:
            found = self._computed.get(article.id)
            if found is None:
                self._compute(article.id)
                found = []
        self._show(found)

    def _show(self, found: list[StoredSuggestion]) -> None:
        self.w.panel.model.set_suggestions({(s.actor_id, s.target): s for s in found})

    def _compute(self, article_id: int) -> None:
        if article_id in self.pending:
            return
        from annotator.suggest.rules import RuleSuggester
        from annotator.suggest.service import compute, reporters, visible

        if self._rules is None:
            self._rules = RuleSuggester(self.w.codebook, reporters=reporters(self.w.project))
        project, codebook, me, rules = (self.w.project, self.w.codebook, self.w.annotator_id,
                                        self._rules)  # fmt: skip
        article = self.w.article

        def work(progress: Any, cancelled: Any) -> Any:
            if project.path is not None:  # a project file: stored, read at once next time
                compute(project, codebook, [article.id])
                return visible(project, article, me, codebook, rules=rules, labelled=())
            # On a server suggestions are the leads' to store: kept for this session.
            return visible(project, article, me, codebook, rules=rules, labelled=())

        def done(found: list[StoredSuggestion]) -> None:
            self.pending.pop(article_id, None)
            self._computed[article_id] = found
            if self.w.article_id == article_id:
                self._show(found)
                self._cell_changed()

        def failed(exc: BaseException) -> bool:
            self.pending.pop(article_id, None)
            return False  # the one error dialog

        self.pending[article_id] = run_task(
            self.w.window(), work, title="Suggesting stances", on_done=done, on_error=failed,
            show_progress=False)  # fmt: skip

    def forget(self, *, reopen: bool = True) -> None:
        """Stored suggestions, a model or the switches changed (or another annotator
        labels here): read them anew, with the open article (`reopen`)."""
        self._computed.clear()
        if reopen and self.w.article_id is not None:
            self.w.open_article(self.w.article_id)

    def current(self) -> StoredSuggestion | None:
        return self.w.panel.current_suggestion()

    # ------------------------------------------------------------ keys

    @guarded
    def accept(self) -> None:
        found = self.current()
        if found is None:
            self.w.statusBar().showMessage("No suggestion in this cell.", 3000)
            return
        self.w.session.accept_suggestion(found)

    @guarded
    def reject(self) -> None:
        found = self.current()
        if found is None:
            self.w.statusBar().showMessage("No suggestion in this cell.", 3000)
            return
        self._drop(found)
        self.w.statusBar().showMessage(
            f"Suggestion '{found.stance}' rejected: this cell is not suggested again.", 4000
        )

    def before_stance(self, stance: str) -> None:
        """A stance key on a suggested cell: a different stance rejects the suggestion (on
        record, for the lead's figures); the same one is simply her label."""
        found = self.current()
        if found is not None and stance and stance != found.stance:
            self._drop(found)

    def _drop(self, found: StoredSuggestion) -> None:
        self.w.session.reject_suggestion(found)
        cached = self._computed.get(found.article_id)
        if cached is not None:
            self._computed[found.article_id] = [s for s in cached if s != found]
        model = self.w.panel.model
        model.set_suggestions({k: s for k, s in model.suggestions.items() if s != found})
        self._cell_changed()


class _EnterAccepts(QObject):
    """Return / Enter on the grid or the text accepts the current cell's suggestion."""

    def __init__(self, suggestions: Suggestions, parent: QObject) -> None:
        super().__init__(parent)
        self._suggestions = suggestions

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            == Qt.KeyboardModifier.NoModifier
        ):
            self._suggestions.accept()
            return True
        return False


def build_suggest_menu(w: Desk, s: Suggestions, lead: Any) -> QMenu:
    """The Suggest menu, after the others so far: accept and reject for everybody, the
    rest mostly the lead's (gui/desk/suggest_lead.py)."""
    menu = QMenu("&Suggest", w.menuBar())
    a = w.actions_
    accept = a.add("accept_suggestion", "&Accept the suggestion", s.accept, menu=menu)
    # Enter accepts only where labelling happens (the grid, the text): in the list it
    # opens the article, in the note, the search field and dialogs it is theirs. So the
    # key is read by those two widgets, not made a shortcut (a shortcut follows the focus
    # widget, which a dialog that has not taken the focus yet leaves on the grid).
    keys = accept.shortcuts()
    accept.setShortcuts([])
    accept.setText(f"{accept.text()}\t{keys[0].toString()}")
    enter = _EnterAccepts(s, w.window())
    for widget in (w.panel.grid, w.text):
        widget.installEventFilter(enter)
    a.add("reject_suggestion", "&Reject the suggestion", s.reject, menu=menu)
    menu.addSeparator()
    lead.add_entries(menu)
    w.menuBar().addMenu(menu)
    return menu


def show_use(parent: QWidget, rows: list[Any]) -> None:
    """What every annotator did with suggestions (store.suggestions.suggestion_use)."""
    if not rows:
        text = "Nobody has accepted or rejected a suggestion yet."
    else:
        lines = [
            "<table cellpadding=4><tr><th align=left>annotator</th><th>accepted</th>"
            "<th>rejected</th><th>acceptance</th><th>labels from suggestions</th></tr>"
        ]
        for u in rows:
            rate = "–" if u.rate is None else f"{round(100 * u.rate)} %"
            lines.append(
                f"<tr><td>{escape(u.annotator)}</td><td align=right>{u.accepted}</td>"
                f"<td align=right>{u.rejected}</td><td align=right>{rate}</td>"
                f"<td align=right>{u.labels_from_suggestions}</td></tr>"
            )
        text = "".join(lines) + "</table>"  # fmt: skip
    box = QMessageBox(QMessageBox.Icon.Information, "Suggestion use", text, parent=parent)
    box.setObjectName("suggestionUse")
    box.open()
