"""View › Progress and File › Assign articles, opened directly (offscreen), on a lead's
project with a four-coder plan and some work done."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from annotator.assignments.plan import PlanRequest  # noqa: E402
from annotator.assignments.service import plan_project  # noqa: E402
from annotator.gui.lead.assign_dialog import AssignDialog  # noqa: E402
from annotator.gui.lead.progress_view import ProgressView  # noqa: E402
from annotator.store.annotators import get_or_create_annotator  # noqa: E402
from annotator.store.articles import article_titles  # noqa: E402
from annotator.store.assignments import queue, read_assignments  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402
from annotator.store.labels import CellKey, CellState, put_cell, set_done  # noqa: E402
from tests.assignments.test_service import corpus  # noqa: E402
from tests.conftest import add_actor  # noqa: E402

TEAM = ("anna", "ben", "cara", "dan")


@pytest.fixture
def lead(tmp_path: Path):
    project = open_project(str(tmp_path / "lead.db"))
    corpus(project, 20)
    actor = add_actor(project, "Boris Pistorius")
    plan_project(project, PlanRequest(TEAM, 0.2, 2, seed=1))
    for name in ("anna", "ben"):
        who = get_or_create_annotator(project, name)
        for article in queue(project, who)[:3]:
            put_cell(project, who, CellKey(article, actor, "defence_spending"), CellState("favor"))
            set_done(project, article, who)
    yield project
    project.close()


@pytest.fixture
def view(qtbot, lead):
    widget = ProgressView(lead)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.report_ready, timeout=30_000):
        pass
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_chart_and_the_tables_show_the_teams_progress(view) -> None:
    assert "6 of 24 assignments done (25%)" in view.summary.text()
    bars = view.canvas.figure.axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()] == list(reversed(TEAM))
    assert any(t.get_text().startswith("3/6") for t in bars.texts)
    tabs = {view.tabs.tabText(i): view.tabs.widget(i) for i in range(view.tabs.count())}
    annotators = tabs["Annotators"]
    assert annotators.rowCount() == 4
    assert [annotators.item(0, c).text() for c in range(5)] == ["anna", "6", "3", "0", "3"]
    # 20 % of 20 articles: 4 shared, so 4 of the 6 pairs share one (6 would need 30)
    assert tabs["Articles"].rowCount() == 20 and tabs["Pairs"].rowCount() == 4


def test_refresh_reads_new_work_and_keeps_the_tab(qtbot, view, lead) -> None:
    view.tabs.setCurrentIndex(2)
    cara = get_or_create_annotator(lead, "cara")
    set_done(lead, queue(lead, cara)[0], cara)
    with qtbot.waitSignal(view.report_ready, timeout=30_000):
        qtbot.mouseClick(view.recompute, Qt.MouseButton.LeftButton)
    assert "7 of 24 assignments done" in view.summary.text()
    assert view.tabs.currentIndex() == 2
    with qtbot.waitSignal(view.report_ready, timeout=30_000):
        view.days.setValue(3)
    assert view.report.days == 3


def test_escape_closes_the_view(qtbot, view) -> None:
    view.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=5_000)


def test_without_a_plan_the_view_says_how_to_make_one(qtbot, tmp_path) -> None:
    with open_project(str(tmp_path / "empty.db")) as project:
        widget = ProgressView(project)
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.report_ready, timeout=30_000):
            pass
        assert "No assignment plan yet" in widget.summary.text()
        assert "--annotators NAME1,NAME2" in widget.summary.text()  # not anna,ben,cara
        widget.close()


def test_without_a_plan_todays_work_per_annotator_and_day(qtbot, tmp_path) -> None:
    """Eight labels saved today and two articles done, no plan: the chart, the tables and
    the summary show them (it said "no labels in these days", the tables were empty)."""
    with open_project(str(tmp_path / "solo.db")) as project:
        corpus(project, 5)
        actor = add_actor(project, "Boris Pistorius")
        zoe, yan = (get_or_create_annotator(project, n) for n in ("zoe", "yan"))
        articles = [a for a, _e, _t in article_titles(project)]
        for article in articles[:2]:
            for target in ("nato_membership", "ground_troops", "defence_spending"):
                put_cell(project, zoe, CellKey(article, actor, target), CellState("favor"))
            set_done(project, article, zoe)
        for article in articles[:2]:
            put_cell(project, zoe, CellKey(article, actor, "nato_membership"),
                     CellState("against"))  # fmt: skip
        put_cell(project, yan, CellKey(articles[0], actor, "ground_troops"), CellState("favor"))
        widget = ProgressView(project)
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.report_ready, timeout=30_000):
            pass
        text = widget.summary.text()
        assert "No assignment plan yet" in text and "7 label(s) and 2 article(s) done" in text
        assert "--annotators zoe,yan" in text or "--annotators yan,zoe" in text
        tabs = {widget.tabs.tabText(i): widget.tabs.widget(i) for i in range(widget.tabs.count())}
        people = tabs["Annotators"]
        rows = {people.item(r, 0).text(): [people.item(r, c).text() for c in range(1, 5)]
                for r in range(people.rowCount())}  # fmt: skip
        assert rows == {"zoe": ["5", "2", "0", "3"], "yan": ["5", "0", "1", "4"]}
        assert people.horizontalHeaderItem(1).text() == "articles"
        days = tabs["Labels / done per day"]
        # The week's total, and one day with work (today; yesterday just after midnight).
        week = {days.item(r, 0).text(): days.item(r, 1).text() for r in range(days.rowCount())}
        assert week == {"zoe": "6 / 2", "yan": "1 / 0"}
        for r in range(days.rowCount()):
            worked = [c for c in range(2, days.columnCount()) if days.item(r, c).text()]
            assert len(worked) == 1 and days.item(r, worked[0]).text() == days.item(r, 1).text()
        labels_axis = widget.canvas.figure.axes[1]
        assert not labels_axis.texts  # not "no labels in these days"
        assert {line.get_label() for line in labels_axis.get_lines()} == {"zoe", "yan"}
        widget.close()


def test_the_assign_dialog_previews_the_balance_and_plans(qtbot, tmp_path) -> None:
    with open_project(str(tmp_path / "new.db")) as project:
        corpus(project, 30)
        dialog = AssignDialog(project)
        qtbot.addWidget(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled() and "at least one annotator" in dialog.message.text()
        dialog.annotators.setText("anna, ben, cara")
        qtbot.waitUntil(lambda: ok.isEnabled(), timeout=5_000)
        assert dialog.table.rowCount() == 3
        # 30 articles, 20 % = 6 of them twice: 36 assignments, 12 each
        assert [dialog.table.item(r, 1).text() for r in range(3)] == ["12", "12", "12"]
        assert "6 of them for 2 coders" in dialog.message.text()
        dialog.coders.setValue(3)
        qtbot.waitUntil(lambda: dialog.table.item(0, 1).text() == "14", timeout=5_000)
        assert read_assignments(project) == []  # a preview writes nothing
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dialog.result() == AssignDialog.DialogCode.Accepted
        assert dialog.planned is not None and dialog.planned.written
        assert len(read_assignments(project)) == 42
