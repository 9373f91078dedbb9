"""Sentences: the one splitter, used by the exports and the window's evidence candidates.

Sentences end where spaCy's sentencizer ends them (on spaCy's blank German tokenizer) and at
every line break: the articles hold one paragraph per line and headlines carry no full stop,
so the sentencizer alone would glue a headline to the next paragraph. Because a sentence
never crosses a line, lines are split lazily, only when someone asks for them. Offsets are
Python `str` indices; sentences are trimmed of surrounding whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokenizer import Tokenizer

Span = tuple[int, int]


def blank_german() -> Language:
    """`spacy.blank("de")` without its whitespace special cases (they change no token but
    send every document through spaCy's slow special-case pass)."""
    nlp = spacy.blank("de")
    tokenizer = cast(Tokenizer, nlp.tokenizer)  # a blank pipeline's is spaCy's Tokenizer
    rules = tokenizer.rules or {}
    tokenizer.rules = {k: v for k, v in rules.items() if not k.isspace()}
    return nlp


@lru_cache(maxsize=1)
def _word_tokenizer() -> Tokenizer:
    """A second, identical tokenizer for the single words that sentence splitting looks at.

    spaCy's tokenizer caches the first 10,000 chunks it meets and then caches nothing more.
    Fed one new word at a time, the shared tokenizer would spend that cache on them, and
    every later article would be tokenized uncached: a documents export run after a stances
    export of a large corpus took ten times as long.
    """
    return blank_german().tokenizer


_MARKS = frozenset(Sentencizer.default_punct_chars)  # single characters, all punctuation
# Candidates for a mark: the ASCII marks, and every character from the first non-ASCII mark
# on (German text has few: quotes, dashes); the marks among them are picked in Python. A
# class of the 128 marks themselves makes `re` ten times slower on German text.
_ASCII_MARKS = "".join(sorted(c for c in _MARKS if c.isascii()))
_CANDIDATE = re.compile(
    f"[{re.escape(_ASCII_MARKS)}{min(c for c in _MARKS if not c.isascii())}-\U0010ffff]"
)
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_WORD_CACHE_SIZE = 1 << 16
_word_cache: dict[str, tuple[tuple[int, bool, bool], ...]] = {}


def _word_tokens(word: str) -> tuple[tuple[int, bool, bool], ...]:
    """(offset, is a mark, is punctuation) per spaCy token of one word, remembered.

    spaCy caches its tokenization of a word, but still builds a Doc per call, which costs
    more than the lookup here; words such as "sagte." or "ab." recur all the time. The cache
    is bounded (emptied when full).
    """
    found = _word_cache.get(word)
    if found is None:
        marks = _MARKS
        found = tuple((t.idx, t.text in marks, t.is_punct) for t in _word_tokenizer()(word))
        if len(_word_cache) >= _WORD_CACHE_SIZE:
            _word_cache.clear()
        _word_cache[word] = found
    return found


def _next_mark(line: str, pos: int) -> int:
    """Offset of the next sentence mark character at or after `pos`, or -1."""
    marks = _MARKS
    found = _CANDIDATE.search(line, pos)
    while found is not None:
        if found[0] in marks:
            return found.start()
        found = _CANDIDATE.search(line, found.end())
    return -1


def line_sentence_starts(line: str) -> list[int]:
    """Offsets in `line` (no line break inside) where spaCy's sentencizer starts a sentence,
    with its tokenizer run on a few words only.

    The sentencizer starts a sentence at the first token after a sentence mark (".", "!",
    "?", ...) that is neither punctuation nor a mark. spaCy applies it through a Token
    object per token in Python, and tokenizing and applying it to every line made up most of
    the stances export.

    The tokenizer cuts the text at whitespace and splits each word on its own, and the
    sentencizer's rule only looks at tokens that are a sentence mark and at the tokens after
    one. So only the words holding a mark character are tokenized, plus, after a mark, the
    next word when it begins with punctuation (an opening quote may come before the start).
    A run of whitespace other than one space is a token of its own, which starts the
    sentence. tests/export/test_text.py checks the result against tokenizing whole lines.
    """
    starts = [0]
    pos, seen, n = 0, False, len(line)
    while pos < n:
        if seen:
            word = _WORD.search(line, pos)
            a, b = word.span() if word else (n, n)
            if a - pos != 1 or line[pos] != " ":  # a whitespace token comes first
                starts.append(pos + 1 if line[pos] == " " else pos)
                seen = False
                pos = a
                continue
            if word is None:
                break
            if not unicodedata.category(line[a]).startswith("P"):
                starts.append(a)  # its first token is no punctuation
                seen = False
                pos = a
                continue
        else:
            a = _next_mark(line, pos)
            if a < 0:
                break
            end = _SPACE.search(line, a)
            b = end.start() if end else n
            while a > pos and not line[a - 1].isspace():
                a -= 1
        for offset, is_mark, is_punct in _word_tokens(line[a:b]):
            if seen and not is_punct and not is_mark:
                starts.append(a + offset)
                seen = False
            elif is_mark:
                seen = True
        pos = b
    return starts


# Marks that open a quotation or a parenthesis in German and English text.
_OPENERS = frozenset("„‚“‘»«\"'([")


def _with_opener(line: str, start: int) -> int:
    """Where a sentence really starts: the sentencizer leaves an opening quotation mark
    with the sentence before it ("... erhöhen. „Zwei Prozent ..."), because the mark is
    punctuation. Marks that stand after a space right before the start belong to it."""
    k = start
    while k > 0 and line[k - 1] in _OPENERS:
        k -= 1
    return k if k < start and (k == 0 or line[k - 1].isspace()) else start


def _line_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentences of text[start:end] (one line), trimmed of surrounding whitespace."""
    line = text[start:end]
    if not line.strip():
        return []
    offsets = [_with_opener(line, k) if k else k for k in line_sentence_starts(line)]
    out: list[Span] = []
    for a, b in zip(offsets, [*offsets[1:], len(line)], strict=True):
        piece = line[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if b - trail > a + lead:
            out.append((start + a + lead, start + b - trail))
    return out


class Sentences:
    """The sentences of one article, split line by line on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts
        self._cache: dict[int, list[Span]] = {}

    def _line_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def line(self, index: int) -> list[Span]:
        found = self._cache.get(index)
        if found is None:
            start = self._starts[index]
            end = self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self.text)
            found = self._cache[index] = _line_sentences(self.text, start, end)
        return found

    def covering(self, start: int, end: int) -> list[Span]:
        """Sentences that overlap text[start:end] (a sentence for an empty or blank range)."""
        first, last = self._line_of(start), self._line_of(max(start, end - 1))
        out: list[Span] = []
        for i in range(first, last + 1):
            out.extend(s for s in self.line(i) if s[0] < end and start < s[1])
        if not out:
            out.extend(s for s in self.line(first) if s[0] <= start <= s[1])
        return out

    def window(self, first: Span, last: Span, size: int) -> Span:
        """Offsets from `size` sentences before `first` to `size` sentences after `last`."""
        start, end = first[0], last[1]
        if size <= 0:
            return start, end
        line = self._line_of(first[0])
        need = size
        while need > 0 and line >= 0:
            before = [s for s in self.line(line) if s[1] <= start]
            take = before[-need:]
            if take:
                start = take[0][0]
                need -= len(take)
            line -= 1
        line = self._line_of(last[1] - 1)
        need = size
        while need > 0 and line < len(self._starts):
            after = [s for s in self.line(line) if s[0] >= end]
            take = after[:need]
            if take:
                end = take[-1][1]
                need -= len(take)
            line += 1
        return start, end

    def all(self) -> list[Span]:
        out: list[Span] = []
        for i in range(len(self._starts)):
            out.extend(self.line(i))
        return out
