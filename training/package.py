"""Package a trained pipeline (model-best) into resources/models/de_stance_ner/.

Usage (from the repository root):

    .venv/bin/python training/package.py training/runs/final/model-best \
        [--eval training/runs/final.eval.json]

What it does:
- loads model-best and keeps only what inference needs: tokenizer, tok2vec, ner. The training-time
  string store (~2 MB of every token string seen in training) is dropped: the hash embeddings
  work on hashes computed from the text, so only the label strings are kept. Paths to the local
  training corpus are removed from config.cfg.
- with --entity-bias D, takes D off the output bias of the actions that open an entity (the
  precision knob, training/README.md) and records it in meta.json as entity_start_bias;
- checks that the packaged pipeline predicts exactly the same entities as model-best (with the
  same bias) on dev;
- writes meta.json (name, version, description, labels, dev scores, licence CC BY 4.0, GermEval
  attribution) and LICENSE / ATTRIBUTION.md next to it, plus LICENSE.spacy-lookups-data (the MIT
  notice of the word clusters) when the model has vectors.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
from pathlib import Path

import spacy
from spacy.tokens import DocBin

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_OUT = ROOT / "resources" / "models" / "de_stance_ner"
LABELS = ["PER", "ORG", "LOC", "MISC"]
VERSION = "0.1.0"

ATTRIBUTION = (
    "Darina Benikova, Chris Biemann, Marc Reznicek (2014). NoSta-D Named Entity Annotation for "
    "German: Guidelines and Dataset. Proceedings of LREC 2014, Reykjavik, Iceland, pp. 2524–2531."
)
DATA_URL = "https://sites.google.com/site/germeval2014ner/"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

CLUSTERS_SOURCE = {
    "name": "German Brown word clusters (lexeme_cluster table) of spacy-lookups-data 1.0.5",
    "url": "https://github.com/explosion/spacy-lookups-data",
    "license": "MIT",
    "author": "Explosion AI GmbH",
}
CLUSTERS_NOTE = (
    "The tok2vec layer also reads static vectors built from the German Brown word clusters in\n"
    "spacy-lookups-data 1.0.5 (MIT licence, (c) 2019 ExplosionAI GmbH; its licence text is in\n"
    "LICENSE.spacy-lookups-data): each word form points to a one-hot row of its cluster and\n"
    "cluster-path prefixes (training/clusters.py). No pretrained\n"
    "embeddings, transformers or other external data were used; the tokenizer is spaCy's German\n"
    "tokenizer (spaCy is MIT-licensed)."
)

ATTRIBUTION_MD = f"""# de_stance_ner: licence and attribution

This spaCy pipeline (German named-entity recogniser, labels PER, ORG, LOC, MISC) was trained on the
GermEval 2014 NER data (NoSta-D named-entity annotation of German Wikipedia and news sentences;
training split, tuned on the development split). The data are licensed under the Creative Commons
Attribution 4.0 International licence (CC BY 4.0, {LICENSE_URL}); the model weights are a work
derived from them and are distributed under the same licence.

Credit for the training data:

{ATTRIBUTION}

Data page: {DATA_URL}

Changes made to the data: only the outer (top-level) annotation was used; GermEval's OTH label is
called MISC here; the subtypes *deriv and *part were handled as described in meta.json
("subtypes") and training/README.md of the stance-annotator repository; text was rebuilt from the
tokens and tokenised with spaCy's German tokenizer.

{CLUSTERS_NOTE}
"""

LICENSE_TXT = f"""de_stance_ner model weights and data-derived files
Licence: Creative Commons Attribution 4.0 International (CC BY 4.0)
{LICENSE_URL}  (full legal code: {LICENSE_URL}legalcode)

Trained on GermEval 2014 NER (CC BY 4.0). Attribution:
{ATTRIBUTION}

You may share and adapt this model for any purpose, provided you give appropriate credit (the
attribution above and this model), provide a link to the licence, and indicate if changes were made.

