"""Formatting the article text: mentions by entity type, cue words underlined, boilerplate
greyed. No NLP here; each block (a line) is formatted from the stored mentions and
boilerplate and the cue words found in it, where the reader looks first and the rest a
chunk at a time, so a 200 KB article opens as fast as a small one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping

from PySide6.QtCore import QTimer
from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

from annotator.cues import CueHit, CueMatcher
from annotator.gui.common import theme
from annotator.store.articles import ArticleView, MentionView
from annotator.textspans import Utf16Map


class ArticleFormats:
    """What one article's text looks like, worked out per block when Qt formats it:
    boilerplate greyed (its mentions muted, its cue words not underlined), mentions by
    entity type, cue words underlined in their target's colour. Nothing is computed for
    the whole text up front (a 200 KB article has thousands of mentions and cue words):
    an article switch costs what the visible blocks need.
    `kinds`: each actor's entity type, the colour of all its mentions: "russischen" (an
    adjective, stored as MISC) is a place like "Russland" and "Frankreich"."""

    def __init__(
        self, article: ArticleView, cues: CueMatcher, text_map: Utf16Map,
        target_index: Mapping[str, int], kinds: Mapping[int, str] | None = None,
    ) -> None:  # fmt: skip
        self.map, self._cues, self._target_index = text_map, cues, target_index
        self._kinds = kinds or {}
        self._mentions = article.mentions  # ordered by start (store.articles.mentions_of)
        self._mention_starts = [m.start for m in self._mentions]
        self._quiet = [(int(b[0]), int(b[1])) for b in article.boilerplate]
        self._quiet_starts = [a for a, _ in self._quiet]
        self._grey = QTextCharFormat()
        self._grey.setForeground(theme.boilerplate_color())
        self._mention_fmts: dict[tuple[str, bool], QTextCharFormat] = {}
        self._cue_fmts: dict[str, QTextCharFormat] = {}

    def _in_quiet(self, start: int) -> bool:
        i = bisect_right(self._quiet_starts, start) - 1
        return i >= 0 and start < self._quiet[i][1]

    def block(self, begin: int, end: int, text: str) -> list[tuple[int, int, QTextCharFormat]]:
        """(start, end, format) in UTF-16 positions of the document for the block that
        spans [begin, end) and holds `text`; later ones are applied over earlier ones."""
        to_qt = self.map.to_qt
        a, b = self.map.to_py(begin), self.map.to_py(end)
        spans: list[tuple[int, int, QTextCharFormat]] = []
        i = max(0, bisect_right(self._quiet_starts, a) - 1)
        while i < len(self._quiet) and self._quiet[i][0] < b:
            x, y = self._quiet[i]
            if y > a:
                spans.append((to_qt(x), to_qt(y), self._grey))
            i += 1
        # Mentions are short: any that overlaps the block starts at most 200 characters
        # before it.
        lo = bisect_left(self._mention_starts, a - 200)
        hi = bisect_left(self._mention_starts, b)
        for m in self._mentions[lo:hi]:
            if m.end > a:
                spans.append((to_qt(m.start), to_qt(m.end), self._mention_format(m)))
        for hit in self._cues.find(text):  # a cue word never crosses a line
            start = a + hit.start
            if not (self._quiet and self._in_quiet(start)):
                spans.append((to_qt(start), to_qt(a + hit.end), self._cue_format(hit.target)))
        spans.sort(key=lambda s: s[0])  # stable: at one start, the later kind wins
        return spans

    def _mention_format(self, m: MentionView) -> QTextCharFormat:
        muted = bool(self._quiet) and self._in_quiet(m.start)
        kind = m.label if m.actor_id is None else self._kinds.get(m.actor_id, m.label)
        fmt = self._mention_fmts.get((kind, muted))
        if fmt is None:
            fmt = QTextCharFormat()
            color = theme.mention_color(kind)
            fmt.setBackground(color.lighter(108) if muted else color)
            if muted:
                fmt.setForeground(theme.boilerplate_color())
            self._mention_fmts[(kind, muted)] = fmt
        return fmt

    def _cue_format(self, target: str) -> QTextCharFormat:
        fmt = self._cue_fmts.get(target)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(theme.cue_color(self._target_index.get(target, 0)))
            fmt.setFontWeight(600)
            self._cue_fmts[target] = fmt
        return fmt

    def cue_at(self, index: int, line: str, line_start: int) -> CueHit | None:
        """The cue word at Python index `index` of the text, on the line `line` that
        starts at `line_start`."""
        for hit in self._cues.find(line):
            if line_start + hit.start <= index < line_start + hit.end:
                return CueHit(line_start + hit.start, line_start + hit.end, hit.target)
        return None


class SpanHighlighter(QSyntaxHighlighter):
    """Formats blocks with an ArticleFormats. A new article is formatted where the reader
    looks first (`first`, the visible blocks), the rest a chunk at a time from the event
    loop, so a 200 KB article opens as fast as a small one and keys stay responsive."""

    CHUNK = 150  # blocks per event-loop turn: a few milliseconds

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats: ArticleFormats | None = None
        self._next_block = -1  # the next block still to format, -1 when done
        self._skip = (0, -1)  # blocks already formatted up front
        # A child timer: it dies with the highlighter, so no turn runs after the view is gone.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._format_more)

    def forget(self) -> None:
        """No formats and no pending work (before the document's text is replaced)."""
        self.formats, self._next_block = None, -1
        self._timer.stop()

    def set_formats(self, formats: ArticleFormats, first: tuple[int, int] | None = None) -> None:
        """Format blocks first[0]..first[1] now and the others in the background."""
        self.formats = formats
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
        if self.formats is None:
            return
        block = self.currentBlock()
        begin = block.position()
        end = begin + block.length()
        for a, b, fmt in self.formats.block(begin, end, text):
            a, b = max(a, begin) - begin, min(b, end) - begin
            if b > a:
                self.setFormat(a, b - a, fmt)
