"""The lead's agreement view: figures per target, a kappa heatmap, confusion matrices and the
disagreement list with every annotator's labels side by side. The report is computed off
the GUI thread (gui.tasks). This is the only view that shows one annotator's labels to
someone else, so it is for project leads.
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.agreement import AgreementReport, agreement_report
from annotator.codebook import Codebook
from annotator.gui import theme
from annotator.gui.tasks import Task
from annotator.store.articles import load_article
from annotator.store.engine import Project
from annotator.store.labels import annotator_names, is_done, labels_for_article

_Index = QModelIndex | QPersistentModelIndex
_Role = Qt.ItemDataRole
Cells = dict[tuple[int, int], Any]
# Kappa cells from poor (<= 0) through moderate (0.4) to good (>= 0.8), in soft tints.
_HEAT = ("#c0392b", "#f1c40f", "#27ae60")


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _mix(a: QColor, b: QColor, f: float) -> QColor:
    pairs = zip((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()), strict=True)
    return QColor(*(round(x + (y - x) * f) for x, y in pairs))


def tint(hex_color: str) -> QColor:
    """A quiet cell background: a little of the colour over the base colour."""
    return _mix(QColor("#202020" if theme.is_dark() else "#ffffff"), QColor(hex_color), 0.28)


def heat_color(kappa: float | None) -> QColor | None:
    if kappa is None:
        return None
    low, mid, high = (tint(c) for c in _HEAT)
    t = min(max(kappa, 0.0), 1.0)
    return _mix(low, mid, t / 0.4) if t < 0.4 else _mix(mid, high, min((t - 0.4) / 0.4, 1))


class RowsModel(QAbstractTableModel):
    """A read-only table of display strings, with optional colours, tooltips and row data."""

    def __init__(self, parent: Any = None, *, numbers_from: int = 1) -> None:
        super().__init__(parent)
        self.numbers_from = numbers_from  # columns from here on right-align numbers
        self.set_rows([], [])

    def set_rows(self, headers: list[str], rows: list[list[str]], *, colors: Cells | None = None,
                 tips: Cells | None = None, data: list[Any] | None = None,
                 vertical: list[str] | None = None) -> None:  # fmt: skip
        self.beginResetModel()
        self.headers, self.rows, self.vertical = headers, rows, vertical
        self.colors, self.tips, self.row_data = colors or {}, tips or {}, data or []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = _Role.DisplayRole) -> Any:
        r, c = index.row(), index.column()
        if role == _Role.DisplayRole:
            return self.rows[r][c]
        if role == _Role.BackgroundRole:
            return self.colors.get((r, c))
        if role == _Role.ToolTipRole:
            return self.tips.get((r, c))
        numeric = c >= self.numbers_from and self.rows[r][c][:1] in "0123456789-–—"
        if role == _Role.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == _Role.UserRole and r < len(self.row_data):
            return self.row_data[r]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != _Role.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return self.vertical[section] if self.vertical else None


def _table(model: RowsModel, *, stretch: str = "last", fit: bool = False) -> QTableView:
    """A calm read-only table; stretch the "last" column, "all" columns, or "none"."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(model.numbers_from == 0)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    mode = QHeaderView.ResizeMode
    header.setSectionResizeMode(mode.Stretch if stretch == "all" else mode.ResizeToContents)
    header.setStretchLastSection(stretch == "last")
    if fit:  # as small as its cells: no empty grid below or beside a short table
        model.modelReset.connect(lambda: _fit(view, width=stretch == "none"))
    return view