The word-cluster table in vocab/ (key2row, vectors) is derived from spacy-lookups-data 1.0.5,
MIT licence, (c) 2019 ExplosionAI GmbH: see LICENSE.spacy-lookups-data.
"""


def strip_strings(out: Path, keep: set[str]) -> None:
    path = out / "vocab" / "strings.json"
    strings = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(sorted(s for s in strings if s in keep)), encoding="utf-8")


def bias_entity_starts(nlp, delta: float) -> None:
    """Lower the output bias of every action that opens an entity by `delta`.

    The greedy transition parser takes the best-scoring action at each token, so opening an
    entity now needs a margin of `delta` over staying outside: a plain weight change that
    any spaCy installation loads as it is (no code of ours at load time).
    """
    ner = nlp.get_pipe("ner")
    upper = ner.model.get_ref("upper")
    b = upper.get_param("b").copy()
    for i, name in enumerate(ner.move_names):
        if name.startswith(("B-", "U-")):
            b[i] -= delta
    upper.set_param("b", b)


def clean_config(out: Path) -> None:
    path = out / "config.cfg"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("train = ", "dev = ", "vectors = ")) and "/" in line:
            line = line.split("=")[0] + "= null"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def predictions(nlp, docs) -> list:
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(docs)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path, help="model-best directory from spacy train")
    ap.add_argument("--eval", type=Path, help="JSON written by training/evaluate.py --json")
    ap.add_argument(
        "--subtypes",
        default="dropped (treated as O) in training",
        help="how *deriv/*part were handled (goes into meta.json)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--entity-bias",
        type=float,
        default=0.0,
        help="subtract this from the scores of the actions that open an entity (B-, U-): "
        "fewer, surer entities (the precision/recall knob, chosen on dev)",
    )
    args = ap.parse_args()

    nlp = spacy.load(args.model)
    if args.entity_bias:
        bias_entity_starts(nlp, args.entity_bias)
    labels = sorted(nlp.get_pipe("ner").labels)
    if labels != sorted(LABELS):
        raise SystemExit(f"model labels {labels} are not exactly {LABELS}")
    extra = [p for p in nlp.pipe_names if p not in ("tok2vec", "ner")]
    if extra:
        raise SystemExit(f"unexpected components {extra}")

    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    keep = set(LABELS) | {"de"}
    strip_strings(args.out, keep)
    clean_config(args.out)

    meta = json.loads((args.out / "meta.json").read_text(encoding="utf-8"))
    meta.update(
        name="stance_ner",  # spaCy package name: de_stance_ner
        version=VERSION,
        description=(
            "German named-entity recogniser for stance-annotator: spaCy tokenizer + CNN tok2vec "
            "(hash embeddings and German Brown word clusters as static vectors; no pretrained "
            "embeddings) + transition-based NER, trained on GermEval 2014 (outer annotation). "
            "Labels PER, ORG, LOC, MISC (MISC = GermEval OTH)."
        ),
        author="stance-annotator project",
        license="CC BY 4.0",
        url="",
        sources=[
            {
                "name": "GermEval 2014 NER (NoSta-D)",
                "url": DATA_URL,
                "license": "CC BY 4.0",
                "author": "Benikova, Biemann, Reznicek",
            },
            CLUSTERS_SOURCE,
        ],
        attribution=ATTRIBUTION,
        subtypes=args.subtypes,
        entity_start_bias=-args.entity_bias,
    )
    meta["labels"] = {"tok2vec": [], "ner": LABELS}
    if args.eval:
        ev = json.loads(args.eval.read_text(encoding="utf-8"))
        perf = {}
        for variant in ("outer", "nosub"):
            sp = ev[variant]["spacy"]
            pr = ev[variant]["project"]["labels"]
            perf[variant] = {
                "spacy_exact": {
                    "p": sp["ents_p"],
                    "r": sp["ents_r"],
                    "f": sp["ents_f"],
                    "per_type": sp["ents_per_type"],
                },
                "overlap": {
                    k: {m: v["overlap"][m] for m in ("precision", "recall", "f1")}
                    for k, v in pr.items()
                },
            }
        meta["performance"] = {
            "dev_set": "GermEval 2014 dev (2,200 sentences); 'outer' = subtypes mapped to base "
            "label, 'nosub' = subtypes dropped from the gold",
            "ents_p": ev["nosub"]["spacy"]["ents_p"],
            "ents_r": ev["nosub"]["spacy"]["ents_r"],
            "ents_f": ev["nosub"]["spacy"]["ents_f"],
            **perf,
        }
        if "speed" in ev:
            meta["performance"]["speed_dev"] = {
                k: round(ev["speed"][k]) for k in ("sents_per_s", "chars_per_s")
            }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    (args.out / "ATTRIBUTION.md").write_text(ATTRIBUTION_MD, encoding="utf-8")
    (args.out / "LICENSE").write_text(LICENSE_TXT, encoding="utf-8")
    if len(nlp.vocab.vectors):  # the word clusters: MIT asks for its notice with the data
        notice = importlib.metadata.distribution("spacy-lookups-data").read_text("LICENSE")
        if not notice:
            raise SystemExit("spacy-lookups-data's LICENSE not found: its notice must ship")
        (args.out / "LICENSE.spacy-lookups-data").write_text(notice, encoding="utf-8")

    # The packaged pipeline must behave exactly like model-best.
    packed = spacy.load(args.out)
    dev = list(DocBin().from_disk(HERE / "corpus" / "dev.map.spacy").get_docs(nlp.vocab))
    texts = [d.text for d in dev]
    if predictions(packed, texts) != predictions(nlp, texts):
        raise SystemExit("packaged pipeline predicts differently from model-best")
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(
        f"packaged {args.model} -> {args.out} ({size / 1e6:.1f} MB), predictions identical on dev"
    )


if __name__ == "__main__":
    main()
