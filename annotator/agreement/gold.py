"""Each annotator against the curated gold standard: accuracy, Cohen's kappa, confusion.

Only curated articles count (their gold is final), and for each annotator only the curated
articles they marked done. A unit is (article, actor, target) where gold or a done
annotator gave a stance; in a curated article a unit without a gold stance is gold
"no stance", and a done annotator without a stance there says "no stance", as in the
agreement figures (docs/agreement.md). Kappa is computed over the codebook's stances and
"no stance", with the same function as the pairwise figures (metrics.kappa_from_confusion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from annotator.agreement.metrics import confusion, kappa_from_confusion
from annotator.agreement.results import clean
from annotator.agreement.units import NO_STANCE
from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.store.annotators import annotator_names
from annotator.store.curation_lists import curated_article_ids
from annotator.store.engine import Project
from annotator.store.gold import gold_id
from annotator.store.label_reads import EVERYONE, LabelFilter, done_marks, read_cells


@dataclass
class GoldFigures:
    """One annotator against gold, over the units of the curated articles they finished."""

    name: str
    articles: int  # curated articles this annotator marked done
    units: int
    accuracy: float | None  # share of units where their value is gold's
    cohen_kappa: float | None
    confusion: list[list[int]]  # rows: the annotator, columns: gold, report categories


@dataclass
class GoldReport:
    categories: list[str]  # stance ids in scale order, then "no_stance"
    curated_articles: int
    units: int  # units in curated articles (any annotator)
    annotators: list[GoldFigures] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Unit = tuple[int, int, str]  # article, actor, target


def gold_report(
    project: Project,
    codebook: Codebook,
    *,
    targets: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
) -> GoldReport:
    """Every annotator (or those named) against gold on the curated articles."""
    target_ids = list(dict.fromkeys(targets)) if targets else list(codebook.target_ids)
    for target in target_ids:
        codebook.target(target)  # a CodebookError naming the known targets
    categories = [*codebook.stance_ids, NO_STANCE]
    index = {c: i for i, c in enumerate(categories)}
    wanted = set(target_ids)
    with project.engine.connect() as conn:
        curated = set(curated_article_ids(conn))
        people = annotator_names(project)
        in_curated = LabelFilter(who=EVERYONE, targets=target_ids, with_stance=True,
                                 curated_only=True)  # fmt: skip
        done_rows = done_marks(conn, curated)
        label_rows = read_cells(conn, in_curated)
        gold = gold_id(conn)
    if annotators:
        unknown = [a for a in annotators if a not in people.values()]
        if unknown:
            raise InputError(
                f"unknown annotator {unknown[0]!r} (the project has "
                f"{', '.join(sorted(people.values())) or 'no annotators'})"
            )
    finished: dict[int, set[int]] = {}
    for article, who in done_rows:
        if article in curated and who in people:
            finished.setdefault(who, set()).add(article)
    gold_of: dict[Unit, str] = {}
    stance_of: dict[int, dict[Unit, str]] = {}
    units: set[Unit] = set()
    for _row, article, actor, target, who, stance in label_rows:
        if article not in curated or target not in wanted or stance not in index:
            continue
        unit = (article, actor, target)
        if who == gold:
            gold_of[unit] = stance
            units.add(unit)
        elif article in finished.get(who, ()):
            stance_of.setdefault(who, {})[unit] = stance
            units.add(unit)
    report = GoldReport(categories=categories, curated_articles=len(curated), units=len(units))
    if not curated:
        report.notes.append("no article is curated yet")
    names = sorted(
        (name for who, name in people.items() if who in finished),
        key=str.casefold,
    )
    by_name = {name: who for who, name in people.items()}
    for name in annotators or names:
        who = by_name[name]
        mine = stance_of.get(who, {})
        own_units = sorted(u for u in units if u[0] in finished.get(who, ()))
        a = np.array([index[mine.get(u, NO_STANCE)] for u in own_units], dtype=np.int64)
        b = np.array([index[gold_of.get(u, NO_STANCE)] for u in own_units], dtype=np.int64)
        table = confusion(a, b, len(categories))
        report.annotators.append(
            GoldFigures(
                name=name,
                articles=len(finished.get(who, ())),
                units=len(own_units),
                accuracy=float(np.mean(a == b)) if len(own_units) else None,
                cohen_kappa=clean(kappa_from_confusion(table)) if len(own_units) else None,
                confusion=table.tolist(),
            )
        )
    return report
