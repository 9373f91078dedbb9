"""Colours and fonts, in one place. Light and dark variants follow the system palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

# Entity types: soft tints so long reading stays calm.
_MENTION_LIGHT = {"PER": "#d6e6fb", "ORG": "#fde2c4", "LOC": "#d5f0dc", "MISC": "#eadcf5"}
_MENTION_DARK = {"PER": "#23466e", "ORG": "#6b4419", "LOC": "#24573a", "MISC": "#4d3566"}
MENTION_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place / state", "MISC": "other"}
# Cue words: a coloured underline per target (1st, 2nd, 3rd target of the codebook).
CUE_COLORS = ("#8e44ad", "#d35400", "#16a085", "#2c3e50")
EVIDENCE_LIGHT = "#fff2a8"
EVIDENCE_DARK = "#6b5d12"


def is_dark() -> bool:
    app = QApplication.instance()
    if app is None:
        return False
    window = app.palette().color(QPalette.ColorRole.Window)  # type: ignore[attr-defined]
    return window.lightness() < 128


def mention_color(label: str) -> QColor:
    table = _MENTION_DARK if is_dark() else _MENTION_LIGHT
    return QColor(table.get(label, table["MISC"]))


def evidence_color() -> QColor:
    return QColor(EVIDENCE_DARK if is_dark() else EVIDENCE_LIGHT)


def boilerplate_color() -> QColor:
    """Text around the article (banners, teasers, credits): quiet, still readable."""
    return QColor("#8a8a8a" if is_dark() else "#9a9a9a")


def candidate_color() -> QColor:
    """The evidence candidate on offer: paler than attached evidence."""
    return QColor("#3a3a1a" if is_dark() else "#fff8d6")


def candidate_line_color() -> QColor:
    return QColor("#d4b000" if is_dark() else "#b08900")


def cue_color(index: int) -> QColor:
    return QColor(CUE_COLORS[index % len(CUE_COLORS)])


def reading_font(point_size: int) -> QFont:
    font = QFont()
    font.setFamilies(["Noto Serif", "Source Serif Pro", "Georgia", "DejaVu Serif", "Serif"])
    font.setPointSize(point_size)
    return font


def stance_color(hex_color: str) -> QColor:
    color = QColor(hex_color)
    if is_dark():
        return color.darker(140)
    return color.lighter(175)


def suggestion_color(hex_color: str) -> QColor:
    """A suggested stance: a pale wash of its stance's colour, clearly not a label."""
    base, paper = QColor(hex_color), QColor("#2b2b2b" if is_dark() else "#ffffff")
    share = 0.22 if is_dark() else 0.18  # of the stance colour in the mix
    return QColor(
        round(base.red() * share + paper.red() * (1 - share)),
        round(base.green() * share + paper.green() * (1 - share)),
        round(base.blue() * share + paper.blue() * (1 - share)),
    )


def suggestion_text_color() -> QColor:
    return QColor("#a0a0a0" if is_dark() else "#707070")
