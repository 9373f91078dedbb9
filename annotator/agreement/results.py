"""The agreement report as plain dataclasses (JSON-ready through `as_dict()`).

A figure that cannot be computed for the data is None, with the reason in `notes`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


def clean(value: float | None) -> float | None:
    """NaN (undefined) becomes None so reports and JSON show it as missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


@dataclass
class PairFigures:
    """Two annotators on the units both coded."""

    annotator_a: str
    annotator_b: str
    units: int
    percent_agreement: float | None
    cohen_kappa: float | None
    gwet_ac1: float | None
    # Linearly weighted kappa over the stance scale: only units where both gave a stance.
    ordinal_units: int
    cohen_kappa_linear: float | None
    confusion: list[list[int]]  # rows: annotator_a, columns: annotator_b, report categories


@dataclass
class ScopeFigures:
    """All figures for one scope: "overall" (every target pooled) or one target."""

    scope: str
    units: int  # pairable units: coded by at least two annotators
    coders: int  # annotators with at least one value in those units
    values: int  # values in pairable units
    alpha_nominal: float | None
    alpha_nominal_ci: tuple[float, float] | None
    alpha_ordinal: float | None
    alpha_ordinal_ci: tuple[float, float] | None
    ordinal_units: int  # units with at least two stances (ordinal alpha ignores "no stance")
    fleiss_kappa: float | None
    percent_agreement: float | None
    gwet_ac1: float | None
    prevalence: dict[str, float]  # share of each category among the values
    dominant: str | None  # the category above the prevalence threshold, if any
    pairs: list[PairFigures] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class AnnotatorFigures:
    name: str
    articles_done: int
    units: int  # pairable units this annotator coded
    agreement: float | None  # share of their unit-pairs with another annotator that agree
    mean_kappa: float | None  # mean of their pairwise Cohen's kappa (overall)


@dataclass
class Disagreement:
    """A unit on which the annotators who coded it do not all give the same value."""

    article_id: int
    external_id: str
    title: str
    actor_id: int
    actor: str
    target: str
    labels: dict[str, str]  # annotator -> category (a stance id or "no_stance")
    evidence: dict[str, list[str]]  # annotator -> text of their evidence spans
    notes: dict[str, str] = field(default_factory=dict)  # annotator -> note


@dataclass
class AgreementReport:
    annotators: list[str]
    categories: list[str]  # stance ids in scale order, then "no_stance"
    scale: list[str]  # the ordinal stance scale
    overall: ScopeFigures
    targets: list[ScopeFigures]
    per_annotator: list[AnnotatorFigures]
    disagreements: list[Disagreement]
    bootstrap: int
    seed: int | None
    prevalence_threshold: float
    notes: list[str] = field(default_factory=list)

    @property
    def scopes(self) -> list[ScopeFigures]:
        return [self.overall, *self.targets]

    def scope(self, name: str) -> ScopeFigures:
        for s in self.scopes:
            if s.scope == name:
                return s
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, Any]]:
        """Long ("tidy") rows: scope, annotator_a, annotator_b, measure, value, units."""
        out: list[dict[str, Any]] = []

        def add(scope: str, measure: str, value: Any, units: int, a: str = "", b: str = "") -> None:
            out.append(
                {
                    "scope": scope,
                    "annotator_a": a,
                    "annotator_b": b,
                    "measure": measure,
                    "value": value,
                    "units": units,
                }
            )

        for s in self.scopes:
            add(s.scope, "coders", s.coders, s.units)
            add(s.scope, "alpha_nominal", s.alpha_nominal, s.units)
            lo, hi = s.alpha_nominal_ci or (None, None)
            add(s.scope, "alpha_nominal_ci_low", lo, s.units)
            add(s.scope, "alpha_nominal_ci_high", hi, s.units)
            add(s.scope, "alpha_ordinal", s.alpha_ordinal, s.ordinal_units)
            lo, hi = s.alpha_ordinal_ci or (None, None)
            add(s.scope, "alpha_ordinal_ci_low", lo, s.ordinal_units)
            add(s.scope, "alpha_ordinal_ci_high", hi, s.ordinal_units)
            add(s.scope, "fleiss_kappa", s.fleiss_kappa, s.units)
            add(s.scope, "percent_agreement", s.percent_agreement, s.units)
            add(s.scope, "gwet_ac1", s.gwet_ac1, s.units)
            for cat, share in s.prevalence.items():
                add(s.scope, f"share_{cat}", share, s.units)
            for p in s.pairs:
                a, b = p.annotator_a, p.annotator_b
                add(s.scope, "percent_agreement", p.percent_agreement, p.units, a, b)
                add(s.scope, "cohen_kappa", p.cohen_kappa, p.units, a, b)
                add(s.scope, "cohen_kappa_linear", p.cohen_kappa_linear, p.ordinal_units, a, b)
                add(s.scope, "gwet_ac1", p.gwet_ac1, p.units, a, b)
        for ann in self.per_annotator:
            add("overall", "articles_done", ann.articles_done, ann.units, ann.name)
            add("overall", "agreement_with_others", ann.agreement, ann.units, ann.name)
            add("overall", "mean_cohen_kappa", ann.mean_kappa, ann.units, ann.name)
        return out
