"""The codebook panel: target and stance definitions, always one glance away."""

from __future__ import annotations

import html
import re

from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.codebook import Codebook
from annotator.gui.common import theme

_KEEP_BREAK = re.compile(r"[.!?:]$")
_LABEL_LINE = re.compile(r"^[A-ZÄÖÜ]+:")


def _paragraphs(text: str) -> str:
    """The TOML's definitions are wrapped by hand: a line break inside a sentence is a
    space; one after a sentence, or before a "FAVOR:"-style line, stays a break."""
    lines = [line.strip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        inside_sentence = out and out[-1] and line and not _KEEP_BREAK.search(out[-1])
        if inside_sentence and not _LABEL_LINE.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return "<br>".join(html.escape(line) for line in out)


def codebook_html(codebook: Codebook) -> str:
    parts = [f"<h3>{html.escape(codebook.name)}</h3>", "<h4>Targets</h4>"]
    for i, t in enumerate(codebook.targets):
        color = theme.cue_color(i).name()
        parts.append(
            f"<p><b style='color:{color}'>[{html.escape(t.key)}] {html.escape(t.label_en)}</b>"
            f" <i>({html.escape(t.label_de)})</i><br>"
            + _paragraphs(t.definition)
            + "<br><small>Cue words (underlined in the text): "
            + html.escape(", ".join(t.cues))
            + "</small></p>"
        )
    parts.append("<h4>Stances (against &lt; neutral &lt; favor)</h4>")
    for s in codebook.stances:
        parts.append(
            f"<p><b style='color:{s.color}'>[{html.escape(s.key.upper())}] "
            f"{html.escape(s.label_en)}</b> <i>({html.escape(s.label_de)})</i><br>"
            + _paragraphs(s.definition)
            + "</p>"
        )
    return "\n".join(parts)


class CodebookPanel(QTextBrowser):
    def __init__(self, codebook: Codebook, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codebookPanel")
        self.setOpenExternalLinks(False)
        self.setHtml(codebook_html(codebook))
