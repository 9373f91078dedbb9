from __future__ import annotations

from annotator.cues import CueFinder


def test_cues_are_found_case_insensitively_with_their_target(codebook) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Der Nato-Beitritt bleibt offen; BODENTRUPPEN schließt er aus. Das Zwei-Prozent-Ziel gilt."
    )
    hits = CueFinder(codebook).find(text)
    found = {(text[h.start : h.end], h.target) for h in hits}
    assert ("Nato-Beitritt", "nato_membership") in found
    assert ("BODENTRUPPEN", "ground_troops") in found
    assert ("Zwei-Prozent-Ziel", "defence_spending") in found


def test_cues_do_not_match_inside_other_words(codebook) -> None:  # type: ignore[no-untyped-def]
    hits = CueFinder(codebook).find("Die Reisetruppen und Kindersoldaten")
    assert hits == []
