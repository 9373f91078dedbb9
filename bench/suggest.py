"""Benchmark: stance suggestions (issue 26). ALL DATA HERE IS SYNTHETIC (template sentences
from tests/suggest/builders.py); it measures speed and how the assistant behaves, never the
quality on real news (docs/suggestions.md has the seeds' figures for that).

    python bench/suggest.py [--articles 200] [--units 2000] [--sim 120]

1. Suggestions for an import of --articles articles with the rules: the time of
   suggest.compute, against the rules-only import of the same articles in the same run.
2. Training on --units synthetic units (train-stance's work: 5-fold cross-validation, the
   learning curve and the final model), against spaCy's TextCatBOW doing the 5-fold part.
3. A simulated annotator coding --sim articles in queue order, with and without suggestions,
   retraining every 20 articles: keys per label (accept a right suggestion: 1 key; correct a
   wrong one: its stance key and E for the evidence; without a suggestion: the same two) and
   the model's cross-validated macro-F1 against the number of labels so far.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.codebook import load_codebook  # noqa: E402
from annotator.ingest.importer import import_paths  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402
from annotator.suggest.features import Unit  # noqa: E402
from annotator.suggest.model import Predictor, best, evaluate, train  # noqa: E402
from annotator.suggest.service import compute  # noqa: E402
from tests.suggest.builders import PHRASES, VERBS, labelled_project, sentence  # noqa: E402


def speed_of_suggestions(n: int, root: Path) -> tuple[float, float]:
    rng = random.Random(3)
    lines = []
    for i in range(n):
        text = " ".join(
            sentence(rng, rng.choice(["Olaf Scholz", "Mark Rutte", "Keir Starmer"]),
                     rng.choice(list(VERBS)), rng.choice(list(PHRASES)))
            for _ in range(12)
        )  # fmt: skip
        lines.append(json.dumps({"id": f"b{i}", "text": text}, ensure_ascii=False))
    source = root / "b.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    codebook = load_codebook()
    with open_project(str(root / "b.db")) as project:
        t = time.perf_counter()
        import_paths(project, [source], model="none")
        imported = time.perf_counter() - t
        t = time.perf_counter()
        compute(project, codebook)
        suggested = time.perf_counter() - t
    return suggested, imported


def synthetic_units(n: int) -> tuple[list[Unit], list[str]]:
    rng = random.Random(1)
    units, labels = [], []
    for i in range(n):
        stance, target = rng.choice(list(VERBS)), rng.choice(list(PHRASES))
        text = sentence(rng, "[AKTEUR]", stance, target)
        units.append(Unit(i, 1, target, f"{target} || {text}", ()))
        labels.append(stance if rng.random() > 0.15 else rng.choice(list(VERBS)))
    return units, labels


def spacy_cv(units: list[Unit], labels: list[str]) -> float:
    import spacy
    from spacy.training import Example

    t = time.perf_counter()
    order = list(range(len(units)))
    random.Random(1).shuffle(order)
    for k in range(5):
        test = set(order[k::5])
        nlp = spacy.blank("de")
        cat = nlp.add_pipe("textcat", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
            "ngram_size": 2, "no_output_layer": False}})  # fmt: skip
        for label in set(labels):
            cat.add_label(label)
        classes = set(labels)
        examples = [
            Example.from_dict(nlp.make_doc(units[i].text),
                              {"cats": {c: float(c == labels[i]) for c in classes}})
            for i in order if i not in test
        ]  # fmt: skip
        optimizer = nlp.initialize(lambda e=examples: e)
        for _ in range(8):
            for batch in spacy.util.minibatch(examples, size=64):
                nlp.update(batch, sgd=optimizer)
        list(nlp.pipe(units[i].text for i in test))
    return time.perf_counter() - t


def simulate(n: int, root: Path) -> None:
    codebook = load_codebook()
    project, truth = labelled_project(root / "sim.db", n, seed=11, coder="truth")
    try:
        from annotator.suggest.training import training_units

        units, classes, _ = training_units(project, codebook, "truth")
    finally:
        project.close()
    by_article: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        by_article.setdefault(u.article_id, []).append(i)
    articles = sorted(by_article)
    keys = {"with": 0, "without": 0}
    labels = 0
    model: Predictor | None = None
    print("articles coded | labels | keys per label with / without suggestions | model CV macro-F1")
    for done, article in enumerate(articles, start=1):
        idx = [i for i in by_article[article] if classes[i] != "none"]
        guesses = model.probabilities([units[i].text for i in idx]) if model else [{}] * len(idx)
        for i, p in zip(idx, guesses, strict=True):
            labels += 1
            keys["without"] += 2  # stance key, E for the offered sentence
            guess = best(p)[0] if p else None
            keys["with"] += 1 if guess == classes[i] else 2
        if done % 20 == 0 or done == len(articles):
            seen = [i for a in articles[:done] for i in by_article[a]]
            if len({classes[i] for i in seen if classes[i] != "none"}) >= 2 and len(seen) >= 40:
                q = evaluate([units[i] for i in seen], [classes[i] for i in seen])
                model = Predictor(train([units[i] for i in seen], [classes[i] for i in seen]))
                f1 = f"{q.macro_f1:.3f}"
            else:
                f1 = "-"
            print(f"{done:14d} | {labels:6d} | {keys['with'] / labels:.2f} / "
                  f"{keys['without'] / labels:.2f} | {f1}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--sim", type=int, default=120)
    args = parser.parse_args()
    print("SYNTHETIC data: speed and behaviour only, not quality on real news")
    with tempfile.TemporaryDirectory() as tmp:
        suggested, imported = speed_of_suggestions(args.articles, Path(tmp))
    print(f"rule suggestions for {args.articles} imported articles: {suggested:.2f} s "
          f"(target <= 10 s); the rules-only import of the same articles: {imported:.2f} s, "
          f"ratio {suggested / imported:.2f}")  # fmt: skip
    units, labels = synthetic_units(args.units)
    t = time.perf_counter()
    quality = evaluate(units, labels)
    train(units, labels)
    ours = time.perf_counter() - t
    reference = spacy_cv(units, labels)
    ratio = ours / reference
    print(f"train-stance on {args.units} units (5-fold CV, learning curve, final model): "
          f"{ours:.1f} s (target <= 60 s), CV macro-F1 {quality.macro_f1:.3f}; spaCy "
          f"TextCatBOW's 5-fold CV alone: {reference:.1f} s, ratio {ratio:.2f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        simulate(args.sim, Path(tmp))


if __name__ == "__main__":
    main()
