"""Stance suggestions before any training data exists: the codebook's cue words, stance
predicates with their polarity, negation and attribution, on the stored sentences.

For every sentence outside boilerplate (evidence.ArticleSentences, the one evidence rule)
that holds a cue of a target (or follows one that does: "… sprachen sich dafür aus") and a
stance predicate (suggest/predicates.py):
- the predicate's stance, turned round by a negation before it in its clause;
- who holds it: the speaker where the sentence says who speaks ("sagte X", "so X", "laut X",
  "betonte er" for the person named last before), else the actors named in the predicate's
  clause before it ("Frankreich und Großbritannien sind bereit"), else the first one after
  it ("bringt auch der Militärexperte Carlo Masala ins Spiel"); never a medium that only
  reports ("berichtet Le Monde");
- a confidence from the predicate's weight, lowered where the cue is only in the sentence
  before or the holder is found less surely.
Per (actor, target) of the article the surest suggestion wins, its sentence the evidence;
sentences that agree with it add to its evidence, a sentence that disagrees lowers it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from annotator.codebook import Codebook
from annotator.cues import CueMatcher
from annotator.evidence import ArticleSentences, Span
from annotator.store.articles import ArticleView, MentionView
from annotator.suggest.predicates import Hit, Predicates

RULES = "rules"
# Who speaks: a speech verb right before or after a name ("sagte Masala", "Masala sagte").
_SPEECH = (r"sagte|sagt|so|laut|betonte|betont|erklärte|erklärt|forderte|fordert|mahnte|"
           r"schrieb|antwortete|nannte|kündigte|warnte|ergänzte|bekräftigte|meinte")  # fmt: skip
_SPEAKER_AFTER = re.compile(rf"(?<![^\W_])(?:{_SPEECH})\s+(?:der\s+|die\s+|\w+\s+){{0,3}}$",
                            re.IGNORECASE)  # fmt: skip
_PRONOUN_SPEAKER = re.compile(rf"(?<![^\W_])(?:{_SPEECH})\s+(er|sie)(?![^\W_])", re.IGNORECASE)
# Words that point at what the sentence before was about ("sprachen sich dafür aus").
_REFERS_BACK = re.compile(
    r"(?<![^\W_])(?:dafür|dagegen|dazu|davon|darauf|damit|dies|diese[nmrs]?|der Vorschlag|"
    r"den Vorschlag|das Thema|die Idee|die Pläne)(?![^\W_])",
    re.IGNORECASE,
)
_SINGLED_OUT = re.compile(r",\s+(?:insbesondere|vor allem|besonders|allen voran)\b", re.IGNORECASE)
# A name right after a preposition is what the sentence is about, not who speaks:
# "Unterstützung für die Ukraine", "in die Ukraine schicken", "in vielen europäischen Ländern".
_PREPOSITION = re.compile(
    r"(?<![^\W_])(?:für|in|im|an|am|gegen|mit|nach|zu|zur|zum|von|vom|über|auf|aus|bei|um|"
    r"vor|unter|gegenüber|ohne)\s+(?:(?:der|die|das|den|dem|des|eine[nmrs]?|vielen|allen|"
    r"einigen)\s+)?$",
    re.IGNORECASE,
)
_NEXT_WORDS = re.compile(r"(?:\s+[^\W_]+){1,2}")
_CLAUSE_END = re.compile(r"[,;:–]\s|\s[–-]\s|[„“»«\"]")
REPORTERS = frozenset({"media"})  # actor types that report stances, not hold them
PREVIOUS_CUE = 0.75  # the cue is only in the sentence before
LOOSE_HOLDER = 0.85  # the holder comes after the predicate, or is a pronoun's antecedent


@dataclass(frozen=True)
class Suggestion:
    """A suggested label for one cell: never a label until an annotator accepts it."""

    article_id: int
    actor_id: int
    target: str
    stance: str
    confidence: float
    evidence: tuple[Span, ...]
    source: str = RULES  # "rules", or "model vN"

    @property
    def key(self) -> tuple[int, int, str]:
        return self.article_id, self.actor_id, self.target


@dataclass
class _Sentence:
    span: Span
    mentions: list[MentionView] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)


class RuleSuggester:
    """Built once per codebook; `article` suggests for one stored article."""

    def __init__(self, codebook: Codebook, *, reporters: Collection[int] = ()) -> None:
        self.codebook = codebook
        self.cues = CueMatcher(codebook)
        self.predicates = Predicates(codebook)
        self.reporters = set(reporters)  # actor ids of media: they report, hold no stance
        self.stances = set(codebook.stance_ids)
        self.flip = {"favor": "against", "against": "favor"}

    def article(self, article: ArticleView) -> list[Suggestion]:
        doc = ArticleSentences(article)
        sentences = self._sentences(doc)
        best: dict[tuple[int, str], Suggestion] = {}
        for i, sentence in enumerate(sentences):
            targets = set(sentence.targets)
            before = sentences[i - 1].targets if i and _adjacent(sentences, i) else set()
            if not _REFERS_BACK.search(article.text, *sentence.span):
                before = set()  # nothing in it points at what the sentence before said
            for target in targets | before:
                weight = 1.0 if target in targets else PREVIOUS_CUE
                for found in self._in_sentence(article, sentences, i, target, weight):
                    self._keep(best, found)
        return sorted(best.values(), key=lambda s: (s.actor_id, s.target))

    def _sentences(self, doc: ArticleSentences) -> list[_Sentence]:
        text = doc.text
        out = [_Sentence(s) for s in doc.sentences if not doc._hidden(s)]
        starts = [s.span[0] for s in out]
        from bisect import bisect_right

        for m in doc.article.mentions:
            i = bisect_right(starts, m.start) - 1
            if i >= 0 and m.start < out[i].span[1] and m.actor_id is not None:
                out[i].mentions.append(m)
        for s in out:
            s.targets = {hit.target for hit in self.cues.find(text[s.span[0] : s.span[1]])}
        return out

    def _in_sentence(
        self, article: ArticleView, sentences: list[_Sentence], i: int, target: str,
        weight: float,
    ) -> list[Suggestion]:  # fmt: skip
        text, (a, b) = article.text, sentences[i].span
        hits = [
            h for h in self.predicates.find(text, a, b)
            if h.predicate.target in (None, target) and h.predicate.stance in self.stances
        ]  # fmt: skip
        if not hits:
            return []
        speaker, sure = self._speaker(text, sentences, i)
        out = []
        for hit in hits:
            stance = self._stance(text, a, hit)
            holders = [(speaker, sure)] if speaker is not None else self._holders(
                text, sentences[i], hit)  # fmt: skip
            for actor, certainty in holders:
                if actor in self.reporters:
                    continue
                confidence = round(hit.predicate.weight * weight * certainty, 3)
                out.append(Suggestion(article.id, actor, target, stance, confidence, ((a, b),)))
        return out

    def _stance(self, text: str, sentence_start: int, hit: Hit) -> str:
        clause = _clause_start(text, sentence_start, hit.start)
        own_negation = self.predicates.negation.search(hit.predicate.text) is not None
        end = hit.start if own_negation else hit.end
        stance = hit.predicate.stance
        # Before it in its clause, or right after a verb ("fordert keine höheren …").
        after = _NEXT_WORDS.match(text, hit.end)
        right_after = after.end() if after else hit.end
        if self.predicates.negated(text, clause, end) or self.predicates.negated(
            text, hit.end, right_after
        ):
            stance = self.flip.get(stance, stance)
        return stance

    def _speaker(self, text: str, sentences: list[_Sentence], i: int) -> tuple[int | None, float]:
        """The actor the sentence says is speaking, and how sure that is. A name inside a
        compound ("sagte der SPD-Politiker", "sagte US-Verteidigungsminister Pete Hegseth")
        describes the speaker: the person named next, or last before, is meant."""
        sentence = sentences[i]
        mentions = sentence.mentions
        for k, m in enumerate(mentions):
            if not _SPEAKER_AFTER.search(text, sentence.span[0], m.start):
                continue
            if not _in_compound(text, m):
                return m.actor_id, 1.0
            following = [n for n in mentions[k + 1 :] if n.label == "PER"
                         and n.start - m.end < 40]  # fmt: skip
            if following:
                return following[0].actor_id, 1.0
            return self._antecedent(sentences, i)
        a, b = sentence.span
        if _PRONOUN_SPEAKER.search(text, a, b):
            return self._antecedent(sentences, i)
        return None, 0.0

    @staticmethod
    def _antecedent(sentences: list[_Sentence], i: int) -> tuple[int | None, float]:
        """The person named last in this or the three sentences before ("er", "sie")."""
        for earlier in reversed(sentences[max(0, i - 3) : i + 1]):
            people = [m for m in earlier.mentions if m.label == "PER"]
            if people:
                return people[-1].actor_id, LOOSE_HOLDER
        return None, 0.0

    def _holders(self, text: str, sentence: _Sentence, hit: Hit) -> list[tuple[int, float]]:
        """Who holds the stance a predicate gives (with how sure that is), and the actors a
        following clause singles out ("…, insbesondere in Deutschland")."""
        return self._subjects(text, sentence, hit) + self._singled_out(text, sentence, hit)

    def _subjects(self, text: str, sentence: _Sentence, hit: Hit) -> list[tuple[int, float]]:
        """The actors named in the predicate's clause before it (coordinated ones too), else
        the last one in the sentence before that clause, else the first one after it. Not
        a name in a compound, after a preposition or as an adjective ("ukrainische")."""
        clause = _clause_start(text, sentence.span[0], hit.start)
        named = [m for m in sentence.mentions if m.label != "MISC"
                 and not _in_compound(text, m) and not _after_preposition(text, m)]  # fmt: skip
        before = [m for m in named if clause <= m.start < hit.start]
        if before:
            # "Frankreich und Großbritannien": the last name and those joined to it by "und".
            chosen = [before[-1]]
            for m in reversed(before[:-1]):
                between = text[m.end : chosen[-1].start].strip(" ,")
                if between.lower() in ("und", "sowie", "oder", ""):
                    chosen.append(m)
                else:
                    break
            return [(m.actor_id, 1.0) for m in chosen if m.actor_id is not None]
        earlier = [m for m in named if m.start < clause]
        if earlier:  # "Die USA haben erklärt, dass sie keine Truppen … schicken wollen"
            return [(earlier[-1].actor_id, LOOSE_HOLDER)] if earlier[-1].actor_id else []
        after = [m for m in named if m.start >= hit.end]
        return [(after[0].actor_id, LOOSE_HOLDER)] if after and after[0].actor_id else []

    @staticmethod
    def _singled_out(text: str, sentence: _Sentence, hit: Hit) -> list[tuple[int, float]]:
        """Actors a following clause singles out: "…, insbesondere in Deutschland"."""
        rest = text[hit.end : sentence.span[1]]
        m = _SINGLED_OUT.search(rest)
        if m is None:
            return []
        at = hit.end + m.end()
        return [(n.actor_id, LOOSE_HOLDER) for n in sentence.mentions
                if n.actor_id is not None and at <= n.start < at + 40]  # fmt: skip

    def _keep(self, best: dict[tuple[int, str], Suggestion], found: Suggestion) -> None:
        key = (found.actor_id, found.target)
        held = best.get(key)
        if held is None:
            best[key] = found
        elif held.stance == found.stance:
            evidence = tuple(sorted(set(held.evidence) | set(found.evidence)))[:3]
            surer = found if found.confidence > held.confidence else held
            sure = min(0.95, max(held.confidence, found.confidence) + 0.05)
            best[key] = replace(surer, evidence=evidence, confidence=round(sure, 3))
        else:  # sentences disagree: the surer one stays, less sure
            surer, other = (found, held) if found.confidence > held.confidence else (held, found)
            best[key] = replace(surer, confidence=round(surer.confidence * (1 - other.confidence
                                                                             / 2), 3))  # fmt: skip


def _in_compound(text: str, m: MentionView) -> bool:
    """The name is the first part of a hyphenated compound ("SPD-Politiker", "US-Wahl")."""
    return text[m.end : m.end + 1] == "-" and text[m.end + 1 : m.end + 2].isalpha()


def _after_preposition(text: str, m: MentionView) -> bool:
    return _PREPOSITION.search(text[max(0, m.start - 30) : m.start]) is not None


def _clause_start(text: str, sentence_start: int, at: int) -> int:
    starts = [m.end() for m in _CLAUSE_END.finditer(text, sentence_start, at)]
    return starts[-1] if starts else sentence_start


def _adjacent(sentences: Sequence[_Sentence], i: int) -> bool:
    """The sentence before is close (not across a heading or a paragraph of other text)."""
    return sentences[i].span[0] - sentences[i - 1].span[1] <= 3
