"""The codebook panel: target and stance definitions, always one glance away."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.codebook import Codebook
from annotator.gui import theme


def codebook_html(codebook: Codebook) -> str:
    parts = [f"<h3>{html.escape(codebook.name)}</h3>", "<h4>Targets</h4>"]
    for i, t in enumerate(codebook.targets):
        color = theme.cue_color(i).name()
        parts.append(
            f"<p><b style='color:{color}'>[{html.escape(t.key)}] {html.escape(t.label_en)}</b>"
            f" <i>({html.escape(t.label_de)})</i><br>"
            + html.escape(t.definition).replace("\n", "<br>")
            + "<br><small>Cue words (underlined in the text): "
            + html.escape(", ".join(t.cues))
            + "</small></p>"
        )
    parts.append("<h4>Stances (against &lt; neutral &lt; favor)</h4>")
    for s in codebook.stances:
        parts.append(
            f"<p><b style='color:{s.color}'>[{html.escape(s.key.upper())}] "
            f"{html.escape(s.label_en)}</b> <i>({html.escape(s.label_de)})</i><br>"
            + html.escape(s.definition).replace("\n", " ")
            + "</p>"
        )
    return "\n".join(parts)


class CodebookPanel(QTextBrowser):
    def __init__(self, codebook: Codebook, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codebookPanel")
        self.setOpenExternalLinks(False)
        self.setHtml(codebook_html(codebook))
