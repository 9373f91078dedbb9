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
from annotator.export.output import encode, encode_string
from annotator.export.source import ArticleData
from annotator.export.text import Sentences, Span
from annotator.nlp.text import alternation


def cue_patterns(codebook: Codebook) -> dict[str, re.Pattern[str]]:
    """Per target, one pattern of its cue words, to search in lower-cased text.

    No word boundaries: German compounds carry the cue inside ("Nato-Beitrittsgesuch").
    A trie-shaped alternation over lower-cased text is about ten times faster than the
    plain alternation with re.IGNORECASE.
    """
    return {
        t.id: re.compile(alternation(sorted({c.lower() for c in t.cues})))
        for t in codebook.targets
        if t.cues
    }


class StanceRecords:
    """Builds the stance records of one export (options, codebook and cues fixed)."""

    def __init__(self, checked: Checked, codebook: Codebook) -> None:
        self.checked = checked
        self.options = checked.options
        self.stances = codebook.stance_ids
        self.cues = cue_patterns(codebook)
        self.counts = AggregateCounts()
        self._own: dict[tuple[Any, ...], bytes] = {}

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
            with_cue = [s for s in mentioned if pattern.search(text[s[0] : s[1]].lower())]
            if with_cue:
                return with_cue, "cue"
        return mentioned, "mention" if mentioned else "none"

    def _views(self, article: ArticleData) -> Iterator[tuple[StanceLabel, str, str, str]]:
        """(label, text, text_source, context) per label of the article.

        Annotators of a unit usually share its evidence, so text and context are worked out
        once per (actor, target, evidence) and the same string objects are handed out again.
        """
        text = article.text
        sents = Sentences(text)
        window = self.checked.window
        memo: dict[tuple[int, str, tuple[tuple[int, int], ...]], tuple[str, str, str]] = {}
        for label in self.labels(article):
            key = (label.actor_id, label.target, label.evidence)
            found = memo.get(key)
            if found is None:
                spans, source = self._text_sentences(article, sents, label)
                if window is None or not spans:
                    context = text
                else:
                    a, b = sents.window(spans[0], spans[-1], window)
                    context = text[a:b]
                found = memo[key] = (" ".join(text[a:b] for a, b in spans), source, context)
            yield label, *found

    def records(self, article: ArticleData) -> Iterator[dict[str, Any]]:
        text = article.text
        split = self.checked.split.of(article.external_id) if self.checked.split else None
        for label, sentences, source, context in self._views(article):
            annotator = label.annotator
            yield {
                "id": _record_id(article.external_id, label),
                "text": sentences,
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

    def lines(self, article: ArticleData) -> Iterator[tuple[str | None, bytes]]:
        """(split, UTF-8 JSON line) per record: the records of `records`, encoded faster.

        Every record of an article repeats its context (often the whole article), and the
        annotators of a unit share its text, actor, target and evidence, so those parts are
        encoded once and spliced in; json.dumps would encode them again for every record.
        tests/export/test_stances.py checks that both give the same records.
        """
        text = article.text
        split = self.checked.split.of(article.external_id) if self.checked.split else None
        tail = ('"article_id":' + encode_string(article.external_id) + ',"split":').encode()
        tail += encode(split).encode() + b"}\n"
        contexts: dict[str, bytes] = {}
        units: dict[tuple[int, str, tuple[tuple[int, int], ...]], bytes] = {}
        aggregation = None if not self.options.aggregated else self.options.labels
        for label, sentences, source, context in self._views(article):
            key = (label.actor_id, label.target, label.evidence)
            unit = units.get(key)
            if unit is None:
                ctx = contexts.get(context)
                if ctx is None:
                    ctx = contexts[context] = encode_string(context).encode()
                evidence = [{"start": a, "end": b, "text": text[a:b]} for a, b in label.evidence]
                unit = units[key] = b"".join(
                    (
                        b',"text":',
                        encode_string(sentences).encode(),
                        b',"text_source":',
                        encode_string(source).encode(),
                        b',"context":',
                        ctx,
                        b",",
                        encode(
                            {"actor": label.actor, "target": label.target, "evidence": evidence}
                        )[1:-1].encode(),
                        b",",
                    )
                )
            # Few distinct (label, annotator, votes...) combinations: encode each once.
            own_key = (
                label.label,
                label.annotator,
                label.votes,
                label.agreed,
                label.note,
                *label.distribution.values(),
            )
            own = self._own.get(own_key)
            if own is None:
                own = encode(
                    {
                        "label": label.label,
                        "annotator": label.annotator,
                        "aggregation": aggregation,
                        "votes": label.votes,
                        "distribution": label.distribution,
                        "agreed": label.agreed,
                        "note": label.note,
                    }
                )[1:-1].encode()
                if len(self._own) < 10_000:  # notes are free text: keep the cache bounded
                    self._own[own_key] = own
            head = '{"id":' + encode_string(_record_id(article.external_id, label))
            yield split, b"".join((head.encode(), unit, own, b",", tail))


def _record_id(article_id: str, label: StanceLabel) -> str:
    parts: Sequence[str] = (article_id, label.actor, label.target)
    if label.annotator is not None:
        parts = (*parts, label.annotator)
    return "|".join(parts)
