"""A few labels on the seed articles, as two annotators would give them: the tests' "from the
seeds with a few labels" and the README's picture (docs/networks.md says how it is made).

Each label: article (id prefix), actor, target, stance, evidence quote (found in the text).
Ben agrees with Anna except on Barrot, where he hears no clear stance.
"""

from __future__ import annotations

from sqlmodel import select

from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from annotator.store.models import Actor, Article

N, T, S = "nato_membership", "ground_troops", "defence_spending"

LABELS = [
    (
        "000",
        "Boris Pistorius",
        S,
        "favor",
        "Uns muss eine faire Lastenteilung innerhalb der NATO gelingen",
    ),
    (
        "000",
        "Sébastien Lecornu",
        S,
        "favor",
        "Sébastien Lecornu (l.) und Boris Pistorius wollen die europäische Verteidigungsfähigkeit",
    ),
    (
        "001",
        "Emmanuel Macron",
        T,
        "favor",
        "Emmanuel Macron die Entsendung westlicher Bodentruppen in die Ukraine ins Gespräch",
    ),
    (
        "001",
        "Deutschland",
        T,
        "against",
        "Damals stieß der Vorschlag in vielen europäischen Ländern auf Widerstand",
    ),
    ("001", "Carlo Masala", T, "favor", "die auch bereit sei, Bodentruppen in die Ukraine zu"),
    ("001", "Jean-Noël Barrot", T, "favor", "„Wir schließen keine Option aus“"),
    (
        "001",
        "Boris Pistorius",
        T,
        "neutral",
        "Boris Pistorius bemüht, Deutschland in die Diskussionen einzubinden",
    ),
    (
        "003",
        "Pete Hegseth",
        N,
        "against",
        "eine Nato-Mitgliedschaft der Ukraine ein realistisches Ergebnis einer Verhandlungslösung",
    ),
    ("003", "Pete Hegseth", S, "favor", "„Zwei Prozent sind nicht genug“"),
    ("003", "Pete Hegseth", T, "against", "die USA wären nicht bereit, Soldaten zu entsenden"),
    ("003", "Donald Trump", S, "favor", "künftig fünf Prozent für Verteidigung ausgeben"),
    (
        "003",
        "Donald Trump",
        N,
        "against",
        "eine Nato-Mitgliedschaft der Ukraine auch nach einem Ende des russischen Angriffskriegs",
    ),
    (
        "003",
        "Wolodymyr Selenskyj",
        N,
        "favor",
        "Eine Nato-Mitgliedschaft nennt der ukrainische Präsident Wolodymyr Selenskyj",
    ),
    ("004", "Estland", S, "favor", "Estland und Lettland sprachen sich in Brüssel dafür aus"),
    ("004", "Lettland", S, "favor", "Estland und Lettland sprachen sich in Brüssel dafür aus"),
    ("004", "Luxemburg", S, "against", "Luxemburg warnte dagegen vor zu strengen Vorgaben"),
]
BEN_DIFFERS = {("001", "Jean-Noël Barrot", T): "neutral"}


def label_seeds(project: Project) -> None:
    with project.session() as s:
        articles = {a.external_id[:3]: a for a in s.exec(select(Article)).all()}
        actors = {a.name: a.id for a in s.exec(select(Actor)).all()}
    for name in ("anna", "ben"):
        who = get_or_create_annotator(project, name)
        for prefix, actor, target, stance, quote in LABELS:
            article = articles[prefix]
            start = article.text.index(quote)
            if name == "ben":
                stance = BEN_DIFFERS.get((prefix, actor, target), stance)
            key = CellKey(article.id, actors[actor], target)
            put_cell(project, who, key, CellState(stance, ((start, start + len(quote)),)))
        for article in articles.values():
            set_done(project, article.id, who)
