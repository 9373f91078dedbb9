"""The one evidence rule: which sentences of an article speak for a cell (actor, target).

The window offers them as evidence, the export's `stances` format uses them as a unit's
text, and both ask `ArticleSentences`. Boilerplate (a teaser for another story, a photo
credit) is never offered, nor is a fragment without a verb (a dateline "London/Paris/
Berlin. –", a byline "Von Anna Muster"). The rest, best first:

1. sentences that mention the actor (any of its mentions, which the highlighter found
   under all its aliases) and hold a cue word of the target;
2. for a person, sentences that refer to them without naming them ("…", sagte der
   SPD-Politiker; "er betonte"): within a few sentences after a mention, before another
   person is named, with a cue word of the target (countries and organisations are named
   again rather than referred to, and a sentence after one that lists five countries
   speaks for none of them in particular);
3. the other sentences that mention the actor;
4. headlines and subheadings that mention it (a line of its own without a full stop: a
   headline says what the article is about, rarely who holds which stance).

Each group in reading order. Everything works on the sentences stored at import
(ArticleView.sentences; the one splitter, nlp/sentences.py, only for an article stored
before they were); no other NLP runs here, so the window can call it on every cell change.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from annotator.cues import CueMatcher
from annotator.store.articles import ArticleView

Span = tuple[int, int]

# How far a reference to a person reaches: sentences after the last one that names them.
REFERENCE_REACH = 4
PERSON = "PER"  # the entity type (Mention.label) of people


class Rank(IntEnum):
    """The groups of the module docstring, best first."""

    CUE = 0  # names the actor, and a cue word of the target
    REFERENCE = 1  # refers to the person named shortly before, and a cue word
    MENTION = 2  # names the actor
    HEADING = 3  # a headline or subheading naming the actor
    SUGGESTED = -1  # the window only: the evidence of a stance suggestion, offered first


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    with_cue: bool  # the sentence also holds a cue word of the target
    rank: Rank = Rank.MENTION


class ArticleSentences:
    """One article's sentences, and per actor those that mention it outside `hidden` spans
    (default: the article's boilerplate), worked out once per article."""

    def __init__(
        self,
        article: ArticleView,
        hidden: Sequence[Sequence[int | str]] | None = None,
        *,
        split_missing: bool = False,
    ) -> None:
        self.article = article
        self.text = article.text
        self.sentences: list[Span] = list(article.sentences)
        if not self.sentences and article.text and split_missing:
            # Stored before sentences were (the window fills them in the background and
            # never loads spaCy's tokenizer; an export splits them here).
            from annotator.nlp.sentences import Sentences

            self.sentences = Sentences(article.text).all()
        self.starts = [a for a, _ in self.sentences]
        spans = article.boilerplate if hidden is None else hidden
        self.hidden = [(int(h[0]), int(h[1])) for h in spans]
        self._by_actor: dict[int, list[Span]] | None = None
        self._named: dict[int, dict[int, str]] | None = None  # sentence -> actor -> type
        self._shape: dict[Span, str] = {}
        # The window asks again on every cell change: what depends on one actor or one
        # target only is kept (a 200 KB article has thousands of sentences).
        self._referring: dict[int, list[Span]] = {}
        self._cue: dict[tuple[Span, str], bool] = {}
        self._cues: CueMatcher | None = None  # whose answers _cue holds

    def _index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def _names(self) -> dict[int, dict[int, str]]:
        """Per sentence (by index) that names any, the actors it names with their entity
        type (one pass over the mentions)."""
        if self._named is None:
            self._named = {}
            for m in self.article.mentions:
                i = self._index(m.start)
                if m.actor_id is not None and i >= 0 and m.start < self.sentences[i][1]:
                    self._named.setdefault(i, {}).setdefault(m.actor_id, m.label)
        return self._named

    def mentioning(self, actor_id: int) -> list[Span]:
        """Sentences that mention the actor, outside the hidden spans, in reading order."""
        if self._by_actor is None:  # one pass over the mentions, not one per cell
            by_actor: dict[int, list[Span]] = {}
            for i, named in sorted(self._names().items()):
                if not self._hidden(span := self.sentences[i]):
                    for actor in named:
                        by_actor.setdefault(actor, []).append(span)
            self._by_actor = by_actor
        return self._by_actor.get(actor_id, [])

    def referring(self, actor_id: int) -> list[Span]:
        """Sentences that may refer to a person without naming them: up to
        REFERENCE_REACH sentences after one that names them, until another person is
        named or a heading or boilerplate comes between. None for other actors."""
        found = self._referring.get(actor_id)
        if found is not None:
            return found
        named = self._names()
        out: list[Span] = self._referring.setdefault(actor_id, [])
        # Only the few sentences after each that names the person: not the whole article.
        for i in sorted(i for i, here in named.items() if here.get(actor_id) == PERSON):
            if self._hidden(self.sentences[i]):
                continue
            for j in range(i + 1, min(i + 1 + REFERENCE_REACH, len(self.sentences))):
                span, here = self.sentences[j], named.get(j, {})
                if self._hidden(span) or self.shape(span) != "" or PERSON in here.values():
                    break  # also where the person is named again: that one reaches on
                out.append(span)
        return out

    def _hidden(self, span: Span) -> bool:
        return any(x <= span[0] and span[1] <= y for x, y in self.hidden)

    def shape(self, span: Span) -> str:
        """ "fragment" (nothing that can be a verb: never offered), "heading" (a line of
        its own without a full stop) or "" (a sentence)."""
        found = self._shape.get(span)
        if found is None:
            found = self._shape[span] = sentence_shape(self.text, span)
        return found

    def has_cue(self, span: Span, target: str, cues: CueMatcher) -> bool:
        if cues is not self._cues:
            self._cue, self._cues = {}, cues
        found = self._cue.get((span, target))
        if found is None:
            found = self._cue[(span, target)] = cues.in_text(target, self.text[span[0] : span[1]])
        return found

    def with_cue(self, spans: Sequence[Span], target: str, cues: CueMatcher) -> list[Span]:
        return [s for s in spans if self.has_cue(s, target, cues)]

    def ranked(self, actor_id: int, target: str, cues: CueMatcher) -> list[tuple[Rank, Span]]:
        """The sentences worth offering for (actor, target), best first (module docstring)."""
        out: list[tuple[Rank, Span]] = []
        for span in self.mentioning(actor_id):
            shape = self.shape(span)
            if shape == "fragment":
                continue
            cue = self.has_cue(span, target, cues)
            rank = Rank.HEADING if shape else Rank.CUE if cue else Rank.MENTION
            out.append((rank, span))
        out += [(Rank.REFERENCE, s) for s in self.with_cue(self.referring(actor_id), target, cues)]
        return sorted(out)

    def covering(self, start: int, end: int) -> list[Span]:
        """The sentences that overlap text[start:end] (evidence may cut across them)."""
        i = max(0, self._index(start))
        out = []
        while i < len(self.sentences) and self.sentences[i][0] < end:
            if self.sentences[i][1] > start:
                out.append(self.sentences[i])
            i += 1
        return out

    def window(self, first: Span, last: Span, size: int) -> Span:
        """From `size` sentences before `first` to `size` sentences after `last`."""
        lo = max(0, self._index(first[0]) - max(0, size))
        hi = min(len(self.sentences) - 1, self._index(last[1] - 1) + max(0, size))
        return min(first[0], self.sentences[lo][0]), max(last[1], self.sentences[hi][1])


def evidence_candidates(
    article: ArticleView | ArticleSentences,
    actor_id: int,
    target: str,
    cues: CueMatcher,
    *,
    hidden: Sequence[Sequence[int | str]] = (),
    attached: Sequence[Span] = (),
) -> list[Candidate]:
    """Candidate evidence sentences for one cell, best first (see the module docstring);
    `hidden`: the spans whose sentences are not offered (the window's boilerplate, unless
    the user shows it); `attached`: evidence the cell holds already (not offered again)."""
    doc = article if isinstance(article, ArticleSentences) else ArticleSentences(article, hidden)
    return [
        Candidate(a, b, _cued(rank, doc.text[a:b], target, cues), rank)
        for rank, (a, b) in doc.ranked(actor_id, target, cues)
        if not any(x < b and a < y for x, y in attached)
    ]


def _cued(rank: Rank, sentence: str, target: str, cues: CueMatcher) -> bool:
    if rank == Rank.HEADING:  # ranked by its shape, whatever its words
        return cues.in_text(target, sentence)
    return rank in (Rank.CUE, Rank.REFERENCE)


def unit_sentences(
    doc: ArticleSentences,
    actor_id: int,
    target: str,
    cues: CueMatcher,
    evidence: Sequence[Span] = (),
) -> tuple[list[Span], str]:
    """The sentences a reader (a stance classifier) needs for one unit and where they came
    from: those holding its evidence ("evidence"); else the best group the window offers:
    with a cue of the target, naming the actor or else referring to it ("cue"); else those
    naming the actor, headings only when nothing else does ("mention"); else none."""
    if evidence:
        return sorted({s for a, b in evidence for s in doc.covering(a, b)}), "evidence"
    ranked = doc.ranked(actor_id, target, cues)
    if not ranked:
        return [], "none"
    best = ranked[0][0]
    spans = [span for rank, span in ranked if rank == best]
    return spans, "cue" if best in (Rank.CUE, Rank.REFERENCE) else "mention"


def sentence_at(article: ArticleView, offset: int) -> Span | None:
    """The stored sentence around `offset` (or the next one, between two sentences)."""
    sentences = article.sentences
    if not sentences:
        return None
    i = bisect_right([s for s, _ in sentences], offset) - 1
    if i >= 0 and offset <= sentences[i][1]:
        return sentences[i][0], sentences[i][1]
    if i + 1 < len(sentences):
        return sentences[i + 1][0], sentences[i + 1][1]
    return None


# --------------------------------------------------------------- the shape of a sentence
# No tagger runs here, so a light heuristic for "has a finite verb". German capitalises
# nouns, so a verb is a lower-case word after the first: one of the common irregular forms,
# or one ending like a conjugated verb (-t, -st, -te, -ten, -en, -ern, -eln) that is not a
# function word or adverb ending alike ("mit", "nicht", "jetzt"). Strong past forms ("rief",
# "traf") are too many to list, so a sentence of six words or more that ends with a full
# stop counts as one too. The rule keeps a sentence when unsure and drops clear fragments:
# datelines, bylines, credits (no lower-case word at all), "Mehr Infos", and verbless
# headings ("Potenzielle europäische Unterstützung für die Ukraine").
_WORDS = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_VERB_ENDING = re.compile(r"(?:t|st|te|ten|en|ern|eln)$")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_VERB_FORMS = _word_set(
    "ist sind war waren sei seien wäre wären bin bist hat haben hatte hatten habe hätte "
    "hätten wird werden wurde wurden werde würde würden kann können konnte konnten könne "
    "könnte muss müssen musste müsse müsste soll sollen sollte solle will wollen wollte "
    "wolle darf dürfen dürfte mag gibt gab gebe geht ging gehe steht stand stehe sieht sah "
    "kommt kam komme liegt lag bleibt blieb bleibe heißt hieß nimmt nahm tut tat rief traf "
    "sprach fand hielt ließ trat zog wies bot bat schlug fiel stieg las schrieb"
)
_NOT_VERBS = _word_set(
    "der die das den dem des ein eine einen einem einer eines und oder aber doch sondern "
    "denn weil dass ob wenn als wie mit ohne seit bis nach vor bei von zu zur zum aus auf "
    "in im an am um für gegen durch über unter neben zwischen hinter trotz während wegen "
    "laut samt nebst statt nicht nichts jetzt erst selbst sonst fast bereits zuletzt meist "
    "längst zunächst zuerst zumindest mindestens höchstens weit recht gut mehr weniger "
    "noch schon nur auch so sehr ganz etwa rund knapp acht unten oben heute gestern "
    "morgen bisher bislang seitdem damit dafür dagegen danach davon dazu darauf darin "
    "sich er sie es wir ihr ihn ihm ihnen uns euch man sein seine seinen seinem seiner "
    "ihre ihren ihrem ihrer unser unsere dieser diese dieses diesen diesem jeder jede "
    "alle allen einen beiden anderen neuen ersten letzten weiteren eigenen"
)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'“”„»«‘’›‹)\]]*\s*$")
_FULL_STOP = re.compile(r"[.!?…][\"'“”„»«‘’›‹)\]]*\s*$")


def _is_fragment(sentence: str) -> bool:
    words = _WORDS.findall(sentence)
    if len(words) < 3:  # "Mehr Infos", "Politik", "News-Ticker."
        return True
    lower = [w for w in words[1:] if w[0].islower()]
    if not lower:  # "London/Paris/Berlin. –", "© Virginia Mayo/AP/dpa", "Von: Anna Muster"
        return True
    if any(w in _VERB_FORMS or (w not in _NOT_VERBS and _VERB_ENDING.search(w)) for w in lower):
        return False
    return len(words) < 6 or not _FULL_STOP.search(sentence)


def sentence_shape(text: str, span: Span) -> str:
    """ "fragment", "heading" or "" for the sentence text[span] (see above)."""
    a, b = span
    sentence = text[a:b]
    if _is_fragment(sentence):
        return "fragment"
    alone = (a == 0 or text[:a].rstrip(" \t").endswith("\n")) and (
        b >= len(text) or text[b:].lstrip(" \t").startswith("\n") or not text[b:].strip()
    )
    return "heading" if alone and not _SENTENCE_END.search(sentence) else ""


# Where a clause or a quotation ends inside a sentence: after , ; : or a dash between
# spaces, and after a closing quotation mark.
_PART_END = re.compile(r"[,;:](?=\s)|\s[–—-](?=\s)|[“”»«\"](?=[\s,.;:!?]|$)")


def part_ends(text: str, sentence: Span) -> list[int]:
    """Offsets at which a selection inside `sentence` can end: after each clause, quote
    and at the sentence's end. Shift+Right / Shift+Left step through them."""
    a, b = sentence
    ends = [a + m.end() for m in _PART_END.finditer(text, a, b)]
    if not ends or ends[-1] != b:
        ends.append(b)
    return sorted(set(ends))
