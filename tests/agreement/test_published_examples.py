"""The metrics against worked examples published in the literature (always run).

Data typed in from the sources named at each test; the expected values are the published
ones, rounded as published.
"""

from __future__ import annotations

import pytest

from annotator.agreement import (
    alpha_confidence_interval,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C:
# 4 observers x 12 units, values 1-5, None = the observer did not code the unit.
_ = None
KRIPPENDORFF_4x12 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_4_observers_12_units(level: str, expected: float) -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_4x12, level), 3) == expected


def test_krippendorff_example_with_text_labels_and_nan() -> None:
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[words[v] if v else float("nan") for v in row] for row in KRIPPENDORFF_4x12]
    assert round(krippendorff_alpha(data, "nominal"), 3) == 0.743
    order = list(words.values())
    assert round(krippendorff_alpha(data, "ordinal", value_domain=order), 3) == 0.815


def test_krippendorff_binary_two_observers() -> None:
    # Krippendorff (2011), example A: two observers, binary data, 10 units: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b], "nominal"), 3) == 0.095


# Fleiss (1971) as worked on Wikipedia ("Fleiss' kappa", worked example): 10 subjects,
# 14 raters each, 5 categories; P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
FLEISS_10x5 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_worked_example() -> None:
    assert round(fleiss_kappa(FLEISS_10x5), 3) == 0.210


# Cohen's kappa, the textbook 2x2 example (Wikipedia, "Cohen's kappa"): 50 proposals, reader
# A and B both "yes" 20, A yes/B no 5, A no/B yes 10, both "no" 15: p_o = 0.7, p_e = 0.5,
# kappa = 0.4.
READER_A = ["yes"] * 25 + ["no"] * 25
READER_B = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15


def test_cohen_kappa_textbook_example() -> None:
    assert percent_agreement(READER_A, READER_B) == pytest.approx(0.7)
    assert cohen_kappa(READER_A, READER_B) == pytest.approx(0.4)


def test_gwet_ac1_two_raters_by_hand() -> None:
    # Gwet (2008), two raters: pi_k = mean of the two marginal shares, here yes 0.55 and
    # no 0.45; p_e = sum pi_k (1 - pi_k) / (q - 1) = 0.495; AC1 = (0.7 - 0.495) / 0.505.
    assert gwet_ac1([READER_A, READER_B]) == pytest.approx(0.205 / 0.505)


def test_weighted_kappa_by_hand() -> None:
    a = ["against", "neutral", "favor", "against"]
    b = ["against", "favor", "favor", "favor"]
    order = ["against", "neutral", "favor"]
    # Rows a: against (1, 0, 1), neutral (0, 0, 1), favor (0, 0, 1); marginals a (2, 1, 1),
    # b (1, 0, 3). Linear weights |i - j|: observed 2 + 1 = 3, expected
    # (2*3*2 + 1*1*1 + 1*3*1 + 1*1*2) / 4 = 4.5, so kappa = 1 - 3 / 4.5 = 1/3.
    assert cohen_kappa(a, b, weights="linear", categories=order) == pytest.approx(1 / 3)
    # Unweighted: p_o = 0.5, p_e = (2*1 + 1*0 + 1*3) / 16 = 0.3125 -> 0.1875 / 0.6875 = 3/11.
    assert cohen_kappa(a, b, categories=order) == pytest.approx(3 / 11)


def test_bootstrap_interval_contains_alpha_and_is_seedable() -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_4x12, "nominal")
    ci = alpha_confidence_interval(KRIPPENDORFF_4x12, "nominal", resamples=2000, seed=7)
    assert ci is not None
    assert ci[0] <= alpha <= ci[1]
    assert ci == alpha_confidence_interval(KRIPPENDORFF_4x12, resamples=2000, seed=7)
