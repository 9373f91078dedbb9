"""Build a static-vectors table from German Brown word clusters, for the NER model's tok2vec.

No pretrained embeddings can be downloaded here, but `spacy-lookups-data` (MIT, on PyPI) ships the
Brown clusters of spaCy 2's German models: 1,000,001 word forms in 750 clusters learnt from a
large unlabelled corpus. Word clusters are the classic way to give a small NER model
distributional knowledge (surnames share a cluster, so do towns, parties, ...).

spaCy 3 has no cluster token attribute any more, so the clusters enter the model as static
vectors: every word form is a key that points to its cluster's row, and a row is the one-hot
of the cluster plus one-hots of its bit-path prefixes (4, 6, 8 and 10 bits), so related clusters
share features. The standard `StaticVectors` layer learns the projection; loading the model needs
no code of ours.

    .venv/bin/python training/clusters.py [--out training/corpus/clusters]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy
import spacy
import spacy_lookups_data
from spacy.strings import get_string_id
from spacy.vectors import Vectors

PREFIX_BITS = (4, 6, 8, 10)


def load_clusters() -> dict[str, int]:
    path = Path(spacy_lookups_data.__file__).parent / "data" / "de_lexeme_cluster.json.gz"
    with gzip.open(path, "rt", encoding="utf8") as f:
        table: dict[str, int] = json.load(f)
    return table


def feature_names(cluster: int) -> list[str]:
    bits = format(cluster, "b")
    return [f"c{cluster}"] + [f"p{n}:{bits[:n]}" for n in PREFIX_BITS if len(bits) > n]


def build(out: Path, *, keep_zero: bool) -> None:
    table = load_clusters()
    if not keep_zero:
        # Cluster 0 holds the rare forms Brown clustering did not place (139,409 of them);
        # a missing key gives the same zero vector, so these only cost space.
        table = {word: c for word, c in table.items() if c != 0}
    clusters = sorted(set(table.values()))
    names = sorted({name for c in clusters for name in feature_names(c)})
    column = {name: i for i, name in enumerate(names)}
    data = numpy.zeros((len(clusters), len(names)), dtype="float32")
    row_of = {}
    for row, c in enumerate(clusters):
        row_of[c] = row
        for name in feature_names(c):
            data[row, column[name]] = 1.0
    nlp = spacy.blank("de")
    vectors = Vectors(strings=nlp.vocab.strings, data=data)
    for word, c in table.items():
        # Keys by hash only: storing the 860,592 strings would add 15 MB to the shipped model.
        vectors.add(get_string_id(word), row=row_of[c])
    nlp.vocab.vectors = vectors
    nlp.to_disk(out)
    print(f"{len(table):,} forms, {len(clusters)} clusters, {len(names)} features -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("training/corpus/clusters"))
    parser.add_argument("--keep-zero", action="store_true", help="keep cluster 0 (unplaced forms)")
    args = parser.parse_args()
    build(args.out, keep_zero=args.keep_zero)


if __name__ == "__main__":
    main()
