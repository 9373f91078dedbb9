"""The `stances` format: one line per (article, actor, target) label, for stance classifiers.

`text` is what a classifier reads: the sentences holding the evidence; without evidence, the
sentences that mention the actor and a cue word of the target; failing that, the sentences
that mention the actor, both outside boilerplate, as the window offers them (the one rule
in annotator/evidence.py). `text_source` says which, so a modeller can filter. Schema:
resources/schemas/stances.schema.json.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from annotator.codebook import Codebook
from annotator.cues import CueMatcher
from annotator.evidence import ArticleSentences, unit_sentences
from annotator.export.aggregate import (
    AggregateCounts,
    StanceRecord,
    aggregated,
    gold_labels,
    per_annotator,
)
from annotator.export.options import Checked
from annotator.export.output import encode, encode_string
from annotator.export.source import ArticleData
from annotator.store.engine import Project

UnitKey = tuple[int, str, tuple[tuple[int, int], ...]]  # actor, target, evidence


View = tuple[str, str, str]  # text, text_source, context


class StanceRecords:
    """Builds the stance records of one export (options, codebook and cues fixed)."""

    def __init__(
        self, checked: Checked, codebook: Codebook, suggestions_from: Project | None = None
    ) -> None:
        self.suggestions_from = suggestions_from  # with_suggestions: the project to read
        self.codebook = codebook
        self.checked = checked
        self.options = checked.options
        self.stances = codebook.stance_ids
        self.cues = CueMatcher(codebook)
        self.counts = AggregateCounts()
        self._own: dict[tuple[Any, ...], tuple[bytes, bytes]] = {}

    def labels(self, article: ArticleData) -> Iterator[StanceRecord]:
        if self.options.gold:
            return gold_labels(article.labels, self.stances, self.checked.names)
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

    def _view(self, doc: ArticleSentences, label: StanceRecord) -> View:
        """(text, text_source, context) of one unit: the sentences of the one evidence rule
        (evidence.py), and the sentences around them."""
        text = doc.text
        spans, source = unit_sentences(doc, label.actor_id, label.target, self.cues,
                                       label.evidence)  # fmt: skip
        window = self.checked.window
        if window is None or not spans:
            context = text
        else:
            a, b = doc.window(spans[0], spans[-1], window)
            context = text[a:b]
        return " ".join(text[a:b] for a, b in spans), source, context

    def lines(self, article: ArticleData) -> tuple[str | None, list[tuple[bytes, ...]]]:
        """The article's split and, per record, the pieces of its UTF-8 JSON line; the
        pieces joined are the line, newline included. The fields are those of
        resources/schemas/stances.schema.json; tests/export/test_stances.py builds the same
        records plainly and compares.

        Every record of an article repeats its context (often the whole article), and the
        annotators of a unit share its text, actor, target and evidence, so those parts are
        encoded once and handed out again; json.dumps would encode them for every record, and
        joining them per record would copy every context once more. (JSON escapes character
        by character, so the record id can be escaped in pieces too.)
        tests/export/test_stances.py checks that both give the same records.
        """
        text = article.text
        split = self.checked.split.of(article.external_id) if self.checked.split else None
        tail = ('"article_id":' + encode_string(article.external_id) + ',"split":').encode()
        tail += encode(split).encode() + b"}\n"
        id_start = '{"id":' + encode_string(article.external_id)[:-1]  # the id's closing " later
        doc = ArticleSentences(article, split_missing=True)
        suggested = self._suggestions(article.id)
        contexts: dict[str, bytes] = {}
        units: dict[UnitKey, tuple[bytes, bytes]] = {}
        out: list[tuple[bytes, ...]] = []
        for label in self.labels(article):
            key = (label.actor_id, label.target, label.evidence)
            unit = units.get(key)
            if unit is None:
                sentences, source, context = self._view(doc, label)
                ctx = contexts.get(context)
                if ctx is None:
                    ctx = contexts[context] = encode_string(context).encode()
                evidence = [{"start": a, "end": b, "text": text[a:b]} for a, b in label.evidence]
                unit_id = encode_string(f"|{label.actor}|{label.target}")[1:-1]
                body = b"".join(
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
                unit = units[key] = ((id_start + unit_id).encode(), body)
            id_end, fields = self._own_bytes(label)
            if label.origin is not None:  # gold: where the label came from, per unit
                fields += b'"gold_origin":' + encode(label.origin).encode() + b","
            if suggested is not None:
                made = suggested.get((label.actor_id, label.target))
                fields += b'"suggestion":' + encode(made).encode() + b","
            out.append((unit[0], id_end, unit[1], fields, tail))
        return split, out

    def _suggestions(self, article_id: int) -> dict[tuple[int, str], dict[str, Any]] | None:
        """The suggestions stored for everybody in this article, by (actor, target)."""
        if self.suggestions_from is None:
            return None
        from annotator.store.suggestions import stored_for

        return {
            (s.actor_id, s.target): {
                "stance": s.stance,
                "confidence": s.confidence,
                "source": s.source,
            }  # fmt: skip
            for s in stored_for(self.suggestions_from, (article_id,), None, self.codebook)
        }

    def _own_bytes(self, label: StanceRecord) -> tuple[bytes, bytes]:
        """(the end of the record id, the label's own fields): few distinct combinations of
        label, annotator, votes and note, so each is encoded once."""
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
            annotator = label.annotator
            id_end = encode_string("" if annotator is None else f"|{annotator}")[1:].encode()
            fields = encode(
                {
                    "label": label.label,
                    "annotator": annotator,
                    "aggregation": None if annotator is not None else self.options.labels,
                    "votes": label.votes,
                    "distribution": label.distribution,
                    "agreed": label.agreed,
                    "note": label.note,
                }
            )[1:-1].encode()
            own = (id_end, fields + b",")
            if len(self._own) < 10_000:  # notes are free text: keep the cache bounded
                self._own[own_key] = own
        return own


def _record_id(article_id: str, label: StanceRecord) -> str:
    parts: Sequence[str] = (article_id, label.actor, label.target)
    if label.annotator is not None:
        parts = (*parts, label.annotator)
    return "|".join(parts)
