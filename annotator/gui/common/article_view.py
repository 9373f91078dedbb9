"""The article text: read-only, stored mentions highlighted by type, cue words underlined.

Positions: the store speaks Python `str` indices, Qt speaks UTF-16 units; every crossing
goes through `Utf16Map`. Highlighting is a QSyntaxHighlighter over precomputed spans
(common/span_format.py; no NLP here), so a 200 KB article is formatted block by block
without per-span relayouts. Shared by the annotator's window and the curation view.
"""

from __future__ import annotations

import time
from bisect import bisect_right

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.codebook import Codebook
from annotator.cues import CueHit, CueMatcher
from annotator.evidence import part_ends, sentence_at
from annotator.gui.common import theme
from annotator.gui.common.plain import escape
from annotator.gui.common.span_format import ArticleFormats, SpanHighlighter
from annotator.store.actors import list_actors
from annotator.store.articles import ArticleView, MentionView
from annotator.store.engine import Project
from annotator.textspans import Utf16Map


class ArticleTextView(QPlainTextEdit):
    """Shows one article. Emits the actor id of a clicked mention."""

    mention_clicked = Signal(int)
    # After another article (or none) is shown: views that depend on it update themselves.
    article_shown = Signal()

    def __init__(self, codebook: Codebook, font_size: int = 13, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("articleText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(18)
        self.setFont(theme.reading_font(font_size))
        self.setMouseTracking(True)
        self._codebook = codebook
        self._cues = CueMatcher(codebook)
        self._target_index = {t.id: i for i, t in enumerate(codebook.targets)}
        self._highlighter = SpanHighlighter(self.document())
        self.article: ArticleView | None = None
        self.map = Utf16Map("")
        self._mentions: list[MentionView] = []
        self._mention_starts: list[int] = []
        self._formats: ArticleFormats | None = None
        self._double_click = (0.0, QPoint())
        # Each actor's entity type (actor_kinds): mentions are coloured by their actor's.
        self.actor_kinds: dict[int, str] = {}

    # ------------------------------------------------------------ content

    def show_article(self, article: ArticleView) -> None:
        self.article = article
        self.map = Utf16Map(article.text)
        self._mentions = list(article.mentions)
        self._mention_starts = [m.start for m in self._mentions]
        self.setExtraSelections([])
        self._highlighter.forget()  # setPlainText formats every block it adds: with nothing
        self.setPlainText(article.text)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self._formats = ArticleFormats(article, self._cues, self.map, self._target_index,
                                       self.actor_kinds)  # fmt: skip
        self._highlighter.set_formats(self._formats, first=self._visible_blocks())
        self.article_shown.emit()

    def _visible_blocks(self) -> tuple[int, int]:
        """Block numbers from the top of the view to a screenful below it (with margin)."""
        top = self.firstVisibleBlock().blockNumber()
        lines = max(1, self.viewport().height() // max(1, self.fontMetrics().height()))
        return top, top + 2 * lines

    def clear_article(self) -> None:
        self.article = None
        self.map = Utf16Map("")
        self._mentions = []
        self._mention_starts = []
        self._highlighter.forget()
        self.setPlainText("")
        self.article_shown.emit()

    def set_font_size(self, size: int) -> None:
        self.setFont(theme.reading_font(size))

    def set_boilerplate_hidden(self, hidden: bool) -> None:
        """Collapse (or show again) the lines that are wholly boilerplate; offsets stay."""
        if self.article is None:
            return
        doc = self.document()
        to_qt = self.map.to_qt
        for a, b, *_ in self.article.boilerplate:
            block = doc.findBlock(to_qt(int(a)))
            end = to_qt(int(b))
            while block.isValid() and block.position() < end:
                inside = block.position() >= to_qt(int(a)) and (
                    block.position() + block.length() - 1 <= end
                )
                if inside:
                    block.setVisible(not hidden)
                block = block.next()
        doc.markContentsDirty(0, doc.characterCount())
        self.viewport().update()

    # ------------------------------------------------------------ selection

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as Python indices, trimmed of surrounding whitespace."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.article is None:
            return None
        a = self.map.to_py(cursor.selectionStart())
        b = self.map.to_py(cursor.selectionEnd())
        text = self.article.text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        return (a, b) if b > a else None

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def select_span(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.map.to_qt(start))
        cursor.setPosition(self.map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def show_evidence(
        self,
        spans: list[tuple[int, int]],
        focus: tuple[int, int] | None = None,
        *,
        candidate: tuple[int, int] | None = None,
        reveal: bool = True,
    ) -> None:
        """Mark the current cell's evidence and the evidence candidate on offer; scroll to
        `focus` (or, with `reveal`, the candidate) if it is not in view."""
        selections = [self._extra(a, b, self._evidence_format()) for a, b in spans]
        if candidate is not None:
            selections.append(self._extra(*candidate, self._candidate_format()))
        self.setExtraSelections(selections)
        shown = focus or (candidate if reveal else None)
        if shown is not None:
            self._reveal(*shown, move_cursor=focus is not None)

    def show_spans(self, spans: list[tuple[int, int, QTextCharFormat]]) -> None:
        """Mark spans with formats of the caller's (the curation view's per-annotator
        evidence); the text cursor goes to the first, scrolled into view."""
        self.setExtraSelections([self._extra(a, b, fmt) for a, b, fmt in spans])
        if spans:
            first = min(spans, key=lambda s: s[0])
            # Moving the cursor: restoring it afterwards would scroll back to it.
            self._reveal(first[0], first[1], move_cursor=True)

    def _extra(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = self.textCursor()
        cursor.setPosition(self.map.to_qt(start))
        cursor.setPosition(self.map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    @staticmethod
    def _evidence_format() -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(theme.evidence_color())
        return fmt

    @staticmethod
    def _candidate_format() -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(theme.candidate_color())
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(theme.candidate_line_color())
        return fmt

    def _reveal(self, start: int, end: int, *, move_cursor: bool) -> None:
        """Scroll so that text[start:end] is in view (centred when it was not)."""
        cursor = self.textCursor()
        cursor.setPosition(self.map.to_qt(start))
        top, bottom = self.cursorRect(cursor).top(), self.cursorRect(cursor).bottom()
        visible = top >= 0 and bottom <= self.viewport().height()
        if move_cursor or not visible:
            keep = self.textCursor()
            self.setTextCursor(cursor)
            if not visible:
                self.centerCursor()
            if not move_cursor:
                # Putting the cursor back scrolls back to it: keep the text where it is (an
                # offered sentence far down was marked but never shown).
                bar = self.verticalScrollBar()
                where = bar.value()
                self.setTextCursor(keep)
                bar.setValue(where)

    # ------------------------------------------------------------ hover and click

    def mention_at(self, pos: QPoint) -> MentionView | None:
        if not self._mentions:
            return None
        qpos = self.cursorForPosition(pos).position()
        index = self.map.to_py(qpos)
        i = bisect_right(self._mention_starts, index) - 1
        if i >= 0 and self._mentions[i].start <= index < self._mentions[i].end:
            return self._mentions[i]
        return None

    def cue_at(self, pos: QPoint) -> CueHit | None:
        if self._formats is None:
            return None
        cursor = self.cursorForPosition(pos)
        block = cursor.block()
        return self._formats.cue_at(
            self.map.to_py(cursor.position()), block.text(), self.map.to_py(block.position())
        )

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            m = self.mention_at(self.viewport().mapFrom(self, e.pos()))
            if m is not None:
                label = self.actor_kinds.get(m.actor_id, m.label) if m.actor_id else m.label
                kind = theme.MENTION_NAMES.get(label, label)  # the colour's name
                QToolTip.showText(
                    e.globalPos(),
                    f"<b>{escape(m.actor or 'unknown actor')}</b><br>"
                    f"{escape(kind)} · found by {escape(m.source)}",
                    self,
                )
                return True
            cue = self.cue_at(self.viewport().mapFrom(self, e.pos()))
            if cue is not None:
                target = self._codebook.target(cue.target)
                QToolTip.showText(
                    e.globalPos(), f"cue word for <b>{escape(target.label_en)}</b>", self
                )
                return True
            QToolTip.hideText()
            return True
        return super().event(e)

    # ------------------------------------------------------------ sentences

    def cursor_offset(self) -> int:
        return self.map.to_py(self.textCursor().position())

    def select_sentence_at(self, offset: int) -> bool:
        """Select the stored sentence around `offset`; False if none is known."""
        if self.article is None:
            return False
        found = sentence_at(self.article, offset)
        if found is None:
            return False
        self.select_span(*found)
        return True

    def _grow(self, forward: bool, whole_sentences: bool) -> bool:
        """Shift+arrows: move the selection's end to the next (or back to the previous)
        end of a clause, a quotation or, with whole_sentences, a sentence."""
        if self.article is None or not self.article.sentences:
            return False
        cursor = self.textCursor()
        anchor = self.map.to_py(cursor.anchor())
        end = self.map.to_py(cursor.position())
        text = self.article.text
        ends = sorted(
            {b for _, b in self.article.sentences}
            if whole_sentences
            else {
                x
                for s in self.article.sentences
                if s[0] <= max(end, anchor) + 1 and s[1] >= min(end, anchor) - 1
                for x in part_ends(text, s)
            }
            | {b for _, b in self.article.sentences}
        )
        if forward:
            following = [x for x in ends if x > end]
            if not following:
                return True
            new_end = following[0]
        else:
            earlier = [x for x in ends if anchor < x < end]
            new_end = earlier[-1] if earlier else end
        if anchor == end and forward:  # nothing selected yet: start at the sentence
            start = sentence_at(self.article, end)
            anchor = start[0] if start is not None and start[0] <= end else end
        self.select_span(anchor, new_end)
        return True

    def keyPressEvent(self, e) -> None:  # noqa: N802
        keys = {Qt.Key.Key_Right: (True, False), Qt.Key.Key_Left: (False, False),
                Qt.Key.Key_Down: (True, True), Qt.Key.Key_Up: (False, True)}  # fmt: skip
        mods = e.modifiers()
        if mods == Qt.KeyboardModifier.ShiftModifier and e.key() in keys:
            forward, whole = keys[e.key()]
            if self._grow(forward, whole):
                return
        super().keyPressEvent(e)

    def mouseDoubleClickEvent(self, e) -> None:  # noqa: N802
        super().mouseDoubleClickEvent(e)
        self._double_click = (time.monotonic(), e.position().toPoint())

    def mousePressEvent(self, e) -> None:  # noqa: N802
        # A third click soon after a double click selects the whole sentence.
        when, where = self._double_click
        interval = QApplication.doubleClickInterval() / 1000
        near = (e.position().toPoint() - where).manhattanLength() < 6
        if time.monotonic() - when < interval and near:
            self._double_click = (0.0, QPoint())
            offset = self.map.to_py(self.cursorForPosition(e.position().toPoint()).position())
            if self.select_sentence_at(offset):
                return
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e) -> None:  # noqa: N802
        super().mouseReleaseEvent(e)
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            m = self.mention_at(e.position().toPoint())
            if m is not None and m.actor_id is not None:
                self.mention_clicked.emit(m.actor_id)


def actor_kinds(project: Project) -> dict[int, str]:
    """Each actor's entity type (Actor.label: the type most of its mentions carry), by id."""
    return {actor.id: actor.label for actor in list_actors(project)}
