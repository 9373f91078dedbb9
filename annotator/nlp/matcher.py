"""Find lexicon actors in text: every surface form of every actor in one trie regex.

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
from annotator.nlp.text import WORD, alternation, at_sentence_start

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


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    form: Form


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
        weak = _ADJECTIVE_START.match(alias)
        if weak and not person:
            variants.append(weak.group(1) + "en " + alias[weak.end() :])
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
    """Built once per highlighter; `find` is one regex pass over the text."""

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
        # The left boundary is checked in Python: a lookbehind in front of the trie would
        # stop the regex engine from skipping quickly to possible first letters.
        self._regex = re.compile(f"(?:{alternation(forms)})(?!{WORD})")

    def find(self, text: str) -> list[Found]:
        found: list[Found] = []
        forms = self.forms
        for match in self._regex.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum()):
                continue
            form = forms[match.group()]
            if form.sentence_start_only and not at_sentence_start(text, start):
                continue
            found.append(Found(start, match.end(), form))
        return found
