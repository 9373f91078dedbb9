"""The `spacy` format: a DocBin (`.spacy`) for NER and stance training with spaCy.

Per article one Doc with the export tokenisation (split at mention boundaries, see
text.py), and:
- `doc.spans["mentions"]`: every mention, label PER/ORG/LOC/MISC, `kb_id_` = actor name;
- `doc.ents`: the same mentions minus overlaps (the longest wins), for the NER component;
- `doc.spans["evidence"]`: evidence spans, label "target:stance" ("target:no agreement" for
  kept disagreements), `kb_id_` = actor (widened to whole tokens; the exact offsets are in
  user_data);
- `doc.user_data`: "meta", "stances" (the labels as in the stances format, with exact
  evidence offsets), "done_by" and "split".

A DocBin is serialised in one piece, so this format holds the whole corpus in memory while
it is written; the JSONL formats stream. With a split, one file per part is written
(NAME.train.spacy, NAME.dev.spacy, NAME.test.spacy), the layout `spacy train` expects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import catalogue
import srsly
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from annotator.export.documents import meta_of, spans_and_tokens
from annotator.export.options import SPLIT_NAMES, Checked
from annotator.export.source import ArticleData
from annotator.export.stances import StanceRecords
from annotator.export.text import export_nlp


def split_paths(path: Path) -> dict[str, Path]:
    return {name: path.with_name(f"{path.stem}.{name}{path.suffix}") for name in SPLIT_NAMES}


def article_doc(article: ArticleData, checked: Checked, builder: StanceRecords) -> Doc:
    spans, tokens = spans_and_tokens(article)
    text = article.text
    doc = Doc(
        export_nlp().vocab,
        words=[text[a:b] for a, b, _ in tokens],
        spaces=[ws for _, _, ws in tokens],
    )
    mentions = [
        Span(doc, s["token_start"], s["token_end"] + 1, label=s["label"], kb_id=s["actor"] or "")
        for s in spans
    ]
    doc.spans["mentions"] = mentions
    doc.ents = filter_spans(mentions)
    stances: list[dict[str, Any]] = []
    evidence: list[Span] = []
    for label in builder.labels(article):
        stances.append(
            {
                "actor": label.actor,
                "target": label.target,
                "label": label.label,
                "annotator": label.annotator,
                "votes": label.votes,
                "distribution": label.distribution,
                "agreed": label.agreed,
                "evidence": [{"start": a, "end": b, "text": text[a:b]} for a, b in label.evidence],
            }
        )
        if label.origin is not None:
            stances[-1]["gold_origin"] = label.origin
        for a, b in label.evidence:
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is not None:
                evidence.append(
                    Span(
                        doc,
                        span.start,
                        span.end,
                        label=f"{label.target}:{label.label or 'no agreement'}",
                        kb_id=label.actor,
                    )
                )
    doc.spans["evidence"] = evidence
    doc.user_data["meta"] = meta_of(article)
    doc.user_data["stances"] = stances
    doc.user_data["done_by"] = [checked.names.get(a, str(a)) for a in article.done_by]
    doc.user_data["split"] = checked.split.of(article.external_id) if checked.split else None
    return doc


def new_docbin() -> DocBin:
    return DocBin(store_user_data=True)


_plugin_jobs = 0  # DocBin exports running; the GUI may run two
_plugin_lock = threading.Lock()
_originals: dict[Any, Any] = {}


@contextmanager
def msgpack_plugins_cached() -> Iterator[None]:
    """For the length of a DocBin export: srsly looks up its msgpack plug-ins again only
    when the registry grows.

    DocBin.add packs four objects per Doc with srsly, and every packer asks its `catalogue`
    registry for all plug-ins: it copies and walks the whole registry (spaCy's hundreds of
    functions) and reads every installed package's metadata for entry points, 0.17 ms a
    time here, about a sixth of the export. The answer only changes when something new is
    registered, so it is kept until the registry's size changes. srsly is the process's,
    so the original lookup is put back when the last export ends.
    """
    global _plugin_jobs
    with _plugin_lock:
        if _plugin_jobs == 0:
            for registry in (srsly.msgpack_encoders, srsly.msgpack_decoders):
                _originals[registry] = vars(registry).get("get_all")
                registry.get_all = _cached(registry.get_all)
        _plugin_jobs += 1
    try:
        yield
    finally:
        with _plugin_lock:
            _plugin_jobs -= 1
            if _plugin_jobs == 0:
                for registry, original in _originals.items():
                    if original is None:
                        del registry.get_all
                    else:
                        registry.get_all = original
                _originals.clear()


def _cached(read: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    kept: dict[str, Any] = {}
    size = [-1]

    def get_all() -> dict[str, Any]:
        if len(catalogue.REGISTRY) != size[0]:
            kept.clear()
            kept.update(read())
            size[0] = len(catalogue.REGISTRY)
        return kept

    return get_all
