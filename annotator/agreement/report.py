"""The agreement use case: read the coding units of a project and compute every figure."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from annotator.agreement.disagreements import build_disagreements, disagreement_units
from annotator.agreement.figures import scope_figures
from annotator.agreement.results import AgreementReport, AnnotatorFigures, ScopeFigures
from annotator.agreement.units import CodingData, drop_units, load_coding_data
from annotator.codebook import Codebook
from annotator.store.engine import Project
from annotator.store.suggestions import cells_from_suggestions

PREVALENCE_THRESHOLD = 0.75


def _per_annotator(data: CodingData, overall: ScopeFigures) -> list[AnnotatorFigures]:
    codes = data.codes
    pairable = (codes >= 0).sum(axis=0) >= 2
    out = []
    for row, name in enumerate(data.annotators):
        mine = [p for p in overall.pairs if name in (p.annotator_a, p.annotator_b)]
        pair_units = sum(p.units for p in mine)
        agreeing = sum((p.percent_agreement or 0.0) * p.units for p in mine)
        kappas = [p.cohen_kappa for p in mine if p.cohen_kappa is not None]
        out.append(
            AnnotatorFigures(
                name=name,
                articles_done=data.articles_done.get(name, 0),
                units=int(((codes[row] >= 0) & pairable).sum()),
                agreement=agreeing / pair_units if pair_units else None,
                mean_kappa=float(np.mean(kappas)) if kappas else None,
            )
        )
    return out


def compute_report(
    data: CodingData,
    *,
    project: Project | None = None,
    bootstrap: int = 1000,
    seed: int | None = 0,
    prevalence_threshold: float = PREVALENCE_THRESHOLD,
) -> AgreementReport:
    """Every figure from a code matrix; `project` only adds titles and evidence to the list."""
    names, categories = data.annotators, data.categories
    figures = partial(
        scope_figures,
        names=names,
        categories=categories,
        bootstrap=bootstrap,
        seed=seed,
        prevalence_threshold=prevalence_threshold,
    )
    overall = figures("overall", data.codes)
    targets = [
        figures(target, data.codes[:, data.unit_target == index])
        for index, target in enumerate(data.targets)
    ]
    notes = list(data.notes)
    if len(names) < 2:
        notes.append("agreement needs at least two annotators who marked articles done")
    units = disagreement_units(data.codes, len(categories))
    return AgreementReport(
        annotators=list(names),
        categories=list(categories),
        scale=data.scale,
        overall=overall,
        targets=targets,
        per_annotator=_per_annotator(data, overall),
        disagreements=build_disagreements(data, units, project),
        bootstrap=bootstrap,
        seed=seed,
        prevalence_threshold=prevalence_threshold,
        notes=notes,
    )


def agreement_report(
    project: Project,
    codebook: Codebook,
    *,
    targets: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
    bootstrap: int = 1000,
    seed: int | None = 0,
    prevalence_threshold: float = PREVALENCE_THRESHOLD,
    without_suggestions: bool = False,
) -> AgreementReport:
    """How reliably the stances are coded, overall and per target (see docs/agreement.md).
    `without_suggestions`: only units no coder labelled by accepting a suggestion, so the
    figures measure the coders, not the assistant."""
    data = load_coding_data(project, codebook, targets=targets, annotators=annotators)
    if without_suggestions:
        data = drop_units(data, cells_from_suggestions(project))
    return compute_report(
        data,
        project=project,
        bootstrap=bootstrap,
        seed=seed,
        prevalence_threshold=prevalence_threshold,
    )
