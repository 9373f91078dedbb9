"""Formatting the article text from precomputed spans: mentions by entity type, cue words
underlined, boilerplate greyed. No NLP here; a 200 KB article is formatted where the reader
looks first and the rest a chunk at a time, so it opens as fast as a small one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.cues import CueHit
from annotator.gui.common import theme
from annotator.store.articles import ArticleView


@dataclass(frozen=True)
class QtSpan:
    start: int  # UTF-16 positions
    end: int
    fmt: QTextCharFormat


class SpanHighlighter(QSyntaxHighlighter):
    """Formats blocks from precomputed spans. A new article is formatted where the reader
    looks first (`first`, the visible blocks), the rest a chunk at a time from the event
    loop, so a 200 KB article opens as fast as a small one and keys stay responsive."""

    CHUNK = 150  # blocks per event-loop turn: a few milliseconds

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spans: list[QtSpan] = []
        self._starts: list[int] = []
        self._next_block = -1  # the next block still to format, -1 when done
        self._skip = (0, -1)  # blocks already formatted up front
        # A child timer: it dies with the highlighter, so no turn runs after the view is gone.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._format_more)

    def forget(self) -> None:
        """No spans and no pending work (before the document's text is replaced)."""
        self.spans, self._starts, self._next_block = [], [], -1
        self._timer.stop()

    def set_spans(self, spans: list[QtSpan], first: tuple[int, int] | None = None) -> None:
        """New spans; format blocks first[0]..first[1] now and the others in the background."""
        self.spans = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in self.spans]
        self._timer.stop()
        doc = self.document()
        if doc is None:
            return
        if first is None or doc.blockCount() <= self.CHUNK:
            self.rehighlight()
            self._next_block = -1
            return
        for number in range(first[0], min(first[1] + 1, doc.blockCount())):
            self.rehighlightBlock(doc.findBlockByNumber(number))
        self._next_block = 0
        self._skip = first
        self._timer.start()

    def _format_more(self) -> None:
        doc = self.document()
        if doc is None or self._next_block < 0:
            return
        block = doc.findBlockByNumber(self._next_block)
        done = 0
        while block.isValid() and done < self.CHUNK:
            number = block.blockNumber()
            if not (self._skip[0] <= number <= self._skip[1]):
                self.rehighlightBlock(block)
                done += 1
            block = block.next()
        if block.isValid():
            self._next_block = block.blockNumber()
            self._timer.start()
        else:
            self._next_block = -1

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


def article_spans(
    article: ArticleView, cue_hits: list[CueHit], to_qt: Callable[[int], int],
    target_index: dict[str, int], kinds: Mapping[int, str] | None = None,
) -> list[QtSpan]:  # fmt: skip
    """Boilerplate greyed (its mentions muted, its cue words not underlined), mentions by
    entity type, cue words underlined in their target's colour; positions in UTF-16 units.
    `kinds`: each actor's entity type, the colour of all its mentions: "russischen" (an
    adjective, stored as MISC) is a place like "Russland" and "Frankreich"."""
    kinds = kinds or {}
    spans: list[QtSpan] = []
    quiet = [(int(b[0]), int(b[1])) for b in article.boilerplate]
    starts = [a for a, _ in quiet]

    def in_quiet(start: int) -> bool:
        i = bisect_right(starts, start) - 1
        return i >= 0 and start < quiet[i][1]

    grey = QTextCharFormat()
    grey.setForeground(theme.boilerplate_color())
    for a, b in quiet:
        spans.append(QtSpan(to_qt(a), to_qt(b), grey))
    fmt_cache: dict[tuple[str, bool], QTextCharFormat] = {}
    for m in article.mentions:
        muted = bool(quiet) and in_quiet(m.start)
        kind = m.label if m.actor_id is None else kinds.get(m.actor_id, m.label)
        fmt = fmt_cache.get((kind, muted))
        if fmt is None:
            fmt = QTextCharFormat()
            color = theme.mention_color(kind)
            fmt.setBackground(color.lighter(108) if muted else color)
            if muted:
                fmt.setForeground(theme.boilerplate_color())
            fmt_cache[(kind, muted)] = fmt
        spans.append(QtSpan(to_qt(m.start), to_qt(m.end), fmt))
    cue_fmts: dict[str, QTextCharFormat] = {}
    for hit in cue_hits:
        if quiet and in_quiet(hit.start):
            continue
        fmt = cue_fmts.get(hit.target)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(theme.cue_color(target_index.get(hit.target, 0)))
            fmt.setFontWeight(600)
            cue_fmts[hit.target] = fmt
        spans.append(QtSpan(to_qt(hit.start), to_qt(hit.end), fmt))
    return spans
