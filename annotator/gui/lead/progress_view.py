"""View › Progress: how far the coding team is, for the project lead.

The figures are read off the GUI thread (gui/common/tasks.py) by the Qt-free
annotator.assignments.progress; the chart comes from annotator.assignments.figures and is
shown in matplotlib's Qt canvas, the same Figure `annotator progress --png` saves. Tables
below it give the numbers per annotator, per article and per pair.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.assignments.figures import progress_figure
from annotator.assignments.progress import ProgressReport, eta_text, plan_hint, progress_report
from annotator.assignments.worktime import window_start
from annotator.gui.common.geometry import fit_to_screen
from annotator.gui.common.plain import plain_label
from annotator.gui.common.tasks import Changes, Follow, Recompute
from annotator.store.engine import Project


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(headers: list[str], rows: list[list[Any]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if isinstance(value, int | float):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def annotator_rows(report: ProgressReport) -> list[list[Any]]:
    return [
        [
            p.name,
            p.assigned,
            p.done,
            p.in_progress,
            p.not_started,
            _number(p.labels_per_hour),
            _number(p.active_hours),
            eta_text(p.eta_hours, p.eta_days, p.remaining),
        ]  # fmt: skip
        for p in report.people
    ]


def article_rows(report: ProgressReport) -> list[list[Any]]:
    return [
        [a.external_id, a.title, a.label, ", ".join(a.planned), "yes" if a.overlap else ""]
        for a in report.articles
    ]


def pair_rows(report: ProgressReport) -> list[list[Any]]:
    return [[p.a, p.b, p.planned, p.done] for p in report.pairs]


def day_rows(report: ProgressReport) -> tuple[list[str], list[list[Any]]]:
    """Per annotator and day: "labels / articles done", newest day first; empty days blank."""
    first = window_start(report.now, report.days)
    days = [(first + timedelta(days=d)).strftime("%a %d.%m.") for d in range(report.days)]
    rows = [
        [p.name, f"{sum(p.daily_labels)} / {sum(p.daily_done)}"]
        + [
            f"{n} / {k}" if n or k else ""
            for n, k in zip(p.daily_labels, p.daily_done, strict=True)
        ][::-1]  # fmt: skip
        for p in report.people
    ]
    return ["annotator", f"{report.days} days", *days[::-1]], rows


def report_tables(report: ProgressReport) -> dict[str, QTableWidget]:
    """The tabs beside the chart: per annotator, per day, per article, per pair."""
    # Without a plan every article is everyone's: "articles", not "assigned".
    share = "assigned" if report.planned else "articles"
    headers = ["annotator", share, "done", "in progress", "not started", "labels/h",
               "active h", "to finish"]  # fmt: skip
    return {
        "Annotators": _table(headers, annotator_rows(report)),
        "Labels / done per day": _table(*day_rows(report)),
        "Articles": _table(
            ["article", "title", "coders done", "planned coders", "overlap"], article_rows(report)
        ),
        "Pairs": _table(
            ["annotator", "other", "shared, planned", "done by both"], pair_rows(report)
        ),
    }


class ProgressView(QWidget):
    """Per annotator: assigned, done, pace, time to finish; per article: coders done; per
    pair: the shared articles agreement can use."""

    report_ready = Signal(object)  # ProgressReport, once shown

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Progress — project lead view")
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        for keys in ("Esc", "Ctrl+W"):
            close = QShortcut(QKeySequence(keys), self, self.close)
            close.setContext(Qt.ShortcutContext.WindowShortcut)
        self.project = project
        self.report: ProgressReport | None = None
        # Stopped and waited for when the view closes (gui/common/tasks.py).
        self.computation = Recompute(
            self,
            "Reading the progress",
            lambda: partial(_compute, self.project, self.days.value()),
            self._finished,
        )
        # Labels change beside it (the window, a merge): recomputed once they pause.
        self.follow = Follow(self, Changes.LABELS | Changes.ARTICLES, self.refresh)

        self.days = QSpinBox()
        self.days.setRange(1, 90)
        self.days.setValue(7)
        self.days.setSuffix(" days")
        self.days.setToolTip("Labels per hour and the time to finish use the pace of these days")
        self.days.valueChanged.connect(self.refresh)
        self.recompute = QPushButton("Refresh")
        self.recompute.clicked.connect(self.refresh)
        self.summary = plain_label("Reading the progress…")
        self.summary.setWordWrap(True)
        self.canvas = FigureCanvasQTAgg(Figure(layout="constrained"))
        self.canvas.setMinimumSize(480, 300)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.canvas, "Chart")
        for name in ("Annotators", "Labels / done per day", "Articles", "Pairs"):
            self.tabs.addTab(QWidget(), name)

        top = QHBoxLayout()
        top.addWidget(QLabel("Pace over the last"))
        top.addWidget(self.days)
        top.addStretch(1)
        top.addWidget(self.recompute)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        fit_to_screen(self, 1200, 780)
        self.refresh()

    def refresh(self) -> None:
        """Read again in the background; a change while it runs is read after it."""
        self.recompute.setEnabled(False)
        self.computation.request()

    def _finished(self, report: ProgressReport | None) -> None:
        self.recompute.setEnabled(True)
        if report is None:
            return self.summary.setText("The progress could not be read.")
        self.show_report(report)

    def show_report(self, report: ProgressReport) -> None:
        self.report = report
        if not report.planned:
            self.summary.setText(_unplanned_summary(report))
        else:
            complete = sum(1 for a in report.articles if len(a.done_by) == len(a.planned))
            share = report.done / report.assigned if report.assigned else 0.0
            self.summary.setText(
                f"{report.done} of {report.assigned} assignments done ({share:.0%}); "
                f"{complete} of {len(report.articles)} article(s) done by all their coders; "
                f"for agreement: {report.overlap_ready} article(s) done by two or more coders "
                f"({report.units_ready} coding unit(s)) of {report.overlap_planned} planned."
            )
        progress_figure(report, self.canvas.figure)
        self.canvas.draw()  # now: a deferred draw may meet a closed window
        tables = report_tables(report)
        current = self.tabs.currentIndex()
        for index in range(1, self.tabs.count()):
            name = self.tabs.tabText(index)
            old = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tables[name], name)
            if old is not None:
                old.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.report_ready.emit(report)


def _unplanned_summary(report: ProgressReport) -> str:
    """Without a plan: what the team did anyway, and how to plan (with its own names)."""
    how = f"File › Assign articles… (or `{plan_hint(report)}`)"
    if not report.people:
        return f"No assignment plan yet, and nobody has labelled: plan the work with {how}."
    labels = sum(p.labels_recent for p in report.people)
    done = sum(p.done_recent for p in report.people)
    return (
        f"No assignment plan yet: every article counts for everyone. In the last "
        f"{report.days} days {labels} label(s) and {done} article(s) done; for agreement: "
        f"{report.overlap_ready} article(s) done by two or more coders "
        f"({report.units_ready} coding unit(s)). A plan: {how}."
    )


def _compute(project: Project, days: int, progress: Any, cancelled: Any) -> ProgressReport:
    return progress_report(project, days=days)
