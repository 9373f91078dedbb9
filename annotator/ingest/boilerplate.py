"""Boilerplate in saved news pages: which lines are the page's furniture, not the article.

Texts copied or saved from news sites carry cookie banners, ad-blocker and paywall notes,
"Weitere Meldungen" lists, newsletter prompts, audio-player lines, bylines, photo credits
and captions. `find_boilerplate` marks them as blocks of whole lines, with a kind; the
stored text never changes (every offset depends on it), the window only shows the blocks
quietly and leaves actors that occur only there out of the stance grid.

Rules only, no NLP model: phrase patterns (German and English) for each kind, the shape
of a line (short, no sentence end, link-like), and its neighbours. A short "control" line
("Mehr Infos", "Nicht mehr anzeigen", a player's "00:00", a broken fragment) is
boilerplate only beside a block. Precision comes first: a rule that might grey out a
sentence of the article needs the page's own words ("Cookies", "Ad-Blocker", "Quelle:").

The rules were written after reading the five seeds (tests/data/boilerplate_gold.jsonl
was written before them); docs/import.md has the measured figures and their limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.ingest.boilerplate_rules import (
    CLOCK,
    CONTROL,
    SENTENCE_BREAK,
    TEASER_HEAD,
    TEASER_ITEM,
    line_kind,
    triggers_in,
)
from annotator.ingest.pagemeta import headline, source_and_date

Block = tuple[int, int, str]

KINDS = (
    "cookie",
    "paywall",
    "adblock",
    "teaser",
    "newsletter",
    "audio",
    "byline",
    "credit",
    "source",
    "caption",
    "share",
    "navigation",
    "other",
)


@dataclass
class _Line:
    start: int
    end: int
    text: str  # stripped
    kind: str | None = None


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _is_fragment(s: str) -> bool:
    """A piece of a sentence that lost its start: the page put a link in the middle."""
    return s[0] in ".,;:)" or (s[0].islower() and len(s) <= 200)


def _mark_duplicates(lines: list[_Line]) -> None:
    """Captions shown twice (under the photo and in the gallery): the later copy of a line,
    and also the first where the copy follows at once. Short lines ("Politik") repeat for
    other reasons and are left alone."""
    first: dict[str, int] = {}
    for i, line in enumerate(lines):
        if len(line.text) < 40:
            continue
        j = first.setdefault(line.text, i)
        if j == i:
            continue
        if line.kind is None:
            line.kind = "caption"
        if j == i - 1 and lines[j].kind is None:
            lines[j].kind = "caption"


def _mark_captions_before_credits(lines: list[_Line]) -> None:
    """A line of one sentence right before a photo credit is that photo's caption (a
    paragraph of the article may stand there too, where a photo has no caption)."""
    for i in range(1, len(lines)):
        prev = lines[i - 1]
        if (
            lines[i].kind == "credit"
            and prev.kind is None
            and len(prev.text) <= 250
            and not SENTENCE_BREAK.search(prev.text)
        ):
            prev.kind = "caption"


def _mark_teaser_lists(lines: list[_Line]) -> None:
    """After a teaser heading, every following line is a teaser item while it looks like
    one: short, or ending like a link ("weiterlesen...")."""
    for i, line in enumerate(lines):
        if line.kind != "teaser" or not TEASER_HEAD.match(line.text):
            continue
        for nxt in lines[i + 1 :]:
            if nxt.kind not in (None, "teaser"):
                break
            if nxt.kind is None and not (len(nxt.text) <= 120 or TEASER_ITEM.search(nxt.text)):
                break
            nxt.kind = "teaser"


def _mark_tables_of_contents(lines: list[_Line]) -> None:
    """A live ticker lists its subheadings at the top ("Thema: Aussage."). A short line that
    repeats a later heading (all but its final full stop) is such an entry; the run of
    "Thema: ..." lines and broken fragments around it belongs to the list."""
    later: dict[str, int] = {}
    for i, line in enumerate(lines):
        if len(line.text) <= 160:
            later[line.text.rstrip(".")] = i
    for i, line in enumerate(lines):
        key = line.text.rstrip(".")
        if line.kind is not None or len(key) < 20 or later.get(key, i) <= i:
            continue
        if line.text == lines[later[key]].text:
            continue  # a verbatim copy: _mark_duplicates decides
        line.kind = "navigation"
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and lines[j].kind is None:
                s = lines[j].text
                if len(s) > 200 or not (": " in s or _is_fragment(s)):
                    break
                lines[j].kind = "navigation"
                j += step


def _attach_controls(lines: list[_Line]) -> None:
    """Buttons, links, player clocks and fragments join the block next to them."""
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if line.kind is not None:
                continue
            s = line.text
            if not (CONTROL.match(s) or s[0] in ".,;:)"):
                continue
            before = lines[i - 1].kind if i > 0 else None
            after = lines[i + 1].kind if i + 1 < len(lines) else None
            kind = before or after
            if CLOCK.match(s) and "audio" in (before, after):
                kind = "audio"  # a player's clock, between a byline and the player
            if kind is not None:
                line.kind = kind
                changed = True


def _continue_fragments(lines: list[_Line]) -> None:
    """A line that starts with a full stop or comma is the rest of the line before (a link
    cut the sentence), whatever its own words suggest."""
    for prev, line in zip(lines, lines[1:], strict=False):
        if prev.kind is not None and line.text[0] in ".,;:)":
            line.kind = prev.kind


def _blocks(lines: list[_Line]) -> list[Block]:
    out: list[Block] = []
    for line in lines:
        if line.kind is None:
            continue
        if (
            out
            and out[-1][2] == line.kind != "caption"  # each caption is a photo of its own
            and _adjacent(lines, out[-1][1], line.start)
        ):
            out[-1] = (out[-1][0], line.end, line.kind)
        else:
            out.append((line.start, line.end, line.kind))
    return out


def _adjacent(lines: list[_Line], end: int, start: int) -> bool:
    """No article line lies between the two offsets (blank lines may)."""
    return not any(end < ln.start < start for ln in lines)


def find_boilerplate(text: str) -> list[Block]:
    """Boilerplate blocks of an article text: (start, end, kind), whole lines, in order."""
    lines = _lines(text)
    triggers = triggers_in([ln.text for ln in lines])
    for line in lines:
        line.kind = line_kind(line.text, triggers)
    _continue_fragments(lines)
    _mark_teaser_lists(lines)
    _mark_captions_before_credits(lines)
    _mark_duplicates(lines)
    _mark_tables_of_contents(lines)
    _attach_controls(lines)
    return _blocks(lines)


def inside(start: int, end: int, blocks: Sequence[Sequence[int | str]]) -> bool:
    """Whether text[start:end] lies within one of the blocks."""
    return any(int(b[0]) <= start and end <= int(b[1]) for b in blocks)


__all__ = ["KINDS", "Block", "find_boilerplate", "headline", "inside", "source_and_date"]
