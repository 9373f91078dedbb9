"""What a saved news page says about itself: its headline, source and date.

Read from the text with its boilerplate blocks known (ingest/boilerplate.py), so a section
label ("Politik") or a cookie banner is never the title, and a date in a "Weitere
Meldungen" list is never the article's date. Used at import for .txt files; what a file
states (a date marker, JSONL fields) wins over what is guessed here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The body has begun: a headline is never this long.
_PARAGRAPH = 250
_MAX_TITLE = 300
# A headline: at most this many words and characters (the longest of the seeds and the
# held-out pages has 12 words, 86 characters).
_HEADLINE_WORDS = 20
_HEADLINE_CHARS = 160
# A first sentence up to this long can stand as a title; a longer one is cut here.
_SHORT_TITLE = 100
_SUBHEADING_WITHIN = 2000  # characters from the start
# Kinds of block whose lines say where the article comes from and when it was written.
_META_KINDS = frozenset({"source", "byline"})

_AGENCIES = {
    "dpa": "dpa",
    "afp": "AFP",
    "ap": "AP",
    "reuters": "Reuters",
    "kna": "KNA",
    "epd": "epd",
    "dts": "dts",
    "sid": "SID",
    "apa": "APA",
    "ddp": "ddp",
}
_AGENCY = "|".join(_AGENCIES)
_SOURCE_LINE = re.compile(r"^(?:quelle|quellen|source|sources)\s*:\s*(.+)$", re.I)
_CREDIT_LINE = re.compile(r"^[@©]\s?([\w.-]{2,40})$")
_AGENCY_LINE = re.compile(rf"^\(?\s*({_AGENCY})(?:\s*/\s*[\w-]+)*\s*\)?$", re.I)
# "Berlin (dpa) - ...", "Brüssel (AFP/dpa) – ...": the agency that wrote the report.
_DATELINE_AGENCY = re.compile(
    rf"^[A-ZÄÖÜ][\w./ -]{{1,40}}\s\(({_AGENCY})(?:/[\w-]+)*\)\s*[-–—:]", re.I
)
# "London/Paris/Berlin. – ", "Brüssel – ", "Berlin (dpa) - ": where the report was filed.
_DATELINE = re.compile(
    r"^[A-ZÄÖÜ][\w./-]*(?:[ /][A-ZÄÖÜ][\w./-]*){0,4}\.?(?:\s\([^)]{1,30}\))?\s[–—-]\s+"
)

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("januar", "jänner", "january", "jan"),
            ("februar", "february", "feb"),
            ("märz", "maerz", "march", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ]
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD_DATE = re.compile(r"\b(?:(\d{1,2})\.?\s+)?([A-Za-zäÄ]{3,9})\.?\s+(\d{4})\b")
_STAND = re.compile(r"^(stand|aktualisiert|veröffentlicht|erschienen|updated|published)\b", re.I)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _kind_at(start: int, end: int, blocks: Sequence[Sequence[int | str]]) -> str | None:
    for b in blocks:
        if int(b[0]) <= start and end <= int(b[1]):
            return str(b[2]) if len(b) > 2 else "other"
    return None


def _headline_shaped(s: str) -> bool:
    # Short: a line of more words is a sentence that runs on without its full stop.
    words = s.split()
    return (
        3 <= len(words) <= _HEADLINE_WORDS
        and len(s) <= _HEADLINE_CHARS
        and not s.endswith((".", ",", ";", ":"))
        and not _NUMERIC_DATE.search(s)
    )


def _first_sentence(paragraph: str) -> str:
    from annotator.nlp.sentences import Sentences  # spaCy's tokenizer: only when needed

    found = Sentences(paragraph).line(0)
    return paragraph[found[0][0] : found[0][1]] if found else paragraph


def _stems(text: str) -> set[str]:
    from spacy.lang.de.stop_words import STOP_WORDS  # a word list, no pipeline

    words = re.findall(r"[^\W\d_]{5,}", text.lower())
    return {w[:6] for w in words if w not in STOP_WORDS}


def _subheading(lines: Sequence[tuple[int, int, str]], about: str) -> str | None:
    """The first subheading near the start that is about what the first sentence is about
    (two words in common): a generic one ("Kritik aus Moskau") names no article."""
    stems = _stems(about)
    for start, _, line in lines:
        if start > _SUBHEADING_WITHIN:
            break
        if _headline_shaped(line) and len(_stems(line) & stems) >= 2:
            return line
    return None


def _shortened(sentence: str) -> str:
    """The sentence cut after a word, with an ellipsis, when it is too long for a title."""
    if len(sentence) <= _SHORT_TITLE:
        return sentence
    cut = sentence[:_SHORT_TITLE].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return f"{cut} …"


def headline(text: str, boilerplate: Sequence[Sequence[int | str]] = ()) -> str:
    """The article's headline: the first headline-shaped line (a few words, no full stop)
    outside the boilerplate and before the body. Without one (the page's headline was not
    saved): the first sentence of the first paragraph, its dateline removed, if it is short;
    else a subheading near the start about the same thing; else that sentence cut short.
    A title is for finding the article in a list: never a lede that runs over four lines."""
    lines = [ln for ln in _lines(text) if _kind_at(ln[0], ln[1], boilerplate) is None]
    for _, _, line in lines:
        if len(line) >= _PARAGRAPH:
            break
        if _headline_shaped(line):
            return line[:_MAX_TITLE]
    if not lines:
        lines = _lines(text)
        if not lines:
            return ""
    first = lines[0][2]
    if len(first) < _PARAGRAPH:
        return _shortened(first)
    sentence = _first_sentence(_DATELINE.sub("", first, count=1))
    if len(sentence) <= _SHORT_TITLE:
        return sentence
    return _subheading(lines[1:], sentence) or _shortened(sentence)


def _agency_or(name: str) -> str:
    base = name.strip().strip(".").lower()
    for suffix in (".de", ".com", ".at", ".ch"):
        base = base.removesuffix(suffix)
    return _AGENCIES.get(base, name.strip())


def _source_of(line: str) -> str | None:
    m = _SOURCE_LINE.match(line)
    if m:
        first = re.split(r"[,;]| und | and ", m.group(1))[0].strip()
        first = first.split("/")[0].strip() if "." not in first else first
        return _agency_or(first) if first else None
    m = _CREDIT_LINE.match(line) or _AGENCY_LINE.match(line)
    if m:
        return _agency_or(m.group(1))
    return None


def _iso(year: int, month: int, day: int | None) -> str | None:
    if not (1900 <= year <= 2100 and 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def date_in(line: str) -> str | None:
    """The first date in a line as ISO text (YYYY-MM-DD, or YYYY-MM without a day)."""
    found: list[tuple[int, str]] = []
    for m in _NUMERIC_DATE.finditer(line):
        iso = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            found.append((m.start(), iso))
    for m in _ISO_DATE.finditer(line):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), iso))
    for m in _WORD_DATE.finditer(line):
        month = _MONTHS.get(m.group(2).lower())
        if month:
            iso = _iso(int(m.group(3)), month, int(m.group(1)) if m.group(1) else None)
            if iso:
                found.append((m.start(), iso))
    return min(found)[1] if found else None


def source_and_date(
    text: str, boilerplate: Sequence[Sequence[int | str]] = ()
) -> tuple[str | None, str | None]:
    """The source ("Quelle: ntv.de", "@ dpa.de", "Berlin (dpa) -") and the date (a date
    line, "Stand: ...") the article states, or None for what it does not say."""
    source: str | None = None
    dateline_source: str | None = None
    date: str | None = None
    for start, end, line in _lines(text):
        kind = _kind_at(start, end, boilerplate)
        if kind is not None and kind not in _META_KINDS:
            continue  # dates in teaser lists, agencies in photo credits
        if source is None and len(line) <= 160:
            source = _source_of(line)
        if dateline_source is None and kind is None:
            m = _DATELINE_AGENCY.match(line)
            if m:
                dateline_source = _AGENCIES[m.group(1).lower()]
        # Dates only from short lines (a date line, a byline, "Stand: ..."), never from a
        # sentence ("am 22. November 2023 hatte ..." is about the past).
        if date is None and (len(line) <= 80 or _STAND.match(line)):
            date = date_in(line[:120])
    return source or dateline_source, date
