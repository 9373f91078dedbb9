"""Character classes and small text tests shared by the lexicon matcher and the rules.

Everything works on Python str offsets of the original text; nothing is normalised, so
offsets stay valid for the store and the GUI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _chars(test: str) -> str:
    # Latin script incl. Extended-A/B and Vietnamese; names in German news are written in it.
    codes = [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]
    return "".join(re.escape(chr(c)) for c in codes if getattr(chr(c), test)())


UPPER = _chars("isupper")
LOWER = _chars("islower")
WORD = r"[^\W_]"  # a letter or digit (\w without the underscore)
HYPHENS = "-\u2010\u2011"

# One capitalised word that can be a name: "Masala", "McAllister", "O'Neill",
# "Strack-Zimmermann", "Masalas". Acronyms (SPD, NATO) are not names.
NAME = (
    rf"[{UPPER}](?:[{LOWER}]|[{UPPER}](?=[{LOWER}])|['’](?=[{UPPER}]))*[{LOWER}]"
    rf"(?:[{HYPHENS}][{UPPER}](?:[{LOWER}]|[{UPPER}](?=[{LOWER}]))*[{LOWER}])*"
)
NAME_RE = re.compile(NAME)
_WORD_BEFORE = re.compile(rf"((?:{WORD}|['’.{HYPHENS}])+)\s*$")
_WORD_AFTER = re.compile(rf"\s*({WORD}+|\S)")
_SENTENCE_OPENERS = frozenset('.!?:;\n"„“”«»‚‘›‹–—(')


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, built as a trie so matching stays fast for
    thousands of words; at one position the longest word wins."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie) or "(?!)"


def _emit(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        # Greedy optional: the longer word is tried first, the shorter one on backtracking.
        return f"(?:{body})?"
    return body


def word_before(text: str, pos: int, span: int = 40) -> str:
    """The word ending just before `pos` ("" when punctuation or the start comes first)."""
    found = _WORD_BEFORE.search(text, max(0, pos - span), pos)
    return found.group(1) if found and found.end() == pos else ""


def next_token(text: str, pos: int) -> str:
    """The word or punctuation sign that follows `pos` after spaces ("" at the end)."""
    found = _WORD_AFTER.match(text, pos)
    return found.group(1) if found else ""


def at_sentence_start(text: str, pos: int) -> bool:
    """True when only spaces, quotes or sentence punctuation separate `pos` from the
    previous sentence (or the start of the text)."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS


def is_lower_word(word: str) -> bool:
    return bool(word) and word[0].islower()
