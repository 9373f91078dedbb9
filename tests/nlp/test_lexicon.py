from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.nlp import ActorEntry, load_lexicon
from annotator.nlp.lexicon import ACTOR_TYPES, LABELS


@pytest.fixture(scope="module")
def lexicon() -> dict[str, ActorEntry]:
    return {entry.name: entry for entry in load_lexicon()}


def test_shipped_lexicon_covers_every_type_and_every_country(lexicon):
    types = {entry.type for entry in lexicon.values()}
    assert types == set(ACTOR_TYPES)
    assert all(entry.label in LABELS for entry in lexicon.values())
    countries = [e for e in lexicon.values() if e.type == "country"]
    assert len(countries) >= 193
    assert all(e.label == "LOC" for e in countries)


def test_country_has_adjective_forms_and_capital(lexicon):
    france = lexicon["Frankreich"]
    assert {"französisch", "französische", "französischen", "französischem"} <= set(france.aliases)
    assert "Paris" in france.aliases
    assert {"Moskau", "Kreml"} <= set(lexicon["Russland"].aliases)
    assert {"Kiew", "Kyjiw"} <= set(lexicon["Ukraine"].aliases)


def test_person_gets_surname_unless_it_is_a_common_word(lexicon):
    assert lexicon["Boris Pistorius"].aliases == ("Pistorius",)
    assert "von der Leyen" in lexicon["Ursula von der Leyen"].aliases
    assert "Major" not in lexicon["Claudia Major"].aliases
    assert "Xi" in lexicon["Xi Jinping"].aliases
    assert lexicon["Boris Pistorius"].label == "PER"


def test_custom_file(tmp_path: Path):
    path = tmp_path / "actors.toml"
    path.write_text(
        '[person]\nactors = [{ name = "Anna Beispiel", aliases = ["A. Beispiel"] }]\n'
        '[other]\nlabel = "MISC"\nactors = [{ name = "Zeitenwende", label = "MISC" }]\n',
        encoding="utf-8",
    )
    entries = load_lexicon(path)
    assert entries == [
        ActorEntry("Anna Beispiel", "person", "PER", ("A. Beispiel", "Beispiel")),
        ActorEntry("Zeitenwende", "other", "MISC", ()),
    ]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('[person]\nactors = [\n  { name = "A" \n]\n', 3, "not valid TOML"),
        ("[persons]\nactors = []\n", 1, "unknown actor type"),
        ('[party]\nactors = [\n  { name = "SPD", label = "PARTY" },\n]\n', 3, "label"),
        ('[party]\nactors = [\n  { name = "SPD", alias = ["x"] },\n]\n', 3, "unknown key"),
        ('[party]\nactors = [{ aliases = ["x"] }]\n', None, "needs a non-empty `name`"),
        ('[party]\nlabel = "ORG"\n', 1, "needs a list"),
    ],
)
def test_broken_file_names_file_and_line(tmp_path: Path, content, line, message):
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_lexicon(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert message in str(caught.value)


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="cannot read lexicon"):
        load_lexicon(tmp_path / "nope.toml")
