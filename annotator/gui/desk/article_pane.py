"""The window's middle column: the article's title and source line, the colour legend, and
the text itself (common/article_view.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from annotator.codebook import Codebook
from annotator.gui.common import theme
from annotator.gui.common.article_view import ArticleTextView
from annotator.gui.common.plain import escape, plain_label, plain_tip
from annotator.store.articles import ArticleView


class ArticlePane(QWidget):
    def __init__(self, codebook: Codebook, font_size: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = ArticleTextView(codebook, font_size)
        self.title = plain_label()
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.meta = plain_label()
        self.meta.setObjectName("articleMeta")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(legend(codebook))
        layout.addWidget(self.text, 1)

    def show_article(self, article: ArticleView, *, place: str, done: bool) -> None:
        """`place`: where it is in the annotator's queue ("" without a plan)."""
        self.text.show_article(article)
        self.title.setText(article.title)
        meta = " · ".join(x for x in (article.source, article.date, article.external_id) if x)
        self.meta.setText(meta + (f"   · {place}" if place else "") + ("   ✓ done" if done else ""))

    def show_nothing(self, message: str) -> None:
        self.text.clear_article()
        self.title.setText(message)


def legend(codebook: Codebook) -> QWidget:
    """Entity types by colour, and each target's colour for underlined cue words."""
    widget = QWidget()
    row = QHBoxLayout(widget)
    row.setContentsMargins(0, 2, 0, 2)
    row.setSpacing(4)  # compact: the row must fit the text column of a 1366-pixel window
    for label, name in theme.MENTION_NAMES.items():
        chip = QLabel(name)
        chip.setToolTip(f"Mentions of this entity type ({label}) are highlighted in this colour")
        chip.setStyleSheet(
            f"background:{theme.mention_color(label).name()};border-radius:3px; padding:1px 5px;"
        )
        row.addWidget(chip)
    row.addSpacing(10)
    row.addWidget(QLabel("cues:"))
    for i, t in enumerate(codebook.targets):
        cue = QLabel(f"<b><u>{escape(t.short_label)}</u></b>")
        cue.setStyleSheet(f"color:{theme.cue_color(i).name()}")
        cue.setToolTip(plain_tip(f"Cue words for '{t.label_en}' are underlined in this colour"))
        row.addWidget(cue)
    row.addStretch(1)
    return widget
