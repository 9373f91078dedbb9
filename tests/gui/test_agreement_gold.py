"""The agreement view's "Against gold" tab on a hand-built curated project.

anna finished a1-a3, ben a1 and a2 (tests/agreement/builders.py). The curator lena decides:
a1: Pistorius favor (both agree), Masala ground troops anna's favor (ben: against);
a2: NATO against (both agree), Masala ground troops "against" (ben: neutral, anna: nothing).
a3 stays uncurated. Over the four units of a1 and a2: anna agrees with gold on 3 (she left
Masala in a2 empty), ben on 2 (Masala in a1 and a2 differ).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.agreement.gold import gold_report
from annotator.curation import CurationSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.labels import CellKey
from tests.agreement.builders import (
    actor_id,
    article_id,
    label_anna,
    label_ben,
    new_project,
)


def _cells(model) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


@pytest.fixture
def lead_project(tmp_path: Path):
    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    yield project
    project.close()


def curate(project, codebook) -> None:
    session = CurationSession(project, codebook, get_or_create_annotator(project, "lena"))
    anna = get_or_create_annotator(project, "anna")

    def key(ext: str, actor: str, target: str) -> CellKey:
        return CellKey(article_id(project, ext), actor_id(project, actor), target)

    session.set_stance(key("a1", "Boris Pistorius", "defence_spending"), "favor")
    session.accept(key("a1", "Carlo Masala", "ground_troops"), anna)
    session.finish(article_id(project, "a1"))
    session.set_stance(key("a2", "NATO", "defence_spending"), "against")
    session.set_stance(key("a2", "Carlo Masala", "ground_troops"), "against")
    session.finish(article_id(project, "a2"))


def open_view(qtbot, project, codebook):
    from annotator.gui.lead.agreement_view import AgreementView

    view = AgreementView(project, codebook, bootstrap=50, seed=0)
    qtbot.addWidget(view)
    # Both reports are computed in a worker thread; the gold one is shown first.
    with qtbot.waitSignal(view.report_ready, timeout=20_000):
        pass
    view.show()
    qtbot.waitExposed(view)
    return view


def test_the_tab_shows_each_annotator_against_gold(qtbot, lead_project, codebook) -> None:
    curate(lead_project, codebook)
    view = open_view(qtbot, lead_project, codebook)
    assert view.tabs.isTabVisible(view.gold_index)
    assert view.tabs.tabText(view.gold_index) == "Against &gold"  # Alt+G

    expected = gold_report(lead_project, codebook)
    figures = {p.name: p for p in expected.annotators}
    # The core's figures on this project, worked out by hand (module docstring).
    assert (figures["anna"].units, figures["anna"].accuracy) == (4, 0.75)
    assert (figures["ben"].units, figures["ben"].accuracy) == (4, 0.5)

    rows = _cells(view.gold.people)
    assert [r[0] for r in rows] == ["anna", "ben"]
    for row in rows:
        p = figures[row[0]]
        assert row[1:] == [str(p.articles), str(p.units), f"{p.accuracy:.0%}",
                           f"{p.cohen_kappa:.2f}"]  # fmt: skip
    assert rows[0][1:4] == ["2", "4", "75%"] and rows[1][1:4] == ["2", "4", "50%"]
    assert "2 curated articles" in view.gold.summary.text()

    # The confusion matrix of the annotator chosen: rows the annotator, columns gold.
    labels = [*codebook.stance_ids, "no stance"]
    for name in ("anna", "ben"):
        view.gold.annotator.setCurrentText(name)
        model = view.gold.confusion
        assert [
            model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
        ] == labels
        assert _cells(model) == [[str(n) for n in row] for row in figures[name].confusion]
    # ben said against where gold says favor (a1), neutral where gold says against (a2).
    index = {c: i for i, c in enumerate(expected.categories)}
    ben = figures["ben"].confusion
    assert ben[index["against"]][index["favor"]] == 1
    assert ben[index["neutral"]][index["against"]] == 1


def test_a_click_on_an_annotator_shows_their_confusion(qtbot, lead_project, codebook) -> None:
    curate(lead_project, codebook)
    view = open_view(qtbot, lead_project, codebook)
    view.tabs.setCurrentIndex(view.gold_index)
    table = view.gold.people_view
    rect = table.visualRect(view.gold.people.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.gold.annotator.currentText() == "ben"
    ben = next(p for p in gold_report(lead_project, codebook).annotators if p.name == "ben")
    assert _cells(view.gold.confusion) == [[str(n) for n in row] for row in ben.confusion]


def test_no_tab_before_an_article_is_curated(qtbot, lead_project, codebook) -> None:
    view = open_view(qtbot, lead_project, codebook)
    assert view.report is not None
    assert not view.tabs.isTabVisible(view.gold_index)
    # Curated later: Recompute brings the tab.
    curate(lead_project, codebook)
    with qtbot.waitSignal(view.gold_ready, timeout=20_000):
        view.recompute.click()
    assert view.tabs.isTabVisible(view.gold_index)
    assert [r[0] for r in _cells(view.gold.people)] == ["anna", "ben"]
