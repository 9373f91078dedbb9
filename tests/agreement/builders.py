"""Small projects built through the store (no NLP): two annotators labelling three articles."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project, open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from annotator.store.models import Actor, Article
from tests.conftest import add_actor, add_article

TEXTS = {
    "a1": "Pistorius fordert mehr Geld für die Bundeswehr. Masala hält Bodentruppen für denkbar.",
    "a2": "Die Nato lehnt höhere Ausgaben ab. Masala bleibt vorsichtig.",
    "a3": "Pistorius äußert sich abwägend zum Wehretat.",
}
TITLES = {"a1": "Pistorius will mehr Geld", "a2": "Nato-Treffen", "a3": "Wehretat"}
ACTORS = ("Boris Pistorius", "Carlo Masala", "NATO")


def article_id(project: Project, external_id: str) -> int:
    with project.session() as s:
        return s.exec(select(Article.id).where(Article.external_id == external_id)).one()


def actor_id(project: Project, name: str) -> int:
    with project.session() as s:
        return s.exec(select(Actor.id).where(Actor.name == name)).one()


def new_project(path: Path, texts: dict[str, str] | None = None) -> Project:
    project = open_project(str(path))
    for ext, text in (texts or TEXTS).items():
        add_article(project, ext, text, title=TITLES.get(ext, ext))
    for name in ACTORS:
        add_actor(project, name, label="ORG" if name == "NATO" else "PER")
    return project


def label(
    project: Project,
    annotator: str,
    ext: str,
    actor: str,
    target: str,
    stance: str | None,
    *,
    evidence: str | None = None,
    note: str | None = None,
) -> None:
    """Label a cell; `evidence` is a piece of the article text to mark."""
    aid = article_id(project, ext)
    spans: tuple[tuple[int, int], ...] = ()
    if evidence:
        start = TEXTS.get(ext, "").find(evidence)
        if start < 0:
            with project.session() as s:
                start = s.get(Article, aid).text.index(evidence)
        spans = ((start, start + len(evidence)),)
    who = get_or_create_annotator(project, annotator)
    key = CellKey(aid, actor_id(project, actor), target)
    put_cell(project, who, key, CellState(stance, spans, note))


def done(project: Project, annotator: str, *exts: str) -> None:
    who = get_or_create_annotator(project, annotator)
    for ext in exts:
        set_done(project, article_id(project, ext), who)


def label_anna(project: Project) -> None:
    """Anna finished a1-a3."""
    label(project, "anna", "a1", "Boris Pistorius", "defence_spending", "favor",
          evidence="Pistorius fordert mehr Geld")  # fmt: skip
    label(project, "anna", "a1", "Carlo Masala", "ground_troops", "favor",
          evidence="Masala hält Bodentruppen für denkbar", note="klar dafür")  # fmt: skip
    label(project, "anna", "a2", "NATO", "defence_spending", "against")
    label(project, "anna", "a3", "Boris Pistorius", "defence_spending", "neutral")
    done(project, "anna", "a1", "a2", "a3")


def label_ben(project: Project) -> None:
    """Ben finished a1 and a2; his label in a3 is work in progress and must not count."""
    label(project, "ben", "a1", "Boris Pistorius", "defence_spending", "favor")
    label(project, "ben", "a1", "Carlo Masala", "ground_troops", "against",
          evidence="Bodentruppen")  # fmt: skip
    label(project, "ben", "a2", "NATO", "defence_spending", "against")
    label(project, "ben", "a2", "Carlo Masala", "ground_troops", "neutral")
    label(project, "ben", "a3", "Boris Pistorius", "defence_spending", "favor")
    done(project, "ben", "a1", "a2")
