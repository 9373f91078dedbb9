"""The lead's agreement view: figures per target, a kappa heatmap, confusion matrices and the
disagreement list with every annotator's labels side by side. The report is computed off
the GUI thread (gui/common/tasks.py). This is the only view that shows one annotator's
labels to someone else, so it is for project leads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.agreement import AgreementReport, agreement_report
from annotator.agreement.gold import GoldReport, gold_report
from annotator.codebook import Codebook
from annotator.errors import Cancelled
from annotator.gui.common.geometry import fit_to_screen
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
from annotator.gui.common.tasks import Changes, Follow, Recompute
from annotator.gui.lead.gold_tab import GoldTab
from annotator.store.annotators import annotator_names
from annotator.store.articles import load_article
from annotator.store.engine import Project
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import is_done


def _compute(
    project: Project,
    codebook: Codebook,
    bootstrap: int,
    seed: int,
    _progress: Any,
    cancelled: Callable[[], bool],
) -> tuple[AgreementReport, GoldReport]:
    """Both reports in one worker run: between annotators, and each against gold. A close
    is answered between the two (the reports themselves cannot be interrupted)."""
    report = agreement_report(project, codebook, bootstrap=bootstrap, seed=seed)
    if cancelled():
        raise Cancelled("the agreement view was closed")
    return report, gold_report(project, codebook)


class AgreementView(QWidget):
    """How reliably stances are coded; double-click a disagreement to see its article."""

    open_article = Signal(int)
    report_ready = Signal(object)  # the AgreementReport, once shown
    gold_ready = Signal(object)  # the GoldReport (each annotator against gold), once shown

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
        # Stopped and waited for when the view closes (gui/common/tasks.py).
        self.computation = Recompute(
            self,
            "Computing agreement",
            lambda: partial(_compute, self.project, self.codebook, self.bootstrap, self.seed),
            self._finished,
        )
        # Labels change beside it (the window, a merge): recomputed once they pause.
        self.follow = Follow(self, Changes.LABELS | Changes.GOLD | Changes.ARTICLES, self.refresh)
        self._stance = {s.id: s for s in codebook.stances}
        self._names: dict[str | None, str] = {s: s for s in self._stance} | {None: "not finished"}
        self._target = {t.id: t.short_label for t in codebook.targets} | {"overall": "Overall"}

        self.summary = plain_label("Computing agreement…")
        self.recompute = QPushButton("&Recompute")
        self.recompute.clicked.connect(self.refresh)
        self.figures, self.people, self.disagreements, self.side, self.pairs, self.confusion = (
            RowsModel(self, numbers_from=n) for n in (1, 1, 1, 1, 0, 0)
        )
        self.figures_view = table(self.figures, stretch="all", fit=True)
        self.heatmap = table(self.pairs, stretch="none", fit=True)
        self.people_view = table(self.people, stretch="none", fit=True)
        self.confusion_view = table(self.confusion, stretch="none", fit=True)
        # The disagreements' title column stretches itself (_show_disagreements): Qt's
        # stretched last section would not shrink below the title's length.
        self.disagreement_view = table(self.disagreements, stretch="none")
        self.side_view = table(self.side)
        # The title (last, stretched) gives way: "Sorge um wen…sammenarbeit", no scrolling.
        self.disagreement_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.disagreement_view.horizontalHeader().setMinimumSectionSize(40)
        # A double-click or Enter (`activated` is both): keyboard-first as the window.
        self.disagreement_view.activated.connect(self._open)
        self.notes = muted()
        self.scope, self.first, self.second = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.scope, self.first, self.second):
            combo.currentIndexChanged.connect(self._show_pairs)
        self.side_title = QLabel(
            "Double-click a disagreement (or Enter) to see all labels of its article."
        )
        self.side_title.setWordWrap(True)

        explain = muted(
            "A unit is an actor on a target in an article; annotators who finished the article "
            "and left it empty count as “no stance”. Ordinal alpha uses the stances only. "
            "Gwet's AC1 is shown because kappa and alpha drop when one category dominates."
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.disagreement_view)
        hint = muted("Hover a label for its evidence and note.")
        split.addWidget(box(self.side_title, self.side_view, hint, stretch=False))
        split.setSizes([620, 460])
        self.tabs = QTabWidget()
        # Alt+F, N, D, G reach the tabs from the keyboard.
        self.tabs.addTab(box(self.figures_view, self.notes, explain), "&Figures")
        self.tabs.addTab(
            box(
                box("Scope:", self.scope, vertical=False),
                "Cohen's kappa of every pair of annotators", self.heatmap, self.people_view,
                box("Confusion matrix, rows:", self.first, "columns:", self.second,
                    vertical=False),
                self.confusion_view,
            ),
            "A&nnotators",
        )  # fmt: skip
        self.tabs.addTab(split, "&Disagreements")
        # Each annotator against gold: only when some article is curated (show_gold).
        self.gold = GoldTab(codebook)
        self.gold_index = self.tabs.addTab(self.gold, "Against &gold")
        self.tabs.setTabVisible(self.gold_index, False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.recompute)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        fit_to_screen(self, 1100, 660)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the report in the background; the window stays responsive."""
        self.summary.setText("Computing agreement…")
        self.recompute.setEnabled(False)
        self.computation.request()

    def _finished(self, reports: tuple[AgreementReport, GoldReport] | None) -> None:
        self.recompute.setEnabled(True)
        if reports is None:
            return self.summary.setText("The agreement could not be computed.")
        report, gold = reports
        self.show_gold(gold)
        self.show_report(report)

    def show_gold(self, report: GoldReport) -> None:
        """The "Against gold" tab, shown only once an article is curated."""
        self.gold.show_report(report)
        self.tabs.setTabVisible(self.gold_index, report.curated_articles > 0)
        self.gold_ready.emit(report)

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        o = report.overall
        self.summary.setText(
            f"{count(len(report.annotators), 'annotator')} · "
            f"{count(o.units, 'unit')} coded by two or more · "
            f"{count(len(report.disagreements), 'disagreement')} · "
            f"nominal alpha {num(o.alpha_nominal)}"
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
                num(s.alpha_nominal), f"{ci[0]:.2f} – {ci[1]:.2f}" if ci else "–",
                f"{num(s.alpha_ordinal)} ({s.ordinal_units})", num(s.fleiss_kappa),
                pct(s.percent_agreement), num(s.gwet_ac1) + (" !" if s.dominant else ""),
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
                rows[-1].append("—" if p is None else num(p.cohen_kappa))
                if p is not None:
                    colors[(r, c)] = heat_color(p.cohen_kappa)
                    tips[(r, c)] = (
                        f"{a} and {b}: {p.units} units, agreement {pct(p.percent_agreement)}, "
                        f"linear κ {num(p.cohen_kappa_linear)}, AC1 {num(p.gwet_ac1)}"
                    )
        self.pairs.set_rows(list(names), rows, colors=colors, tips=tips, vertical=list(names))
        self.people.set_rows(
            ["Annotator", "Articles done", "Units", "Agrees with others", "Mean κ"],
            [[p.name, str(p.articles_done), str(p.units), pct(p.agreement),
              num(p.mean_kappa)] for p in report.per_annotator],
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
        """Actor, target and each annotator's label first, where the eye compares them;
        the article's title last, cut in its middle, whole in its tooltip."""
        rows, tips, colors = [], {}, {}
        title = 2 + len(report.annotators)  # the title's column
        for r, d in enumerate(report.disagreements):
            rows.append([d.actor, self._target.get(d.target, d.target),
                         *(self._label(d.labels.get(n)) for n in report.annotators),
                         d.title or d.external_id])  # fmt: skip
            tips[(r, title)] = f"{d.title}\n{d.external_id} · Enter: all its labels"
            for c, name in enumerate(report.annotators, start=2):
                colors[(r, c)] = self._tint(d.labels.get(name))
                lines = [f"„{e}“" for e in d.evidence.get(name, [])]
                lines += [f"Note: {d.notes[name]}"] if name in d.notes else []
                if lines:
                    tips[(r, c)] = "\n".join(lines)
        heads = ["Actor", "Target", *report.annotators, "Article"]
        self.disagreements.set_rows(
            heads, rows, tips=tips, colors=colors, data=report.disagreements
        )
        # The rest fit their contents; the title takes what is left, however little.
        stretch = QHeaderView.ResizeMode.Stretch
        self.disagreement_view.horizontalHeader().setSectionResizeMode(title, stretch)

    def _open(self, index: QModelIndex) -> None:
        d = self.disagreements.data(index, Qt.ItemDataRole.UserRole)
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
