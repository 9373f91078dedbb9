"""The agreement report on a small project: coding units, "no stance", figures, disagreements."""

from __future__ import annotations

import json

import numpy as np
import pytest

from annotator.agreement import (
    NO_STANCE,
    CodingData,
    agreement_report,
    cohen_kappa,
    compute_report,
    fleiss_kappa,
    krippendorff_alpha,
    load_coding_data,
)
from annotator.errors import CodebookError, InputError
from tests.agreement.builders import done, label

# The units of the two_annotators project, by hand (see tests/agreement/builders.py):
#   a1 Pistorius defence   anna favor      ben favor
#   a1 Masala    troops    anna favor      ben against
#   a2 Masala    troops    anna no stance  ben neutral   (anna finished a2 and left it empty)
#   a2 NATO      defence   anna against    ben against
#   a3 Pistorius defence   anna neutral    ben missing   (ben has not finished a3)
ANNA = ["favor", "favor", NO_STANCE, "against", "neutral"]
BEN = ["favor", "against", "neutral", "against", None]


def test_units_follow_done_marks(two_annotators, codebook) -> None:
    data = load_coding_data(two_annotators, codebook)
    assert data.annotators == ["anna", "ben"]
    assert data.categories == ["against", "neutral", "favor", NO_STANCE]
    got = [[data.categories[c] if c >= 0 else None for c in row] for row in data.codes]
    assert got == [ANNA, BEN]
    assert [data.actor_names[a] for a in data.unit_actor] == [
        "Boris Pistorius", "Carlo Masala", "Carlo Masala", "NATO", "Boris Pistorius",
    ]  # fmt: skip


def test_report_figures_match_the_metrics(two_annotators, codebook) -> None:
    report = agreement_report(two_annotators, codebook, bootstrap=200, seed=1)
    overall = report.overall
    assert (overall.units, overall.coders, overall.values) == (4, 2, 8)
    assert overall.alpha_nominal == pytest.approx(krippendorff_alpha([ANNA, BEN]))
    # By hand: 8 values (3 against, 1 neutral, 3 favor, 1 no stance), 4 of 8 pairs disagree:
    # alpha = 1 - 0.5 / ((64 - 20) / 56) = 0.3636...
    assert overall.alpha_nominal == pytest.approx(1 - 0.5 / (44 / 56))
    assert overall.percent_agreement == pytest.approx(0.5)
    assert overall.fleiss_kappa is not None
    (pair,) = overall.pairs
    assert pair.cohen_kappa == pytest.approx(cohen_kappa(ANNA, BEN))
    assert pair.cohen_kappa == pytest.approx(1 / 3)  # p_o 0.5, p_e 0.25
    assert pair.units == 4 and pair.ordinal_units == 3
    # Ordinal figures leave "no stance" out: 3 units where both gave a stance.
    assert overall.ordinal_units == 3
    stance_only = [[v if v != NO_STANCE else None for v in row] for row in (ANNA, BEN)]
    scale = ["against", "neutral", "favor"]
    assert overall.alpha_ordinal == pytest.approx(
        krippendorff_alpha(stance_only, "ordinal", value_domain=scale)
    )
    assert pair.confusion[2] == [1, 0, 1, 0]  # anna favor: ben against once, favor once
    lo, hi = overall.alpha_nominal_ci
    assert lo <= overall.alpha_nominal <= hi


def test_per_target_and_per_annotator(two_annotators, codebook) -> None:
    report = agreement_report(two_annotators, codebook, bootstrap=0)
    defence = report.scope("defence_spending")
    troops = report.scope("ground_troops")
    assert defence.units == 2 and defence.alpha_nominal == pytest.approx(1.0)
    assert troops.units == 2 and troops.percent_agreement == 0.0
    assert report.scope("nato_membership").units == 0
    assert report.scope("nato_membership").alpha_nominal is None
    anna, ben = report.per_annotator
    assert (anna.name, anna.articles_done, anna.units, anna.agreement) == ("anna", 3, 4, 0.5)
    assert (ben.name, ben.articles_done, ben.units) == ("ben", 2, 4)


def test_disagreement_list_has_labels_evidence_and_article(two_annotators, codebook) -> None:
    report = agreement_report(two_annotators, codebook, bootstrap=0)
    assert [(d.external_id, d.actor, d.target) for d in report.disagreements] == [
        ("a1", "Carlo Masala", "ground_troops"),
        ("a2", "Carlo Masala", "ground_troops"),
    ]
    first = report.disagreements[0]
    assert first.title == "Pistorius will mehr Geld"
    assert first.labels == {"anna": "favor", "ben": "against"}
    assert first.evidence == {
        "anna": ["Masala hält Bodentruppen für denkbar"],
        "ben": ["Bodentruppen"],
    }
    assert first.notes == {"anna": "klar dafür"}
    assert report.disagreements[1].labels == {"anna": NO_STANCE, "ben": "neutral"}


def test_filters_and_json(two_annotators, codebook) -> None:
    report = agreement_report(
        two_annotators, codebook, targets=["defence_spending"], annotators=["anna", "ben"]
    )
    assert [s.scope for s in report.targets] == ["defence_spending"]
    assert report.overall.units == 2
    text = json.dumps(report.as_dict())
    assert json.loads(text)["overall"]["units"] == 2
    assert {r["measure"] for r in report.rows()} >= {"alpha_nominal", "cohen_kappa"}
    with pytest.raises(InputError, match="unknown annotator 'carl'"):
        agreement_report(two_annotators, codebook, annotators=["carl"])
    with pytest.raises(CodebookError, match="unknown target"):
        agreement_report(two_annotators, codebook, targets=["weather"])


def test_unfinished_articles_do_not_count(two_annotators, codebook) -> None:
    before = agreement_report(two_annotators, codebook, bootstrap=0)
    # Ben finishes a3 (his favor there now counts) and a new unit appears for anna as well.
    done(two_annotators, "ben", "a3")
    after = agreement_report(two_annotators, codebook, bootstrap=0)
    assert (before.overall.units, after.overall.units) == (4, 5)
    # A label without a stance (evidence only) by a finished annotator is "no stance".
    label(two_annotators, "ben", "a3", "NATO", "defence_spending", None, evidence="Wehretat")
    again = agreement_report(two_annotators, codebook, bootstrap=0)
    assert again.overall.units == 5


def test_prevalence_warning_and_fleiss_note() -> None:
    codes = np.array([[3] * 18 + [0, 2], [3] * 17 + [0, 0, 2], [-1] * 10 + [3] * 10])
    data = CodingData(
        annotators=["a", "b", "c"],
        categories=["against", "neutral", "favor", NO_STANCE],
        targets=["t"],
        codes=codes.astype(np.int8),
        unit_target=np.zeros(20, dtype=np.int64),
        unit_article=np.arange(20),
        unit_actor=np.arange(20),
    )
    report = compute_report(data, bootstrap=0)
    overall = report.overall
    assert overall.dominant == NO_STANCE
    assert any("prevalence" in note for note in overall.notes)
    assert overall.gwet_ac1 is not None and overall.gwet_ac1 > overall.alpha_nominal
    assert overall.fleiss_kappa is None
    assert any("between 2 and 3 coders" in note for note in overall.notes)
    complete = data.codes[:, 10:]
    counts = np.stack([(complete == k).sum(axis=0) for k in range(4)], axis=1)
    assert compute_report(
        CodingData(**{**data.__dict__, "codes": complete, "unit_target": np.zeros(10, int)}),
        bootstrap=0,
    ).overall.fleiss_kappa == pytest.approx(fleiss_kappa(counts))
