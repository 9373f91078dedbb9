"""Convert GermEval 2014 (JSONL, outer annotation) into spaCy DocBin files.

Usage (from the repository root):

    .venv/bin/python training/prepare.py \
        [--data /work/shared/data/germeval2014] [--out training/corpus]

Writes, for each split (train, dev) and each label scheme:

    corpus/{split}.map.spacy   subtypes mapped to the base label (LOCderiv -> LOC, OTHpart -> MISC)
    corpus/{split}.drop.spacy  subtypes dropped (their tokens are O)
    corpus/{split}.sub.spacy   12 labels: PER ORG LOC MISC + the 8 subtypes under their own names

and two gold files for the project scorer (annotator/nlp/evaluate.py accepts only PER/ORG/LOC/MISC):

    corpus/dev.outer.jsonl     dev gold, subtypes mapped to the base label
    corpus/dev.nosub.jsonl     dev gold, subtypes dropped

Tokenisation is spacy.blank("de"), the tokenizer the trained pipeline uses at inference. An entity
whose character offsets fall inside a token is widened to whole tokens (alignment_mode="expand");
the counts are printed. In GermEval they are abbreviations at the end of a sentence, where the
German tokenizer keeps the full stop on the token ("GmbH." "Chr." "04."). Hyphenated compounds
("Nato-Beitritt", "EU-Budget") are single tokens for both GermEval and spaCy, so *part spans align.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import DocBin

BASE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "OTH": "MISC"}
SCHEMES = ("map", "drop", "sub")


def base_label(label: str) -> str:
    """LOCderiv -> LOC, OTHpart -> MISC, PER -> PER."""
    for suffix in ("deriv", "part"):
        if label.endswith(suffix):
            return BASE[label[: -len(suffix)]]
    return BASE[label]


def is_subtype(label: str) -> bool:
    return label.endswith(("deriv", "part"))


def scheme_label(label: str, scheme: str) -> str | None:
    if scheme == "map":
        return base_label(label)
    if scheme == "drop":
        return None if is_subtype(label) else base_label(label)
    return label if is_subtype(label) else base_label(label)  # "sub": keep subtypes


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def convert(records: list[dict], nlp, scheme: str, stats: Counter, examples: list) -> DocBin:
    db = DocBin(store_user_data=False)
    for r in records:
        doc = nlp.make_doc(r["text"])
        spans = []
        for e in r["entities"]:
            label = scheme_label(e["label"], scheme)
            if label is None:
                continue
            span = doc.char_span(e["start"], e["end"], label=label)
            if span is None:
                stats["misaligned"] += 1
                span = doc.char_span(e["start"], e["end"], label=label, alignment_mode="expand")
                if span is None:  # cannot happen with expand unless the span is whitespace
                    stats["dropped"] += 1
                    continue
                if len(examples) < 40:
                    examples.append((e["label"], r["text"][e["start"] : e["end"]], span.text))
            spans.append(span)
        doc.ents = spans  # raises on overlap; GermEval outer spans never overlap
        stats["entities"] += len(spans)
        db.add(doc)
    return db


def write_gold(records: list[dict], path: Path, keep_subtypes: bool) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            ents = [
                {"start": e["start"], "end": e["end"], "label": base_label(e["label"])}
                for e in r["entities"]
                if keep_subtypes or not is_subtype(e["label"])
            ]
            f.write(
                json.dumps({"id": r["id"], "text": r["text"], "entities": ents}, ensure_ascii=False)
            )
            f.write("\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/germeval2014"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "corpus")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("de")
    for split in ("train", "dev"):
        records = read_jsonl(args.data / f"{split}.jsonl")
        labels = Counter(e["label"] for r in records for e in r["entities"])
        print(
            f"{split}: {len(records)} sentences, {sum(labels.values())} entities: "
            + ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))
        )
        for scheme in SCHEMES:
            stats: Counter = Counter()
            examples: list = []
            db = convert(records, nlp, scheme, stats, examples)
            db.to_disk(args.out / f"{split}.{scheme}.spacy")
            print(
                f"  {scheme:<4}: {stats['entities']} entities, {stats['misaligned']} not on token "
                f"boundaries (expanded to whole tokens), {stats['dropped']} dropped"
            )
            if scheme == "map" and examples:
                shown = "; ".join(f"{lab} {g!r} -> {s!r}" for lab, g, s in examples[:12])
                print(f"        e.g. {shown}")
        if split == "dev":
            write_gold(records, args.out / "dev.outer.jsonl", keep_subtypes=True)
            write_gold(records, args.out / "dev.nosub.jsonl", keep_subtypes=False)


if __name__ == "__main__":
    main()
