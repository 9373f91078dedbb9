"""Agreement coefficients with the conventions of the established libraries.

- `krippendorff_alpha(reliability_data, level)`: coders x units, None/NaN for missing, like the
  `krippendorff` package (which computes it here); labels may be strings.
- `cohen_kappa(labels_a, labels_b, weights=None|"linear"|"quadratic")`, like scikit-learn's
  `cohen_kappa_score`; pairs where either label is missing are dropped.
- `fleiss_kappa(table)`: subjects x categories counts, like statsmodels' `fleiss_kappa`.
- `gwet_ac1(reliability_data)`: Gwet's first-order agreement coefficient (any number of coders,
  missing values allowed; Gwet 2014, ch. 4).
- `percent_agreement(labels_a, labels_b)` and `observed_agreement(reliability_data)`.

A coefficient that is undefined for the data (e.g. every value is the same, so chance
agreement is perfect) is returned as NaN rather than raised: a report shows "-" for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import krippendorff
import numpy as np

from annotator.agreement.coding import encode, pair_codes, value_counts
from annotator.errors import InputError

Level = Literal["nominal", "ordinal", "interval", "ratio"]
Weights = Literal["linear", "quadratic"] | None
LEVELS = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(
    reliability_data: Any,
    level: Level = "nominal",
    *,
    value_domain: Sequence[Any] | None = None,
) -> float:
    """Krippendorff's alpha; `reliability_data` is coders x units with None/NaN for missing.

    For "ordinal" with text labels, `value_domain` gives the order (lowest first), e.g.
    ["against", "neutral", "favor"]. "interval" and "ratio" need numbers.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r} (expected one of {', '.join(LEVELS)})")
    codes, domain = encode(reliability_data, value_domain)
    if codes.ndim != 2:
        raise InputError("reliability data must be a table: one row per coder, one per unit")
    if level in ("ordinal", "interval", "ratio") and value_domain is None:
        _require_numbers(domain, level)
    return alpha_from_counts(value_counts(codes, len(domain)), level, domain)


def _require_numbers(domain: list[Any], level: str) -> None:
    if not all(isinstance(v, int | float | np.number) for v in domain):
        raise InputError(f"{level} alpha of text labels needs value_domain (their order)")


def alpha_from_counts(counts: np.ndarray, level: Level, domain: Sequence[Any]) -> float:
    """Alpha from units x values counts (the `krippendorff` package does the arithmetic)."""
    pairable = counts.sum(axis=1) >= 2
    used = counts[pairable].sum(axis=0) > 0
    if used.sum() < 2:
        # No pairable unit, or a single value throughout: expected disagreement is zero.
        return float("nan")
    values: np.ndarray
    if level in ("interval", "ratio"):
        values = np.asarray(domain, dtype=np.float64)
    else:
        values = np.arange(len(domain))  # ordinal uses ranks only
    result = krippendorff.alpha(
        value_counts=counts, value_domain=values, level_of_measurement=level
    )
    return float(result)


def confusion(codes_a: np.ndarray, codes_b: np.ndarray, n_values: int) -> np.ndarray:
    flat = codes_a * n_values + codes_b
    return np.bincount(flat, minlength=n_values * n_values).reshape(n_values, n_values)


def confusion_matrix(
    labels_a: Any, labels_b: Any, *, categories: Sequence[Any] | None = None
) -> tuple[np.ndarray, list[Any]]:
    """Counts with rows = labels_a, columns = labels_b, and the categories in their order."""
    a, b, domain = pair_codes(labels_a, labels_b, categories)
    return confusion(a, b, len(domain)), domain


