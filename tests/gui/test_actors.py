"""Adding an actor the highlighter missed, and merging two actors, from the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from annotator.gui.common.tasks import running_tasks
from annotator.store.actors import list_actors
from annotator.store.articles import article_id_by_external, mentions_of
from annotator.store.models import Mention
from tests.gui.conftest import TEXT_1, TEXT_3


def _answer_dialog(kind, fill) -> None:  # type: ignore[no-untyped-def]
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, attempt)
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(20, attempt)


def test_add_actor_from_selection_stores_a_manual_mention_and_alias(
    qtbot, window, small_project
) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.desk.dialogs import AddActorDialog

    start = TEXT_1.index("Berlin")
    window.text.select_span(start, start + len("Berlin"))
    _answer_dialog(
        AddActorDialog, lambda d: (d.name.setText("Bundesregierung"), d.label.setCurrentIndex(1))
    )
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)

    with small_project.session() as s:
        manual = s.exec(select(Mention).where(Mention.source == "manual")).all()
    assert [(m.start, m.end, m.label) for m in manual] == [(start, start + 6, "ORG")]
    actor = next(a for a in list_actors(small_project) if a.name == "Bundesregierung")
    assert "Berlin" in actor.aliases
    assert "Bundesregierung" in [r.name for r in window.panel.model.rows]
    cur = window.panel.current()
    assert cur is not None and cur[0] == actor.id
    # The other article that says "Berlin" is re-highlighted for it in the background.
    task = running_tasks(window)[-1]
    with qtbot.waitSignal(task.done, timeout=60_000):
        pass
    art3 = article_id_by_external(small_project, "art-3")
    found = [(m.actor, TEXT_3[m.start : m.end]) for m in mentions_of(small_project, art3)]
    assert ("Bundesregierung", "Berlin") in found


def test_merge_actors_moves_mentions(qtbot, window, small_project) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.desk.dialogs import MergeActorsDialog

    def fill(d):  # type: ignore[no-untyped-def]
        d.source.setCurrentIndex(d.source.findText("Carlo Masala"))
        d.into.setCurrentIndex(d.into.findText("Boris Pistorius"))

    _answer_dialog(MergeActorsDialog, fill)
    qtbot.keyClick(
        window.panel.grid,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    names = {a.name: a for a in list_actors(small_project)}
    assert "Carlo Masala" not in names
    assert "Carlo Masala" in names["Boris Pistorius"].aliases
    assert [(r.name, r.mentions) for r in window.panel.model.rows] == [("Boris Pistorius", 3)]
