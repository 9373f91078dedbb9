"""Limits on what the tool stores, checked wherever data comes in: import, merge, the window.

Names (actors, aliases, annotators, cue words) become parts of the highlighter's and the
cue matcher's patterns, so one absurd name must not be able to break every later import.
The longest real actor names are about 70 characters ("Bundesministerium für wirtschaftliche
Zusammenarbeit und Entwicklung"); a longer one is a whole selected paragraph or a damaged
file. A name must also be seen to be told apart: no control, format (zero-width, bidi
override, soft hyphen) or line/paragraph separator characters, and at least one character
that shows (`assign -a $'\\u200b',ben` had made an invisible coder). Text marked by hand
becomes an alias that the highlighter then finds everywhere, so it must be whole words and
no stop word ("die" made 1,470 junk mentions per 100 articles): `check_marked_text`.
The server checks the same rules, built from these functions (annotator/server/names.py).
Metadata is free-form JSON, but strict JSON (no NaN or Infinity, which no JSON reader
accepts) and nested only as deep as real metadata goes. An article's id, title, source, date
and URL as a file gives them are kept as written or refused (`check_field`), never changed:
they are shown in tables and terminals, and an id is typed on the command line. A title the
tool derives from a text is made fit to show instead (`shown_text`): nobody typed it.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import runpy
import unicodedata
from pathlib import Path
from typing import Any

from annotator.errors import InputError

MAX_NAME_CHARS = 200
MAX_META_DEPTH = 20
MIN_ALIAS_CHARS = 2
# Saved pages' ids made from long URLs are cut here (ingest/pageid.py).
MAX_ID_CHARS = 160
# Titles, sources and dates: derived ones are cut here (ingest/readers.py, ingest/html.py).
MAX_FIELD_CHARS = 300
# URLs: the sitemaps protocol's limit, which search engines and browsers keep too.
MAX_URL_CHARS = 2048
# Far beyond any news article (and spaCy's default max_length): a bigger "article" is a
# dump imported by mistake; highlighting it would take minutes and gigabytes.
MAX_ARTICLE_CHARS = 1_000_000
# An article's own fields: (key, what it is called, longest, formatting characters let
# through), checked with check_field by the JSONL reader and when a merge adds an article.
ARTICLE_FIELDS = (
    ("id", "id", MAX_ID_CHARS, False),
    ("title", "title", MAX_FIELD_CHARS, True),
    ("source", "source", MAX_FIELD_CHARS, False),
    ("date", "date", MAX_FIELD_CHARS, False),
    ("url", "url", MAX_URL_CHARS, False),
)

# Unicode categories: control, format, line and paragraph separator, surrogate.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
# Shows nothing by itself: the above, spaces, and marks that only change another character.
_SHOWS_NOTHING = REFUSED_CATEGORIES | {"Zs", "Mn", "Me"}
# Letters and symbols drawn as blanks (Hangul fillers, the empty braille pattern).
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def refused_char(ch: str) -> bool:
    """A character no name may hold."""
    return unicodedata.category(ch) in REFUSED_CATEGORIES


def visible_char(ch: str) -> bool:
    """A character that shows on its own: a name needs at least one."""
    return unicodedata.category(ch) not in _SHOWS_NOTHING and ch not in _BLANKS


def word_char(ch: str) -> bool:
    """Part of a word (letters, digits, combining marks, connectors such as "_")."""
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Pc"


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()


def check_name(value: Any, what: str = "name") -> str:
    """Return the name stripped, or raise InputError saying what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"the {what} is empty")
    name = value.strip()
    if len(name) > MAX_NAME_CHARS:
        raise InputError(
            f"the {what} {name[:40]!r}… is {len(name):,} characters long; "
            f"names have at most {MAX_NAME_CHARS}"
        )
    bad = next((ch for ch in name if refused_char(ch)), None)
    if bad is not None:
        raise InputError(
            f"the {what} {name[:40]!r} contains a line break, a control character or an "
            f"invisible formatting character ({_code(bad)})"
        )
    if not any(visible_char(ch) for ch in name):
        raise InputError(f"the {what} {name[:40]!r} has no visible character")
    return name


