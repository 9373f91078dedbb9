"""The optional statistical model, tested with a tiny pipeline saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from annotator.errors import ModelNotFoundError
from annotator.nlp import Highlighter, load_lexicon
from tests.nlp.conftest import found


def phrase(words: str) -> list[dict[str, str]]:
    return [{"TEXT": word} for word in words.split(" ")]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": [{"TEXT": "Zorro"}]},
            {"label": "ORG", "pattern": [{"TEXT": "Acme"}, {"TEXT": "Werke"}]},
            {"label": "ORG", "pattern": [{"TEXT": "Pistorius"}]},  # the lexicon says PER
            {"label": "DATE", "pattern": [{"TEXT": "Montag"}]},
            {"label": "PER", "pattern": phrase("Heinrich Gottlob von Miltitz")},
            {"label": "ORG", "pattern": [{"TEXT": "Borussia"}, {"TEXT": "Dortmund"}]},
            {"label": "ORG", "pattern": phrase("Verlag Paul Haupt")},
            {"label": "LOC", "pattern": [{"TEXT": "Moskau-Scheremetjewo"}]},
            {"label": "PER", "pattern": phrase("D. Reinhard Kolbeck")},
            {"label": "LOC", "pattern": [{"TEXT": "Fantins"}]},
            {"label": "PER", "pattern": [{"TEXT": "Y"}]},
            {"label": "PER", "pattern": phrase("D. Obradović")},
            {"label": "ORG", "pattern": phrase("Kabinett Scholz")},
            {"label": "ORG", "pattern": phrase("Munitionsbeschaffung für Ukraine")},
            {"label": "PER", "pattern": [{"TEXT": "X."}]},
        ]
    )
    path = tmp_path_factory.mktemp("model") / "tiny_de"
    nlp.to_disk(path)
    return path


def test_model_spans_come_out_with_source_model(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Am Montag sprach Zorro mit den Acme Werke über Pistorius."
    spans = highlighter.highlight(text)
    assert found(text, spans) == [
        ("Zorro", "PER", "Zorro"),
        ("Acme Werke", "ORG", None),
        ("Pistorius", "PER", "Boris Pistorius"),  # lexicon wins on overlap, DATE is dropped
    ]
    assert [m.source for m in spans] == ["model", "model", "lexicon"]
    assert list(highlighter.pipe([text, "Zorro."])) == [spans, highlighter.highlight("Zorro.")]


@pytest.mark.parametrize("name", ["de_core_news_nonexistent", "/no/such/pipeline"])
def test_missing_model_raises_model_not_found(name):
    with pytest.raises(ModelNotFoundError, match="not installed or cannot be loaded"):
        Highlighter(load_lexicon(), model=name)


def test_the_models_longer_person_wins_over_the_rules_pieces(tiny_model):
    text = "Damals regierte Heinrich Gottlob von Miltitz das Gut. Miltitz starb 1820."
    rules_only = Highlighter(load_lexicon(), model="none").highlight(text)
    assert found(text, rules_only)[0] == ("Heinrich Gottlob", "PER", "Heinrich Gottlob")
    spans = Highlighter(load_lexicon(), model=str(tiny_model)).highlight(text)
    full = "Heinrich Gottlob von Miltitz"
    # The later surname links to the full name the model found.
    assert found(text, spans) == [(full, "PER", full), ("Miltitz", "PER", full)]


def test_a_model_organisation_replaces_the_place_or_person_inside_it(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Borussia Dortmund spielt in Dortmund; der Verlag Paul Haupt druckt."
    assert found(text, highlighter.highlight(text)) == [
        ("Borussia Dortmund", "ORG", None),  # not the lexicon's city
        ("Dortmund", "LOC", "Dortmund"),
        ("Verlag Paul Haupt", "ORG", None),  # not a person "Paul Haupt"
    ]
    # Only organisations do this: a longer model place keeps the lexicon's city.
    text = "Er landete in Moskau-Scheremetjewo."
    assert found(text, highlighter.highlight(text)) == [("Moskau", "LOC", "Russland")]
    # ... and only names: a headline's "Munitionsbeschaffung für Ukraine" keeps Ukraine.
    text = "Munitionsbeschaffung für Ukraine soll angekurbelt werden"
    assert found(text, highlighter.highlight(text)) == [("Ukraine", "LOC", "Ukraine")]


def test_a_retired_officers_title_stays_out_of_the_name(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Oberst a. D. Reinhard Kolbeck warnt."
    assert found(text, highlighter.highlight(text)) == [
        ("Reinhard Kolbeck", "PER", "Reinhard Kolbeck")
    ]


def test_a_later_surname_stays_the_person_whatever_the_model_calls_it(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Brigadegeneral Aurelio Fantin leitet die Mission. Fantins Soldaten bleiben."
    assert found(text, highlighter.highlight(text)) == [
        ("Aurelio Fantin", "PER", "Aurelio Fantin"),
        ("Fantins", "PER", "Aurelio Fantin"),  # the model alone says LOC
    ]


def test_one_letter_is_no_name(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Er fährt ein Model Y, schrieb Zorro auf X."
    assert found(text, highlighter.highlight(text)) == [("Zorro", "PER", "Zorro")]


def test_only_the_title_a_d_loses_its_d(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Er flog nach Kenia. D. Obradović sagte nichts."  # "Kenia." is no "a. D."
    assert found(text, highlighter.highlight(text)) == [
        ("Kenia", "LOC", "Kenia"),
        ("D. Obradović", "PER", "D. Obradović"),
    ]


def test_a_name_that_lost_to_a_longer_one_gets_no_later_links(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    full = "Heinrich Gottlob von Miltitz"
    text = f"Damals regierte {full} das Gut. Gottlob starb 1820."
    persons = {actor for _, label, actor in found(text, highlighter.highlight(text))}
    assert persons == {full}  # no actor "Heinrich Gottlob" from the rules' lost guess
    text = "Der Verlag Paul Haupt druckt. Haupt sagte, es gehe gut."
    assert found(text, highlighter.highlight(text)) == [
        ("Verlag Paul Haupt", "ORG", None),
        ("Haupt", "PER", "Haupt"),  # the speech verb's own guess, no link to a "Paul Haupt"
    ]


def test_a_model_organisation_keeps_a_lexicon_person_inside(tiny_model):
    highlighter = Highlighter(load_lexicon(), model=str(tiny_model))
    text = "Das Kabinett Scholz beriet."
    assert found(text, highlighter.highlight(text)) == [("Scholz", "PER", "Olaf Scholz")]
