"""The article text's formats, worked out block by block: mentions coloured at the right
UTF-16 positions (after characters outside the BMP too), cue words underlined except in
boilerplate, boilerplate greyed, and the cue under the mouse found on its own line."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from annotator.gui.common import theme
from annotator.gui.common.article_view import ArticleTextView
from annotator.store.articles import ArticleView, MentionView

LINES = [
    "🇺🇦 Pistorius fordert Bodentruppen.",  # a flag: two astral characters, four units
    "Mehr zum Thema: Bodentruppen",  # boilerplate
    "Masala lehnt Bodentruppen ab.",
]
TEXT = "\n".join(LINES)


def _article() -> ArticleView:
    def at(line: int, word: str) -> tuple[int, int]:
        start = sum(len(x) + 1 for x in LINES[:line]) + LINES[line].index(word)
        return start, start + len(word)

    mentions = (
        MentionView(1, *at(0, "Pistorius"), "PER", 1, "Boris Pistorius", "lexicon"),
        MentionView(2, *at(2, "Masala"), "PER", 2, "Carlo Masala", "lexicon"),
    )
    bp = sum(len(x) + 1 for x in LINES[:1])
    return ArticleView(1, "x", "t", TEXT, None, None, None, {}, mentions,
                       boilerplate=((bp, bp + len(LINES[1]), "related"),))  # fmt: skip


def _formats(view: ArticleTextView, line: int) -> list[tuple[str, QTextCharFormat]]:
    block = view.document().findBlockByNumber(line)
    text = block.text()
    out = []
    for r in block.layout().formats():
        # QTextLayout ranges are UTF-16 units; the block's text as Python counts code points.
        units = text.encode("utf-16-le")
        piece = units[2 * r.start : 2 * (r.start + r.length)].decode("utf-16-le")
        out.append((piece, QTextCharFormat(r.format)))  # a copy: the range goes
    return out


def test_mentions_cues_and_boilerplate_are_formatted_per_block(qtbot, codebook) -> None:
    view = ArticleTextView(codebook)
    qtbot.addWidget(view)
    view.show_article(_article())
    first = dict(_formats(view, 0))
    assert first["Pistorius"].background().color() == theme.mention_color("PER")
    assert first["Bodentruppen"].underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    boiler = _formats(view, 1)
    assert all(f.foreground().color() == theme.boilerplate_color() for _, f in boiler)
    assert not any(f.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
                   for _, f in boiler)  # fmt: skip
    third = dict(_formats(view, 2))
    assert third["Masala"].background().color() == theme.mention_color("PER")
    assert "Bodentruppen" in third


def test_the_cue_under_the_mouse(qtbot, codebook) -> None:
    view = ArticleTextView(codebook)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    view.show_article(_article())
    block = view.document().findBlockByNumber(0)
    cursor = view.textCursor()
    # The middle of "Bodentruppen" on the first line, past the flag's four UTF-16 units.
    cursor.setPosition(block.position() + len(block.text().encode("utf-16-le")) // 2 - 8)
    rect = view.cursorRect(cursor)
    hit = view.cue_at(rect.center())
    assert hit is not None and hit.target == "ground_troops"
    assert TEXT[hit.start : hit.end] == "Bodentruppen"
    cursor.setPosition(view.document().findBlockByNumber(2).position() + 2)  # in "Masala"
    assert view.cue_at(view.cursorRect(cursor).center()) is None
