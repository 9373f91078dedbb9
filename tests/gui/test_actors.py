"""Adding an actor the highlighter missed, and merging two actors, from the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlmodel import select

from annotator.gui.common.tasks import running_tasks
from annotator.store.actors import list_actors
from annotator.store.articles import article_id_by_external, mentions_of
from annotator.store.label_reads import labels_for_article
from annotator.store.models import Mention
from tests.gui.conftest import TEXT_1, TEXT_3


def _answer_dialog(kind, fill) -> None:
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
) -> None:
    from annotator.gui.desk.actor_dialogs import AddActorDialog

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
    assert running_tasks(window)
    qtbot.waitUntil(lambda: not running_tasks(window), timeout=60_000)
    art3 = article_id_by_external(small_project, "art-3")
    found = [(m.actor, TEXT_3[m.start : m.end]) for m in mentions_of(small_project, art3)]
    assert ("Bundesregierung", "Berlin") in found


def test_merge_actors_moves_mentions(qtbot, window, small_project) -> None:
    from annotator.gui.desk.actor_dialogs import MergeActorsDialog

    def fill(d):
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


def _actor_ids(project) -> dict[str, int]:
    return {a.name: a.id for a in list_actors(project)}


def _label(qtbot, window, actor_id: int, target: str, key: Qt.Key) -> None:
    window.panel.select_actor(actor_id)
    window.panel.step(0, window.codebook.target_ids.index(target))
    qtbot.keyClick(window.panel.grid, key)


def _my_labels(window) -> dict[tuple[str, str], str | None]:
    labels = labels_for_article(window.project, window.article_id, window.annotator_id)
    return {(lab.actor, lab.target): lab.state.stance for lab in labels}


def test_merging_actors_asks_which_label_stays_and_ctrl_z_undoes_it(qtbot, window) -> None:
    from annotator.gui.desk.actor_dialogs import MergeActorsDialog

    ids = _actor_ids(window.project)
    pistorius, masala = ids["Boris Pistorius"], ids["Carlo Masala"]
    _label(qtbot, window, pistorius, "ground_troops", Qt.Key.Key_A)
    _label(qtbot, window, masala, "ground_troops", Qt.Key.Key_F)  # both: a conflict
    _label(qtbot, window, masala, "defence_spending", Qt.Key.Key_N)
    before = _my_labels(window)
    seen: dict[str, object] = {}

    def fill(d: MergeActorsDialog) -> None:
        d.source.setCurrentIndex(d.source.findText("Carlo Masala"))
        d.into.setCurrentIndex(d.into.findText("NATO"))
        seen["no conflict"] = d.summary.text()
        d.into.setCurrentIndex(d.into.findText("Boris Pistorius"))
        seen["summary"] = d.summary.text()
        seen["errors"] = [box.text() for box in d.findChildren(QMessageBox)]
        seen["rows"] = [
            [d.table.item(r, c).text() for c in range(d.table.columnCount())]
            for r in range(d.table.rowCount())
        ]
        seen["default"] = d.keep_into.isChecked()
        d.keep_source.setChecked(True)  # the merged actor's label stays

    _answer_dialog(MergeActorsDialog, fill)
    qtbot.keyClick(
        window.panel.grid,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert seen["errors"] == []
    assert seen["no conflict"].startswith("No annotator labelled both actors")
    assert seen["summary"].startswith("1 cell(s) are labelled on both actors")
    assert seen["rows"] == [["anna", "art-1", "Troops", "against", "favor"]]
    assert seen["default"] is True
    # In the database: Masala's labels are Pistorius's now, his favour kept in the conflict.
    assert "Carlo Masala" not in _actor_ids(window.project)
    assert _my_labels(window) == {
        ("Boris Pistorius", "ground_troops"): "favor",
        ("Boris Pistorius", "defence_spending"): "neutral",
    }
    assert "merged into" in window.statusBar().currentMessage()
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert [(r.name, r.mentions) for r in window.panel.model.rows] == [("Boris Pistorius", 3)]

    # Back from the dialog: offscreen there is no window manager to give the window back
    # the activation that its window-wide Ctrl+Z needs.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.panel.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _actor_ids(window.project) == ids
    assert _my_labels(window) == before
    assert [r.name for r in window.panel.model.rows] == ["Boris Pistorius", "Carlo Masala"]
    assert window.statusBar().currentMessage() == "The merge of the two actors is undone."


def test_undoing_a_merge_whose_labels_changed_since_shows_the_error(qtbot, window) -> None:
    from annotator.store.labels import CellKey, CellState, put_cell

    ids = _actor_ids(window.project)
    pistorius, masala = ids["Boris Pistorius"], ids["Carlo Masala"]
    _label(qtbot, window, masala, "ground_troops", Qt.Key.Key_F)
    window.session.merge_actors(masala, pistorius)
    # The moved label changes in another window of hers: undo would lose that change.
    key = CellKey(window.article_id, pistorius, "ground_troops")
    put_cell(window.project, window.annotator_id, key, CellState("against"))

    qtbot.keyClick(window.panel.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and box.objectName() == "errorDialog"
    assert "cannot be undone" in box.text()
    box.close()
    assert "Carlo Masala" not in _actor_ids(window.project)  # nothing was changed
    assert _my_labels(window) == {("Boris Pistorius", "ground_troops"): "against"}
