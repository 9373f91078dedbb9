"""Properties of the metrics (hypothesis) and cross-checks against other implementations."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import (
    cohen_kappa,
    confusion_matrix,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    observed_agreement,
    percent_agreement,
)
from annotator.agreement.bootstrap import alpha_batch, alpha_resamples, coincidences
from annotator.agreement.coding import encode, value_counts
from annotator.errors import InputError

CATS = ["against", "neutral", "favor", "no_stance"]
label = st.sampled_from(CATS)
maybe_label = st.one_of(st.none(), label)


@st.composite
def reliability(draw: st.DrawFn, min_coders: int = 2) -> list[list[str | None]]:
    """Coders x units labels with some missing, at least two distinct values present."""
    n_coders = draw(st.integers(min_coders, 5))
    n_units = draw(st.integers(2, 25))
    data = [[draw(maybe_label) for _ in range(n_units)] for _ in range(n_coders)]
    data[0][0], data[1][0] = "against", "favor"  # pairable, and two values
    return data


@st.composite
def two_raters(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    n = draw(st.integers(2, 40))
    a = draw(st.lists(label, min_size=n, max_size=n))
    b = draw(st.lists(label, min_size=n, max_size=n))
    a[0], b[0] = "against", "favor"
    return a, b


def close(x: float, y: float) -> bool:
    return (np.isnan(x) and np.isnan(y)) or abs(x - y) < 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(label, min_size=2, max_size=30), st.integers(2, 6))
def test_perfect_agreement_gives_one(values: list[str], coders: int) -> None:
    values[0], values[1] = "against", "favor"
    data = [list(values) for _ in range(coders)]
    assert krippendorff_alpha(data, "nominal") == pytest.approx(1.0)
    assert krippendorff_alpha(data, "ordinal", value_domain=CATS) == pytest.approx(1.0)
    assert cohen_kappa(values, values) == pytest.approx(1.0)
    assert cohen_kappa(values, values, weights="linear", categories=CATS) == pytest.approx(1.0)
    assert percent_agreement(values, values) == 1.0
    assert gwet_ac1(data, categories=CATS) == pytest.approx(1.0)
    counts = value_counts(encode(data, CATS)[0], len(CATS))
    assert fleiss_kappa(counts) == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(reliability(), st.randoms(use_true_random=False))
def test_order_of_coders_and_units_does_not_matter(data: list, rnd) -> None:
    coders = list(range(len(data)))
    units = list(range(len(data[0])))
    rnd.shuffle(coders)
    rnd.shuffle(units)
    shuffled = [[data[c][u] for u in units] for c in coders]
    for level, domain in (("nominal", None), ("ordinal", CATS)):
        assert close(
            krippendorff_alpha(data, level, value_domain=domain),
            krippendorff_alpha(shuffled, level, value_domain=domain),
        )
    assert close(gwet_ac1(data, categories=CATS), gwet_ac1(shuffled, categories=CATS))
    assert close(observed_agreement(data), observed_agreement(shuffled))


@settings(max_examples=60, deadline=None)
@given(two_raters())
def test_kappa_is_symmetric_and_bounded(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    for weights in (None, "linear", "quadratic"):
        k_ab = cohen_kappa(a, b, weights=weights, categories=CATS)
        k_ba = cohen_kappa(b, a, weights=weights, categories=CATS)
        assert close(k_ab, k_ba)
        assert np.isnan(k_ab) or -1.0 - 1e-9 <= k_ab <= 1.0 + 1e-9
    assert percent_agreement(a, b) == percent_agreement(b, a)


@settings(max_examples=60, deadline=None)
@given(reliability())
def test_alpha_matches_the_krippendorff_package(data: list) -> None:
    codes, domain = encode(data, CATS)
    matrix = np.where(codes >= 0, codes, np.nan)
    ours = krippendorff_alpha(data, "nominal")
    theirs = krippendorff.alpha(matrix, level_of_measurement="nominal")
    assert close(ours, float(theirs))
    ours_ord = krippendorff_alpha(data, "ordinal", value_domain=CATS)
    theirs_ord = krippendorff.alpha(matrix, value_domain=range(4), level_of_measurement="ordinal")
    assert close(ours_ord, float(theirs_ord))


@settings(max_examples=40, deadline=None)
@given(reliability(), st.sampled_from(["nominal", "ordinal", "interval"]))
def test_vectorised_bootstrap_alpha_equals_alpha_on_the_full_sample(data: list, level) -> None:
    codes, _ = encode(data, CATS)
    counts = value_counts(codes, 4)
    counts = counts[counts.sum(axis=1) >= 2]
    o = coincidences(counts).sum(axis=0)[None]
    full = alpha_batch(o, level, np.arange(4.0))
    expected = krippendorff_alpha(np.where(codes >= 0, codes, np.nan), level)
    if np.isnan(expected) or not len(full):
        return
    assert full[0] == pytest.approx(expected)


def test_bootstrap_spreads_around_alpha() -> None:
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3, 400)
    data = np.where(rng.random((3, 400)) < 0.8, truth, rng.integers(0, 3, (3, 400)))
    alpha = krippendorff_alpha(data, "nominal")
    samples = alpha_resamples(value_counts(encode(data)[0], 3), resamples=500, seed=1)
    assert len(samples) == 500
    assert abs(float(np.median(samples)) - alpha) < 0.02
    assert 0.005 < float(np.std(samples)) < 0.1


def test_missing_labels_drop_the_pair() -> None:
    a = ["favor", None, "against", float("nan"), "favor"]
    b = ["favor", "against", "against", "favor", None]
    assert percent_agreement(a, b) == 1.0
    table, cats = confusion_matrix(a, b)
    assert cats == ["against", "favor"]
    assert table.tolist() == [[1, 0], [0, 1]]


def test_undefined_coefficients_are_nan_not_errors() -> None:
    same = [["favor", "favor"], ["favor", "favor"]]
    assert np.isnan(krippendorff_alpha(same))
    assert np.isnan(cohen_kappa(["favor"] * 3, ["favor"] * 3))
    assert np.isnan(krippendorff_alpha([["favor", None], [None, "against"]]))


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="value domain"):
        krippendorff_alpha([["a", "b"], ["a", "c"]], "ordinal", value_domain=["a", "b"])
    with pytest.raises(InputError, match="value_domain"):
        krippendorff_alpha([["a", "b"], ["a", "b"]], "ordinal")
    with pytest.raises(InputError, match="same number"):
        fleiss_kappa([[1, 1], [2, 1]])
    with pytest.raises(InputError, match="length"):
        cohen_kappa(["a"], ["a", "b"])
    with pytest.raises(InputError, match="level"):
        krippendorff_alpha([[1, 2], [1, 2]], "cardinal")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 6), min_size=3, max_size=3).filter(lambda r: sum(r) > 0),
        min_size=2,
        max_size=15,
    )
)
def test_fleiss_matches_statsmodels(rows: list[list[int]]) -> None:
    from statsmodels.stats import inter_rater as statsmodels  # the test extra has it

    # Give every subject the same number of ratings (Fleiss' precondition).
    n = max(sum(r) for r in rows) + 1
    table = np.array([[*r[:2], r[2] + n - sum(r)] for r in rows])
    expected = statsmodels.fleiss_kappa(table, method="fleiss")
    assert close(fleiss_kappa(table), float(expected))


@settings(max_examples=30, deadline=None)
@given(two_raters())
def test_weighted_kappa_matches_statsmodels(pair: tuple[list[str], list[str]]) -> None:
    from statsmodels.stats import inter_rater as statsmodels  # the test extra has it

    a, b = pair
    table, _ = confusion_matrix(a, b, categories=CATS)
    for weights, wt in ((None, None), ("linear", "linear"), ("quadratic", "quadratic")):
        expected = statsmodels.cohens_kappa(table, wt=wt, return_results=False)
        ours = cohen_kappa(a, b, weights=weights, categories=CATS)
        assert close(ours, float(expected))
