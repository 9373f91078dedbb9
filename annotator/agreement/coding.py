"""Turning labels into integer codes and per-unit value counts (the form every metric uses).

Codes are small integers indexing a value domain; -1 means "missing" (the coder did not
code the unit). Working on codes keeps every metric a few numpy operations, whatever the
labels are (strings, numbers, None).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from annotator.errors import InputError

MISSING = -1


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(isinstance(value, float | np.floating) and math.isnan(value))
    except TypeError:
        return False


def encode(data: Any, value_domain: Sequence[Any] | None = None) -> tuple[np.ndarray, list[Any]]:
    """Codes (same shape as `data`, int64, -1 for missing) and the value domain they index.

    Without `value_domain` the domain is the sorted distinct values (the `krippendorff`
    package's default); with it, codes follow its order and other values are an error.
    """
    arr = np.asarray(data) if not isinstance(data, np.ndarray) else data
    if arr.dtype.kind in "iuf":
        return _encode_numeric(arr, value_domain)
    obj = np.asarray(data, dtype=object)
    flat = obj.ravel()
    present = [v for v in flat if not is_missing(v)]
    if value_domain is None:
        try:
            domain = sorted(set(present))
        except TypeError:
            raise InputError(
                "labels of different kinds cannot be ordered; pass value_domain"
            ) from None
    else:
        domain = list(value_domain)
    index = {v: i for i, v in enumerate(domain)}
    codes = np.empty(flat.shape, dtype=np.int64)
    for i, v in enumerate(flat):
        if is_missing(v):
            codes[i] = MISSING
        else:
            code = index.get(v)
            if code is None:
                raise InputError(f"label {v!r} is not in the value domain {domain!r}")
            codes[i] = code
    return codes.reshape(obj.shape), domain


def _encode_numeric(
    arr: np.ndarray, value_domain: Sequence[Any] | None
) -> tuple[np.ndarray, list[Any]]:
    values = arr.astype(np.float64, copy=False)
    present = ~np.isnan(values)
    seen = values[present]
    codes = np.full(values.shape, MISSING, dtype=np.int64)
    if value_domain is not None:
        domain = np.asarray(value_domain, dtype=np.float64)
        order = np.argsort(domain, kind="stable")
        sorted_domain = domain[order]
        pos = np.minimum(np.searchsorted(sorted_domain, seen), max(len(domain) - 1, 0))
        if len(seen) and (len(domain) == 0 or not np.all(sorted_domain[pos] == seen)):
            raise InputError("the reliability data holds values outside value_domain")
        codes[present] = order[pos] if len(seen) else pos
    elif len(seen) and _small_integers(seen):
        # Ratings are nearly always small integers: a lookup table beats sorting.
        low = int(seen.min())
        offsets = (seen - low).astype(np.int64)
        used = np.bincount(offsets) > 0
        codes[present] = (np.cumsum(used) - 1)[offsets]
        domain = np.nonzero(used)[0].astype(np.float64) + low
    else:
        domain, inverse = np.unique(seen, return_inverse=True)
        codes[present] = inverse
    return codes, [v.item() for v in domain]


def _small_integers(values: np.ndarray) -> bool:
    return bool(values.max() - values.min() < 65_536 and np.all(values == np.floor(values)))


def value_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """Units x values: how many coders gave each value to each unit (codes: coders x units)."""
    n_units = codes.shape[1]
    coder_idx, unit_idx = np.nonzero(codes >= 0)
    flat = unit_idx * n_values + codes[coder_idx, unit_idx]
    counts = np.bincount(flat, minlength=n_units * n_values)
    return counts.reshape(n_units, n_values)


def pair_codes(labels_a: Any, labels_b: Any, categories: Sequence[Any] | None) -> tuple:
    """Encode two label sequences on one shared domain and drop pairs with a missing side."""
    a = list(labels_a) if not isinstance(labels_a, np.ndarray) else labels_a
    b = list(labels_b) if not isinstance(labels_b, np.ndarray) else labels_b
    if len(a) != len(b):
        raise InputError(f"the two label lists differ in length ({len(a)} and {len(b)})")
    codes, domain = encode(_stack(a, b), categories)
    keep = (codes[0] >= 0) & (codes[1] >= 0)
    return codes[0][keep], codes[1][keep], domain


def _stack(a: Any, b: Any) -> Any:
    arr_a, arr_b = np.asarray(a), np.asarray(b)
    if arr_a.dtype.kind in "iuf" and arr_b.dtype.kind in "iuf":
        return np.vstack([arr_a.astype(float), arr_b.astype(float)])
    out = np.empty((2, len(a)), dtype=object)
    out[0, :] = list(a)
    out[1, :] = list(b)
    return out
