"""What a stance model reads for one unit (article, actor, target): the sentences of the one
evidence rule (evidence.py: the evidence, else the actor's sentences with a cue of the
target), the actor's mentions in them replaced by a marker and the other actors' by
another, and the target in front. A model so never learns names ("Pistorius favors
spending"), only how a sentence speaks of its actor.

Candidates are the units a model is asked about: an actor named outside boilerplate in a
sentence with a cue of the target.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from annotator.cues import CueMatcher
from annotator.evidence import ArticleSentences, Span, unit_sentences
from annotator.store.articles import ArticleView

ACTOR, OTHER = "[AKTEUR]", "[ANDERE]"
NONE = "none"  # the class of a candidate nobody gave a stance


@dataclass(frozen=True)
class Unit:
    article_id: int
    actor_id: int
    target: str
    text: str  # what the model reads
    sentences: tuple[Span, ...]


def unit_text(doc: ArticleSentences, actor_id: int, target: str, spans: Sequence[Span]) -> str:
    text = doc.text
    marks = sorted(
        (m.start, m.end, ACTOR if m.actor_id == actor_id else OTHER)
        for m in doc.article.mentions
        if m.actor_id is not None and any(a <= m.start < b for a, b in spans)
    )
    out: list[str] = [target, "||"]
    for a, b in spans:
        pos, piece = a, []
        for start, end, mark in marks:
            if a <= start < b and start >= pos:
                piece += [text[pos:start], mark]
                pos = end
        piece.append(text[pos:b])
        out.append("".join(piece))
    return " ".join(out)


def candidates(article: ArticleView, cues: CueMatcher, targets: Sequence[str]) -> Iterator[Unit]:
    """Every (actor, target) of the article with a sentence that names the actor outside
    boilerplate and holds a cue of the target."""
    doc = ArticleSentences(article)
    actors = sorted({m.actor_id for m in article.mentions if m.actor_id is not None})
    for actor in actors:
        for target in targets:
            spans, source = unit_sentences(doc, actor, target, cues)
            if source == "cue":
                yield Unit(article.id, actor, target, unit_text(doc, actor, target, spans),
                           tuple(spans))  # fmt: skip


def labelled_unit(
    article: ArticleView, cues: CueMatcher, actor_id: int, target: str, evidence: Sequence[Span]
) -> Unit | None:
    """A labelled unit as the model reads it: its evidence's sentences, else the actor's
    sentences with a cue (None when the article says nothing of the two together)."""
    doc = ArticleSentences(article)
    spans, source = unit_sentences(doc, actor_id, target, cues, evidence)
    if source in ("none", "mention"):
        return None
    return Unit(article.id, actor_id, target, unit_text(doc, actor_id, target, spans),
                tuple(spans))  # fmt: skip
