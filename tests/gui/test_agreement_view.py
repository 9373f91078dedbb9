"""The lead's agreement view on a small project with two annotators (offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from annotator.agreement import agreement_report  # noqa: E402
from annotator.gui.lead.agreement_view import AgreementView  # noqa: E402
from tests.agreement.builders import article_id, label_anna, label_ben, new_project  # noqa: E402


@pytest.fixture
def lead_project(tmp_path: Path):
    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    yield project
    project.close()


@pytest.fixture
def view(qtbot, lead_project, codebook):
    widget = AgreementView(lead_project, codebook, bootstrap=200, seed=0)
    qtbot.addWidget(widget)
    # The report is computed in a worker thread: the constructor returns at once.
    assert widget.report is None and "Computing" in widget.summary.text()
    with qtbot.waitSignal(widget.report_ready, timeout=20_000):
        pass
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _cells(model) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_figures_match_the_report(view, lead_project, codebook) -> None:
    report = agreement_report(lead_project, codebook, bootstrap=200, seed=0)
    rows = {row[0]: row for row in _cells(view.figures)}
    overall = rows["Overall"]
    assert overall[1:4] == ["4", "2", f"{report.overall.alpha_nominal:.2f}"]
    lo, hi = report.overall.alpha_nominal_ci
    assert overall[4] == f"{lo:.2f} – {hi:.2f}"
    assert overall[7] == "50%"
    assert rows[codebook.target("defence_spending").short_label][3] == "1.00"
    assert "4 units" in view.summary.text() and "2 disagreements" in view.summary.text()

    (pair,) = report.overall.pairs
    assert _cells(view.pairs) == [
        ["—", f"{pair.cohen_kappa:.2f}"],
        [f"{pair.cohen_kappa:.2f}", "—"],
    ]
    assert view.pairs.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert _cells(view.confusion) == [[str(n) for n in row] for row in pair.confusion]
    assert [row[0] for row in _cells(view.people)] == ["anna", "ben"]

    view.scope.setCurrentIndex(view.scope.findData("ground_troops"))
    troops = report.scope("ground_troops").pairs[0]
    assert view.pairs.index(0, 1).data() == f"{troops.cohen_kappa:.2f}"


def short(codebook, target: str) -> str:
    return codebook.target(target).short_label


def test_double_click_opens_the_article_and_shows_all_labels(
    qtbot, view, lead_project, codebook
) -> None:
    troops, spending = short(codebook, "ground_troops"), short(codebook, "defence_spending")
    view.tabs.setCurrentIndex(2)
    table = view.disagreement_view
    # Actor, target and the labels first; the title last, whole in its tooltip.
    assert _cells(view.disagreements)[0] == [
        "Carlo Masala", troops, "favor", "against", "Pistorius will mehr Geld",
    ]  # fmt: skip
    tip = view.disagreements.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Pistorius will mehr Geld\na1")
    assert not table.horizontalScrollBar().isVisible()
    rect = table.visualRect(view.disagreements.index(0, 1))
    with qtbot.waitSignal(view.open_article, timeout=2_000) as signal:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [article_id(lead_project, "a1")]
    side = _cells(view.side)
    assert view.side.headers == ["Actor", "Target", "anna", "ben"]
    assert side == [
        ["Boris Pistorius", spending, "favor", "favor"],
        ["Carlo Masala", troops, "favor", "against"],
    ]
    assert "Masala hält Bodentruppen" in view.side.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "Pistorius will mehr Geld" in view.side_title.text()
    assert view.side_view.selectionModel().selectedRows()[0].row() == 1
    # The keyboard's way: the next disagreement, Enter.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.open_article, timeout=2_000):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.wait(20)  # let the side panel lay out before the picture is taken
    view.grab().save(str(Path(os.environ.get("AGREEMENT_PNG", "/tmp/agreement.png"))))


def test_article_not_finished_by_an_annotator_says_so(view, lead_project, codebook) -> None:
    view.show_article(article_id(lead_project, "a3"))
    spending = short(codebook, "defence_spending")
    # Ben's label in a3 is shown to the lead, marked as work in progress.
    assert _cells(view.side) == [["Boris Pistorius", spending, "neutral", "favor"]]
    assert view.side.headers[2:] == ["anna", "ben (not done)"]
    view.show_article(article_id(lead_project, "a2"))
    row = ["Carlo Masala", short(codebook, "ground_troops"), "no stance", "neutral"]
    assert row in _cells(view.side)
