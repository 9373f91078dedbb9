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
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.curation import CurationSession
from annotator.curation.units import ArticleCuration, CurationUnit
from annotator.gui.common.article_view import ArticleTextView, actor_kinds
from annotator.gui.common.errors import guarded
from annotator.gui.common.geometry import fit_to_screen
from annotator.gui.common.plain import plain_label
from annotator.gui.common.tasks import Changes, Follow, announce
from annotator.gui.lead.curation_articles import CurationArticles
from annotator.gui.lead.curation_details import (
    describe_origin,
    details_html,
    evidence_spans,
)
from annotator.gui.lead.curation_table import UnitsTable
from annotator.store.articles import load_article
from annotator.store.engine import Project
from annotator.store.labels import CellKey

# Key, what it does: the footer, and a test checks each is wired.
KEYS: tuple[tuple[str, str], ...] = (
    ("J / K", "next / previous unit"),
    ("D / Shift+D", "next / previous disagreement"),
    ("Space", "next undecided unit"),
    ("1…9", "accept annotator k's version"),
    ("F / A / N", "gold stance"),
    ("0", "decide 'no stance'"),
    ("Del", "take the decision back"),
    ("F6", "into the text and back (S sentence, Shift+arrows grow)"),
    ("E", "attach the selected text to gold"),
    ("P / Shift+P", "pre-merge: complete / incomplete agreement"),
    ("Ctrl+Enter", "curated, next article to curate"),
    ("Ctrl+R", "reopen a curated article"),
    ("[ / ]", "previous / next article"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
)


class CurationWindow(QWidget):
    """One article at a time; every key acts on the focused unit (see KEYS)."""

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
        self.session.on_change = self._changed
        self.view: ArticleCuration | None = None
        self.article_id: int | None = None
        self._stance_keys = {s.key.upper(): s.id for s in codebook.stances if s.key}

        self.articles = CurationArticles()
        self.articles.currentRowChanged.connect(self._chosen)
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
        self.text.actor_kinds = actor_kinds(project)
        self.title = plain_label()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.title.setFont(font)
        self.state_label = plain_label()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(4, 0, 4, 0)
        center_layout.addWidget(self.title)
        center_layout.addWidget(self.state_label)
        center_layout.addWidget(self.text, 1)

        self.units = UnitsTable(codebook)
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
        self.splitter = splitter  # its widths are remembered (desk/lead_commands.py)
        self.footer = QLabel("   ".join(f"<b>{k}</b> {what}" for k, what in KEYS))
        self.footer.setWordWrap(True)
        self.status = plain_label("")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.footer, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status)
        self._actions: dict[str, QAction] = {}
        self._build_keys()
        self.follow = Follow(self, Changes.LABELS | Changes.ARTICLES, self._others_changed)
        fit_to_screen(self, 1500, 880)
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
        self._key("next_unit", ("J",), lambda: self.units.step(1))
        self._key("prev_unit", ("K",), lambda: self.units.step(-1))
        self._key("next_open", ("Space",), self.next_open)
        self._key("next_disagreement", ("D",), lambda: self.next_disagreement(1))
        self._key("prev_disagreement", ("Shift+D",), lambda: self.next_disagreement(-1))
        self._key("focus_text", ("F6",), self.toggle_text_focus)
        self._key("select_sentence", ("S",), self.select_sentence)
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
        self._key("reopen", ("Ctrl+R",), self.reopen)
        self._key("next_article", ("]",), lambda: self.articles.step(1))
        self._key("prev_article", ("[",), lambda: self.articles.step(-1))
        self._key("undo", ("Ctrl+Z",), self.undo)
        self._key("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), self.redo)
        self._key("close", ("Esc", "Ctrl+W"), self.close)

    # ------------------------------------------------------------ articles

    def reload_articles(self, select: int | None = None) -> None:
        """The articles at least one annotator marked done, with their curation badge."""
        current = self.articles.reload(self.project, select if select is not None
                                       else self.article_id)  # fmt: skip
        if current is not None:
            self.open_article(current)
        else:
            self.status.setText("No article has an annotator who marked it done yet.")

    def _chosen(self, row: int) -> None:
        article_id = self.articles.article_at(row)
        if article_id is not None:
            self.open_article(article_id)

    @guarded
    def open_article(self, article_id: int) -> None:
        self.article_id = article_id
        self.text.show_article(load_article(self.project, article_id))
        self._refresh(keep_unit=False)
        self.units.setFocus()

    # ------------------------------------------------------------ showing

    def _names(self, view: ArticleCuration) -> dict[str, str]:
        """Display names: real ones, or Annotator 1, 2… in a fixed order when anonymous."""
        if not self.anonymous.isChecked():
            return {name: name for name in view.coders}
        return {name: f"Annotator {i}" for i, name in enumerate(view.coders, start=1)}

    def _refresh(self, keep_unit: bool = True) -> None:
        if self.article_id is None:
            return
        view = self.session.article(self.article_id)
        self.view = view
        names = self._names(view)
        self.title.setText(view.title)
        waiting = ""
        if view.in_progress:  # not shown; named only when curating with names
            who = (f"{len(view.in_progress)} annotator(s)" if self.anonymous.isChecked()
                   else ", ".join(view.in_progress))  # fmt: skip
            waiting = f" · not done yet: {who}"
        self.state_label.setText(
            f"{view.badge} · {len(view.units)} units, {view.open_units} undecided · "
            f"coders: {', '.join(names[c] for c in view.coders) or 'none'}{waiting}"
        )
        self.units.show_units(view, names, keep=keep_unit, anonymous=self.anonymous.isChecked())
        self._show_unit()
        self.articles.set_badge(view.badge)

    def current_unit(self) -> CurationUnit | None:
        return self.units.current_unit()

    def _show_unit(self) -> None:
        unit = self.current_unit()
        if unit is None or self.view is None:
            self.details.setHtml("")
            self.text.setExtraSelections([])
            return
        names = self._names(self.view)
        text = self.text.article.text if self.text.article else ""
        target = self.units.target_label(unit.target)
        self.details.setHtml(
            details_html(
                f"{unit.actor} · {target}",
                [(names.get(v.annotator, v.annotator), v.state) for v in unit.versions],
                unit.gold if unit.decided else None,
                describe_origin(unit.origin, names, anonymous=self.anonymous.isChecked()),
                text,
            )
        )
        self.text.show_spans(evidence_spans([v.state for v in unit.versions], unit.gold))

    # ------------------------------------------------------------ decisions

    def _key_of_current(self) -> CellKey | None:
        unit = self.current_unit()
        if unit is None:
            self.status.setText("No unit chosen.")
        return None if unit is None else unit.key

    def next_open(self) -> None:
        """Space: the next undecided unit (disagreeing ones come first)."""
        if not self.units.go_to(lambda u: not u.decided, 1):
            self.status.setText("Every unit is decided: Ctrl+Enter marks the article curated.")

    def next_disagreement(self, step: int) -> None:
        """D / Shift+D: the next (previous) unit where the done annotators disagree,
        decided or not, to review the decisions that matter."""
        if not self.units.go_to(lambda u: not u.agreed, step):
            self.status.setText("The annotators agree on every unit of this article.")

    def toggle_text_focus(self) -> None:
        """F6: into the article text (the cursor at the focused unit's first evidence, so S
        selects that sentence) and back to the units."""
        if self.text.hasFocus():
            self.units.setFocus()
            return
        unit = self.current_unit()
        spans = sorted(e for v in unit.versions for e in v.state.evidence) if unit else []
        if spans:
            cursor = self.text.textCursor()
            cursor.setPosition(self.text.map.to_qt(spans[0][0]))
            self.text.setTextCursor(cursor)
        self.text.setFocus()

    def select_sentence(self) -> None:
        """S: select the sentence at the text cursor (E then attaches it)."""
        if not self.text.select_sentence_at(self.text.cursor_offset()):
            self.status.setText("No sentence at the text cursor (F6 moves into the text).")

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
        """Ctrl+Enter: mark the article curated and open the next one to curate (ready or
        in curation, after this one, wrapping). With units still open, go to the first."""
        if self.article_id is None or self.view is None:
            return
        if self.view.open_units:
            self.status.setText(
                f"{self.view.open_units} unit(s) still undecided: decide them first "
                "(0 decides 'no stance', P pre-merges where the annotators agree)."
            )
            self.units.setCurrentCell(-1, -1)
            self.next_open()
            return
        self.session.finish(self.article_id)
        row = self.articles.next_to_curate()
        if row is None:
            self.status.setText("Curated. No other article is ready for curation.")
            return
        self.articles.setCurrentRow(row)
        self.status.setText("Curated. Next article to curate.")

    @guarded
    def reopen(self) -> None:
        """Ctrl+R: un-curate the article, so its gold can change again (an undo step)."""
        if self.article_id is not None:
            self.session.reopen(self.article_id)
            self.status.setText("Reopened: the gold labels of this article can change again.")

    @guarded
    def undo(self) -> None:
        if self.session.undo() is None:
            self.status.setText("Nothing to undo.")

    @guarded
    def redo(self) -> None:
        if self.session.redo() is None:
            self.status.setText("Nothing to redo.")

    def _changed(self, _change: object) -> None:
        """A decision, undo, pre-merge or state change here: this window anew, and every
        other view that shows gold or curation states (the main window's Team column)."""
        self._refresh()
        announce(self, Changes.GOLD)

    def _others_changed(self) -> None:
        """Labels or done marks changed elsewhere (the main window, a merge): the articles
        to curate and the open article's versions anew, on the same unit."""
        current = self.articles.reload(self.project, self.article_id)
        if current is None:
            self.status.setText("No article has an annotator who marked it done yet.")
        elif current != self.article_id:
            self.open_article(current)
        else:
            self._refresh()
