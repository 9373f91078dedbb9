"""Cold-start stance suggestions (annotator/suggest/rules.py) on small hand-made articles,
and measured on the five seeds against the reading in tests/data/seed_stances.jsonl."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.codebook import Codebook, load_codebook, parse_codebook
from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.actors import list_actors
from annotator.store.articles import ArticleView, MentionView, article_id_by_external, load_article
from annotator.store.engine import open_project
from annotator.suggest.rules import RuleSuggester

READING = Path(__file__).resolve().parent.parent / "data" / "seed_stances.jsonl"
ACTORS = {"Boris Pistorius": 1, "Carlo Masala": 2, "Frankreich": 3, "Großbritannien": 4,
          "Ukraine": 5, "Russland": 6, "Le Monde": 7, "Jean-Noël Barrot": 8}  # fmt: skip


def article(text: str, *, boilerplate: tuple[tuple[int, int, str], ...] = ()) -> ArticleView:
    """An article as the store gives it: sentences split at ". " and every actor name
    (and "Moskau" for Russland) marked."""
    sentences, start = [], 0
    for m in re.finditer(r"(?<=[.!?“])\s+", text):
        sentences.append((start, m.start()))
        start = m.end()
    sentences.append((start, len(text)))
    mentions = []
    names = {**{n: n for n in ACTORS}, "Masala": "Carlo Masala", "Moskau": "Russland",
             "Barrot": "Jean-Noël Barrot", "Pistorius": "Boris Pistorius"}  # fmt: skip
    taken: list[tuple[int, int]] = []
    for surface in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(surface), text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            label = "ORG" if surface == "Le Monde" else "PER" if " " in names[surface] else "LOC"
            actor = names[surface]
            mentions.append(MentionView(len(mentions), m.start(), m.end(), label, ACTORS[actor],
                                        actor, "lexicon"))  # fmt: skip
    mentions.sort(key=lambda m: m.start)
    return ArticleView(1, "a1", "T", text, None, None, None, {}, tuple(mentions),
                       tuple(sentences), boilerplate)  # fmt: skip


def found(text: str, codebook: Codebook, **kwargs) -> set[tuple[str, str, str]]:
    names = {v: k for k, v in ACTORS.items()}
    suggester = RuleSuggester(codebook, reporters=[ACTORS["Le Monde"]])
    return {(names[s.actor_id], s.target, s.stance)
            for s in suggester.article(article(text, **kwargs))}  # fmt: skip


def test_a_predicate_with_a_cue_gives_its_stance_to_the_actor_before_it(codebook) -> None:
    text = "Moskau lehnt eine Nato-Mitgliedschaft der Ukraine strikt ab."
    assert found(text, codebook) == {("Russland", "nato_membership", "against")}


def test_a_negation_turns_the_stance_round(codebook) -> None:
    text = "Barrot sagte zu Truppen: „Wir schließen keine Option aus“."
    assert ("Jean-Noël Barrot", "ground_troops", "favor") in found(text, codebook)
    text = "Pistorius fordert keine höheren Verteidigungsausgaben."
    assert found(text, codebook) == {("Boris Pistorius", "defence_spending", "against")}


def test_the_speaker_of_a_quote_holds_the_stance(codebook) -> None:
    text = "„Frankreich muss Bodentruppen schicken“, sagte Masala."
    assert found(text, codebook) == {("Carlo Masala", "ground_troops", "favor")}


def test_what_a_sentence_is_about_holds_no_stance(codebook) -> None:
    """After a preposition ("für die Ukraine") a name is the topic, not the speaker, and a
    medium that reports ("berichtet Le Monde") is never the holder."""
    text = "Frankreich unterstützt Bodentruppen für die Ukraine, berichtet Le Monde."
    assert found(text, codebook) == {("Frankreich", "ground_troops", "favor")}


def test_coordinated_actors_share_a_stance_and_a_clause_can_single_one_out(codebook) -> None:
    text = (
        "Frankreich und Großbritannien sind zu Bodentruppen bereit, eine Koalition zu führen. "
        "Dagegen gab es Widerstand gegen die Truppen, insbesondere in Russland."
    )
    assert found(text, codebook) == {
        ("Frankreich", "ground_troops", "favor"),
        ("Großbritannien", "ground_troops", "favor"),
        ("Russland", "ground_troops", "against"),
    }


def test_boilerplate_suggests_nothing(codebook) -> None:
    text = "Weitere Meldungen: Pistorius fordert höhere Verteidigungsausgaben."
    assert found(text, codebook, boilerplate=((0, len(text), "teaser"),)) == set()


def test_a_codebook_adds_predicates_for_one_target(codebook, tmp_path: Path) -> None:
    text = "Pistorius nennt die Verteidigungsausgaben eine Investition."
    assert found(text, codebook) == set()
    source = (
        Path(codebook.path)
        .read_text(encoding="utf-8")
        .replace(
            'id = "defence_spending"',
            'id = "defence_spending"\npredicates = { favor = ["eine Investition"] }',
        )
    )
    extended = parse_codebook(__import__("tomllib").loads(source), path=tmp_path / "c.toml")
    assert found(text, extended) == {("Boris Pistorius", "defence_spending", "favor")}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with open_project(str(path)) as project:
        import_paths(project, [seeds_dir()])
    return str(path)


def measure(db: str, split: str) -> tuple[int, int, int, int]:
    """(units in the reading, suggested of them, right of those, suggestions outside it)."""
    reading = [json.loads(x) for x in READING.read_text(encoding="utf-8").splitlines()]
    gold = {(r["article"], r["actor"], r["target"]): r["stance"] for r in reading
            if r["split"] == split}  # fmt: skip
    codebook = load_codebook()
    with open_project(db, create=False) as project:
        actors = {a.id: a for a in list_actors(project)}
        suggester = RuleSuggester(codebook, reporters=[a for a, x in actors.items()
                                                       if x.type == "media"])  # fmt: skip
        made = {}
        for ext in sorted({k[0] for k in gold}):
            view = load_article(project, article_id_by_external(project, ext))  # type: ignore[arg-type]
            for s in suggester.article(view):
                made[(ext, actors[s.actor_id].name, s.target)] = s.stance
    suggested = [k for k in gold if k in made]
    right = [k for k in suggested if made[k] == gold[k]]
    return len(gold), len(suggested), len(right), len(made.keys() - gold.keys())


def test_on_the_seeds_the_rules_are_right_where_they_suggest(seeds: str) -> None:
    """The figures docs/suggestions.md reports. The rules were written on the dev split
    (seeds 000-002) only; the held-out seeds 003-004 measure them."""
    assert measure(seeds, "dev") == (9, 8, 8, 2)
    gold, suggested, right, outside = measure(seeds, "heldout")
    assert (gold, suggested, right, outside) == (17, 6, 5, 2)
