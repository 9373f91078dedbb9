"""The curation window, driven with keys as a lead uses it; the gold lands in the database.

anna and ben both marked a1 done: they agree on Pistorius (favor on spending) and disagree
on Masala (ground troops: anna favor with evidence and a note, ben against)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store.annotators import get_or_create_annotator
from annotator.store.label_reads import labels_for_article
from tests.agreement.builders import article_id, label_anna, label_ben, new_project


@pytest.fixture
def curation(qtbot, tmp_path, codebook):
    from annotator.gui.lead.curation_view import CurationWindow
    from annotator.ingest.segments import fill_segments

    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    fill_segments(project)  # the sentences, as an import stores them (S selects one)
    lead = get_or_create_annotator(project, "lena")
    window = CurationWindow(project, codebook, lead, article_id=article_id(project, "a1"))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    yield window, project
    project.close()


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def gold(project, external_id: str) -> dict[tuple[str, str], str | None]:
    return {
        (lab.actor, lab.target): lab.state.stance
        for lab in labels_for_article(project, article_id(project, external_id), include_gold=True)
        if lab.annotator == "gold"
    }


def test_disagreeing_units_come_first_and_keys_decide_them(qtbot, curation) -> None:
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


def test_gold_stance_undo_premerge_and_curated(qtbot, curation) -> None:
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


def test_anonymous_names_and_the_text_marks_each_version(qtbot, curation) -> None:
    window, _project = curation
    window.anonymous.setChecked(True)
    headers = [
        window.units.horizontalHeaderItem(c).text() for c in range(window.units.columnCount())
    ]
    assert headers[2:4] == ["Annotator 1", "Annotator 2"]
    assert "anna" not in window.details.toPlainText()
    assert len(window.text.extraSelections()) >= 1  # anna's evidence marked in the text


def curation_state(project, external_id: str) -> str | None:
    from annotator.curation import article_states

    aid = article_id(project, external_id)
    return article_states(project, [aid])[aid].curation


def gold_evidence(project, external_id: str, actor: str, target: str) -> list[str]:
    from tests.agreement.builders import TEXTS

    text = TEXTS[external_id]
    for lab in labels_for_article(project, article_id(project, external_id), include_gold=True):
        if lab.annotator == "gold" and (lab.actor, lab.target) == (actor, target):
            return [text[a:b] for a, b in lab.state.evidence]
    return []


def test_disagreements_first_and_d_jumps_between_them(qtbot, curation) -> None:
    window, _project = curation
    assert [u.agreed for u in window.view.units] == [False, True]
    press(qtbot, Qt.Key.Key_J)
    assert window.current_unit().actor == "Boris Pistorius"
    press(qtbot, Qt.Key.Key_D)  # the next disagreement, wrapping
    assert window.current_unit().actor == "Carlo Masala"
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)  # the only one: stays
    assert window.current_unit().actor == "Carlo Masala"
    press(qtbot, Qt.Key.Key_K)
    assert window.current_unit().actor == "Carlo Masala"


def test_curated_needs_every_unit_decided_and_goes_to_the_open_one(qtbot, curation) -> None:
    window, project = curation
    press(qtbot, Qt.Key.Key_1)  # Masala decided; the next undecided unit comes up
    assert window.current_unit().actor == "Boris Pistorius"
    press(qtbot, Qt.Key.Key_K)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert curation_state(project, "a1") == "in_curation"  # refused, without a dialog
    assert QApplication.activeModalWidget() is None
    assert window.current_unit().actor == "Boris Pistorius" and "undecided" in window.status.text()
    assert window.article_id == article_id(project, "a1")


def test_three_keys_curate_an_article_then_only_ready_ones_follow(qtbot, curation) -> None:
    window, project = curation
    for k in (Qt.Key.Key_2, Qt.Key.Key_P):  # ben's version on Masala, pre-merge the agreed
        press(qtbot, k)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert curation_state(project, "a1") == "curated"
    assert gold(project, "a1") == {
        ("Carlo Masala", "ground_troops"): "against",
        ("Boris Pistorius", "defence_spending"): "favor",
    }
    assert window.article_id == article_id(project, "a2")
    # a2: NATO agreed, Masala: anna nothing, ben neutral; anna's version is "no stance".
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_P)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert curation_state(project, "a2") == "curated"
    assert gold(project, "a2") == {("NATO", "defence_spending"): "against"}
    # a3 is "1/2 done" (ben has not finished it): not offered, a2 stays open.
    assert window.article_id == article_id(project, "a2")
    assert "No other article" in window.status.text()
    assert window.articles.badge_at(2) == "1/2 done"


def test_a_sentence_from_the_text_as_gold_evidence_with_keys(qtbot, curation) -> None:
    window, project = curation
    press(qtbot, Qt.Key.Key_A)  # the curator's own decision on Masala
    press(qtbot, Qt.Key.Key_K)  # back to it (the decision moved on to the next open unit)
    assert window.current_unit().actor == "Carlo Masala"
    press(qtbot, Qt.Key.Key_F6)  # into the text, at the unit's first evidence
    assert window.text.hasFocus()
    press(qtbot, Qt.Key.Key_S)
    press(qtbot, Qt.Key.Key_E)
    assert gold_evidence(project, "a1", "Carlo Masala", "ground_troops") == [
        "Masala hält Bodentruppen für denkbar."
    ]
    press(qtbot, Qt.Key.Key_F6)
    assert window.units.hasFocus()
    # The gold evidence is marked in the text too (underlined, over the annotators' colours).
    underlined = [s for s in window.text.extraSelections() if s.format.fontUnderline()]
    assert len(underlined) == 1


def test_anonymous_hides_names_in_the_gold_origin(qtbot, curation) -> None:
    window, _project = curation
    press(qtbot, Qt.Key.Key_1)
    window.anonymous.setChecked(True)
    cells = [
        window.units.item(r, c).text()
        for r in range(window.units.rowCount())
        for c in range(window.units.columnCount())
    ]
    assert any("Annotator 1's version" in c for c in cells)
    assert not any("anna" in c or "ben" in c for c in cells)
    press(qtbot, Qt.Key.Key_K)
    assert "anna" not in window.details.toPlainText()
    assert "Annotator 1's version" in window.details.toPlainText()


def test_reopen_a_curated_article_and_change_it(qtbot, curation) -> None:
    window, project = curation
    for k in (Qt.Key.Key_1, Qt.Key.Key_P):
        press(qtbot, k)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_BracketLeft)  # back to a1
    assert window.article_id == article_id(project, "a1")
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert curation_state(project, "a1") == "in_curation"
    press(qtbot, Qt.Key.Key_N)
    assert gold(project, "a1")[("Carlo Masala", "ground_troops")] == "neutral"
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the decision
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the reopening
    assert curation_state(project, "a1") == "curated"
    assert gold(project, "a1")[("Carlo Masala", "ground_troops")] == "favor"


def test_every_key_in_the_footer_is_wired(curation) -> None:
    from annotator.gui.lead.curation_view import KEYS

    window, _project = curation
    bound = {s.toString() for action in window.actions() for s in action.shortcuts()}
    for keys, _what in KEYS:
        for k in keys.replace("…", " ").replace("/", " ").split():
            if k in ("1", "9"):
                continue
            assert k in bound or k.replace("Enter", "Return") in bound, k
