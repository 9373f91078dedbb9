"""What the curation window shows of one unit: the cell texts of the table, the details
beside it (each version with its evidence and note, and gold) and the evidence spans to mark
in the article text, one colour per annotator. Plain functions over curation.units, so the
window only places them."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QColor, QTextCharFormat

from annotator.curation.units import Origin
from annotator.gui.common import theme
from annotator.store.gold import ORIGIN_ANNOTATOR
from annotator.store.labels import CellState

# Colours of the annotators' evidence in the text (the gold evidence is underlined): strong
# hues, apart from the pale tints of the entity types (theme._MENTION_LIGHT) they lie over.
ANNOTATOR_COLORS = ("#ffe066", "#ff9ec4", "#66d9e8", "#c0eb75", "#ffa94d", "#b197fc")
DARK_ANNOTATOR_COLORS = ("#8a6d00", "#8c2f55", "#0b6e79", "#4d6b12", "#8a4b08", "#4b3a8c")

Span = tuple[int, int, QTextCharFormat]


def annotator_color(k: int) -> str:
    """The colour of the k-th version (from 1), as in the text and the details."""
    colors = DARK_ANNOTATOR_COLORS if theme.is_dark() else ANNOTATOR_COLORS
    return colors[(k - 1) % len(colors)]


def stance_text(state: CellState) -> str:
    """A version or gold in one cell: the stance, ❝n for n evidence spans, ✎ for a note."""
    text = state.stance or ("no stance" if state.is_empty else "(no stance)")
    if state.evidence:
        text += f"  ❝{len(state.evidence)}"
    if state.note:
        text += "  ✎"
    return text


def describe_origin(
    origin: Origin | None, names: dict[str, str], *, anonymous: bool = False
) -> str:
    """Where gold came from, with the display names (Annotator 1, 2… when anonymous; an
    annotator no longer among the article's coders is then "an annotator")."""
    if origin is None:
        return ""
    if origin.kind == ORIGIN_ANNOTATOR and origin.annotator is not None:
        fallback = "an annotator" if anonymous else origin.annotator
        return f"{names.get(origin.annotator, fallback)}'s version"
    return origin.describe()


def _quotes(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"<li>„{escape(' '.join(text[a:b].split())[:200])}“</li>" for a, b in spans)


def details_html(
    unit_title: str,
    versions: list[tuple[str, CellState]],
    gold: CellState | None,
    origin: str,
    text: str,
) -> str:
    """The details of a unit: each version (display name, state) under its colour chip and
    number (the key that accepts it), then gold (None: undecided)."""
    parts = [f"<h3>{escape(unit_title)}</h3>"]
    for k, (name, state) in enumerate(versions, start=1):
        note = f"<br><i>{escape(state.note)}</i>" if state.note else ""
        parts.append(
            f"<p><span style='background:{annotator_color(k)}'>&nbsp;{k}&nbsp;</span> "
            f"<b>{escape(name)}</b>: {escape(stance_text(state))}{note}</p>"
            f"<ul>{_quotes(text, state.evidence)}</ul>"
        )
    if gold is None:
        parts.append("<p><b>Gold</b>: undecided</p>")
    else:
        why = f" ({escape(origin)})" if origin else ""
        note = f"<br><i>{escape(gold.note)}</i>" if gold.note else ""
        parts.append(
            f"<p><b><u>Gold</u></b>: {escape(stance_text(gold))}{why}{note}</p>"
            f"<ul>{_quotes(text, gold.evidence)}</ul>"
        )
    return "".join(parts)


def evidence_spans(versions: list[CellState], gold: CellState) -> list[Span]:
    """The spans to mark in the text: each version's evidence in its colour, gold's
    underlined and bold over them."""
    spans: list[Span] = []
    for k, state in enumerate(versions, start=1):
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(annotator_color(k)))
        spans += [(a, b, fmt) for a, b in state.evidence]
    gold_fmt = QTextCharFormat()
    gold_fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    gold_fmt.setFontWeight(700)
    spans += [(a, b, gold_fmt) for a, b in gold.evidence]
    return spans
