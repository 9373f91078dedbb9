"""A small debate whose networks are computed by hand in the tests (and in docs/networks.md).

Targets N = nato_membership, T = ground_troops, S = defence_spending; stances against (-1),
neutral (0), favor (+1):

    actor  statements                                   date
    A      N favor, T favor (a1); S against (a2)        2024-01-10; 2024-02-05
    B      N favor (a2); T against, S against (a3)      2024-02-05; 2024-03 (month only)
    C      N against, S neutral (a4)                    2024-04-20
    D      T favor (a5); T favor (a6)                   2024-05-01; no date
"""

from __future__ import annotations

from annotator.network.statements import Statement

N, T, S = "nato_membership", "ground_troops", "defence_spending"

ROWS = [
    ("A", N, "favor", "a1", "2024-01-10"),
    ("A", T, "favor", "a1", "2024-01-10"),
    ("A", S, "against", "a2", "2024-02-05"),
    ("B", N, "favor", "a2", "2024-02-05"),
    ("B", T, "against", "a3", "2024-03"),
    ("B", S, "against", "a3", "2024-03"),
    ("C", N, "against", "a4", "2024-04-20"),
    ("C", S, "neutral", "a4", "2024-04-20"),
    ("D", T, "favor", "a5", "2024-05-01"),
    ("D", T, "favor", "a6", None),
]


def debate() -> list[Statement]:
    return [
        Statement(actor=a, target=t, stance=s, date=d, article=art, annotator="anna")
        for a, t, s, art, d in ROWS
    ]
