"""The optional statistical model, tested with a tiny pipeline saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from annotator.errors import ModelNotFoundError
from annotator.nlp import Highlighter, load_lexicon
from tests.nlp.conftest import found


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
