"""Evidence in a few keys: the window offers the sentences that mention the current actor
(cue sentences first), Space steps through them, E attaches the one on offer. Keys are
counted as a user would press them, each sent to the widget that has the focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store.labels import CellKey, get_cell
from tests.gui.conftest import TEXT_1


class Keyboard:
    def __init__(self, qtbot) -> None:
        self.qtbot, self.count = qtbot, 0

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        focused = QApplication.focusWidget()
        assert focused is not None, "no widget has the keyboard focus"
        self.qtbot.keyClick(focused, key, modifier)
        self.count += 1


def _cell(window, target: str) -> CellKey:
    actor, col = window.panel.current()[0], window.codebook.target_ids.index(target)
    window.panel.step(0, col)  # "with the cell selected": not counted
    return CellKey(window.article_id, actor, target)


SENTENCE_1 = "🇩🇪 Verteidigungsminister Boris Pistorius fordert höhere Verteidigungsausgaben."
SENTENCE_2 = "„Zwei Prozent reichen nicht“, sagte Pistorius in Berlin."


def test_a_stance_with_one_evidence_sentence_in_at_most_four_keys(
    qtbot, window, small_project
) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    key = _cell(window, "defence_spending")
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F)  # favor
    keys.press(Qt.Key.Key_E)  # attach the sentence on offer: the one with the cue word
    state = get_cell(small_project, window.annotator_id, key)
    assert state.stance == "favor"
    assert [TEXT_1[a:b] for a, b in state.evidence] == [SENTENCE_1]
    assert keys.count <= 4, keys.count


def test_space_offers_the_next_sentence_and_e_takes_it(qtbot, window, small_project) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    key = _cell(window, "nato_membership")
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F)
    keys.press(Qt.Key.Key_Space)  # the second sentence mentioning Pistorius
    assert "2 of 2" in window.panel.candidate.text()
    keys.press(Qt.Key.Key_E)
    state = get_cell(small_project, window.annotator_id, key)
    assert [TEXT_1[a:b] for a, b in state.evidence] == [SENTENCE_2]
    assert keys.count <= 4
    # The attached sentence is no longer offered; the other one is.
    assert "1 of 1" in window.panel.candidate.text()


def test_a_stance_alone_and_done_and_next(qtbot, window, small_project) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    key = _cell(window, "ground_troops")
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_A)
    assert get_cell(small_project, window.annotator_id, key).stance == "against"
    assert keys.count <= 2
    first = window.article_id
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.article_id != first and keys.count == 1


def test_s_selects_the_sentence_and_shift_arrows_grow_it_by_parts(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.panel.grid.hasFocus())
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F6)  # into the text
    assert window.text.hasFocus()
    cursor = window.text.textCursor()
    cursor.setPosition(window.text.map.to_qt(TEXT_1.index("sagte Pistorius")))
    window.text.setTextCursor(cursor)
    keys.press(Qt.Key.Key_S)
    a, b = window.text.selected_span()
    assert TEXT_1[a:b] == SENTENCE_2
    start = TEXT_1.index("Der Militärexperte")
    cursor.setPosition(window.text.map.to_qt(start))
    window.text.setTextCursor(cursor)
    keys.press(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # a whole sentence
    a, b = window.text.selected_span()
    assert TEXT_1[a:b].endswith("für denkbar.")


def test_an_actor_named_only_in_boilerplate_gets_no_row_until_asked(
    qtbot, window, small_project
) -> None:
    from annotator.ingest.segments import fill_segments
    from annotator.store.actors import add_manual_mention
    from tests.conftest import add_article

    text = (
        "Olaf Scholz warnt vor Bodentruppen in der Ukraine.\n\n"
        "Weitere Meldungen\n"
        "Elon Musk kauft wieder ein Unternehmen\n"
    )
    article = add_article(small_project, "with-teaser", text, title="Scholz warnt")
    add_manual_mention(small_project, article, 0, 11, actor_name="Olaf Scholz")
    musk = text.index("Elon Musk")
    add_manual_mention(small_project, article, musk, musk + 9, actor_name="Elon Musk")
    fill_segments(small_project)
    window.articles_changed()
    window.open_article(article)
    names = [r.name for r in window.panel.model.rows]
    assert names == ["Olaf Scholz"], window.article.boilerplate
    window.toggle_show_all()
    assert [r.name for r in window.panel.model.rows] == ["Olaf Scholz", "Elon Musk"]


def test_an_older_project_gets_its_sentences_in_the_background(qtbot, project, codebook) -> None:
    """Articles from before schema 4 have no stored sentences: the window finds them in a
    worker after it opened, and then offers evidence sentences."""
    from annotator.gui.desk.main_window import MainWindow
    from annotator.settings import Settings
    from annotator.store.articles import count_without_segments, load_article
    from tests.conftest import add_article

    add_article(project, "old", "Erster Satz über nichts. Zweiter Satz.", title="Alt")
    assert count_without_segments(project) == 1
    window = MainWindow(project, codebook, "anna", Settings(annotator="anna"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: count_without_segments(project) == 0, timeout=60_000)
    assert len(load_article(project, window.article_id).sentences) == 2
    qtbot.waitUntil(lambda: len(window.article.sentences) == 2, timeout=10_000)
