"""Merge lexicon, rule and model spans into sorted, non-overlapping mentions.

Where spans overlap the lexicon wins, then the rules, then the model; within one source
the longer span wins. Three exceptions, each measured on the GermEval dev split
(training/README.md):

- a guessed person name that ends in a lexicon person ("Volodymyr Zelensky" around the
  lexicon's "Zelensky") becomes one lexicon mention of the full extent, so spelling
  variants stay linked;
- among guessed persons the longer name wins whoever guessed it: the model's "George W.
  Bush" over the rules' "George" and "Bush" (model right 13 times, the rules twice);
- a model organisation that encloses lexicon places or guessed persons replaces them:
  "Borussia Dortmund", "Medizinische Hochschule Hannover", "Verlag Paul Haupt" are
  organisations, not the city or a person (model right 15 times, ours once, neither 5).
  Only if every word of it is capitalised, which in German mostly means without function
  words: a headline's "Munitionsbeschaffung für Ukraine" keeps Ukraine (but "Universität
  zu Köln" keeps only Köln, and "Waffenlieferungen Ukraine" would swallow it). Lexicon
  persons are never replaced ("Kabinett Scholz").

Later surname mentions are linked only to persons that were placed, and such a link
replaces a model span it covers ("Fantins" after "Aurelio Fantin", whatever the model
calls it).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from annotator.nlp.matcher import Found
from annotator.nlp.rules import PersonSpan

SOURCES = ("lexicon", "rule", "model")  # earlier wins where spans overlap
LEXICON, RULE, MODEL = range(3)

# [start, end, label, actor, priority, person]; lists, because this runs ~100 times per
# article and small lists are the cheapest mutable records in CPython.
Entry = list


class Merger:
    """Collects the spans of one article; `entries` stays sorted and non-overlapping."""

    def __init__(self, found: Iterable[Found], text: str):
        self.text = text
        entries: list[Entry] = []
        for start, end, form in sorted(found, key=lambda f: (f[0], -f[1])):
            person = PersonSpan(start, end, form.actor) if form.is_person else None
            entry = [start, end, form.label, form.actor, LEXICON, person]
            if entries and start < entries[-1][1]:
                last = entries[-1]
                if end - start > last[1] - last[0]:
                    entries[-1] = entry  # "US-amerikanische" over "US"
                continue
            entries.append(entry)
        self.entries = entries
        self.starts = [e[0] for e in entries]

    @property
    def persons(self) -> list[PersonSpan]:
        return [e[5] for e in self.entries if e[5] is not None]

    def add_persons(self, persons: Iterable[tuple[int, PersonSpan]]) -> None:
        """Guessed persons (rule or model), longest first, each kept if it fits."""
        for priority, person in sorted(persons, key=lambda p: (p[1].start - p[1].end, p[0])):
            self._add(person.start, person.end, "PER", None, priority, person, merge=True)

    def add_links(self, links: Iterable[PersonSpan]) -> None:
        """Later surname mentions of persons already placed ("Fantins" after "Aurelio
        Fantin"). The rules trust them over the model, whatever it made of the word alone."""
        for link in links:
            first = bisect_left(self.starts, link.start)
            if first and self.entries[first - 1][1] > link.start:
                first -= 1
            last = bisect_right(self.starts, link.end - 1, lo=first)
            inside = self.entries[first:last]
            if all(
                e[4] == MODEL and e[5] is None and link.start <= e[0] and e[1] <= link.end
                for e in inside
            ):  # only what the link covers: "Haupt" in "Verlag Paul Haupt" stays the ORG's
                del self.entries[first:last], self.starts[first:last]
            self._add(link.start, link.end, "PER", None, RULE, link, merge=True)

    def add(self, spans: Iterable[tuple[int, int, str, str | None]], priority: int) -> None:
        for start, end, label, actor in spans:
            self._add(start, end, label, actor, priority, None, merge=False)

    def _add(
        self,
        start: int,
        end: int,
        label: str,
        actor: str | None,
        priority: int,
        person: PersonSpan | None,
        *,
        merge: bool,
    ) -> None:
        entries, starts = self.entries, self.starts
        first = bisect_left(starts, start)
        if first and entries[first - 1][1] > start:
            first -= 1
        last = bisect_right(starts, end - 1, lo=first)  # entries[first:last] overlap
        if first == last:
            starts.insert(first, start)
            entries.insert(first, [start, end, label, actor, priority, person])
            return
        inside = entries[first:last]
        if (
            merge
            and person is not None
            and inside[-1][1] == end
            and inside[0][0] >= start
            and all(e[4] == LEXICON and e[2] == "PER" for e in inside)
        ):
            person.actor = inside[-1][3]
            entries[first:last] = [[start, end, "PER", person.actor, LEXICON, person]]
            starts[first:last] = [start]
        elif (
            priority == MODEL
            and label == "ORG"
            and inside[0][0] >= start
            and inside[-1][1] <= end
            and all(e[1] - e[0] < end - start and _enclosable(e) for e in inside)
            and _proper_name(self.text[start:end])
        ):
            entries[first:last] = [[start, end, label, actor, priority, person]]
            starts[first:last] = [start]

    def mentions(self, make: Callable[..., object]) -> list:
        return [
            make(s, e, label, person.actor if person is not None else actor, SOURCES[p])
            for s, e, label, actor, p, person in self.entries
        ]


def _enclosable(entry: Entry) -> bool:
    """What a model organisation may replace: a lexicon place or a guessed person, never a
    lexicon person ("Kabinett Scholz" keeps Olaf Scholz)."""
    return entry[2] == "LOC" or (entry[2] == "PER" and entry[4] != LEXICON)


def _proper_name(text: str) -> bool:
    return not any(word[:1].islower() for word in text.split())
