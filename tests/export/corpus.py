"""A small project built through the store: German text, an emoji, names inside compounds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.codebook import Codebook, load_codebook
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project, open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from annotator.store.models import Actor, Article, Mention

TEXT_1 = (
    "Nato-Gipfel in Den Haag\n"
    "😀 Boris Pistorius fordert höhere Verteidigungsausgaben. Das Zwei-Prozent-Ziel reiche "
    "nicht, sagte der Minister in Düsseldorf.\n"
    "Über den Nato-Beitritt der Ukraine äußerte sich Pistorius zurückhaltend. "
    "Trumps Sprecher lehnte Bodentruppen „kategorisch“ ab.\n"
)
TEXT_2 = (
    "Scholz schließt Entsendung von Soldaten aus\n"
    "Bundeskanzler Olaf Scholz lehnt Bodentruppen in der Ukraine ab. Eine Friedenstruppe sei "
    "„derzeit keine Option“, sagte Scholz in Berlin.\n"
)
TEXT_3 = "Kurzmeldung ohne Namen: Die Börse in Frankfurt schloss fester.\n"


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@dataclass
class Corpus:
    project: Project
    codebook: Codebook
    articles: dict[str, int]
    actors: dict[str, int]
    annotators: dict[str, int]


def build_corpus(path: Path) -> Corpus:
    project = open_project(str(path))
    codebook = load_codebook()
    articles: dict[str, int] = {}
    actors: dict[str, int] = {}
    with project.write() as s:
        for name, label, kind in [
            ("Boris Pistorius", "PER", "person"),
            ("Nato", "ORG", "organisation"),
            ("Donald Trump", "PER", "person"),
            ("Olaf Scholz", "PER", "person"),
            ("Ukraine", "LOC", "country"),
        ]:
            actor = Actor(name=name, label=label, type=kind)
            s.add(actor)
            s.flush()
            actors[name] = actor.id
        for ext, title, text, meta in [
            ("art-1", "Nato-Gipfel in Den Haag", TEXT_1, {"file": "a1.txt"}),
            ("art-2", "Scholz schließt Entsendung aus", TEXT_2, {}),
            ("art-3", "Kurzmeldung", TEXT_3, {}),
        ]:
            article = Article(
                external_id=ext,
                title=title,
                text=text,
                source="Tagesschau" if ext != "art-3" else None,
                date="2024-11-07",
                url=f"https://example.org/{ext}",
                meta=meta,
                text_sha256=ext,
            )
            s.add(article)
            s.flush()
            articles[ext] = article.id
        mentions = [
            ("art-1", span(TEXT_1, "Nato"), "ORG", "Nato", "lexicon"),  # inside "Nato-Gipfel"
            ("art-1", span(TEXT_1, "Boris Pistorius"), "PER", "Boris Pistorius", "lexicon"),
            ("art-1", span(TEXT_1, "Düsseldorf"), "LOC", None, "rule"),
            ("art-1", span(TEXT_1, "Nato", 1), "ORG", "Nato", "lexicon"),  # "Nato-Beitritt"
            ("art-1", span(TEXT_1, "Ukraine"), "LOC", "Ukraine", "lexicon"),
            ("art-1", span(TEXT_1, "Pistorius", 1), "PER", "Boris Pistorius", "lexicon"),
            ("art-1", span(TEXT_1, "Trump"), "PER", "Donald Trump", "rule"),  # in "Trumps"
            ("art-2", span(TEXT_2, "Scholz"), "PER", "Olaf Scholz", "lexicon"),
            ("art-2", span(TEXT_2, "Olaf Scholz"), "PER", "Olaf Scholz", "manual"),
            ("art-2", span(TEXT_2, "Ukraine"), "LOC", "Ukraine", "lexicon"),
            ("art-2", span(TEXT_2, "Scholz", 2), "PER", "Olaf Scholz", "lexicon"),
        ]
        for ext, (a, b), label, actor, source in mentions:
            s.add(
                Mention(
                    article_id=articles[ext],
                    start=a,
                    end=b,
                    label=label,
                    actor_id=actors[actor] if actor else None,
                    source=source,
                )
            )
    names = {n: get_or_create_annotator(project, n) for n in ("anna", "ben", "carla")}
    stances = codebook.stance_ids

    def put(ann: str, ext: str, actor: str, target: str, state: CellState) -> None:
        key = CellKey(articles[ext], actors[actor], target)
        put_cell(project, names[ann], key, state, stances=stances)

    ev_money = span(TEXT_1, "Boris Pistorius fordert höhere Verteidigungsausgaben")
    ev_troops = span(TEXT_2, "lehnt Bodentruppen in der Ukraine ab")
    # Pistorius / defence spending: unanimous favor.
    for ann in ("anna", "ben", "carla"):
        put(ann, "art-1", "Boris Pistorius", "defence_spending", CellState("favor", (ev_money,)))
    # Pistorius / Nato membership: 2 neutral, 1 against; no evidence (cue sentence fallback).
    put("anna", "art-1", "Boris Pistorius", "nato_membership", CellState("neutral"))
    put("ben", "art-1", "Boris Pistorius", "nato_membership", CellState("neutral", note="vage"))
    put("carla", "art-1", "Boris Pistorius", "nato_membership", CellState("against"))
    # Trump / ground troops: a tie (1 against, 1 neutral).
    put("anna", "art-1", "Donald Trump", "ground_troops", CellState("against"))
    put("ben", "art-1", "Donald Trump", "ground_troops", CellState("neutral"))
    # Only evidence and a note, no stance yet: kept by documents, not by stances.
    put("carla", "art-1", "Donald Trump", "ground_troops", CellState(None, (ev_money,), "?"))
    # Scholz / ground troops: against by anna and ben.
    for ann in ("anna", "ben"):
        put(ann, "art-2", "Olaf Scholz", "ground_troops", CellState("against", (ev_troops,)))
    set_done(project, articles["art-1"], names["anna"])
    set_done(project, articles["art-1"], names["ben"])
    set_done(project, articles["art-2"], names["anna"])
    return Corpus(project, codebook, articles, actors, names)
