"""The lede (teaser, standfirst, intro, "Vorspann") of a saved news page, where the
extractor left it out.

trafilatura drops blocks whose class says "teaser" (in every mode but favor_recall) and, in
precision mode, everything in a <header>; and it often takes only the body's container, so
a lede standing between the headline and the body is lost even with favor_recall. The lede
is where a report states its stances first ("Die FDP warnt vor neuen Schulden, die Grünen
signalisieren Zustimmung"), so it is found again here, by position rather than by class
names (sites name it teaser, lead, leadtext, intro, summary, standfirst, vorspann, or give
it hashed names): the prose blocks between the page's headline and the first paragraph the
extractor kept. Figures and captions, asides, navigation, forms, hidden blocks and blocks
named as bylines, players, ads or paywall are never taken; what the boilerplate rules mark
(ingest/boilerplate.py) neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Blocks of text (a lede is a leaf among them: it holds no other block).
_LEAVES = frozenset({"p", "div", "section", "li", "dd", "td", "blockquote"})
_LEAVES |= {"h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _LEAVES | {"h1", "header", "article", "aside", "main", "nav", "footer", "form"}
_BLOCKS |= {"figure", "figcaption", "ul", "ol", "dl", "table", "tr"}
# Never a lede, nor anything inside them.
_NEVER = frozenset({"figure", "figcaption", "aside", "nav", "footer", "form", "button"})
_NEVER |= {"select", "label", "script", "style", "noscript", "template", "iframe"}
_NEVER |= {"object", "video", "audio", "picture", "head", "title"}
# Class or id parts of what stands between headline and body but is no lede.
_NOT_LEDE = re.compile(
    r"caption|credit|copyright|bildunterschrift|byline|author|autor|share|social|audio|"
    r"player|video|advert|anzeige|werbung|newsletter|paywall|subscri|related|comment|"
    r"posting|cookie|consent|breadcrumb|(?:^|[\s_-])ads?(?:$|[\s_-])",
    re.I,
)
# A sentence: two words before a full stop, "!" or "?" (a menu or a date line has none).
_STOPS = re.compile(r"[.!?]")
_WORD = re.compile(r"\w")
_NEXT_WORD = re.compile(r"\s\w")
# A lede ends as a sentence does; a date line ("Aus der Zeit Nr. 26/2024 20. Juni") not.
_SENTENCE_END = re.compile(r"[.!?…][\"“”»«']?\Z")
_MIN_WORDS = 6
_MAX_LINKED = 0.5  # a teaser item is mostly a link; a lede is not
_PREFIX = 60  # characters that find the extract's first paragraph in the page


def norm(text: str) -> str:
    return " ".join(text.split())


def _text(el: Any) -> str:
    return norm(" ".join(el.itertext()))


def has_sentence(text: str) -> bool:
    """Whether some stretch without a stop holds a word, later a space and a word, and ends
    in a stop. Found piece by piece: the one regex for it backtracked cubically, so a
    6,000-character headline without a full stop took 100 seconds."""
    *ended, _ = _STOPS.split(text)
    for piece in ended:
        first = _WORD.search(piece)
        if first is not None and _NEXT_WORD.search(piece, first.end()) is not None:
            return True
    return False


def is_prose(text: str) -> bool:
    return len(text.split()) >= _MIN_WORDS and has_sentence(text)


def _lede_shaped(el: Any, text: str) -> bool:
    return (
        is_prose(text)
        and _SENTENCE_END.search(text) is not None
        and next(el.iter("time"), None) is None  # a byline or date line
    )


def _hidden(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (
        el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _excluded(el: Any) -> bool:
    """`el` or an element around it is no place for a lede."""
    node = el
    while node is not None:
        if not isinstance(node.tag, str) or node.tag in _NEVER or _hidden(node):
            return True
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if _NOT_LEDE.search(names):
            return True
        node = node.getparent()
    return False


def _elements(root: Any) -> Iterator[Any]:
    for el in root.iter():
        if isinstance(el.tag, str):
            yield el


def _headline(order: list[Any], before: int, title: str) -> int | None:
    """Index of the page's headline: the last element before the body whose text is the
    title, or a part of it (a <title> of "Kicker: Headline | Site" holds the <h1>'s text)."""
    want = norm(title).casefold()
    if not want:
        return None
    for i in range(before - 1, -1, -1):
        text = _text(order[i]).casefold()
        if not text or len(text) > len(want) + 40:
            continue
        if text == want or (text in want and len(text) >= len(want) / 2) or want in text:
            return i
    return None


def _body_start(order: list[Any], first: str) -> int | None:
    """Index of the element that holds the extract's first paragraph (the innermost one)."""
    prefix = norm(first)[:_PREFIX].casefold()
    found = None
    for i, el in enumerate(order):
        if el.tag not in _BLOCKS:
            continue
        text = _text(el).casefold()
        if text.startswith(prefix) and len(text) <= len(norm(first)) * 1.2 + 40:
            found = i  # an inner element comes later: keep going while it matches
        elif found is not None and i > found + 50:
            break
    return found


def _linked_share(el: Any, text: str) -> float:
    linked = sum(len(_text(a)) for a in el.iter("a"))
    return linked / max(len(text), 1)


def lede_blocks(root: Any, title: str, first_paragraph: str, extracted: str) -> list[str]:
    """The prose blocks between the headline and `first_paragraph` (the first paragraph of
    the extract) that the extract left out, in page order."""
    order = list(_elements(root))
    end = _body_start(order, first_paragraph)
    if end is None:
        return []
    start = _headline(order, end, title)
    if start is None:
        return []
    head = order[start]
    inside_head = set(head.iter())
    around_end = set(order[end].iterancestors())
    kept = norm(extracted)
    found: list[str] = []
    for el in order[start + 1 : end]:
        if el in inside_head or el in around_end or el.tag not in _LEAVES:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants()):
            continue
        text = _text(el)
        if not _lede_shaped(el, text) or text in kept or _excluded(el):
            continue
        if _linked_share(el, text) > _MAX_LINKED:
            continue
        found.append(text)
    return found


def shown_on_page(root: Any, text: str) -> bool:
    """Whether `text` (a page's description) is a block of the page's visible body."""
    want = norm(text).casefold()
    body = next(root.iter("body"), root)
    return any(
        el.tag in _LEAVES and not _hidden(el) and _text(el).casefold() == want
        for el in _elements(body)
    )
