"""Computing the figures of one scope from a coders x units code matrix.

Categories are the stance scale followed by "no stance" (always the last code). Nominal
figures use every category; ordinal figures (alpha, weighted kappa) use only values with a
stance, because "no stance" has no place on the against < neutral < favor scale.
"""

from __future__ import annotations

import numpy as np

from annotator.agreement.bootstrap import Spec, bootstrap_alphas, interval_from_resamples
from annotator.agreement.coding import value_counts
from annotator.agreement.metrics import (
    ac1_from_counts,
    agreement_from_counts,
    alpha_from_counts,
    confusion,
    fleiss_kappa,
    kappa_from_confusion,
)
from annotator.agreement.results import PairFigures, ScopeFigures, clean


def _ordinal_codes(codes: np.ndarray, n_scale: int) -> np.ndarray:
    return np.where(codes < n_scale, codes, -1)


def pair_figures(
    codes: np.ndarray, i: int, j: int, names: list[str], n_categories: int
) -> PairFigures:
    both = (codes[i] >= 0) & (codes[j] >= 0)
    a, b = codes[i, both].astype(np.int64), codes[j, both].astype(np.int64)
    table = confusion(a, b, n_categories)
    n_scale = n_categories - 1
    scale_table = table[:n_scale, :n_scale]
    n = int(table.sum())
    # AC1 for two coders from the confusion matrix: pi_k = mean of the two marginal shares.
    pi = (table.sum(axis=0) + table.sum(axis=1)) / (2 * n) if n else np.zeros(n_categories)
    chance = float((pi * (1 - pi)).sum() / (n_categories - 1))
    observed = float(np.trace(table) / n) if n else float("nan")
    ac1 = (observed - chance) / (1 - chance) if n and chance < 1 else float("nan")
    return PairFigures(
        annotator_a=names[i],
        annotator_b=names[j],
        units=n,
        percent_agreement=clean(observed),
        cohen_kappa=clean(kappa_from_confusion(table)),
        gwet_ac1=clean(ac1),
        ordinal_units=int(scale_table.sum()),
        cohen_kappa_linear=clean(kappa_from_confusion(scale_table, "linear")),
        confusion=table.tolist(),
    )


def _fleiss(counts: np.ndarray) -> tuple[float | None, str | None]:
    per_unit = counts.sum(axis=1)
    if len(per_unit) == 0:
        return None, None
    lo, hi = int(per_unit.min()), int(per_unit.max())
    if lo != hi:
        return None, (
            f"Fleiss' kappa not computable: units have between {lo} and {hi} coders "
            "(it needs the same number for every unit)"
        )
    return clean(fleiss_kappa(counts)), None


def scope_figures(
    scope: str,
    codes: np.ndarray,
    names: list[str],
    categories: list[str],
    *,
    bootstrap: int = 1000,
    seed: int | None = 0,
    prevalence_threshold: float = 0.75,
) -> ScopeFigures:
    """Every figure for one scope; `codes` holds only this scope's units."""
    v = len(categories)
    n_scale = v - 1
    counts = value_counts(codes, v)
    pairable = counts.sum(axis=1) >= 2
    counts = counts[pairable]
    codes = codes[:, pairable]
    ord_counts = value_counts(_ordinal_codes(codes, n_scale), n_scale)
    ord_counts = ord_counts[ord_counts.sum(axis=1) >= 2]
    notes: list[str] = []

    total = int(counts.sum())
    shares = counts.sum(axis=0) / total if total else np.zeros(v)
    prevalence = {c: float(s) for c, s in zip(categories, shares, strict=True)}
    top = int(np.argmax(shares)) if total else 0
    dominant = categories[top] if total and shares[top] > prevalence_threshold else None
    if dominant is not None:
        notes.append(
            f"{shares[top]:.0%} of the values are {dominant!r}: kappa and alpha are depressed "
            "by this prevalence; Gwet's AC1 is less sensitive to it"
        )

    fleiss, fleiss_note = _fleiss(counts)
    if fleiss_note:
        notes.append(fleiss_note)
    coders = int(((codes >= 0).sum(axis=1) > 0).sum())
    if len(counts) == 0:
        notes.append("no unit was coded by two annotators yet")

    alpha_nom = clean(alpha_from_counts(counts, "nominal", categories))
    alpha_ord = clean(alpha_from_counts(ord_counts, "ordinal", categories[:n_scale]))
    ci_nom = ci_ord = None
    if bootstrap and (alpha_nom is not None or alpha_ord is not None):
        # One set of resamples for both: ordinal alpha is taken on the units each drew.
        specs: list[Spec] = [("nominal", None), ("ordinal", n_scale)]
        nom, ord_ = bootstrap_alphas(counts, specs, resamples=bootstrap, seed=seed)
        ci_nom = interval_from_resamples(nom) if alpha_nom is not None else None
        ci_ord = interval_from_resamples(ord_) if alpha_ord is not None else None

    pairs = [
        pair_figures(codes, i, j, names, v)
        for i in range(len(names))
        for j in range(i + 1, len(names))
    ]
    return ScopeFigures(
        scope=scope,
        units=int(len(counts)),
        coders=coders,
        values=total,
        alpha_nominal=alpha_nom,
        alpha_nominal_ci=ci_nom,
        alpha_ordinal=alpha_ord,
        alpha_ordinal_ci=ci_ord,
        ordinal_units=int(len(ord_counts)),
        fleiss_kappa=fleiss,
        percent_agreement=clean(agreement_from_counts(counts)),
        gwet_ac1=clean(ac1_from_counts(counts, v)),
        prevalence=prevalence,
        dominant=dominant,
        pairs=pairs,
        notes=notes,
    )
