"""The vectorised bootstrap equals resampling units one by one."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from annotator.agreement import alpha_confidence_interval
from annotator.agreement.bootstrap import _patterns, bootstrap_alphas
from annotator.agreement.coding import value_counts


def _data(n_units: int, seed: int) -> np.ndarray:
    """3 coders, values 0-3 (3 = "no stance"), 80% right, some missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 4, n_units)
    codes = np.where(rng.random((3, n_units)) < 0.8, truth, rng.integers(0, 4, (3, n_units)))
    codes[rng.random((3, n_units)) < 0.15] = -1
    return codes


def test_each_resample_is_exactly_a_resample_of_units() -> None:
    codes = _data(60, seed=1)
    counts = value_counts(codes, 4)
    counts = counts[counts.sum(axis=1) >= 2]
    specs = [("nominal", None), ("ordinal", 3)]
    nominal, ordinal = bootstrap_alphas(counts, specs, resamples=5, seed=11)
    # Redraw the same multinomials and expand them into the units they stand for.
    patterns, freq = _patterns(counts)
    draws = np.random.default_rng(11).multinomial(len(counts), freq / freq.sum(), size=5)
    for b, draw in enumerate(draws):
        units = np.repeat(patterns, draw, axis=0)
        expected = krippendorff.alpha(value_counts=units, level_of_measurement="nominal")
        assert nominal[b] == pytest.approx(expected)
        stance = units[:, :3]
        expected_ord = krippendorff.alpha(
            value_counts=stance[stance.sum(axis=1) >= 2], level_of_measurement="ordinal"
        )
        assert ordinal[b] == pytest.approx(expected_ord)


def test_interval_agrees_with_a_plain_unit_bootstrap() -> None:
    codes = _data(300, seed=2)
    data = np.where(codes >= 0, codes, np.nan)
    pairable = (codes >= 0).sum(axis=0) >= 2
    data = data[:, pairable]
    rng = np.random.default_rng(5)
    plain = [
        krippendorff.alpha(
            data[:, rng.integers(0, data.shape[1], data.shape[1])], level_of_measurement="nominal"
        )
        for _ in range(1500)
    ]
    lo, hi = np.percentile(plain, [2.5, 97.5])
    ours = alpha_confidence_interval(data, "nominal", resamples=1500, seed=5)
    assert ours is not None
    assert ours[0] == pytest.approx(lo, abs=0.02)
    assert ours[1] == pytest.approx(hi, abs=0.02)


def test_no_pairable_unit_gives_no_interval() -> None:
    assert alpha_confidence_interval([[1, None], [None, 2]]) is None
