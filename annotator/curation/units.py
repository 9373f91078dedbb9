"""What the curation view shows for one article: every unit with each annotator's version,
the gold label and where it came from, disagreeing units first.

A unit here is an (actor, target) cell of the article that an annotator who marked the
article done filled (a stance, evidence or a note), or that has a gold decision. Only
annotators who marked the article done are shown (their versions are judgements; work in
progress is not), as in the agreement figures; a done annotator without a cell has
"no stance" (an empty CellState).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select

from annotator.curation.strategies import agreed
from annotator.errors import ConflictError
from annotator.store.annotators import GOLD_KIND
from annotator.store.curation_lists import coders_per_article
from annotator.store.engine import Project
from annotator.store.gold import (
    CURATED,
    IN_CURATION,
    ORIGIN_STRATEGY,
    Provenance,
    gold_id,
    provenances,
    read_curation,
)
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import CellKey, CellState
from annotator.store.models import Actor, Annotator, Article, ArticleDone

ORIGIN_UNKNOWN = "unknown"  # a gold label that came in without provenance (an import)


class CurationError(ConflictError):
    """A curation step that cannot be done now (a curated article, a version not done...)."""


@dataclass(frozen=True)
class Version:
    """One done annotator's cell for a unit (empty state: "no stance")."""

    annotator_id: int
    annotator: str
    state: CellState


@dataclass(frozen=True)
class Origin:
    """Where a gold label came from, with names for display (see store.gold.Provenance)."""

    kind: str  # "annotator" | "strategy" | "curator" | "unknown"
    annotator: str | None = None  # the version accepted, or the one a decision was based on
    strategy: str | None = None
    curator: str | None = None
    at: datetime | None = None
    provenance: Provenance | None = None

    def describe(self) -> str:
        """Short text for the view: "anna's version", "complete agreement", "lena"."""
        if self.kind == "annotator":
            return f"{self.annotator}'s version"
        if self.kind == ORIGIN_STRATEGY:
            return f"pre-merge: {self.strategy}"
        if self.kind == "curator":
            return f"decided by {self.curator or 'the curator'}"
        return "imported"


@dataclass(frozen=True)
class CurationUnit:
    key: CellKey
    actor: str
    versions: tuple[Version, ...]  # one per annotator who marked the article done, by name
    gold: CellState
    origin: Origin | None  # None: not decided yet

    @property
    def target(self) -> str:
        return self.key.target

    @property
    def agreed(self) -> bool:
        """Every done annotator gives the same value ("no stance" included)."""
        return agreed(
            {v.annotator: v.state for v in self.versions}, [v.annotator for v in self.versions]
        )

    @property
    def decided(self) -> bool:
        return self.origin is not None

    @property
    def premerged(self) -> bool:
        return self.origin is not None and self.origin.kind == ORIGIN_STRATEGY

    def version(self, annotator: str) -> Version | None:
        return next((v for v in self.versions if v.annotator == annotator), None)


