"""Rules that find persons who are in no lexicon.

A capitalised word is a name only with a cue next to it, because German capitalises every
noun: a title or function before it ("Militärexperte Carlo Masala"), a speech verb
("sagte Masala", "Masala betonte", ", so Masala"), a party or age in brackets
("Kiesewetter (CDU)"), a known first name ("Carlo Masala"), or a title after a comma
("Heusgen, Leiter der ..."). Later surname-only mentions are then linked by `resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.nlp import cues
from annotator.nlp.text import (
    HYPHENS,
    NAME,
    NAME_RE,
    UPPER,
    WORD,
    alternation,
    at_sentence_start,
    is_lower_word,
    next_token,
    word_before,
)

_QUOTES = frozenset('“”"»«')
_PARTICLE = "|".join(re.escape(p) for p in cues.PARTICLES)
# Names never run across a line break; headlines and captions sit on lines of their own.
_TOKEN = re.compile(rf"[^\S\n]*((?:(?:{_PARTICLE}) )*)({NAME})")
_LEADING_PARTICLE_OK = frozenset({"von der", "van der", "van", "de", "De", "Van", "Le", "Di"})
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


@dataclass(slots=True)
class PersonSpan:
    start: int
    end: int
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class _Token:
    start: int  # where the name (or its particle) starts
    end: int
    word: str  # the capitalised word itself
    particle: str


class PersonRules:
    """Compiled once; `find` returns rule-found person spans, `resolve` links them."""

    def __init__(self, first_names: Iterable[str], party_names: Iterable[str]):
        self.first_names = frozenset(first_names)
        titles = "|".join(
            f"[{e[0].upper()}{e[0]}]{re.escape(e[1:])}" for e in sorted(cues.TITLE_ENDINGS)
        )
        title_words = "|".join(re.escape(w) for w in cues.TITLE_WORDS)
        ending = r"(?:innen|in|en|n|s)?"
        before_name = rf"(?=[{UPPER}]|(?:{_PARTICLE})\s)"
        self._title = re.compile(
            rf"(?:(?:{titles}){ending}|(?:{title_words}))"
            rf"(?:\s+(?:Dr\.|Prof\.|a\.\s?D\.))*\s+{before_name}"
        )
        self._verb_then_name = re.compile(rf"(?:{alternation(cues.SPEECH_VERBS)})\s+{before_name}")
        self._so_name = re.compile(rf",\s*so\s+{before_name}")
        self._name_then_verb = re.compile(
            rf"({NAME})\s+(?:{alternation(cues.SPEECH_VERBS)})(?!{WORD})"
        )
        self._first = re.compile(
            rf"(?:{alternation(self.first_names)})(?:[{HYPHENS}](?:{NAME}))?(?=\s)"
        )
        parties = alternation(sorted(set(party_names)))
        self._bracket = re.compile(rf"\s*\(\s*(?:{parties}|\d{{1,3}})\s*\)")
        self._bracket_tail = re.compile(rf"((?:{NAME}\s+){{0,2}}{NAME})$")
        self._title_word = re.compile(rf"\S*(?:{titles}){ending}")
        self._apposition = re.compile(
            rf"({NAME}),\s+(?:(?:der|die|ein|eine)\s+)?"
            rf"(?=[^\s,]*(?:{titles}){ending}[\s,])"
        )

    # -- finding -------------------------------------------------------------------------

    def find(self, text: str, blocked: set[int]) -> list[PersonSpan]:
        """Person spans found by cues; `blocked` holds starts of non-person lexicon spans."""
        found: list[PersonSpan] = []
        for match in self._title.finditer(text):
            self._add(found, self._take(text, match.end(), blocked))
        for match in self._verb_then_name.finditer(text):
            start = match.start()
            if start and text[start - 1].isalnum():
                continue
            verb = match.group().split()[0]
            if verb in cues.TRANSITIVE_SPEECH_VERBS and not self._after_quote(text, start):
                continue
            self._add(found, self._take(text, match.end(), blocked))
        for match in self._so_name.finditer(text):
            self._add(found, self._take(text, match.end(), blocked))
        for match in self._first.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in HYPHENS):
                continue
            self._add(found, self._take(text, start, blocked, min_tokens=2))
        for match in self._name_then_verb.finditer(text):
            span = self._subject(text, match.start(1), match.end(1), blocked)
            after = next_token(text, match.end())
            if after in cues.PRONOUNS or (after[:1].isupper() and after not in cues.STOP):
                continue  # "Damals sagte er", "Heute betonte Masala": the subject comes later
            self._add(found, span)
        for match in self._bracket.finditer(text):
            self._add(found, self._before_bracket(text, match.start(), blocked))
        for match in self._apposition.finditer(text):
            self._add(found, self._subject(text, match.start(1), match.end(1), blocked))
        return found

    @staticmethod
    def _add(found: list[PersonSpan], span: tuple[int, int] | None) -> None:
        if span:
            found.append(PersonSpan(*span))

    @staticmethod
    def _after_quote(text: str, pos: int) -> bool:
        """True right after a quotation: „…“, forderte X"""
        i = pos - 1
        while i >= 0 and (text[i].isspace() or text[i] == ","):
            i -= 1
        return i >= 0 and text[i] in _QUOTES

    def _is_first(self, word: str) -> bool:
        return word in self.first_names or all(
            part in self.first_names for part in re.split(f"[{HYPHENS}]", word)
        )

    def _tokens(self, text: str, pos: int, limit: int = 4) -> list[_Token]:
        tokens: list[_Token] = []
        while len(tokens) < limit:
            match = _TOKEN.match(text, pos)
            if not match:
                break
            end = match.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "'’"):
                break  # the name pattern stopped inside a word ("Nato2", "PiS-Chef" ...)
            particle = match.group(1).strip()
            tokens.append(_Token(match.start(1) if particle else match.start(2), end,
                                 match.group(2), particle))  # fmt: skip
            pos = end
        return tokens

    def _take(
        self, text: str, pos: int, blocked: set[int], *, min_tokens: int = 1
    ) -> tuple[int, int] | None:
        """The name that starts at `pos`: one word, or more when the first is a first name."""
        tokens = self._tokens(text, pos)
        if not tokens:
            return None
        first = tokens[0]
        if first.particle and first.particle not in _LEADING_PARTICLE_OK:
            return None
        if self._not_a_name(first, blocked):
            return None
        count = 1
        while count < len(tokens):
            prev, cur = tokens[count - 1], tokens[count]
            if self._not_a_name(cur, blocked):
                break
            if not prev.particle and self._is_first(prev.word):
                count += 1
                continue
            if count == 1:
                # An unknown first name ("Ruprecht von Alvensleben", "Elif Karaca"): only
                # if the name ends there.
                after = next_token(text, cur.end)
                if cur.particle or not after[:1].isupper() or after in cues.STOP:
                    count += 1
            break
        if count < min_tokens:
            return None
        return first.start, tokens[count - 1].end

    def _not_a_name(self, token: _Token, blocked: set[int]) -> bool:
        start = token.end - len(token.word)
        return start in blocked or cues.looks_like_noun(token.word)

    def _subject(
        self, text: str, start: int, end: int, blocked: set[int]
    ) -> tuple[int, int] | None:
        """A single name before a speech verb or a comma-title: only where a common noun
        would need an article or an adjective in front."""
        word = text[start:end]
        if start and (text[start - 1].isalnum() or text[start - 1] in HYPHENS):
            return None
        if start in blocked or cues.looks_like_noun(word) or self._title_word.fullmatch(word):
            return None
        before = word_before(text, start)
        if not before:
            return (start, end) if at_sentence_start(text, start) else None
        if is_lower_word(before):
            if before in cues.FUNCTION_WORDS:
                return start, end
            if before in cues.DETERMINERS or before.endswith(_ADJECTIVE_ENDINGS):
                return None
            return start, end
        first = start - len(before) - 1
        if text[first + len(before)] == " " and self._unknown_first_name(text, first, before):
            return first, end  # "Elif Karaca sagte", "Jaroslav Doležal, Vizeaußenminister"
        return None

    def _unknown_first_name(self, text: str, start: int, word: str) -> bool:
        """A capitalised word right before a cued surname that is a first name we do not
        know: only at the start of a sentence, where no title or article precedes it."""
        if not NAME_RE.fullmatch(word) or cues.looks_like_noun(word):
            return False
        return self._is_first(word) or at_sentence_start(text, start)

    def _before_bracket(self, text: str, pos: int, blocked: set[int]) -> tuple[int, int] | None:
        window_start = max(0, pos - 80)
        match = self._bracket_tail.search(text, window_start, pos)
        if not match:
            return None
        words = match.group(1).split()
        offsets = [m.start() for m in re.finditer(r"\S+", match.group(1))]
        i = len(words) - 1
        while i > 0 and self._is_first(words[i - 1]):
            i -= 1
        base = match.start(1)
        if (
            i == len(words) - 1
            and i > 0
            and self._unknown_first_name(text, base + offsets[i - 1], words[i - 1])
        ):
            i -= 1
        start = base + offsets[i]
        if start in blocked or cues.looks_like_noun(words[-1]):
            return None
        if self._title_word.fullmatch(words[-1]):
            return None
        if i == len(words) - 1:
            if start and text[start - 1].isalnum():
                return None
            if word_before(text, start) in cues.DETERMINERS:
                return None
        return start, pos

    # -- linking -------------------------------------------------------------------------

    def resolve(self, text: str, persons: list[PersonSpan], blocked: set[int]) -> list[PersonSpan]:
        """Give every person span an actor (the fullest name seen in the article) and
        return the extra spans for later surname-only mentions ("Masala", "Masalas")."""
        by_surname: dict[str, str] = {}
        ordered = sorted(persons, key=lambda p: (-text.count(" ", p.start, p.end), p.start))
        for person in ordered:
            last = text[person.start : person.end].split()[-1]
            if person.actor is None:
                person.actor = (
                    by_surname.get(last)
                    or (by_surname.get(last[:-1]) if last.endswith("s") else None)
                    or text[person.start : person.end]
                )
            by_surname.setdefault(last, person.actor)
        surnames = [s for s in by_surname if len(s) > 2 and s not in cues.STOP]
        if not surnames:
            return []
        pattern = re.compile(rf"(?:{alternation(surnames)})(?:s|['’])?(?!{WORD})")
        extra: list[PersonSpan] = []
        for match in pattern.finditer(text):
            start, end = match.span()
            if start and (text[start - 1].isalnum() or start in blocked):
                continue
            if word_before(text, start) in cues.DETERMINERS:
                continue  # "der Richter" is a judge, even after "Anna Richter"
            if text[end - 1] in "'’":
                end -= 1
            word = text[start:end]
            actor = by_surname.get(word) or by_surname.get(word[:-1])
            if actor:
                extra.append(PersonSpan(start, end, actor))
        return extra
