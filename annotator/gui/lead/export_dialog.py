"""File > Export: choose a format and options; the export itself runs in a worker."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.export import FORMATS, ExportOptions, default_output

_FORMAT_TEXT = {
    "documents": "documents: one line per article (spans, tokens, stances)",
    "stances": "stances: one line per actor x target (stance classification)",
    "spacy": "spacy: a DocBin (.spacy) for NER training",
}


class ExportDialog(QDialog):
    def __init__(self, annotators: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export labelled data")
        self.format = QComboBox()
        for fmt in FORMATS:
            self.format.addItem(_FORMAT_TEXT.get(fmt, fmt), fmt)
        self.labels = QComboBox()
        self.labels.addItem("every annotator (one record each)", "all")
        self.labels.addItem("majority vote", "majority")
        self.labels.addItem("unanimous only", "unanimous")
        self.annotator = QComboBox()
        self.annotator.addItem("all annotators", None)
        for name in annotators:
            self.annotator.addItem(name, name)
        self.done_only = QCheckBox("only articles marked done")
        self.split = QLineEdit(placeholderText="e.g. 80/10/10 (empty: no split)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.anonymise = QCheckBox("pseudonymise annotators")
        self.context = QComboBox()
        self.context.addItem("whole article", "article")
        self.context.addItem("2 sentences around", "window:2")
        self.path = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Format:", self.format)
        form.addRow("Labels:", self.labels)
        form.addRow("Annotator:", self.annotator)
        form.addRow("", self.done_only)
        form.addRow("Split by article:", self.split)
        form.addRow("Seed:", self.seed)
        form.addRow("Context (stances):", self.context)
        form.addRow("", self.anonymise)
        form.addRow("Write to:", path_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._default_path)
        self._default_path()
        self.resize(620, 0)

    def _default_path(self) -> None:
        self.path.setText(str(default_output(self.format.currentData())))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if path:
            self.path.setText(path)

    def values(self) -> tuple[str, str, ExportOptions]:
        options = ExportOptions(
            labels=self.labels.currentData(),
            annotator=self.annotator.currentData(),
            done_only=self.done_only.isChecked(),
            split=self.split.text().strip() or None,
            seed=self.seed.value(),
            anonymise=self.anonymise.isChecked(),
            context=self.context.currentData(),
        )
        return self.format.currentData(), self.path.text().strip(), options
