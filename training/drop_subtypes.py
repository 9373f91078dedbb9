"""Turn a pipeline trained with the 12-label scheme into one that only knows PER, ORG, LOC, MISC.

Usage (from the repository root):

    .venv/bin/python training/drop_subtypes.py \
        training/runs/NAME/model-best training/runs/NAME/model-4labels

The NER of a "sub" model has 50 transition actions (B/I/L/U for 12 labels, plus U- and O). This
script builds the same pipeline with the 4 base labels only and copies every weight over, keeping
the output rows of the actions that remain (B/I/L/U-PER/ORG/LOC/MISC, U-, O). The network is
unchanged; the decoder simply can no longer choose a *deriv/*part action, so where the 12-label
model started a subtype entity the 4-label model takes its next best valid action (mostly O).
The result is a plain spaCy pipeline with built-in components only (no custom code to load it).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy
import spacy
from spacy.tokens import DocBin
from spacy.training import Example

HERE = Path(__file__).resolve().parent
KEEP = ("PER", "ORG", "LOC", "MISC")


def class_names(ner) -> list[str]:
    return [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()

    old = spacy.load(args.model)
    old_ner = old.get_pipe("ner")
    new = spacy.util.load_model_from_config(old.config, auto_fill=True, validate=True)
    docs = list(DocBin().from_disk(HERE / "corpus" / "dev.drop.spacy").get_docs(new.vocab))[:200]
    examples = [Example(new.make_doc(d.text), d) for d in docs]
    new_ner = new.get_pipe("ner")
    for label in KEEP:
        new_ner.add_label(label)
    new.initialize(lambda: examples)

    new.get_pipe("tok2vec").from_bytes(old.get_pipe("tok2vec").to_bytes())
    old_names, new_names = class_names(old_ner), class_names(new_ner)
    rows = [old_names.index(name) for name in new_names]
    dropped = sorted(set(old_names) - set(new_names))
    old_layers, new_layers = old_ner.model.layers, new_ner.model.layers
    # layers: [tok2vec listener >> linear projection, lower (precomputable affine), upper (linear)]
    for old_layer, new_layer in zip(old_layers[:2], new_layers[:2], strict=True):
        for o, n in zip(old_layer.walk(), new_layer.walk(), strict=True):
            for name in o.param_names:
                if o.has_param(name):
                    n.set_param(name, o.get_param(name).copy())
    upper_old, upper_new = old_layers[2], new_layers[2]
    upper_new.set_param("W", numpy.ascontiguousarray(upper_old.get_param("W")[rows]))
    upper_new.set_param("b", numpy.ascontiguousarray(upper_old.get_param("b")[rows]))
    new_ner.model.attrs["unseen_classes"] = set()
    new.meta.update({k: v for k, v in old.meta.items() if k not in ("labels", "performance")})
    new.to_disk(args.out)
    print(f"kept {len(new_names)} actions, dropped {len(dropped)}: {', '.join(dropped)}")
    print(f"labels: {sorted(spacy.load(args.out).get_pipe('ner').labels)} -> {args.out}")


if __name__ == "__main__":
    main()
