"""The article text: read-only, stored mentions highlighted by type, cue words underlined.

Positions: the store speaks Python `str` indices, Qt speaks UTF-16 units; every crossing
goes through `Utf16Map`. Highlighting is a QSyntaxHighlighter over precomputed spans (no
NLP here), so a 200 KB article is formatted block by block without per-span relayouts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.codebook import Codebook
from annotator.cues import CueHit, CueMatcher
from annotator.gui import theme
from annotator.store.articles import ArticleView, MentionView
from annotator.textspans import Utf16Map


@dataclass(frozen=True)
class _QtSpan:
    start: int  # UTF-16 positions
    end: int
    fmt: QTextCharFormat


class _SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spans: list[_QtSpan] = []
        self._starts: list[int] = []

    def set_spans(self, spans: list[_QtSpan]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in self.spans]
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        block = self.currentBlock()
        begin = block.position()
        end = begin + block.length()
        # Spans are short, so any span overlapping the block starts within a small window.
        i = bisect_left(self._starts, begin - 200)
        stop = bisect_right(self._starts, end)
        for span in self.spans[i:stop]:
            if span.end <= begin or span.start >= end:
                continue
            a = max(span.start, begin) - begin
            b = min(span.end, end) - begin
            self.setFormat(a, b - a, span.fmt)


class ArticleTextView(QPlainTextEdit):
    """Shows one article. Emits the actor id of a clicked mention."""

    mention_clicked = Signal(int)

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
        self._highlighter = _SpanHighlighter(self.document())
        self.article: ArticleView | None = None
        self.map = Utf16Map("")
        self._mentions: list[MentionView] = []
        self._mention_starts: list[int] = []
        self._cue_hits: list[CueHit] = []

    # ------------------------------------------------------------ content

    def show_article(self, article: ArticleView) -> None:
        self.article = article
        self.map = Utf16Map(article.text)
        self._mentions = list(article.mentions)
        self._mention_starts = [m.start for m in self._mentions]
        self._cue_hits = self._cues.find(article.text)
        self.setExtraSelections([])
        self._highlighter.spans = []
        self.setPlainText(article.text)
        self._highlighter.set_spans(self._spans())
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def clear_article(self) -> None:
        self.article = None
        self.map = Utf16Map("")
        self._mentions = []
        self._mention_starts = []
        self._highlighter.spans = []
        self.setPlainText("")

    def _spans(self) -> list[_QtSpan]:
        to_qt = self.map.to_qt
        spans: list[_QtSpan] = []
        fmt_cache: dict[str, QTextCharFormat] = {}
        for m in self._mentions:
            fmt = fmt_cache.get(m.label)
            if fmt is None:
                fmt = QTextCharFormat()
                fmt.setBackground(theme.mention_color(m.label))
                fmt_cache[m.label] = fmt
            spans.append(_QtSpan(to_qt(m.start), to_qt(m.end), fmt))
        cue_fmts: dict[str, QTextCharFormat] = {}
        for hit in self._cue_hits:
            fmt = cue_fmts.get(hit.target)
            if fmt is None:
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(theme.cue_color(self._target_index.get(hit.target, 0)))
                fmt.setFontWeight(600)
                cue_fmts[hit.target] = fmt
            spans.append(_QtSpan(to_qt(hit.start), to_qt(hit.end), fmt))
        return spans

    def set_font_size(self, size: int) -> None:
        self.setFont(theme.reading_font(size))

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

    def select_span(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.map.to_qt(start))
        cursor.setPosition(self.map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def show_evidence(
        self, spans: list[tuple[int, int]], focus: tuple[int, int] | None = None
    ) -> None:
        """Mark the current cell's evidence; scroll to `focus` if given."""
        selections = []
        for a, b in spans:
            sel = QTextEdit.ExtraSelection()
            cursor = self.textCursor()
            cursor.setPosition(self.map.to_qt(a))
            cursor.setPosition(self.map.to_qt(b), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            fmt = QTextCharFormat()
            fmt.setBackground(theme.evidence_color())
            sel.format = fmt
            selections.append(sel)
        self.setExtraSelections(selections)
        if focus is not None:
            cursor = self.textCursor()
            cursor.setPosition(self.map.to_qt(focus[0]))
            self.setTextCursor(cursor)
            self.centerCursor()

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
        index = self.map.to_py(self.cursorForPosition(pos).position())
        for hit in self._cue_hits:
            if hit.start <= index < hit.end:
                return hit
        return None

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            m = self.mention_at(self.viewport().mapFrom(self, e.pos()))
            if m is not None:
                kind = theme.MENTION_NAMES.get(m.label, m.label)
                QToolTip.showText(
                    e.globalPos(),
                    f"<b>{m.actor or 'unknown actor'}</b><br>{kind} · found by {m.source}",
                    self,
                )
                return True
            cue = self.cue_at(self.viewport().mapFrom(self, e.pos()))
            if cue is not None:
                target = self._codebook.target(cue.target)
                QToolTip.showText(e.globalPos(), f"cue word for <b>{target.label_en}</b>", self)
                return True
            QToolTip.hideText()
            return True
        return super().event(e)

    def mouseReleaseEvent(self, e) -> None:  # noqa: N802
        super().mouseReleaseEvent(e)
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            m = self.mention_at(e.position().toPoint())
            if m is not None and m.actor_id is not None:
                self.mention_clicked.emit(m.actor_id)
