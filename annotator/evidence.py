"""The one evidence rule: which sentences of an article speak for a cell (actor, target).

The window offers them as evidence, the export's `stances` format uses them as a unit's
text, and both ask `ArticleSentences`: the sentences that mention the actor (any of its
mentions, which the highlighter found under all its aliases), outside boilerplate (a teaser
for another story, a photo credit), those with a cue word of the target first, each group
in reading order. Everything works on the sentences stored at import (ArticleView.sentences;
the one splitter, nlp/sentences.py, only for an article stored before they were); no other
NLP runs here, so the window can call it on every cell change.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.cues import CueMatcher
from annotator.store.articles import ArticleView

Span = tuple[int, int]


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    with_cue: bool  # the sentence also holds a cue word of the target


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

    def _index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def mentioning(self, actor_id: int) -> list[Span]:
        """Sentences that mention the actor, outside the hidden spans, in reading order."""
        if self._by_actor is None:  # one pass over the mentions, not one per cell
            found: dict[int, set[int]] = {}
            for m in self.article.mentions:
                i = self._index(m.start)
                if m.actor_id is not None and i >= 0 and m.start < self.sentences[i][1]:
                    found.setdefault(m.actor_id, set()).add(i)
            self._by_actor = {
                actor: [s for i in sorted(idx) if not self._hidden(s := self.sentences[i])]
                for actor, idx in found.items()
            }
        return self._by_actor.get(actor_id, [])

    def _hidden(self, span: Span) -> bool:
        return any(x <= span[0] and span[1] <= y for x, y in self.hidden)

    def with_cue(self, spans: Sequence[Span], target: str, cues: CueMatcher) -> list[Span]:
        return [s for s in spans if cues.in_text(target, self.text[s[0] : s[1]])]

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
    the user shows it)."""
    doc = article if isinstance(article, ArticleSentences) else ArticleSentences(article, hidden)
    out = [
        Candidate(a, b, cues.in_text(target, doc.text[a:b]))
        for a, b in doc.mentioning(actor_id)
        if not any(x < b and a < y for x, y in attached)
    ]
    # Stable: cue sentences first, each group in reading order.
    return sorted(out, key=lambda c: not c.with_cue)


def unit_sentences(
    doc: ArticleSentences,
    actor_id: int,
    target: str,
    cues: CueMatcher,
    evidence: Sequence[Span] = (),
) -> tuple[list[Span], str]:
    """The sentences a reader (a stance classifier) needs for one unit and where they came
    from: those holding its evidence ("evidence"); else those the window would offer first,
    with the actor and a cue of the target ("cue"); else those with the actor ("mention");
    else none ("none")."""
    if evidence:
        return sorted({s for a, b in evidence for s in doc.covering(a, b)}), "evidence"
    mentioned = doc.mentioning(actor_id)
    cued = doc.with_cue(mentioned, target, cues)
    if cued:
        return cued, "cue"
    return mentioned, "mention" if mentioned else "none"


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