def check_field(value: str, what: str, max_chars: int, *, formatting: bool = False) -> str:
    """Return `value` as given if it may be an article's `what` (id, title...), else raise
    InputError. `formatting` lets format characters and tabs through (soft hyphens, an
    emoji's zero-width joiner, bidi marks: real headlines hold them); line breaks and
    control characters never pass (a terminal runs "\\x1b]0;..." as a command)."""
    if len(value) > max_chars:
        raise InputError(
            f"the {what} {value[:40]!r}… is {len(value):,} characters long; the limit is "
            f"{max_chars:,}"
        )
    bad = next((ch for ch in value if refused_char(ch) and not _let_through(ch, formatting)), None)
    if bad is not None:
        raise InputError(
            f"the {what} {value[:40]!r} contains a line break, a control character or an "
            f"invisible formatting character ({_code(bad)})"
        )
    if not any(visible_char(ch) for ch in value):
        raise InputError(f"the {what} {value[:40]!r} has no visible character")
    return value


def _let_through(ch: str, formatting: bool) -> bool:
    return formatting and (ch == "\t" or unicodedata.category(ch) == "Cf")


def shown_text(value: str, max_chars: int = MAX_FIELD_CHARS) -> str:
    """A text the tool derived (a headline) fit to show: control characters and line
    breaks left out, tabs made spaces, stripped, at most `max_chars` long."""
    kept = "".join(" " if ch == "\t" else ch for ch in value if not _control(ch))
    return kept.strip()[:max_chars]


def _control(ch: str) -> bool:
    return ch != "\t" and unicodedata.category(ch) in {"Cc", "Zl", "Zp", "Cs"}


@functools.cache
def stop_words() -> frozenset[str]:
    """spaCy's German and English stop words, lower case."""
    # Read from spaCy's files without importing spaCy, which takes a second and which the
    # window must not load (tests/test_architecture.py); they are plain Python sets.
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("spaCy is not installed: pip install stance-annotator")
    root = Path(next(iter(spec.submodule_search_locations))) / "lang"
    words: set[str] = set()
    for language in ("de", "en"):
        words |= runpy.run_path(str(root / language / "stop_words.py"))["STOP_WORDS"]
    return frozenset(w.lower() for w in words)


def is_stop_word(alias: str) -> bool:
    """A stop word in any case but all capitals ("die", "Die"; not the acronym "AG")."""
    return alias.lower() in stop_words() and not alias.isupper()


def check_marked_text(text: str, start: int, end: int) -> str:
    """The text marked as `text[start:end]`, stripped, if it may become an actor's alias;
    else InputError saying why. The server applies the same rule (team_check_mark)."""
    marked = text[start:end]
    start += len(marked) - len(marked.lstrip())
    end -= len(marked) - len(marked.rstrip())
    alias = check_name(text[start:end], "marked text")
    # What the highlighter's word boundaries leave of it ("Die," is "Die").
    a, b = 0, len(alias)
    while a < b and not word_char(alias[a]):
        a += 1
    while b > a and not word_char(alias[b - 1]):
        b -= 1
    core = alias[a:b]
    if len(core) < MIN_ALIAS_CHARS:
        raise InputError(
            f"the marked text {alias!r} is shorter than {MIN_ALIAS_CHARS} characters: mark "
            "the whole name"
        )
    cut_start = start > 0 and word_char(text[start - 1]) and word_char(text[start])
    if cut_start or (end < len(text) and word_char(text[end - 1]) and word_char(text[end])):
        a = b = start if cut_start else end  # the word cut there
        while a > 0 and word_char(text[a - 1]):
            a -= 1
        while b < len(text) and word_char(text[b]):
            b += 1
        raise InputError(
            f"the marked text {alias!r} is part of the word {text[a:b][:60]!r}: mark whole "
            "words, or the highlighter would find it inside other words too"
        )
    if is_stop_word(core):
        raise InputError(
            f"the marked text {alias!r} is a common word (a stop word) that the highlighter "
            "would find everywhere: mark the full name"
        )
    return alias


def check_meta(value: Any) -> None:
    """Refuse metadata that is not strict JSON or is nested deeper than MAX_META_DEPTH.

    Walks without recursion, so any depth is refused cleanly.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_META_DEPTH:
                raise InputError(f"metadata is nested more than {MAX_META_DEPTH} levels deep")
            children = item.values() if isinstance(item, dict) else item
            if isinstance(item, dict) and not all(isinstance(k, str) for k in item):
                raise InputError("metadata keys must be texts")
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, float) and not math.isfinite(item):
            raise InputError(f"metadata holds {item!r}, which is not valid JSON")
        elif not (item is None or isinstance(item, str | int | float | bool)):
            raise InputError(f"metadata holds a {type(item).__name__}, which is not JSON")
