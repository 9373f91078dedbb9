"""Titles found at import (ingest/pagemeta.headline): a headline is short and first, never
a lede sentence that runs over four lines (issue 25 item 5)."""

from __future__ import annotations

import pytest

from annotator.ingest.boilerplate import find_boilerplate, headline
from annotator.ingest.readers import read_text_file
from annotator.paths import seeds_dir

SEED_TITLES = {
    "000_bdcb18cc22753435": "Sorge um weniger US-Hilfe Pistorius spricht mit Frankreich über "
    "engere Zusammenarbeit",
    # The page's headline was not saved; its first line is an image note and then a
    # 231-character lede sentence (the title before). The subheading after the lede is
    # about the same thing.
    "001_2a7d540fb5e89974": "Potenzielle europäische Unterstützung für die Ukraine",
    "002_6da96c8cd2193beb": "Deutschland soll USA Militärkapazitäten für Ukraine melden",
    "003_fd24ced427354c63": "Trump-Administration hält Nato-Mitgliedschaft der Ukraine für "
    "unrealistisch",
    "004_57f041ba01a4ed68": "NATO-Verteidigungsminister beraten über nukleare Abschreckung und "
    "Munition für Ukraine",
}

LEDE = (
    "Berlin (dpa) - Inmitten einer neuen Phase des Krieges und wachsender Sorge über die "
    "künftige Politik der Vereinigten Staaten haben die Verteidigungsminister Deutschlands "
    "und Frankreichs über eine engere Zusammenarbeit ihrer Armeen beraten."
)
REST = (
    "Die Gespräche dauerten mehr als drei Stunden und sollen im Frühjahr fortgesetzt werden, "
    "teilte das Ministerium mit. Einzelheiten wurden zunächst nicht bekannt, hieß es aus "
    "Regierungskreisen. Beide Seiten betonten die Bedeutung der Partnerschaft."
)


@pytest.mark.parametrize("name", sorted(SEED_TITLES))
def test_the_seeds_titles_are_their_headlines(name: str) -> None:
    title = read_text_file(seeds_dir() / f"{name}.txt").title
    assert title == SEED_TITLES[name]
    assert len(title) <= 100 and "\n" not in title and not title.endswith(".")


def test_a_generic_subheading_is_no_title_the_lede_is_cut_short() -> None:
    text = f"{LEDE} {REST}\n\nKritik aus Moskau\n\n{REST}"
    title = headline(text, find_boilerplate(text))
    assert title.startswith("Inmitten einer neuen Phase des Krieges") and title.endswith(" …")
    assert len(title) <= 102


def test_a_subheading_about_the_lede_is_the_title() -> None:
    text = f"{LEDE} {REST}\n\nDeutsch-französische Zusammenarbeit der Armeen\n\n{REST}"
    assert headline(text, find_boilerplate(text)) == (
        "Deutsch-französische Zusammenarbeit der Armeen"
    )


def test_a_line_that_runs_on_is_no_headline() -> None:
    # 26 words: a sentence whose full stop the page lost, not a headline
    run_on = (
        "Die Minister der Nato haben am Donnerstag in Brüssel über neue Waffen für die "
        "Ukraine und neue Ziele für die Ausgaben beraten und keine Einigung erzielt"
    )
    assert len(run_on.split()) == 26
    text = f"{run_on}\n\nNato-Minister ohne Einigung\n\n{LEDE} {REST}"
    assert headline(text, find_boilerplate(text)) == "Nato-Minister ohne Einigung"


def test_a_short_first_sentence_is_still_the_title() -> None:
    text = f"Die Nato tagt in Brüssel. {REST} {REST}"
    assert headline(text, find_boilerplate(text)) == "Die Nato tagt in Brüssel."
