"""The curation window, driven with keys as a lead uses it; the gold lands in the database.

anna and ben both marked a1 done: they agree on Pistorius (favor on spending) and disagree
on Masala (ground troops: anna favor with evidence and a note, ben against)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store.labels import get_or_create_annotator, labels_for_article
from tests.agreement.builders import article_id, label_anna, label_ben, new_project


@pytest.fixture
def curation(qtbot, tmp_path, codebook):  # type: ignore[no-untyped-def]
    from annotator.gui.curation_view import CurationWindow

    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    lead = get_or_create_annotator(project, "lena")
    window = CurationWindow(project, codebook, lead, article_id=article_id(project, "a1"))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    yield window, project
    project.close()


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def gold(project, external_id: str) -> dict[tuple[str, str], str | None]:  # type: ignore[no-untyped-def]
    return {
        (lab.actor, lab.target): lab.state.stance
        for lab in labels_for_article(project, article_id(project, external_id), include_gold=True)
        if lab.annotator == "gold"
    }


def test_disagreeing_units_come_first_and_keys_decide_them(qtbot, curation) -> None:  # type: ignore[no-untyped-def]
    window, project = curation
    units = window.view.units
    assert [u.actor for u in units][:1] == ["Carlo Masala"] and not units[0].agreed
    assert window.units.hasFocus()
    press(qtbot, Qt.Key.Key_1)  # accept anna's version (favor, evidence, note)
    decided = window.session.article(window.article_id).units[0]
    assert decided.gold.stance == "favor" and decided.gold.evidence and decided.gold.note
    assert decided.origin.describe() == "anna's version"
    assert gold(project, "a1") == {("Carlo Masala", "ground_troops"): "favor"}
    # The annotators' own labels are untouched.
    anna = {(lab.actor, lab.target): lab.state.stance
            for lab in labels_for_article(project, article_id(project, "a1"))
            if lab.annotator == "ben"}  # fmt: skip
    assert anna[("Carlo Masala", "ground_troops")] == "against"


def test_gold_stance_undo_premerge_and_curated(qtbot, curation) -> None:  # type: ignore[no-untyped-def]
    window, project = curation
    press(qtbot, Qt.Key.Key_A)  # against, the curator's own decision
    assert gold(project, "a1")[("Carlo Masala", "ground_troops")] == "against"
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(project, "a1") == {}
    press(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    )
    assert gold(project, "a1")[("Carlo Masala", "ground_troops")] == "against"
    press(qtbot, Qt.Key.Key_P)  # complete agreement pre-merges the unit they agree on
    assert gold(project, "a1")[("Boris Pistorius", "defence_spending")] == "favor"
    assert window.view.open_units == 0
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # curated, next
    from annotator.curation import article_states

    state = article_states(project, [article_id(project, "a1")])[article_id(project, "a1")]
    assert state.curation == "curated"
    assert window.article_id == article_id(project, "a2")


def test_anonymous_names_and_the_text_marks_each_version(qtbot, curation) -> None:  # type: ignore[no-untyped-def]
    window, _project = curation
    window.anonymous.setChecked(True)
    headers = [
        window.units.horizontalHeaderItem(c).text() for c in range(window.units.columnCount())
    ]
    assert headers[2:4] == ["Annotator 1", "Annotator 2"]
    assert "anna" not in window.details.toPlainText()
    assert len(window.text.extraSelections()) >= 1  # anna's evidence marked in the text
