"""Two-mode and one-mode networks of the fixture debate against weights computed by hand
(the derivations are in docs/networks.md, "A worked example")."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.codebook import Codebook, Stance, Target
from annotator.errors import InputError
from annotator.network.build import Network, build_networks, network_of
from annotator.network.options import Aggregation, Mode, NetworkOptions, Normalisation
from annotator.network.statements import Statement
from tests.network.fixtures import N, S, T, debate

CONG, CONF, IGN, SUB = (
    Aggregation.CONGRUENCE,
    Aggregation.CONFLICT,
    Aggregation.IGNORE,
    Aggregation.SUBTRACT,
)


def one(codebook, **kw) -> Network:
    (network,) = build_networks(debate(), codebook, NetworkOptions(**kw)).networks
    return network


def two_mode(codebook, aggregation, normalisation=Normalisation.NO):
    network = one(codebook, aggregation=aggregation, normalisation=normalisation)
    assert network.actors == ["A", "B", "C", "D"] and network.targets == [N, T, S]
    return network.matrix().tolist()


def close(rows: list[list[float]]):
    return pytest.approx(np.array(rows, dtype=float))


def edges(codebook, aggregation, normalisation=Normalisation.NO) -> dict:
    network = one(codebook, mode=Mode.ONEMODE, aggregation=aggregation, normalisation=normalisation)
    w = network.weights
    return {
        network.actors[i] + network.actors[j]: pytest.approx(v)
        for i, j, v in zip(w.row, w.col, w.data, strict=True)
    }


# ------------------------------------------------------------------ two-mode


def test_two_mode_ignore_counts_statements(codebook) -> None:
    #            N  T  S
    assert two_mode(codebook, IGN) == [
        [1, 1, 1],  # A
        [1, 1, 1],  # B
        [1, 0, 1],  # C
        [0, 2, 0],  # D: two favor statements on T
    ]


def test_two_mode_subtract_is_favor_minus_against(codebook) -> None:
    assert two_mode(codebook, SUB) == [[1, 1, -1], [1, -1, -1], [-1, 0, 0], [0, 2, 0]]


def test_two_mode_combine_codes(codebook) -> None:
    # 1 favor only, 2 against only, 3 both, 4 neutral only, 0 nothing
    assert two_mode(codebook, Aggregation.COMBINE) == [[1, 1, 2], [1, 2, 2], [2, 0, 4], [0, 1, 0]]
    both = [*debate(), Statement("D", T, "against", None, "a7")]
    network = network_of(both, codebook, NetworkOptions(aggregation=Aggregation.COMBINE))
    assert network.matrix()[3].tolist() == [0, 3, 0]  # favor and against: mixed


def test_two_mode_activity_divides_by_the_actors_statements(codebook) -> None:
    # A and B made 3 statements, C and D 2
    third, half = 1 / 3, 1 / 2
    assert np.array(two_mode(codebook, IGN, Normalisation.ACTIVITY)) == close(
        [[third, third, third], [third, third, third], [half, 0, half], [0, 1, 0]]
    )
    assert np.array(two_mode(codebook, SUB, Normalisation.ACTIVITY)) == close(
        [[third, third, -third], [third, -third, -third], [-half, 0, 0], [0, 1, 0]]
    )


def test_two_mode_prominence_divides_by_the_targets_statements(codebook) -> None:
    # N got 3 statements, T 4, S 3
    assert np.array(two_mode(codebook, IGN, Normalisation.PROMINENCE)) == close(
        [[1 / 3, 1 / 4, 1 / 3], [1 / 3, 1 / 4, 1 / 3], [1 / 3, 0, 1 / 3], [0, 2 / 4, 0]]
    )
    assert np.array(two_mode(codebook, SUB, Normalisation.PROMINENCE)) == close(
        [[1 / 3, 1 / 4, -1 / 3], [1 / 3, -1 / 4, -1 / 3], [-1 / 3, 0, 0], [0, 2 / 4, 0]]
    )


# ------------------------------------------------------------------ one-mode
# Per shared target, x_i * x_i' * s with s = 1 - |v - v'| / 2 (congruence) or |v - v'| / 2
# (conflict): favor-favor 1/0, favor-neutral 0.5/0.5, favor-against 0/1.
# A-B: N f,f (1/0); T f,a (0/1); S a,a (1/0)  -> congruence 2,   conflict 1
# A-C: N f,a (0/1); S a,n (.5/.5)             -> congruence 0.5, conflict 1.5
# A-D: T f x2 (2/0)                           -> congruence 2,   conflict 0
# B-C: N f,a; S a,n                           -> congruence 0.5, conflict 1.5
# B-D: T a, f x2 (0/2)                        -> congruence 0,   conflict 2
# C-D: no shared target                       -> no edge


def test_one_mode_congruence_conflict_subtract_ignore(codebook) -> None:
    assert edges(codebook, CONG) == {"AB": 2, "AC": 0.5, "AD": 2, "BC": 0.5}
    assert edges(codebook, CONF) == {"AB": 1, "AC": 1.5, "BC": 1.5, "BD": 2}
    assert edges(codebook, SUB) == {"AB": 1, "AC": -1, "AD": 2, "BC": -1, "BD": -2}
    # ignore: products of the counts on shared targets
    assert edges(codebook, IGN) == {"AB": 3, "AC": 2, "AD": 2, "BC": 2, "BD": 2}


def test_one_mode_average_normalisation(codebook) -> None:
    # divided by (n_i + n_i') / 2 with n_A = n_B = 3, n_C = n_D = 2
    assert edges(codebook, CONG, Normalisation.AVERAGE) == {
        "AB": 2 / 3,
        "AC": 0.5 / 2.5,
        "AD": 2 / 2.5,
        "BC": 0.5 / 2.5,
    }
    assert edges(codebook, CONF, Normalisation.AVERAGE) == {
        "AB": 1 / 3,
        "AC": 1.5 / 2.5,
        "BC": 1.5 / 2.5,
        "BD": 2 / 2.5,
    }
    assert edges(codebook, SUB, Normalisation.AVERAGE) == {
        "AB": 1 / 3,
        "AC": -0.4,
        "AD": 0.8,
        "BC": -0.4,
        "BD": -0.8,
    }


def test_one_mode_cosine_normalisation_is_dnas_product_of_activities(codebook) -> None:
    assert edges(codebook, CONG, Normalisation.COSINE) == {
        "AB": 2 / 9,
        "AC": 0.5 / 6,
        "AD": 2 / 6,
        "BC": 0.5 / 6,
    }


def test_one_mode_jaccard_normalisation(codebook) -> None:
    # Cells (target, stance): A {Nf, Tf, Sa}, B {Nf, Ta, Sa}, C {Na, Sn}, D {Tf: 2}.
    # A-B: m11 = Nf + Sa = 2, m10 = Tf = 1, m01 = Ta = 1 -> 4
    # A-C: m11 = 0, m10 = 3, m01 = 2 -> 5;  A-D: m11 = 1*2, m10 = 2, m01 = 0 -> 4
    assert edges(codebook, CONG, Normalisation.JACCARD) == {
        "AB": 2 / 4,
        "AC": 0.5 / 5,
        "AD": 2 / 4,
        "BC": 0.5 / 5,
    }
    # B-D: m11 = 0, m10 = 3, m01 = 2 -> 5
    assert edges(codebook, CONF, Normalisation.JACCARD)["BD"] == pytest.approx(2 / 5)


def test_one_mode_shared_targets(codebook) -> None:
    network = one(codebook, mode=Mode.ONEMODE, aggregation=Aggregation.IGNORE)
    w = network.weights
    pairs = [network.actors[i] + network.actors[j] for i, j in zip(w.row, w.col, strict=True)]
    assert dict(zip(pairs, network.shared.tolist(), strict=True)) == {
        "AB": 3,
        "AC": 2,
        "AD": 1,
        "BC": 2,
        "BD": 1,
    }


def test_one_mode_matrix_is_symmetric_with_an_empty_diagonal(codebook) -> None:
    m = one(codebook, mode=Mode.ONEMODE).matrix()
    assert (m == m.T).all() and not m.diagonal().any()
    assert m[0].tolist() == [0, 2, 0.5, 2]


def test_the_integer_example_of_the_dna_manual() -> None:
    """DNA manual: i says -4 twice and i' says +2 three times on a [-5, +5] scale:
    2 * 3 * (1 - |-4 - 2| / 10) = 2.4 congruence (and 2 * 3 * 0.6 = 3.6 conflict)."""
    scale = tuple(Stance(id=f"s{v}", label_de="", label_en="", definition="") for v in range(11))
    codebook = Codebook("eleven", (Target("c", "", "", "", ()),), scale)
    said = [Statement("i", "c", "s1", None, "d")] * 2 + [Statement("j", "c", "s7", None, "d")] * 3
    for aggregation, expected in ((CONG, 2.4), (CONF, 3.6)):
        options = NetworkOptions(mode=Mode.ONEMODE, aggregation=aggregation)
        weights = network_of(said, codebook, options).weights
        assert weights.data.tolist() == pytest.approx([expected])


@pytest.mark.parametrize(
    ("mode", "aggregation", "normalisation", "message"),
    [
        (Mode.TWOMODE, CONG, Normalisation.NO, "not for twomode"),
        (Mode.ONEMODE, Aggregation.COMBINE, Normalisation.NO, "not for onemode"),
        (Mode.ONEMODE, CONG, Normalisation.ACTIVITY, "not for onemode"),
        (Mode.TWOMODE, IGN, Normalisation.JACCARD, "not for twomode"),
        (Mode.TWOMODE, Aggregation.COMBINE, Normalisation.ACTIVITY, "combine gives"),
    ],
)
def test_meaningless_combinations_are_refused(
    codebook, mode, aggregation, normalisation, message
) -> None:
    options = NetworkOptions(mode=mode, aggregation=aggregation, normalisation=normalisation)
    with pytest.raises(InputError, match=message):
        build_networks(debate(), codebook, options)


def test_target_choice_keeps_only_those_columns(codebook) -> None:
    network = one(codebook, targets=(S, N))
    assert network.targets == [N, S]  # codebook order
    assert network.actors == ["A", "B", "C"]  # D spoke only about T
    assert network.matrix().tolist() == [[1, -1], [1, -1], [-1, 0]]