@dataclass(frozen=True)
class ArticleCuration:
    """One article for the curation view."""

    article_id: int
    external_id: str
    title: str
    state: str | None  # None (not started), "in_curation" or "curated"
    curator: str | None  # who set the state
    coders: tuple[str, ...]  # annotators who marked the article done, by name
    in_progress: tuple[str, ...]  # annotators with labels here who are not done (not shown)
    required: int  # coders per article for "ready"
    units: tuple[CurationUnit, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        return len(self.coders) >= self.required

    @property
    def curated(self) -> bool:
        return self.state == CURATED

    @property
    def open_units(self) -> int:
        return sum(not u.decided for u in self.units)

    @property
    def badge(self) -> str:
        if self.state == CURATED:
            return "curated"
        if self.state == IN_CURATION:
            return "in curation"
        if self.ready:
            return "ready"
        return f"{len(self.coders)}/{self.required} done"


def origin_of(
    provenance: Provenance | None, names: dict[int, str], labelled: bool
) -> Origin | None:
    """The displayable origin of a unit's gold (None if undecided)."""
    if provenance is None:
        return Origin(ORIGIN_UNKNOWN) if labelled else None
    return Origin(
        kind=provenance.origin,
        annotator=names.get(provenance.source_annotator_id)
        if provenance.source_annotator_id is not None
        else None,
        strategy=provenance.strategy,
        curator=names.get(provenance.curator_id) if provenance.curator_id is not None else None,
        at=provenance.at,
        provenance=provenance,
    )


def article_provenances(project: Project, article_id: int) -> dict[tuple[int, str], Provenance]:
    """The article's gold provenance by (actor, target)."""
    with project.engine.connect() as conn:
        return {(u[1], u[2]): p for u, p in provenances(conn, (article_id,)).items()}


def load_article_curation(
    project: Project, article_id: int, *, targets: Sequence[str] | None = None
) -> ArticleCuration:
    """Everything the curation view shows for one article. `targets` (the codebook's, in
    order) orders the units within an actor; disagreeing units come first, then the rest,
    each by actor name."""
    with project.session() as s:
        article = s.get(Article, article_id)
        if article is None:
            raise CurationError(f"article {article_id} does not exist")
        gold = gold_id(s)
        mark = read_curation(s, article_id)
        people: dict[int, str] = {
            int(i): name  # type: ignore[arg-type]
            for i, name in s.exec(
                select(Annotator.id, Annotator.name).where(Annotator.kind != GOLD_KIND)
            ).all()
        }
        done = set(
            s.exec(
                select(ArticleDone.annotator_id).where(ArticleDone.article_id == article_id)
            ).all()
        )
    names = dict(people)
    labels = labels_for_article(project, article_id, include_gold=True)
    origins = article_provenances(project, article_id)
    coders = sorted((people[a], a) for a in done if a in people)
    actors: dict[int, str] = {}
    cells: dict[tuple[int, str], dict[int, CellState]] = {}
    in_progress: set[str] = set()
    for label in labels:
        unit = (label.actor_id, label.target)
        actors[unit[0]] = label.actor
        if label.annotator_id == gold or label.annotator_id in done:
            cells.setdefault(unit, {})[label.annotator_id] = label.state
        elif label.annotator_id in people:
            in_progress.add(people[label.annotator_id])
    for unit in origins:
        cells.setdefault(unit, {})
    missing = {a for a, _ in origins} - actors.keys()
    if missing:  # "no stance" decisions on actors nobody labelled (any more)
        with project.session() as s:
            for actor_id, name in s.exec(
                select(Actor.id, Actor.name).where(col(Actor.id).in_(missing))
            ).all():
                actors[int(actor_id)] = name  # type: ignore[arg-type]
    units = []
    for (actor_id, target), states in cells.items():
        gold_state = states.get(gold, CellState()) if gold is not None else CellState()
        units.append(
            CurationUnit(
                key=CellKey(article_id, actor_id, target),
                actor=actors.get(actor_id, str(actor_id)),
                versions=tuple(
                    Version(aid, name, states.get(aid, CellState())) for name, aid in coders
                ),
                gold=gold_state,
                origin=origin_of(origins.get((actor_id, target)), names, not gold_state.is_empty),
            )
        )
    order = {t: i for i, t in enumerate(targets or ())}
    units.sort(
        key=lambda u: (u.agreed, u.actor.casefold(), order.get(u.target, len(order)), u.target)
    )
    return ArticleCuration(
        article_id=article_id,
        external_id=article.external_id,
        title=article.title,
        state=mark.state,
        curator=names.get(mark.curator_id) if mark.curator_id is not None else None,
        coders=tuple(name for name, _ in coders),
        in_progress=tuple(sorted(in_progress)),
        required=coders_per_article(project),
        units=tuple(units),
    )
