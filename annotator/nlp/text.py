"""Character classes and small text tests shared by the lexicon matcher and the rules.

Everything works on Python str offsets of the original text; nothing is normalised, so
offsets stay valid for the store and the GUI.
"""

from __future__ import annotations

import re


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
_REV_WORD = re.compile(rf"{WORD}+(?:[{HYPHENS}]{WORD}+)*")
_WORD_AFTER = re.compile(rf"\s*({WORD}+|\S)")
_SENTENCE_OPENERS = frozenset('.!?:;\n"„“”«»‚‘›‹–—(')


class Article:
    """One text plus its reversal, made once per article: a regex `match` on the reversed
    text finds the word that ends at a position without scanning from the left."""

    __slots__ = ("text", "_rev")

    def __init__(self, text: str):
        self.text = text
        self._rev: str | None = None

    @property
    def rev(self) -> str:
        if self._rev is None:
            self._rev = self.text[::-1]
        return self._rev

    def word_start(self, end: int) -> int:
        """Start of the word (letters, digits, inner hyphens) that ends at `end`."""
        found = _REV_WORD.match(self.rev, len(self.text) - end)
        return end - len(found.group()) if found else end

    def word_before(self, pos: int) -> str:
        """The word right before `pos` and its spaces ("" after punctuation or at the start)."""
        text, end = self.text, pos
        while end > 0 and text[end - 1] in " \t\u00a0":
            end -= 1
        return text[self.word_start(end) : end]

    def next_token(self, pos: int) -> str:
        """The word or punctuation sign that follows `pos` after spaces ("" at the end)."""
        found = _WORD_AFTER.match(self.text, pos)
        return found.group(1) if found else ""

    def at_sentence_start(self, pos: int) -> bool:
        """True when only spaces, quotes or sentence punctuation separate `pos` from the
        previous sentence (or the start of the text)."""
        text, i = self.text, pos - 1
        while i >= 0 and text[i] in " \t\u00a0":
            i -= 1
        return i < 0 or text[i] in _SENTENCE_OPENERS
