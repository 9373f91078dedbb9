"""Evidence candidates: the sentences a labeller most likely wants as evidence for a cell,
and the parts of a sentence a selection can grow by.

For (actor, target) the candidates are the sentences that mention the actor (any of its
mentions, which the highlighter found under all its aliases), those with a cue word of the
target first, each group in reading order. Sentences inside boilerplate and sentences
already attached are left out. Everything works on the sentences stored at import
(ArticleView.sentences); no NLP runs here, so the window can call it on every cell change.
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


def evidence_candidates(
    article: ArticleView,
    actor_id: int,
    target: str,
    cues: CueMatcher,
    *,
    hidden: Sequence[Sequence[int | str]] = (),
    attached: Sequence[Span] = (),
) -> list[Candidate]:
    """Candidate evidence sentences for one cell, best first (see the module docstring)."""
    sentences = list(article.sentences)
    if not sentences:
        return []
    starts = [s for s, _ in sentences]
    mentioned: set[int] = set()
    for m in article.mentions:
        if m.actor_id != actor_id:
            continue
        i = bisect_right(starts, m.start) - 1
        if i >= 0 and m.start < sentences[i][1]:
            mentioned.add(i)
    text = article.text
    blocked = [(int(h[0]), int(h[1])) for h in hidden]
    out: list[Candidate] = []
    for i in sorted(mentioned):
        a, b = sentences[i]
        if any(x <= a and b <= y for x, y in blocked):
            continue
        if any(x < b and a < y for x, y in attached):
            continue
        out.append(Candidate(a, b, cues.in_text(target, text[a:b])))
    # Stable: cue sentences first, each group in reading order.
    return sorted(out, key=lambda c: not c.with_cue)


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