def kappa_from_confusion(table: np.ndarray, weights: Weights = None) -> float:
    """Cohen's kappa from a square confusion matrix (categories in scale order)."""
    table = np.asarray(table, dtype=np.float64)
    total = table.sum()
    k = table.shape[0]
    if total == 0:
        return float("nan")
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
    idx = np.arange(k)
    if weights is None:
        w = 1.0 - np.eye(k)
    elif weights == "linear":
        w = np.abs(idx[:, None] - idx[None, :]).astype(np.float64)
    elif weights == "quadratic":
        w = ((idx[:, None] - idx[None, :]) ** 2).astype(np.float64)
    else:
        raise InputError(f"unknown weights {weights!r} (expected None, 'linear' or 'quadratic')")
    chance = (w * expected).sum()
    if chance == 0:
        return float("nan")
    return float(1.0 - (w * table).sum() / chance)


def cohen_kappa(
    labels_a: Any,
    labels_b: Any,
    weights: Weights = None,
    *,
    categories: Sequence[Any] | None = None,
) -> float:
    """Cohen's kappa of two coders. Weighted kappa uses `categories` as the order."""
    a, b, domain = pair_codes(labels_a, labels_b, categories)
    return kappa_from_confusion(confusion(a, b, len(domain)), weights)


def percent_agreement(labels_a: Any, labels_b: Any) -> float:
    """Share of units (both coded) on which two coders agree."""
    a, b, _ = pair_codes(labels_a, labels_b, None)
    return float(np.mean(a == b)) if len(a) else float("nan")


def fleiss_kappa(table: Any) -> float:
    """Fleiss' kappa; `table` is subjects x categories counts, every row the same total."""
    counts = np.asarray(table, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] == 0:
        raise InputError("Fleiss' kappa needs a table of subjects x categories counts")
    raters = counts.sum(axis=1)
    if not np.all(raters == raters[0]):
        raise InputError("Fleiss' kappa needs the same number of ratings for every subject")
    n = raters[0]
    if n < 2:
        raise InputError("Fleiss' kappa needs at least two ratings per subject")
    p_cat = counts.sum(axis=0) / counts.sum()
    p_subject = ((counts * counts).sum(axis=1) - n) / (n * (n - 1))
    observed = p_subject.mean()
    chance = (p_cat * p_cat).sum()
    if chance == 1:
        return float("nan")
    return float((observed - chance) / (1 - chance))


def ac1_from_counts(counts: np.ndarray, n_categories: int | None = None) -> float:
    """Gwet's AC1 from units x categories counts (units with one value only feed chance)."""
    counts = np.asarray(counts, dtype=np.float64)
    q = n_categories or counts.shape[1]
    per_unit = counts.sum(axis=1)
    rated = per_unit >= 1
    pairable = per_unit >= 2
    if not pairable.any() or q < 2:
        return float("nan")
    c, r = counts[pairable], per_unit[pairable]
    observed = ((c * (c - 1)).sum(axis=1) / (r * (r - 1))).mean()
    pi = (counts[rated] / per_unit[rated, None]).mean(axis=0)
    chance = (pi * (1 - pi)).sum() / (q - 1)
    if chance == 1:
        return float("nan")
    return float((observed - chance) / (1 - chance))


def gwet_ac1(reliability_data: Any, *, categories: Sequence[Any] | None = None) -> float:
    """Gwet's AC1 for coders x units data (None/NaN missing).

    The number of categories q is len(categories) when given, else the number observed; it
    matters (chance agreement is spread over q categories), so pass the codebook's categories.
    """
    codes, domain = encode(reliability_data, categories)
    return ac1_from_counts(value_counts(codes, len(domain)), len(domain))


def observed_agreement(reliability_data: Any) -> float:
    """Share of agreeing pairs among all pairs of coders within a unit (any number of coders)."""
    codes, domain = encode(reliability_data)
    return agreement_from_counts(value_counts(codes, len(domain)))


def agreement_from_counts(counts: np.ndarray) -> float:
    counts = np.asarray(counts, dtype=np.float64)
    per_unit = counts.sum(axis=1)
    pairs = (per_unit * (per_unit - 1)).sum()
    if pairs == 0:
        return float("nan")
    return float((counts * (counts - 1)).sum() / pairs)
