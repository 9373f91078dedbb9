"""Find lexicon actors in text, with every surface form of every actor.

Inflected forms are generated here rather than listed in the lexicon, so actors added at
run time (extra_actors) get them too: genitive -s ("Trumps", "Frankreichs"), the -en form
of names that start with an adjective ("Europäischen Union") and, for adjectives, the
capitalised form that only counts at the start of a sentence ("Französische Truppen...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.nlp.lexicon import ActorEntry
from annotator.nlp.text import HYPHENS, WORD, Article
from annotator.patterns import alternation

# Adjectives derived from places ("französisch", "US-amerikanische") are the lowercase
# forms ending in -sch(e/en/er/es/em); they are MISC mentions of the actor.
_DERIVED = re.compile(r"(?:^|[\s\-‐])[a-zäöü][^\s\-‐]*sch(?:e|en|er|es|em)?$")
_GENITIVE_NEVER = frozenset("sßxzSXZ")
_ARTICLES = frozenset({"Der", "Die", "Das"})
_ADJECTIVE_START = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]{2,}?)(e|er|es)\s+(?=[A-ZÄÖÜ])")


@dataclass(frozen=True, slots=True)
class Form:
    """What a matched surface form stands for."""

    actor: str
    label: str
    is_person: bool
    sentence_start_only: bool = False


# (start, end, form): a plain tuple, because ~80 are made per article and a NamedTuple
# costs several times as much to create.
Found = tuple[int, int, Form]


def is_derived(alias: str) -> bool:
    return bool(_DERIVED.search(alias))


def surface_forms(entry: ActorEntry) -> dict[str, Form]:
    """Every string that counts as a mention of `entry`, with its label."""
    person = entry.type == "person"
    forms: dict[str, Form] = {}
    names = {a.strip() for a in (entry.name, *entry.aliases)}
    for alias in (entry.name, *entry.aliases):
        alias = alias.strip().rstrip("-‐")  # "NATO-" in a lexicon means the same as "NATO"
        if not alias:
            continue
        article, _, rest = alias.partition(" ")
        if article in _ARTICLES and rest in names:
            continue  # "Die Linke": the article is no part of the mention "Linke"
        if is_derived(alias):
            derived = Form(entry.name, "MISC", False)
            forms.setdefault(alias, derived)
            capital = alias[0].upper() + alias[1:]
            forms.setdefault(capital, Form(entry.name, "MISC", False, sentence_start_only=True))
            continue
        form = Form(entry.name, entry.label, person)
        variants = [alias]
        adjective = _ADJECTIVE_START.match(alias)
        if adjective and not person:
            # All endings, not just the lexicon's: "der Nationale Sicherheitsrat" must not
            # leave "Sicherheitsrat" to the UN entry.
            rest = alias[adjective.end() :]
            variants += [f"{adjective.group(1)}{e} {rest}" for e in ("e", "en", "er", "es")]
        for variant in variants:
            forms.setdefault(variant, form)
            genitive = _genitive(variant, person)
            if genitive:
                forms.setdefault(genitive, form)
    return forms


def _genitive(name: str, person: bool) -> str | None:
    last = name[-1]
    if last in _GENITIVE_NEVER or not last.isalpha() or last.isupper():
        return None
    if not person and last == "e":
        # Feminine and plural place names take no -s ("der Ukraine", "der Niederlande").
        return None
    return name + "s"


class LexiconMatcher:
    """Built once per highlighter; `find` makes a few regex passes over the text.

    Python's regex engine tries an alternation at every position whose character could
    start it, so one trie over all forms would be tried inside nearly every word (the
    adjectives start with most lowercase letters). Forms are therefore split: capitalised
    ones in one trie, derived adjectives found from their "-sch" ending, and the few
    other lowercase forms ("dpa", "von der Leyen") with str.find.
    """

    def __init__(self, actors: Sequence[ActorEntry]):
        forms: dict[str, Form] = {}
        ambiguous: set[str] = set()
        for entry in actors:
            for surface, form in surface_forms(entry).items():
                known = forms.get(surface)
                if known is None:
                    forms[surface] = form
                elif known.actor != form.actor and (known.is_person or form.is_person):
                    # "Johnson" for two people: leave it to the article (back-references).
                    ambiguous.add(surface)
        for surface in ambiguous:
            if " " not in surface:
                forms.pop(surface, None)
        self.forms = forms
        derived = {f for f, form in forms.items() if form.label == "MISC" and is_derived(f)}
        derived |= {f for f, form in forms.items() if form.sentence_start_only}
        self._derived = derived
        upper = [f for f in forms if f not in derived and not f[0].islower()]
        lower = [f for f in forms if f not in derived and f[0].islower()]
        # The left boundary is checked in Python: a lookbehind in front of a trie would
        # stop the regex engine from skipping quickly to possible first letters.
        self._upper = re.compile(f"(?:{alternation(upper)})(?!{WORD})")
        # Longest first, so "von der Leyens" is tried before "von der Leyen".
        self._lower = sorted(lower, key=len, reverse=True)
        # A plain literal at the start lets the engine jump from one "sch" to the next.
        self._sch = re.compile(rf"sch(?:e[nrsm]?)?(?!{WORD})")

    def find(self, article: Article) -> list[Found]:
        text, forms = article.text, self.forms
        found: list[Found] = []
        add = found.append
        for match in self._upper.finditer(text):
            start, end = match.span()
            if start and text[start - 1].isalnum():
                continue
            add((start, end, forms[match.group()]))
        taken: set[int] = set()
        for surface in self._lower:  # a handful of forms: str.find beats a regex pass here
            start = text.find(surface)
            while start >= 0:
                end = start + len(surface)
                if (
                    start not in taken
                    and not (start and text[start - 1].isalnum())
                    and not (end < len(text) and text[end].isalnum())
                ):
                    taken.add(start)
                    add((start, end, forms[surface]))
                start = text.find(surface, end)
        derived = self._derived
        for match in self._sch.finditer(text):
            end = match.end()
            start = article.word_start(end)
            word = text[start:end]
            if word not in derived:
                # "russisch-ukrainischen": the part after the last hyphen on its own.
                cut = max(word.rfind(h) for h in HYPHENS) + 1
                if not cut or word[cut:] not in derived:
                    continue
                start, word = start + cut, word[cut:]
            form = forms[word]
            if form.sentence_start_only and not article.at_sentence_start(start):
                continue
            add((start, end, form))
        return found
