"""Score a trained spaCy NER pipeline on GermEval 2014 dev, with spaCy's and the project's scorer.

Usage (from the repository root, after training/prepare.py):

    .venv/bin/python training/evaluate.py MODEL_DIR [--subtypes map|drop] [--speed] [--json OUT]

Predicted labels are folded to the tool's labels: PER ORG LOC MISC (GermEval OTH = MISC). A model
trained with the 12-label scheme also predicts *deriv/*part labels; --subtypes map turns them into
their base label, --subtypes drop discards them. Models trained on 4 labels are unaffected.

Three gold variants of dev are scored:
  outer   subtypes mapped to the base label (LOCderiv -> LOC ...): the full outer annotation
  nosub   subtypes dropped (only "real" names: no "deutschen", no "EU-Budget")
  ignore  subtypes neither gold nor spurious (project scorer only, as
          `annotator eval-entities --subtypes ignore`)

For each: spaCy's exact span P/R/F (token offsets, as `spacy train`/`spacy evaluate` report) and
annotator.nlp.evaluate.evaluate_entities (exact and overlap match on character offsets).
--speed times nlp.pipe over the dev texts (batch_size 64, one process).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import spacy  # noqa: E402
from spacy.scorer import Scorer  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402
from spacy.training import Example  # noqa: E402

from annotator.nlp.evaluate import evaluate_entities  # noqa: E402

HERE = Path(__file__).resolve().parent
BASE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "OTH": "MISC"}
GOLD = {
    "outer": ("dev.outer.jsonl", "dev.map.spacy"),
    "nosub": ("dev.nosub.jsonl", "dev.drop.spacy"),
}


def fold(label: str, subtypes: str) -> str | None:
    """Model label -> tool label, or None to drop it."""
    for suffix in ("deriv", "part"):
        if label.endswith(suffix):
            return BASE[label[: -len(suffix)]] if subtypes == "map" else None
    return BASE.get(label, "MISC")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str


class SpacyHighlighter:
    """The interface evaluate_entities expects: pipe(texts) -> one list of mentions per text."""

    def __init__(self, nlp, subtypes: str = "map") -> None:
        self.nlp = nlp
        self.subtypes = subtypes
        self.docs: list = []  # kept for spaCy's scorer

    def pipe(self, texts, *, batch_size: int = 64):
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            ents = []
            for ent in doc.ents:
                label = fold(ent.label_, self.subtypes)
                if label is not None:
                    ents.append(doc.char_span(ent.start_char, ent.end_char, label=label))
            doc.ents = ents
            self.docs.append(doc)
            yield [Mention(e.start_char, e.end_char, e.label_) for e in ents]


def spacy_scores(docs, gold_path: Path, vocab) -> dict:
    gold_docs = list(DocBin().from_disk(gold_path).get_docs(vocab))
    examples = [Example(p, g) for p, g in zip(docs, gold_docs, strict=True)]
    return Scorer.score_spans(examples, "ents")


def measure_speed(nlp, texts: list[str], repeats: int = 3) -> dict:
    chars = sum(len(t) for t in texts)
    best = best_cpu = float("inf")
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return {
        "sentences": len(texts),
        "chars": chars,
        "seconds": best,
        "cpu_seconds": best_cpu,
        "sents_per_s": len(texts) / best,
        "chars_per_s": chars / best,
        "sents_per_cpu_s": len(texts) / best_cpu,
        "chars_per_cpu_s": chars / best_cpu,
    }


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--subtypes", choices=("map", "drop"), default="map")
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus")
    ap.add_argument("--germeval", type=Path, default=Path("/work/shared/data/germeval2014"))
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    nlp = spacy.load(args.model)
    result: dict = {
        "model": str(args.model),
        "subtypes": args.subtypes,
        "labels": list(nlp.get_pipe("ner").labels),
        "size_bytes": dir_size(args.model),
    }
    for variant, (jsonl, docbin) in GOLD.items():
        hl = SpacyHighlighter(nlp, args.subtypes)
        report = evaluate_entities(args.corpus / jsonl, hl)
        sp = spacy_scores(hl.docs, args.corpus / docbin, nlp.vocab)
        print(f"\n== gold: {variant} ({jsonl}), model subtypes -> {args.subtypes}")
        print(
            f"spaCy exact: P {sp['ents_p']:.3f} R {sp['ents_r']:.3f} F {sp['ents_f']:.3f}   "
            + "  ".join(f"{k} {v['f']:.3f}" for k, v in sorted(sp["ents_per_type"].items()))
        )
        print(report.format_table())
        result[variant] = {"spacy": sp, "project": report.as_dict()}
    # The tool's own convention: GermEval's subtype spans are neither gold nor spurious.
    report = evaluate_entities(
        args.germeval / "dev.jsonl", SpacyHighlighter(nlp, args.subtypes), subtypes="ignore"
    )
    print("\n== gold: GermEval dev with subtypes ignored (neither gold nor counted as spurious)")
    print(report.format_table())
    result["ignore"] = {"project": report.as_dict()}
    if args.speed:
        texts = [json.loads(line)["text"] for line in (args.corpus / "dev.outer.jsonl").open()]
        speed = measure_speed(nlp, texts)
        print(
            f"\nspeed (wall clock): {speed['sents_per_s']:.0f} sentences/s, "
            f"{speed['chars_per_s']:.0f} chars/s; per CPU second: {speed['sents_per_cpu_s']:.0f} "
            f"sentences, {speed['chars_per_cpu_s']:.0f} chars ({speed['sentences']} sentences, "
            f"{speed['chars']} chars, best of 3, batch_size 64, one process)"
        )
        result["speed"] = speed
    print(f"model size: {result['size_bytes'] / 1e6:.1f} MB ({args.model})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
