"""An annotator's view of the gold standard: where it differs from their own labels.

Shown only for an article that is curated AND that the annotator marked done, so nobody
sees gold (or, through it, another annotator's work) before finishing their own: blind
annotation stays blind. In team mode the server enforces the same rule (an annotator's role
reads gold labels only there; annotator/server/curation.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.curation.units import Origin, article_provenances, origin_of
from annotator.store.annotators import annotator_names
from annotator.store.engine import Project
from annotator.store.gold import CURATED, gold_id, read_curation
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import CellKey, CellState
from annotator.store.models import ArticleDone


@dataclass(frozen=True)
class GoldDifference:
    """A unit where the gold stance is not the annotator's ("no stance" counts)."""

    key: CellKey
    actor: str
    mine: CellState  # empty: the annotator gave no stance
    gold: CellState  # empty: gold says "no stance"
    origin: Origin | None


def gold_visible(project: Project, article_id: int, annotator_id: int) -> bool:
    """Whether this annotator may see the article's gold: curated, and done by them."""
    with project.session() as s:
        if read_curation(s, article_id).state != CURATED:
            return False
        return s.get(ArticleDone, (article_id, annotator_id)) is not None


def gold_differences(project: Project, article_id: int, annotator_id: int) -> list[GoldDifference]:
    """The units of the article where gold's stance differs from the annotator's, by
    actor and target; empty when gold is not visible to them (see `gold_visible`).
    Evidence and notes are not compared: the stance is the label."""
    if not gold_visible(project, article_id, annotator_id):
        return []
    with project.session() as s:
        gold = gold_id(s)
    if gold is None:
        return []
    mine: dict[tuple[int, str], CellState] = {}
    theirs: dict[tuple[int, str], CellState] = {}
    actors: dict[int, str] = {}
    for label in labels_for_article(project, article_id, include_gold=True):
        unit = (label.actor_id, label.target)
        if label.annotator_id == annotator_id:
            mine[unit] = label.state
        elif label.annotator_id == gold:
            theirs[unit] = label.state
        else:
            continue
        actors[label.actor_id] = label.actor
    origins = article_provenances(project, article_id)
    names = annotator_names(project)
    out = []
    for unit in sorted(mine.keys() | theirs.keys(), key=lambda u: (actors.get(u[0], ""), u[1])):
        own, gold_state = mine.get(unit, CellState()), theirs.get(unit, CellState())
        if own.stance == gold_state.stance:
            continue
        out.append(
            GoldDifference(
                key=CellKey(article_id, *unit),
                actor=actors.get(unit[0], str(unit[0])),
                mine=own,
                gold=gold_state,
                origin=origin_of(origins.get(unit), names, not gold_state.is_empty),
            )
        )
    return out
