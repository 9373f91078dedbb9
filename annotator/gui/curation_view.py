"""The curation window (View › Curate, Ctrl+Shift+C): from the annotators' versions to gold.

A thin layer over annotator.curation.CurationSession: for one article, every unit (actor ×
target) with each done annotator's version side by side and the gold column, disagreeing
units first; the article text marks the focused unit's evidence per annotator. Everything
is keyboard-first, like labelling (the keys are listed at the bottom of the window and in
the README). Every decision is written at once, with its provenance, and can be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.curation import CurationSession, article_states
from annotator.curation.units import ArticleCuration, CurationUnit
from annotator.gui import theme
from annotator.gui.article_view import ArticleTextView
from annotator.gui.errors import guarded
from annotator.store.articles import load_article
from annotator.store.engine import Project
from annotator.store.labels import CellKey, CellState

# Colours of the annotators' evidence in the text (the gold evidence is underlined).
_ANNOTATOR_COLORS = ("#ffd8a8", "#b2f2bb", "#a5d8ff", "#eebefa", "#ffec99", "#c3fae8")
_DARK_ANNOTATOR_COLORS = ("#7a4a1a", "#245c2c", "#1f4d73", "#5c2b66", "#6b5b12", "#1e5b50")

# Key, what it does: the footer, and a test checks each is wired.
KEYS: tuple[tuple[str, str], ...] = (
    ("J / K", "next / previous unit"),
    ("Space", "next undecided unit"),
    ("1…9", "accept annotator k's version"),
    ("F / A / N", "gold stance"),
    ("0", "decide 'no stance'"),
    ("Del", "take the decision back"),
    ("E", "attach the selected text to gold"),
    ("P / Shift+P", "pre-merge: complete / incomplete agreement"),
    ("Ctrl+Enter", "curated, next ready article"),
    ("[ / ]", "previous / next article"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
)


def _stance_text(state: CellState) -> str:
    text = state.stance or ("no stance" if state.is_empty else "(no stance)")
    if state.evidence:
        text += f"  ❝{len(state.evidence)}"
    if state.note:
        text += "  ✎"
    return text


class CurationWindow(QWidget):
    def __init__(
        self,
        project: Project,
        codebook: Codebook,
        curator_id: int,
        parent: QWidget | None = None,
        *,
        article_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("Curation — from disagreement to gold")
        self.setObjectName("curationWindow")
        self.project, self.codebook = project, codebook
        self.session = CurationSession(project, codebook, curator_id)
        self.session.on_change = lambda _change: self._refresh()
        self.view: ArticleCuration | None = None
        self.article_id: int | None = None
        self._stance_keys = {s.key.upper(): s.id for s in codebook.stances if s.key}

        self.articles = QListWidget()
        self.articles.setObjectName("curationArticles")
        self.articles.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.articles.currentItemChanged.connect(self._chosen)
        self.anonymous = QCheckBox("Anonymous (Annotator 1, 2…)")
        self.anonymous.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.anonymous.toggled.connect(lambda _on: self._refresh())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Articles with done annotators"))
        left_layout.addWidget(self.articles, 1)
        left_layout.addWidget(self.anonymous)

        self.text = ArticleTextView(codebook)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.title.setFont(font)
        self.state_label = QLabel()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(4, 0, 4, 0)
        center_layout.addWidget(self.title)
        center_layout.addWidget(self.state_label)
        center_layout.addWidget(self.text, 1)

        self.units = QTableWidget()
        self.units.setObjectName("curationUnits")
        self.units.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units.verticalHeader().hide()
        self.units.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.units.currentCellChanged.connect(lambda *_: self._show_unit())
        self.details = QTextBrowser()
        self.details.setObjectName("curationDetails")
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.units, 3)
        right_layout.addWidget(self.details, 2)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (left, center, right):
            splitter.addWidget(widget)
        splitter.setSizes([240, 620, 640])
        self.footer = QLabel("   ".join(f"<b>{k}</b> {what}" for k, what in KEYS))
        self.footer.setWordWrap(True)
        self.status = QLabel("")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.footer, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status)
        self._actions: dict[str, QAction] = {}
        self._build_keys()
        self.resize(1500, 880)
        self.reload_articles(select=article_id)

    # ------------------------------------------------------------ keys

    def _key(self, name: str, keys: tuple[str, ...], slot: Callable[[], Any]) -> None:
        action = QAction(name, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)
        self._actions[name] = action

    def _build_keys(self) -> None:
        self._key("next_unit", ("J",), lambda: self._move(1))
        self._key("prev_unit", ("K",), lambda: self._move(-1))
        self._key("next_open", ("Space",), self.next_open)
        for k in range(1, 10):
            self._key(f"accept_{k}", (str(k),), partial(self.accept, k))
        for key, stance in self._stance_keys.items():
            self._key(f"stance_{stance}", (key,), partial(self.set_stance, stance))
        self._key("no_stance", ("0",), lambda: self.set_stance(None))
        self._key("take_back", ("Del", "Backspace"), self.take_back)
        self._key("attach", ("E",), self.attach)
        self._key("premerge_complete", ("P",), lambda: self.premerge("complete"))
        self._key("premerge_incomplete", ("Shift+P",), lambda: self.premerge("incomplete"))
        self._key("curated_next", ("Ctrl+Return", "Ctrl+Enter"), self.curated_and_next)
        self._key("next_article", ("]",), lambda: self._step_article(1))
        self._key("prev_article", ("[",), lambda: self._step_article(-1))
        self._key("undo", ("Ctrl+Z",), self.undo)
        self._key("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), self.redo)
        self._key("close", ("Esc", "Ctrl+W"), self.close)

    # ------------------------------------------------------------ articles

    def reload_articles(self, select: int | None = None) -> None:
        """The articles at least one annotator marked done, with their curation badge."""
        from sqlmodel import col
        from sqlmodel import select as sm_select

        from annotator.store.models import Article, ArticleDone

        with self.project.session() as s:
            rows = s.exec(
                sm_select(Article.id, Article.title)
                .where(col(Article.id).in_(sm_select(ArticleDone.article_id).distinct()))
                .order_by(col(Article.id))
            ).all()
        states = article_states(self.project, [int(i) for i, _ in rows])  # type: ignore[arg-type]
        self.articles.blockSignals(True)
        self.articles.clear()
        for article_id, title in rows:
            state = states.get(int(article_id))  # type: ignore[arg-type]
            badge = state.badge if state else ""
            item = QListWidgetItem(f"{title}  —  {badge}")
            item.setData(Qt.ItemDataRole.UserRole, int(article_id))  # type: ignore[arg-type]
            self.articles.addItem(item)
        self.articles.blockSignals(False)
        target = select if select is not None else self.article_id
        index = next(
            (i for i in range(self.articles.count())
             if self.articles.item(i).data(Qt.ItemDataRole.UserRole) == target),
            0 if self.articles.count() else -1,
        )  # fmt: skip
        if index >= 0:
            self.articles.setCurrentRow(index)
            self.open_article(self.articles.item(index).data(Qt.ItemDataRole.UserRole))
        else:
            self.status.setText("No article has an annotator who marked it done yet.")

    def _chosen(self, current: QListWidgetItem | None, _previous: Any) -> None:
        if current is not None:
            self.open_article(current.data(Qt.ItemDataRole.UserRole))

    @guarded
    def open_article(self, article_id: int) -> None:
        self.article_id = article_id
        self.text.show_article(load_article(self.project, article_id))
        self._refresh(keep_unit=False)
        self.units.setFocus()

    def _step_article(self, step: int) -> None:
        row = self.articles.currentRow() + step
        if 0 <= row < self.articles.count():
            self.articles.setCurrentRow(row)

    # ------------------------------------------------------------ showing

    def _names(self, view: ArticleCuration) -> dict[str, str]:
        """Display names: real ones, or Annotator 1, 2… in a fixed order when anonymous."""
        if not self.anonymous.isChecked():
            return {name: name for name in view.coders}
        return {name: f"Annotator {i}" for i, name in enumerate(view.coders, start=1)}

    def _refresh(self, keep_unit: bool = True) -> None:
        if self.article_id is None:
            return
        current = self.current_unit()
        view = self.session.article(self.article_id)
        self.view = view
        names = self._names(view)
        self.title.setText(view.title)
        waiting = f" · not done yet: {', '.join(view.in_progress)}" if view.in_progress else ""
        self.state_label.setText(
            f"{view.badge} · {len(view.units)} units, {view.open_units} undecided · "
            f"coders: {', '.join(names[c] for c in view.coders) or 'none'}{waiting}"
        )
        headers = ["Actor", "Target", *(names[c] for c in view.coders), "Gold"]
        self.units.setColumnCount(len(headers))
        self.units.setHorizontalHeaderLabels(headers)
        self.units.setRowCount(len(view.units))
        targets = {t.id: t.short_label for t in self.codebook.targets}
        for r, unit in enumerate(view.units):
            cells = [unit.actor, targets.get(unit.target, unit.target)]
            for coder in view.coders:
                version = unit.version(coder)
                cells.append(_stance_text(version.state) if version else "—")
            gold = _stance_text(unit.gold) if unit.decided else "· undecided"
            if unit.origin is not None:
                gold += f"  ({unit.origin.describe()})"
            cells.append(gold)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if unit.agreed:
                    item.setForeground(QColor(theme.boilerplate_color()))
                    item.setToolTip("everyone agrees")
                self.units.setItem(r, c, item)
            first = self.units.item(r, 0)
            if unit.agreed and first is not None:
                first.setText(f"✓ {unit.actor}")
        row = 0
        if keep_unit and current is not None:
            row = next((i for i, u in enumerate(view.units) if u.key == current.key), 0)
        if view.units:
            self.units.setCurrentCell(row, 0)
        self._show_unit()
        self.reload_badge()

    def reload_badge(self) -> None:
        item = self.articles.currentItem()
        if item is None or self.view is None:
            return
        title = item.text().rsplit("  —  ", 1)[0]
        item.setText(f"{title}  —  {self.view.badge}")

    def current_unit(self) -> CurationUnit | None:
        if self.view is None:
            return None
        row = self.units.currentRow()
        return self.view.units[row] if 0 <= row < len(self.view.units) else None

    def _show_unit(self) -> None:
        unit = self.current_unit()
        if unit is None or self.view is None:
            self.details.setHtml("")
            self.text.setExtraSelections([])
            return
        names = self._names(self.view)
        colors = _DARK_ANNOTATOR_COLORS if theme.is_dark() else _ANNOTATOR_COLORS
        text = self.text.article.text if self.text.article else ""
        spans: list[tuple[int, int, QTextCharFormat]] = []
        parts = [f"<h3>{unit.actor} · {unit.target}</h3>"]
        for i, version in enumerate(unit.versions, start=1):
            color = colors[(i - 1) % len(colors)]
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(color))
            spans += [(a, b, fmt) for a, b in version.state.evidence]
            quotes = "".join(
                f"<li>„{' '.join(text[a:b].split())[:200]}“</li>" for a, b in version.state.evidence
            )
            note = f"<br><i>{version.state.note}</i>" if version.state.note else ""
            parts.append(
                f"<p><span style='background:{color}'>&nbsp;{i}&nbsp;</span> "
                f"<b>{names.get(version.annotator, version.annotator)}</b>: "
                f"{_stance_text(version.state)}{note}</p><ul>{quotes}</ul>"
            )
        gold_fmt = QTextCharFormat()
        gold_fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        gold_fmt.setFontWeight(700)
        spans += [(a, b, gold_fmt) for a, b in unit.gold.evidence]
        origin = f" ({unit.origin.describe()})" if unit.origin else ""
        parts.append(
            f"<p><b>Gold</b>: {_stance_text(unit.gold) if unit.decided else 'undecided'}"
            f"{origin}</p>"
        )
        self.details.setHtml("".join(parts))
        self.text.show_spans(spans)

    # ------------------------------------------------------------ decisions

    def _key_of_current(self) -> CellKey | None:
        unit = self.current_unit()
        if unit is None:
            self.status.setText("No unit chosen.")
        return None if unit is None else unit.key

    def _move(self, step: int) -> None:
        if self.view and self.view.units:
            row = max(0, min(len(self.view.units) - 1, self.units.currentRow() + step))
            self.units.setCurrentCell(row, 0)

    def next_open(self) -> None:
        """Space: the next undecided unit (disagreeing ones come first)."""
        if self.view is None:
            return
        start = self.units.currentRow()
        order = list(range(start + 1, len(self.view.units))) + list(range(0, start + 1))
        for row in order:
            if not self.view.units[row].decided:
                self.units.setCurrentCell(row, 0)
                return
        self.status.setText("Every unit is decided: Ctrl+Enter marks the article curated.")

    @guarded
    def accept(self, k: int) -> None:
        unit = self.current_unit()
        if unit is None or k > len(unit.versions):
            self.status.setText(f"There is no annotator {k} here.")
            return
        self.session.accept(unit.key, unit.versions[k - 1].annotator_id)
        self._after_decision()

    @guarded
    def set_stance(self, stance: str | None) -> None:
        key = self._key_of_current()
        if key is not None:
            self.session.set_stance(key, stance)
            self._after_decision()

    @guarded
    def take_back(self) -> None:
        key = self._key_of_current()
        if key is not None:
            self.session.clear(key)

    @guarded
    def attach(self) -> None:
        key = self._key_of_current()
        span = self.text.selected_span()
        if key is None:
            return
        if span is None:
            self.status.setText("Select the evidence in the article text first.")
            return
        self.session.add_evidence(key, *span)

    def _after_decision(self) -> None:
        """After a decision the next undecided unit comes up, as in labelling's flow."""
        self.next_open()

    @guarded
    def premerge(self, strategy: str) -> None:
        if self.article_id is None:
            return
        summary = self.session.premerge(self.article_id, strategy)
        self.status.setText(summary.summary())

    @guarded
    def curated_and_next(self) -> None:
        if self.article_id is None:
            return
        self.session.finish(self.article_id)
        self.status.setText("Curated.")
        for row in range(self.articles.currentRow() + 1, self.articles.count()):
            if "curated" not in self.articles.item(row).text().rsplit("—", 1)[-1]:
                self.articles.setCurrentRow(row)
                return
        self.status.setText("Curated. No more articles to curate here.")

    @guarded
    def undo(self) -> None:
        if self.session.undo() is None:
            self.status.setText("Nothing to undo.")

    @guarded
    def redo(self) -> None:
        if self.session.redo() is None:
            self.status.setText("Nothing to redo.")