def _fit(view: QTableView, *, width: bool) -> None:
    header, rows = view.horizontalHeader(), view.verticalHeader()
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
    frame = 2 * view.frameWidth() + 2
    view.setFixedHeight(header.sizeHint().height() + rows.length() + frame)
    if width:
        side = rows.sizeHint().width() if not rows.isHidden() else 0
        view.setFixedWidth(side + header.length() + frame)


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def _box(*items: QWidget | str, vertical: bool = True, stretch: bool = True) -> QWidget:
    """Widgets (or texts, as labels) in a column or row, with free space at the end."""
    page = QWidget()
    box = QVBoxLayout(page) if vertical else QHBoxLayout(page)
    if not vertical:
        box.setContentsMargins(0, 0, 0, 0)
    for item in items:
        box.addWidget(QLabel(item) if isinstance(item, str) else item)
    if stretch:
        box.addStretch(1)
    return page


def _compute(
    project: Project, codebook: Codebook, bootstrap: int, seed: int, *_task: Any
) -> AgreementReport:
    return agreement_report(project, codebook, bootstrap=bootstrap, seed=seed)


class AgreementView(QWidget):
    """How reliably stances are coded; double-click a disagreement to see its article."""

    open_article = Signal(int)
    report_ready = Signal(object)  # the AgreementReport, once shown

    def __init__(
        self,
        project: Project,
        codebook: Codebook,
        parent: QWidget | None = None,
        *,
        bootstrap: int = 1000,
        seed: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement between annotators")
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        for keys in ("Esc", "Ctrl+W"):  # a window of its own closes like one
            close = QShortcut(QKeySequence(keys), self, self.close)
            close.setContext(Qt.ShortcutContext.WindowShortcut)
        self.project, self.codebook, self.bootstrap, self.seed = project, codebook, bootstrap, seed
        self.report: AgreementReport | None = None
        self.task: Task | None = None
        self._stance = {s.id: s for s in codebook.stances}
        self._names: dict[str | None, str] = {s: s for s in self._stance} | {None: "not finished"}
        self._target = {t.id: t.short_label for t in codebook.targets} | {"overall": "Overall"}

        self.summary = QLabel("Computing agreement…")
        self.recompute = QPushButton("Recompute")
        self.recompute.clicked.connect(self.refresh)
        self.figures, self.people, self.disagreements, self.side, self.pairs, self.confusion = (
            RowsModel(self, numbers_from=n) for n in (1, 1, 1, 1, 0, 0)
        )
        self.figures_view = _table(self.figures, stretch="all", fit=True)
        self.heatmap = _table(self.pairs, stretch="none", fit=True)
        self.people_view = _table(self.people, stretch="none", fit=True)
        self.confusion_view = _table(self.confusion, stretch="none", fit=True)
        self.disagreement_view, self.side_view = _table(self.disagreements), _table(self.side)
        self.disagreement_view.doubleClicked.connect(self._open)
        self.notes = _muted()
        self.scope, self.first, self.second = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.scope, self.first, self.second):
            combo.currentIndexChanged.connect(self._show_pairs)
        self.side_title = QLabel("Double-click a disagreement to see all labels of its article.")
        self.side_title.setWordWrap(True)

        explain = _muted(
            "A unit is an actor on a target in an article; annotators who finished the article "
            "and left it empty count as “no stance”. Ordinal alpha uses the stances only. "
            "Gwet's AC1 is shown because kappa and alpha drop when one category dominates."
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.disagreement_view)
        hint = _muted("Hover a label for its evidence and note.")
        split.addWidget(_box(self.side_title, self.side_view, hint, stretch=False))
        split.setSizes([620, 460])
        self.tabs = QTabWidget()
        self.tabs.addTab(_box(self.figures_view, self.notes, explain), "Figures")
        self.tabs.addTab(
            _box(
                _box("Scope:", self.scope, vertical=False),
                "Cohen's kappa of every pair of annotators", self.heatmap, self.people_view,
                _box("Confusion matrix, rows:", self.first, "columns:", self.second,
                     vertical=False),
                self.confusion_view,
            ),
            "Annotators",
        )  # fmt: skip
        self.tabs.addTab(split, "Disagreements")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.recompute)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.resize(1100, 660)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the report in the background; the window stays responsive."""
        if self.task is not None and self.task.running:
            return
        self.summary.setText("Computing agreement…")
        self.recompute.setEnabled(False)
        work = partial(_compute, self.project, self.codebook, self.bootstrap, self.seed)
        self.task = Task(self, work, title="Computing agreement", show_progress=False)
        self.task.done.connect(self._finished)

    def _finished(self, report: AgreementReport | None) -> None:
        self.recompute.setEnabled(True)
        if report is None:
            return self.summary.setText("The agreement could not be computed.")
        self.show_report(report)

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        o = report.overall
        self.summary.setText(
            f"{_count(len(report.annotators), 'annotator')} · "
            f"{_count(o.units, 'unit')} coded by two or more · "
            f"{_count(len(report.disagreements), 'disagreement')} · "
            f"nominal alpha {_num(o.alpha_nominal)}"
        )
        self._show_figures(report)
        scopes = [s.scope for s in report.scopes]
        for combo, items in ((self.scope, scopes), (self.first, report.annotators),
                             (self.second, report.annotators)):  # fmt: skip
            combo.blockSignals(True)
            current = combo.currentData()
            combo.clear()
            for item in items:
                combo.addItem(self._target.get(item, item), item)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        if self.second.currentIndex() == self.first.currentIndex() and self.second.count() > 1:
            self.second.setCurrentIndex(1 if self.first.currentIndex() == 0 else 0)
        self._show_pairs()
        self._show_disagreements(report)
        self.report_ready.emit(report)

    def _show_figures(self, report: AgreementReport) -> None:
        headers = ["Scope", "Units", "Coders", "α nominal", "95% CI", "α ordinal (units)",
                   "Fleiss κ", "Agreement", "Gwet AC1"]  # fmt: skip
        rows, notes = [], list(report.notes)
        for s in report.scopes:
            ci = s.alpha_nominal_ci
            rows.append([
                self._target.get(s.scope, s.scope), str(s.units), str(s.coders),
                _num(s.alpha_nominal), f"{ci[0]:.2f} – {ci[1]:.2f}" if ci else "–",
                f"{_num(s.alpha_ordinal)} ({s.ordinal_units})", _num(s.fleiss_kappa),
                _pct(s.percent_agreement), _num(s.gwet_ac1) + (" !" if s.dominant else ""),
            ])  # fmt: skip
            notes += [f"{rows[-1][0]}: {n}" for n in s.notes]
        self.figures.set_rows(headers, rows)
        self.notes.setText("\n".join(notes))

    def _show_pairs(self) -> None:
        if (report := self.report) is None:
            return
        scope = report.scope(self.scope.currentData() or "overall")
        names = report.annotators
        pairs = {(p.annotator_a, p.annotator_b): p for p in scope.pairs}
        pairs |= {(p.annotator_b, p.annotator_a): p for p in scope.pairs}
        rows: list[list[str]] = []
        colors: dict[tuple[int, int], QColor | None] = {}
        tips: dict[tuple[int, int], str] = {}
        for r, a in enumerate(names):
            rows.append([])
            for c, b in enumerate(names):
                p = pairs.get((a, b))
                rows[-1].append("—" if p is None else _num(p.cohen_kappa))
                if p is not None:
                    colors[(r, c)] = heat_color(p.cohen_kappa)
                    tips[(r, c)] = (
                        f"{a} and {b}: {p.units} units, agreement {_pct(p.percent_agreement)}, "
                        f"linear κ {_num(p.cohen_kappa_linear)}, AC1 {_num(p.gwet_ac1)}"
                    )
        self.pairs.set_rows(list(names), rows, colors=colors, tips=tips, vertical=list(names))
        self.people.set_rows(
            ["Annotator", "Articles done", "Units", "Agrees with others", "Mean κ"],
            [[p.name, str(p.articles_done), str(p.units), _pct(p.agreement),
              _num(p.mean_kappa)] for p in report.per_annotator],
        )  # fmt: skip
        a, b = self.first.currentData(), self.second.currentData()
        pair, labels = pairs.get((a, b)), [self._label(c) for c in report.categories]
        if pair is None:
            return self.confusion.set_rows([], [])
        matrix = pair.confusion
        if pair.annotator_a != a:
            matrix = [list(col) for col in zip(*matrix, strict=True)]
        self.confusion.set_rows(labels, [[str(n) for n in row] for row in matrix], vertical=labels)

    def _label(self, category: str | None) -> str:
        """Stance id, "no stance" (done, left empty) or "not finished" (None: not done)."""
        return self._names.get(category, "no stance")

    def _tint(self, category: str | None) -> QColor | None:
        stance = self._stance.get(category or "")
        return tint(stance.color) if stance else None

    def _show_disagreements(self, report: AgreementReport) -> None:
        rows, tips, colors = [], {}, {}
        for r, d in enumerate(report.disagreements):
            rows.append([d.title or d.external_id, d.actor, self._target.get(d.target, d.target),
                         *(self._label(d.labels.get(n)) for n in report.annotators)])  # fmt: skip
            tips[(r, 0)] = f"{d.external_id}: {d.title}"
            for c, name in enumerate(report.annotators, start=3):
                colors[(r, c)] = self._tint(d.labels.get(name))
                lines = [f"„{e}“" for e in d.evidence.get(name, [])]
                lines += [f"Note: {d.notes[name]}"] if name in d.notes else []
                if lines:
                    tips[(r, c)] = "\n".join(lines)
        heads = ["Article", "Actor", "Target", *report.annotators]
        self.disagreements.set_rows(
            heads, rows, tips=tips, colors=colors, data=report.disagreements
        )

    def _open(self, index: QModelIndex) -> None:
        d = self.disagreements.data(index, _Role.UserRole)
        if d is not None:
            self.show_article(d.article_id, focus=(d.actor, d.target))
            self.open_article.emit(d.article_id)

    def show_article(self, article_id: int, focus: tuple[str, str] | None = None) -> None:
        """Every annotator's labels in one article, side by side (one row per unit)."""
        article = load_article(self.project, article_id)
        labels = labels_for_article(self.project, article_id)
        ids = {name: aid for aid, name in annotator_names(self.project).items()}
        coders = set(self.report.annotators) if self.report else set()
        names = sorted({lab.annotator for lab in labels} | coders)
        done = {n: is_done(self.project, article_id, ids[n]) for n in names if n in ids}
        units = sorted({(lab.actor, lab.target) for lab in labels})
        by = {(lab.actor, lab.target, lab.annotator): lab for lab in labels}
        rows, tips, colors = [], {}, {}
        for r, (actor, target) in enumerate(units):
            rows.append([actor, self._target.get(target, target)])
            for c, name in enumerate(names, start=2):
                lab = by.get((actor, target, name))
                stance = lab.state.stance if lab else None
                rows[-1].append(self._label(stance or "") if stance or done.get(name) else "–")
                colors[(r, c)] = self._tint(stance)
                if lab is not None:
                    lines = [f"„{article.text[a:b]}“" for a, b in lab.state.evidence]
                    lines += [f"Note: {lab.state.note}"] if lab.state.note else []
                    tips[(r, c)] = "\n".join(lines) or None
        heads = [n if done.get(n) else f"{n} (not done)" for n in names]
        self.side.set_rows(["Actor", "Target", *heads], rows, colors=colors, tips=tips)
        finished = ", ".join(n for n in names if done.get(n)) or "nobody yet"
        self.side_title.setText(
            f"<b>{escape(article.title)}</b> ({escape(article.external_id)})<br>"
            f"All annotators' labels · marked done by {escape(finished)}"
        )
        if focus in units:
            self.side_view.selectRow(units.index(focus))
