"""File › Assign articles (project lead): who codes what, with a preview of the balance.

Every change of the settings recomputes the plan without writing it
(annotator.assignments.service.plan_project with write=False): each annotator's articles
before and after, and the pairs that would still share no article. "Plan" writes it, in one
transaction; planning again later only adds articles that have no assignment yet.
"""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import PlanResult, plan_project
from annotator.errors import AnnotatorError
from annotator.gui.common.plain import plain_label
from annotator.store.annotators import annotator_names
from annotator.store.assignments import plan_settings
from annotator.store.engine import Project


class AssignDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign articles to annotators")
        self.project = project
        self.planned: PlanResult | None = None  # what "Plan" wrote
        self.preview: PlanResult | None = None
        stored = plan_settings(project) or {}
        names = stored.get("annotators") or sorted(annotator_names(project).values())
        self.annotators = QLineEdit(", ".join(names))
        self.annotators.setPlaceholderText("names of the annotators, separated by commas")
        self.overlap = QDoubleSpinBox()
        self.overlap.setRange(0, 100)
        self.overlap.setDecimals(0)
        self.overlap.setSuffix(" % of articles coded several times")
        self.overlap.setValue(round(100 * float(stored.get("overlap", 0.2))))
        self.coders = QSpinBox()
        self.coders.setRange(2, 20)
        self.coders.setValue(int(stored.get("coders_per_overlap", 2)))
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setValue(int(stored.get("seed", 1)))
        self.articles = QLineEdit()
        self.articles.setPlaceholderText("every article without an assignment yet")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["annotator", "articles after planning", "new"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.message = plain_label()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Plan")
        self.buttons.accepted.connect(self._plan)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        form.addRow("Annotators:", self.annotators)
        form.addRow("Overlap:", self.overlap)
        form.addRow("Coders per overlap article:", self.coders)
        form.addRow("Seed (order and choice):", self.seed)
        form.addRow("Articles containing:", self.articles)
        form.addRow(self.table)
        form.addRow(self.message)
        form.addRow(self.buttons)
        # Typing a name should not recompute on every key: once it rests for 300 ms.
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.update_preview)
        for edit in (self.annotators, self.articles):
            edit.textChanged.connect(self._timer.start)
        for spin in (self.overlap, self.coders, self.seed):
            spin.valueChanged.connect(self._timer.start)
        self.resize(620, 520)
        self.update_preview()

    def request(self) -> PlanRequest:
        names = tuple(n.strip() for n in self.annotators.text().split(",") if n.strip())
        return PlanRequest(
            names, self.overlap.value() / 100, self.coders.value(), self.seed.value()
        )

    def update_preview(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            preview = plan_project(
                self.project, self.request(), articles=self.articles.text(), write=False
            )
        except AnnotatorError as exc:
            self.preview = None
            self.table.setRowCount(0)
            self._say(str(exc), error=True)
            ok.setEnabled(False)
            return
        self.preview = preview
        names = preview.request.annotators
        self.table.setRowCount(len(names))
        for row, name in enumerate(names):
            values = (name, preview.assigned.get(name, 0), preview.new.get(name, 0))
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        lonely = [f"{a}+{b}" for a, b in combinations(names, 2)
                  if not preview.pairs.get((min(a, b), max(a, b)))]  # fmt: skip
        text = (
            f"{preview.articles_added} article(s) to plan, {preview.overlap_added} of them for "
            f"{preview.request.coders_per_overlap} coders. The plan then covers "
            f"{preview.articles_planned} article(s), {preview.overlap_planned} coded several "
            "times. Work already planned stays where it is."
        )
        if lonely and preview.request.overlap > 0 and len(names) > 1:
            text += f" No shared article yet (no kappa) for: {', '.join(lonely)}."
        self._say(text)
        ok.setEnabled(preview.articles_added > 0)

    def _say(self, text: str, *, error: bool = False) -> None:
        """The message under the form; an error in red (plain text: it may quote names)."""
        self.message.setStyleSheet("color: #c0392b;" if error else "")
        self.message.setText(text)

    def _plan(self) -> None:
        try:
            self.planned = plan_project(
                self.project, self.request(), articles=self.articles.text(), write=True
            )
        except AnnotatorError as exc:
            self._say(str(exc), error=True)
            return
        self.accept()
