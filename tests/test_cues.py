"""One cue rule for the window and the export (annotator/cues.py)."""

from __future__ import annotations

import pytest

from annotator.cues import CueMatcher


def test_cues_are_found_case_insensitively_with_their_target(codebook) -> None:
    text = (
        "Der Nato-Beitritt bleibt offen; BODENTRUPPEN schließt er aus. Das Zwei-Prozent-Ziel gilt."
    )
    hits = CueMatcher(codebook).find(text)
    found = {(text[h.start : h.end], h.target) for h in hits}
    assert ("Nato-Beitritt", "nato_membership") in found
    assert ("BODENTRUPPEN", "ground_troops") in found
    assert ("Zwei-Prozent-Ziel", "defence_spending") in found


def test_cues_do_not_match_inside_other_words(codebook) -> None:
    matcher = CueMatcher(codebook)
    assert matcher.find("Die Reisetruppen und Kindersoldaten") == []
    assert not matcher.in_text("ground_troops", "Die Reisetruppen und Kindersoldaten")


@pytest.mark.parametrize(
    "sentence",
    ["Ein Bodentruppeneinsatz ist umstritten.", "Der NATO-Bodentruppen-Plan.", "bodentruppen!"],
)
def test_window_and_export_agree_on_compounds(codebook, sentence: str) -> None:
    """What the window underlines is exactly what the export counts as a cue sentence."""
    matcher = CueMatcher(codebook)
    underlined = {h.target for h in matcher.find(sentence)}
    counted = {t.id for t in codebook.targets if matcher.in_text(t.id, sentence)}
    assert "ground_troops" in underlined
    assert underlined == counted


def test_offsets_stay_right_when_lower_casing_changes_the_length(codebook) -> None:
    text = "İstanbul: Bodentruppen sind kein Thema."  # "İ".lower() is two characters
    (hit,) = [h for h in CueMatcher(codebook).find(text) if h.target == "ground_troops"]
    assert text[hit.start : hit.end] == "Bodentruppen"
