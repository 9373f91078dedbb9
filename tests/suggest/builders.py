"""SYNTHETIC projects for the suggestion tests: short articles made from templates (an actor,
a stance predicate, a target phrase), imported through the real importer (rules-only
highlighting), and labelled by a simulated annotator. Never reported as real quality."""

from __future__ import annotations

import json
import random
from pathlib import Path

from annotator.ingest.importer import import_paths
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import article_id_by_external, load_article
from annotator.store.engine import Project, open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from annotator.store.suggestions import StoredSuggestion

ACTORS = ["Boris Pistorius", "Emmanuel Macron", "Olaf Scholz", "Friedrich Merz", "Mark Rutte",
          "Keir Starmer", "Donald Tusk", "Annalena Baerbock"]  # fmt: skip
VERBS = {
    "favor": ["fordert", "unterstützt", "befürwortet", "begrüßt", "verlangt"],
    "against": ["lehnt {x} ab", "warnt vor {x}", "kritisiert", "weist {x} zurück"],
    "neutral": ["prüft", "lässt offen, wie es mit {x} weitergeht", "äußert sich nicht zu"],
}
PHRASES = {
    "nato_membership": ["einen Nato-Beitritt der Ukraine", "die Nato-Mitgliedschaft der Ukraine"],
    "ground_troops": ["die Entsendung von Bodentruppen", "eine Friedenstruppe"],
    "defence_spending": ["höhere Verteidigungsausgaben", "das Zwei-Prozent-Ziel"],
}


def sentence(rng: random.Random, actor: str, stance: str, target: str) -> str:
    verb = rng.choice(VERBS[stance])
    phrase = rng.choice(PHRASES[target])
    if "{x}" in verb:
        return f"{actor} {verb.format(x=phrase)}."
    return f"{actor} {verb} {phrase}."


def labelled_project(path: Path, n: int, *, seed: int = 1, noise: float = 0.0,
                     coder: str = "anna") -> tuple[Project, dict]:  # fmt: skip
    """A project of `n` one-paragraph articles, each with two stance sentences, coded by
    `coder` (done, labels with evidence); returns it and the truth by (external id, actor,
    target). With `noise`, that share of her labels is random."""
    rng = random.Random(seed)
    records, truth = [], {}
    for i in range(n):
        parts = []
        for _ in range(2):
            actor, target = rng.choice(ACTORS), rng.choice(list(PHRASES))
            stance = rng.choice(list(VERBS))
            parts.append(sentence(rng, actor, stance, target))
            truth[(f"s{i}", actor, target)] = stance
        records.append({"id": f"s{i}", "title": f"Meldung {i}", "text": " ".join(parts)})
    source = path.parent / f"{path.stem}.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                      encoding="utf-8")  # fmt: skip
    project = open_project(str(path))
    import_paths(project, [source], model="none")
    who = get_or_create_annotator(project, coder)
    for i in range(n):
        from annotator.store.articles import article_id_by_external

        article = article_id_by_external(project, f"s{i}")
        assert article is not None
        view = load_article(project, article)
        names = {m.actor: m.actor_id for m in view.mentions if m.actor_id}
        for (ext, actor, target), stance in truth.items():
            if ext != f"s{i}" or actor not in names:
                continue
            given = stance if rng.random() >= noise else rng.choice(list(VERBS))
            sentence_span = next(s for s in view.sentences
                                 if actor in view.text[s[0] : s[1]])  # fmt: skip
            put_cell(project, who, CellKey(article, names[actor], target),
                     CellState(given, (sentence_span,)))  # fmt: skip
        set_done(project, article, who)
    return project, truth


def first_suggestion(project, codebook, annotator: int) -> StoredSuggestion:  # noqa: ANN001
    """The first suggestion the rules make her on the first articles."""
    from annotator.suggest.service import visible

    for ext in ("s0", "s1", "s2", "s3"):
        view = load_article(project, article_id_by_external(project, ext))  # type: ignore[arg-type]
        found = visible(project, view, annotator, codebook)
        if found:
            return found[0]
    raise AssertionError("the rules suggested nothing")
