"""Rules that find persons who are in no lexicon.

A capitalised word is a name only with a cue next to it, because German capitalises every
noun: a title or function before it ("Militärexperte Carlo Masala"), a speech verb
("sagte Masala", "Masala betonte", ", so Masala"), a party or age in brackets
("Kiesewetter (CDU)"), a known first name ("Carlo Masala"), or a title after a comma
("Heusgen, Leiter der ..."). Later surname-only mentions are then linked by `resolve`.

Every pass starts with something the regex engine can skip to quickly (a comma, a
bracket, whitespace, a capital letter); the title pass runs on the reversed text so that
it, too, starts at the capital letter of the name instead of trying every title ending
at every position.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

from annotator.nlp import wordlists
from annotator.nlp.text import HYPHENS, NAME, NAME_RE, UPPER, WORD, Article
from annotator.patterns import alternation

_QUOTES = frozenset('“”"»«')
_PARTICLE = "|".join(re.escape(p) for p in wordlists.PARTICLES)
# Names never run across a line break; headlines and captions sit on lines of their own.
_TOKEN = re.compile(rf"[^\S\n]*((?:(?:{_PARTICLE}) )*)({NAME})")
_NEXT_WORD = re.compile(rf"{WORD}+(?:[{HYPHENS}]{WORD}+)*")
_LEADING_PARTICLE_OK = frozenset({"von der", "van der", "van", "de", "De", "Van", "Le", "Di"})
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
_SPACE = " \t\u00a0"


@dataclass(slots=True)
class PersonSpan:
    start: int
    end: int
    actor: str | None = None


@dataclass(frozen=True, slots=True)
class _Scan:
    """What the rules know about one article; passed along so that one PersonRules can
    serve several threads."""

    article: Article
    blocked: set[int]  # starts of non-person lexicon spans: never part of a name
    known: set[int]  # starts of all lexicon spans: the lexicon wins there anyway


@dataclass(frozen=True, slots=True)
class _Token:
    start: int  # where the name (or its particle) starts
    end: int
    word: str  # the capitalised word itself
    particle: str


def _reversed_titles() -> str:
    endings = [v for e in wordlists.TITLE_ENDINGS for v in (e, e[0].upper() + e[1:])]
    titles = alternation(w[::-1] for w in [*endings, *wordlists.TITLE_WORDS])
    inflection = "|".join(s[::-1] for s in wordlists.TITLE_INFLECTIONS)
    # Reversed "Oberst a. D. Reinhard", "Professor Dr. Hans": extra titles between.
    between = r"(?:(?:\.D ?\.a|\.rD|\.forP)[^\S\n]+)*"
    return rf"[{UPPER}][^\S\n]+{between}(?:{inflection})?(?:{titles})"


class PersonRules:
    """Compiled once; `find` returns rule-found person spans, `resolve` links them."""

    def __init__(self, first_names: Iterable[str], party_names: Iterable[str]):
        self.first_names = frozenset(first_names)
        self._titles_reversed = re.compile(_reversed_titles())
        self._verbs = re.compile(rf"\s(?:{alternation(wordlists.SPEECH_VERBS)})(?!{WORD})")
        self._so = re.compile(rf",[^\S\n]*so[^\S\n]+(?=[{UPPER}])")
        self._first = re.compile(
            rf"(?:{alternation(self.first_names)})(?:[{HYPHENS}](?:{NAME}))?(?=\s)"
        )
        parties = alternation(sorted(set(party_names)))
        self._bracket = re.compile(rf"\([^\S\n]*(?:{parties}|\d{{1,3}})[^\S\n]*\)")
        self._comma_title = re.compile(rf",[^\S\n]+(?:(?:der|die|ein|eine)[^\S\n]+)?(?=[{UPPER}])")

    # -- finding -------------------------------------------------------------------------

    def find(self, article: Article, blocked: set[int], known: set[int]) -> list[PersonSpan]:
        """Person spans found by cues. `blocked` holds the starts of non-person lexicon
        spans (never part of a name), `known` the starts of all lexicon spans: a cue in
        front of a lexicon person needs no rule, the lexicon wins there anyway."""
        scan = _Scan(article, blocked, known)
        text = article.text
        found: list[PersonSpan] = []
        add = found.append
        last = len(text) - 1
        for match in self._titles_reversed.finditer(article.rev):
            start = last - match.start()
            if start not in known:  # checked here too: most cued names are lexicon names
                span = self._take(scan, start)
                if span:
                    add(span)
        for match in self._verbs.finditer(text):
            for span in self._around_verb(scan, match.start() + 1, match.end()):
                add(span)
        for match in self._so.finditer(text):
            span = self._take(scan, match.end())
            if span:
                add(span)
        for match in self._first.finditer(text):
            start = match.start()
            if start in known or (
                start and (text[start - 1].isalnum() or text[start - 1] in HYPHENS)
            ):
                continue
            span = self._take(scan, start, min_tokens=2)
            if span:
                add(span)
        for match in self._bracket.finditer(text):
            span = self._before_bracket(scan, match.start())
            if span:
                add(span)
        for match in self._comma_title.finditer(text):
            title = _NEXT_WORD.match(text, match.end())
            if title and wordlists.is_title(title.group()):
                span = self._subject(scan, article.word_start(match.start()))
                if span:
                    add(span)
        return found

    def _around_verb(self, scan: _Scan, start: int, end: int) -> Iterable[PersonSpan]:
        article = scan.article
        text = article.text
        after = article.next_token(end)
        # "sagte Masala": some verbs take an object noun without article ("forderte
        # Sanktionen"), so after those a name only counts right after a quotation.
        if after[:1].isupper() or after in wordlists.PARTICLES:
            verb = text[start:end]
            if verb not in wordlists.TRANSITIVE_SPEECH_VERBS or self._after_quote(text, start):
                span = self._take(scan, end)
                if span:
                    yield span
        # "Masala sagte", unless the subject follows ("Damals sagte er", "Heute sagte X").
        if start and text[start - 1] == " " and after not in wordlists.PRONOUNS:
            if after[:1].isupper() and after not in wordlists.STOP:
                return
            span = self._subject(scan, article.word_start(start - 1))
            if span:
                yield span

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
            start = match.start(1) if particle else match.start(2)
            tokens.append(_Token(start, end, match.group(2), particle))
            pos = end
        return tokens

    def _take(self, scan: _Scan, pos: int, *, min_tokens: int = 1) -> PersonSpan | None:
        """The name that starts at `pos`: one word, or more when the first is a first name."""
        if pos in scan.known:
            return None
        article, blocked = scan.article, scan.blocked
        tokens = self._tokens(article.text, pos)
        if not tokens:
            return None
        first = tokens[0]
        if first.particle and first.particle not in _LEADING_PARTICLE_OK:
            return None
        if self._not_a_name(first, blocked) or wordlists.is_title(first.word):
            return None  # "sagte Oberstleutnant Malte Jorgensen": the title pass has it
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
                after = article.next_token(cur.end)
                if cur.particle or not after[:1].isupper() or after in wordlists.STOP:
                    count += 1
            break
        if count < min_tokens:
            return None
        return PersonSpan(first.start, tokens[count - 1].end)

    def _not_a_name(self, token: _Token, blocked: set[int]) -> bool:
        if token.end - len(token.word) in blocked:
            return True
        return wordlists.looks_like_noun(token.word) and token.word not in self.first_names

    def _subject(self, scan: _Scan, start: int) -> PersonSpan | None:
        """A single name before a speech verb or a comma-title: only where a common noun
        would need an article or an adjective in front."""
        article, blocked = scan.article, scan.blocked
        text = article.text
        if start in scan.known:
            return None
        found = NAME_RE.match(text, start)
        if not found or text[found.end() : found.end() + 1] not in (" ", ","):
            return None
        end = found.end()
        word = found.group()
        if start in blocked or wordlists.looks_like_noun(word) or wordlists.is_title(word):
            return None
        before = article.word_before(start)
        if not before:
            return PersonSpan(start, end) if article.at_sentence_start(start) else None
        if before[0].islower():
            if before in wordlists.DETERMINERS:
                return None
            if before not in wordlists.FUNCTION_WORDS and before.endswith(_ADJECTIVE_ENDINGS):
                return None
            return PersonSpan(start, end)
        first = start - len(before) - 1
        if text[first + len(before)] == " " and self._unknown_first_name(article, first, before):
            return PersonSpan(first, end)  # "Elif Karaca sagte", "Jaroslav Doležal, Vize..."
        return None

    def _unknown_first_name(self, article: Article, start: int, word: str) -> bool:
        """A capitalised word right before a cued surname that is a first name we do not
        know: only at the start of a sentence, where no title or article precedes it."""
        if not NAME_RE.fullmatch(word) or wordlists.looks_like_noun(word):
            return False
        return self._is_first(word) or article.at_sentence_start(start)

    def _before_bracket(self, scan: _Scan, pos: int) -> PersonSpan | None:
        """Names before a party or age in brackets: "Roderich Kiesewetter (CDU)"."""
        article, blocked = scan.article, scan.blocked
        text = article.text
        end = pos
        while end > 0 and text[end - 1] in _SPACE:
            end -= 1
        words: list[tuple[int, int]] = []
        cursor = end
        while len(words) < 3:
            start = article.word_start(cursor)
            if start == cursor or not NAME_RE.fullmatch(text, start, cursor):
                break
            words.insert(0, (start, cursor))
            if start == 0 or text[start - 1] != " ":
                break
            cursor = start - 1
        if not words:
            return None
        surname = text[words[-1][0] : words[-1][1]]
        if (
            words[-1][0] in blocked
            or wordlists.looks_like_noun(surname)
            or wordlists.is_title(surname)
        ):
            return None
        i = len(words) - 1
        while i > 0 and self._is_first(text[words[i - 1][0] : words[i - 1][1]]):
            i -= 1
        if i == len(words) - 1:
            if i > 0 and self._unknown_first_name(
                article, words[i - 1][0], _span(text, words[i - 1])
            ):
                i -= 1
            elif article.word_before(words[i][0]) in wordlists.DETERMINERS:
                return None
        return PersonSpan(words[i][0], end)

    # -- linking -------------------------------------------------------------------------

    def resolve(
        self,
        article: Article,
        persons: list[PersonSpan],
        blocked: set[int],
        lexicon_forms: Container[str] = (),
    ) -> list[PersonSpan]:
        """Give every person span an actor (the fullest name seen in the article) and
        return the extra spans for later surname-only mentions ("Masala", "Masalas")."""
        text = article.text
        by_surname: dict[str, str] = {}
        guessed = []
        for person in persons:
            if person.actor is None:
                guessed.append(person)
            else:
                by_surname.setdefault(text[person.start : person.end].split()[-1], person.actor)
        # Fullest names first, so that "Masala" finds "Carlo Masala" as its actor.
        guessed.sort(key=lambda p: (-text.count(" ", p.start, p.end), p.start))
        for person in guessed:
            last = text[person.start : person.end].split()[-1]
            person.actor = (
                by_surname.get(last)
                or (by_surname.get(last[:-1]) if last.endswith("s") else None)
                or text[person.start : person.end]
            )
            by_surname.setdefault(last, person.actor)
        extra: list[PersonSpan] = []
        for surname in by_surname:
            if len(surname) < 3 or surname in wordlists.STOP or surname in lexicon_forms:
                continue  # lexicon forms are found by the lexicon already
            # str.find per surname: an article names a handful of people, and compiling a
            # regex for each article would cost more than the search.
            at = text.find(surname)
            while at >= 0:
                start, end = at, at + len(surname)
                at = text.find(surname, end)
                if text[end : end + 1] == "s":
                    end += 1  # genitive "Masalas"
                if (start and (text[start - 1].isalnum() or start in blocked)) or (
                    end < len(text) and text[end].isalnum()
                ):
                    continue
                if article.word_before(start) in wordlists.DETERMINERS:
                    continue  # "der Richter" is a judge, even after "Anna Richter"
                extra.append(PersonSpan(start, end, by_surname[surname]))
        return extra


def _span(text: str, bounds: tuple[int, int]) -> str:
    return text[bounds[0] : bounds[1]]
