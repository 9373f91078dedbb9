"""The `documents` format: one line per article, in the Prodigy/spaCy shape.

This is also the import format for labelled data (annotator/ingest/labelled.py reads it),
so it keeps every annotator's cells as stored, including cells that hold only evidence or a
note. Schema: resources/schemas/documents.schema.json.
"""

from __future__ import annotations

import hashlib
from typing import Any

from annotator.errors import InputError, ProjectError
from annotator.export.aggregate import origin_json
from annotator.export.options import Checked
from annotator.export.output import encode, encode_string
from annotator.export.source import ArticleData
from annotator.export.text import Token, tokenize
from annotator.limits import check_meta

STANDARD_META = ("id", "title", "source", "date", "url")


def input_hash(text: str) -> int:
    """A stable signed 32-bit hash of the text, the kind Prodigy keeps in `_input_hash`."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big", signed=True)


def meta_of(article: ArticleData) -> dict[str, Any]:
    # Extra meta (e.g. the source file name) comes first so the standard keys always win.
    meta: dict[str, Any] = {k: v for k, v in article.meta.items() if k not in STANDARD_META}
    try:
        # Imports refuse such metadata; a project written by an older version may hold it.
        check_meta(meta)
    except InputError as exc:
        raise ProjectError(
            f"article {article.external_id!r}: {exc.detail}; it cannot be exported as JSON"
        ) from None
    return {
        "id": article.external_id,
        "title": article.title,
        "source": article.source,
        "date": article.date,
        "url": article.url,
        **meta,
    }


def spans_and_tokens(article: ArticleData) -> tuple[list[dict], list[Token]]:
    """Mentions as token-aligned spans, and the tokens (start, end, space after) they align
    with."""
    text = article.text
    toks = tokenize(text, [(m.start, m.end) for m in article.mentions])
    first = {a: i for i, (a, _, _) in enumerate(toks)}
    last = {b: i for i, (_, b, _) in enumerate(toks)}
    spans = [
        {
            "start": m.start,
            "end": m.end,
            "label": m.label,
            "token_start": first[m.start],
            "token_end": last[m.end],  # inclusive, as in Prodigy
            "actor": m.actor,
            "source": m.source,
            "text": text[m.start : m.end],
        }
        for m in article.mentions
    ]
    return spans, toks


def tokens_json(text: str, tokens: list[Token]) -> str:
    """The tokens as a JSON array of {"text", "start", "end", "id", "ws"}.

    Written out directly: an article has hundreds of tokens, and a dict per token encoded
    with json costs three times as much (tests/export/test_documents.py parses the result).
    """
    enc = encode_string
    return (
        "["
        + ",".join(
            [
                f'{{"text":{enc(text[a:b])},"start":{a},"end":{b},"id":{i},'
                f'"ws":{"true" if ws else "false"}}}'
                for i, (a, b, ws) in enumerate(tokens)
            ]
        )
        + "]"
    )


def stances_of(article: ArticleData, checked: Checked) -> list[dict]:
    names = checked.names
    text = article.text
    gold = checked.options.gold
    out = []
    for r in article.labels:
        record: dict[str, Any] = {
            "actor": r.actor,
            "target": r.target,
            "stance": r.stance,
            "evidence": [{"start": a, "end": b, "text": text[a:b]} for a, b in r.evidence],
            "annotator": names.get(r.annotator_id, str(r.annotator_id)),
            "note": r.note,
        }
        if gold:
            record["gold_origin"] = origin_json(r.origin, names)
        out.append(record)
    return out


def document_line(article: ArticleData, checked: Checked) -> tuple[str | None, bytes]:
    """The article's split part and its record as one UTF-8 JSON line (newline included)."""
    spans, tokens = spans_and_tokens(article)
    head = {"text": article.text, "meta": meta_of(article), "spans": spans}
    tail: dict[str, Any] = {
        "stances": stances_of(article, checked),
        "done_by": [checked.names.get(a, str(a)) for a in article.done_by],
        "_input_hash": input_hash(article.text),
    }
    split = checked.split.of(article.external_id) if checked.split is not None else None
    if checked.split is not None:
        tail["split"] = split
    line = "".join(
        (encode(head)[:-1], ',"tokens":', tokens_json(article.text, tokens), ",", encode(tail)[1:])
    )
    return split, line.encode() + b"\n"
