"""Saved news pages (.html/.htm): the article's main text and its metadata, offline.

trafilatura finds the main text, title, author, date, site name and URL (docs/import.md
says why it was chosen over readability-lxml, jusText, goose3 and newspaper3k). It is
given the decoded page as a string, never a URL, so importing never touches the network.
Its precision mode leaves out navigation, teaser lists, comments and paywall boxes;
what remains of boilerplate is marked like in any other article (ingest/boilerplate.py).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from annotator.errors import InputError
from annotator.ingest.lede import has_sentence, is_prose, lede_blocks, norm, shown_on_page
from annotator.ingest.pageid import canonical_url
from annotator.limits import MAX_FIELD_CHARS

HTML_SUFFIXES = {".html", ".htm"}

# Where a page declares its encoding: <meta charset="..."> or the http-equiv form. Browsers
# look at the first 1024 bytes; saved pages sometimes put more before it.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as Windows-1252 by every browser.
_BROWSER_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    author: str | None
    date: str | None
    site: str | None
    url: str | None
    extracted_by: str
    canonical: str | None = None  # the page's canonical URL (or og:url): its id
    warnings: tuple[str, ...] = ()


def declared_charset(raw: bytes) -> str | None:
    """The encoding a page states (byte order mark, then <meta charset>), or None."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    m = _META_CHARSET.search(raw[:8192])
    if m is None:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    name = _BROWSER_ALIASES.get(label, label)
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None  # a label Python does not know: read as UTF-8, as browsers fall back
    if found.startswith("utf-16"):
        # A <meta> read as ASCII bytes is in no UTF-16 page: browsers take UTF-8 (WHATWG).
        return None
    return name


def _paragraphs(text: str) -> str:
    # One paragraph per line with a blank line between, as in the .txt seeds: the window
    # and the sentence splitter read a line break as the end of a sentence.
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def extract_page(html: str, path: Path) -> Page:
    """The main text and metadata of a page; InputError if it holds no article text."""
    import trafilatura  # ~0.3 s to import: only when a page is read

    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
        )
    except (ValueError, TypeError) as exc:  # an unparseable document
        raise InputError(f"cannot read this page as HTML ({exc})", path=str(path)) from None
    text = _paragraphs(doc.text or "") if doc is not None else ""
    if not _has_prose(text):
        raise InputError("no article text found in this page", path=str(path))
    title = _clean(doc.title)
    tree = trafilatura.load_html(html)  # again: the extraction changed its own copy
    warnings: tuple[str, ...] = ()
    canonical = None
    if tree is not None:
        text = _with_lede(text, tree, title or "")
        description = doc.description if isinstance(doc.description, str) else None
        warnings = _lede_left_out(tree, description, text)
        canonical = canonical_url(tree)
    absolute = canonical if canonical and urlsplit(canonical).netloc else None
    if title and not text.startswith(title) and title not in text[: len(title) + 300]:
        # The headline carries stances as often as the body: keep it in the text, first,
        # as in a .txt article.
        text = f"{title}\n\n{text}"
    return Page(
        text=text,
        title=title,
        author=_clean(doc.author),
        date=_clean(doc.date),
        site=_clean(doc.sitename),
        url=absolute or _clean(doc.url),
        extracted_by=f"trafilatura {trafilatura.__version__}",
        canonical=canonical,
        warnings=warnings,
    )


def _with_lede(text: str, tree: Any, title: str) -> str:
    """`text` with the page's lede put back before the first paragraph, if the extractor
    left it out (ingest/lede.py)."""
    from annotator.ingest.boilerplate import find_boilerplate

    lines = text.split("\n\n")
    first = next((i for i, line in enumerate(lines) if is_prose(line) and line != title), None)
    if first is None:
        return text
    found = lede_blocks(tree, title, lines[first], text)
    if not found:
        return text
    joined = "\n\n".join(found)
    marked = find_boilerplate(joined)
    keep, pos = [], 0
    for block in found:
        end = pos + len(block)
        if not any(int(b[0]) < end and pos < int(b[1]) for b in marked):
            keep.append(block)
        pos = end + 2
    return "\n\n".join(lines[:first] + keep + lines[first:])


def _lede_left_out(tree: Any, description: str | None, text: str) -> tuple[str, ...]:
    """A warning if the page shows its own description (nearly always its lede) and the
    text lacks it: the lede stood where ingest/lede.py does not look."""
    if not description or not is_prose(description) or norm(description) in norm(text):
        return ()
    if not shown_on_page(tree, description):
        return ()  # a description written for search engines only
    short = description if len(description) <= 80 else description[:77] + "…"
    return (f"the page's lead paragraph is not in the imported text: „{short}“",)


# On a page without an article the extractor still returns something: its menu ("Home
# Politik"). An article has sentences.
_MIN_WORDS = 12


def _has_prose(text: str) -> bool:
    words = 0
    for line in text.splitlines():
        n = len(line.split())
        if n >= 6 and has_sentence(line):
            words += n
    return words >= _MIN_WORDS


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:MAX_FIELD_CHARS] or None
