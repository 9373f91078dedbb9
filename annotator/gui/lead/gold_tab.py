"""The agreement view's "Against gold" tab: each annotator against the curated gold standard
(accuracy, Cohen's kappa, confusion matrix), a thin layer over agreement.gold.gold_report.
The report is computed with the agreement report, off the GUI thread (agreement_view)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from annotator.agreement.gold import GoldReport
from annotator.codebook import Codebook
from annotator.gui.common.plain import plain_label
from annotator.gui.common.tables import (
    RowsModel,
    box,
    count,
    heat_color,
    muted,
    num,
    pct,
    table,
    tint,
)


class GoldTab(QWidget):
    """Shows one GoldReport: a row per annotator, and the confusion matrix of the one chosen."""

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: GoldReport | None = None
        self._stance = {s.id: s for s in codebook.stances}
        self.summary = plain_label("No article is curated yet.")
        self.summary.setWordWrap(True)
        self.people = RowsModel(self, numbers_from=1)
        self.confusion = RowsModel(self, numbers_from=0)
        self.people_view = table(self.people, stretch="none", fit=True)
        self.people_view.setObjectName("goldPeople")
        self.confusion_view = table(self.confusion, stretch="none", fit=True)
        self.confusion_view.setObjectName("goldConfusion")
        self.annotator = QComboBox()
        self.annotator.setObjectName("goldAnnotator")
        self.annotator.currentIndexChanged.connect(self._show_confusion)
        self.people_view.clicked.connect(lambda index: self.annotator.setCurrentIndex(index.row()))
        self.notes = muted()
        explain = muted(
            "Only curated articles count, and for each annotator only those they marked done. "
            "A unit without a gold stance is gold “no stance”; a done annotator who left a unit "
            "empty says “no stance”. Kappa is over the stances and “no stance”."
        )
        layout = QVBoxLayout(self)
        for widget in (
            self.summary,
            self.people_view,
            box("Confusion matrix of", self.annotator, "(rows) against gold (columns):",
                vertical=False),
            self.confusion_view,
            self.notes,
            explain,
        ):  # fmt: skip
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_report(self, report: GoldReport) -> None:
        self.report = report
        self.summary.setText(
            f"{count(report.curated_articles, 'curated article')} · "
            f"{count(report.units, 'unit')} · {count(len(report.annotators), 'annotator')} "
            "who marked curated articles done"
        )
        rows, colors = [], {}
        for r, p in enumerate(report.annotators):
            rows.append([p.name, str(p.articles), str(p.units), pct(p.accuracy),
                         num(p.cohen_kappa)])  # fmt: skip
            colors[(r, 4)] = heat_color(p.cohen_kappa)
        self.people.set_rows(
            ["Annotator", "Curated articles done", "Units", "Accuracy", "Cohen's κ"],
            rows,
            colors=colors,
        )
        self.annotator.blockSignals(True)
        current = self.annotator.currentText()
        self.annotator.clear()
        self.annotator.addItems([p.name for p in report.annotators])
        self.annotator.setCurrentIndex(max(self.annotator.findText(current), 0))
        self.annotator.blockSignals(False)
        self.notes.setText("\n".join(report.notes))
        self._show_confusion()

    def _label(self, category: str) -> str:
        return category if category in self._stance else "no stance"

    def _show_confusion(self) -> None:
        report = self.report
        row = self.annotator.currentIndex()
        if report is None or not 0 <= row < len(report.annotators):
            self.confusion.set_rows([], [])
            return
        labels = [self._label(c) for c in report.categories]
        matrix = report.annotators[row].confusion
        colors: dict[tuple[int, int], QColor | None] = {}
        for i, category in enumerate(report.categories):  # the diagonal: agreement with gold
            stance = self._stance.get(category)
            colors[(i, i)] = tint(stance.color) if stance else None
        self.confusion.set_rows(
            labels, [[str(n) for n in line] for line in matrix], colors=colors, vertical=labels
        )
