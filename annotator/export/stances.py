"""The `stances` format: one line per (article, actor, target) label, for stance classifiers.

`text` is what a classifier reads: the sentences holding the evidence; without evidence, the
sentences that mention the actor and a cue word of the target; failing that, the sentences
that mention the actor. `text_source` says which, so a modeller can filter. Schema:
resources/schemas/stances.schema.json.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from annotator.codebook import Codebook
from annotator.export.aggregate import AggregateCounts, StanceLabel, aggregated, per_annotator
from annotator.export.options import Checked
from annotator.export.source import ArticleData
from annotator.export.text import Sentences, Span


def cue_patterns(codebook: Codebook) -> dict[str, re.Pattern[str]]:
    """Per target, one case-insensitive pattern of its cue words.

    No word boundaries: German compounds carry the cue inside ("Nato-Beitrittsgesuch").
    """
    out = {}
    for t in codebook.targets:
        cues = sorted(t.cues, key=len, reverse=True)
        if cues:
            out[t.id] = re.compile("|".join(re.escape(c) for c in cues), re.IGNORECASE)
    return out


class StanceRecords:
    """Builds the stance records of one export (options, codebook and cues fixed)."""

    def __init__(self, checked: Checked, codebook: Codebook) -> None:
        self.checked = checked
        self.options = checked.options
        self.stances = codebook.stance_ids
        self.cues = cue_patterns(codebook)
        self.counts = AggregateCounts()

    def labels(self, article: ArticleData) -> Iterator[StanceLabel]:
        if self.options.aggregated:
            return aggregated(
                article.labels,
                self.stances,
                method=self.options.labels,
                min_votes=self.options.min_votes,
                keep_disagreements=self.options.keep_disagreements,
                counts=self.counts,
            )
        return per_annotator(article.labels, self.stances, self.checked.names)

    def _text_sentences(
        self, article: ArticleData, sents: Sentences, label: StanceLabel
    ) -> tuple[list[Span], str]:
        if label.evidence:
            found: list[Span] = []
            for a, b in label.evidence:
                found.extend(sents.covering(a, b))
            return sorted(set(found)), "evidence"
        mentioned: list[Span] = []
        for m in article.mentions:
            if m.actor_id == label.actor_id:
                mentioned.extend(sents.covering(m.start, m.end))
        mentioned = sorted(set(mentioned))
        pattern = self.cues.get(label.target)
        if pattern is not None:
            text = article.text
            with_cue = [s for s in mentioned if pattern.search(text, s[0], s[1])]
            if with_cue:
                return with_cue, "cue"
        return mentioned, "mention" if mentioned else "none"

    def records(self, article: ArticleData) -> Iterator[dict[str, Any]]:
        text = article.text
        sents = Sentences(text)
        split = self.checked.split.of(article.external_id) if self.checked.split else None
        window = self.checked.window
        for label in self.labels(article):
            spans, source = self._text_sentences(article, sents, label)
            if window is None or not spans:
                context = text
            else:
                a, b = sents.window(spans[0], spans[-1], window)
                context = text[a:b]
            annotator = label.annotator
            yield {
                "id": _record_id(article.external_id, label),
                "text": " ".join(text[a:b] for a, b in spans),
                "text_source": source,
                "context": context,
                "actor": label.actor,
                "target": label.target,
                "label": label.label,
                "annotator": annotator,
                "aggregation": None if annotator is not None else self.options.labels,
                "votes": label.votes,
                "distribution": label.distribution,
                "agreed": label.agreed,
                "evidence": [{"start": a, "end": b, "text": text[a:b]} for a, b in label.evidence],
                "note": label.note,
                "article_id": article.external_id,
                "split": split,
            }


def _record_id(article_id: str, label: StanceLabel) -> str:
    parts: Sequence[str] = (article_id, label.actor, label.target)
    if label.annotator is not None:
        parts = (*parts, label.annotator)
    return "|".join(parts)
