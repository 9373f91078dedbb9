"""The statistical model runs on bounded pieces of an article (issue 23: one long article
took 15 GB). A recording pipeline component sees what the model is given."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc
from spacy.util import minibatch

from annotator.nlp import Highlighter, load_lexicon
from annotator.nlp.pieces import BATCH_CHARS, MAX_PIECE_CHARS, MAX_RUN_CHARS, model_pieces
from tests.nlp.conftest import found

SEEN: list[list[str]] = []  # the texts of each batch the model was given


class _Recorder:
    """Records every batch of documents the pipeline processes, as the model gets them."""

    def __call__(self, doc: Doc) -> Doc:
        SEEN.append([doc.text])
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            SEEN.append([doc.text for doc in batch])
            yield from batch


@Language.factory("test_piece_recorder")
def _make_recorder(nlp: Language, name: str) -> _Recorder:
    return _Recorder()


@pytest.fixture(scope="module")
def recording_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = spacy.blank("de")
    nlp.add_pipe("test_piece_recorder")
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler"))
    ruler.add_patterns([{"label": "PER", "pattern": [{"TEXT": "Zorro"}]}])
    path = tmp_path_factory.mktemp("model") / "recording_de"
    nlp.to_disk(path)
    return path


@pytest.fixture
def highlighter(recording_model: Path) -> Highlighter:
    SEEN.clear()
    return Highlighter(load_lexicon(), model=str(recording_model))


SENTENCE = "Die Debatte über die Bundeswehr geht weiter, sagte ein Sprecher am Montag. "


def test_a_long_article_reaches_the_model_only_in_bounded_pieces(highlighter):
    # One line without a line break, a run of emoji without a space, and a name at the end:
    # the texts of issue 23 in small.
    text = SENTENCE * (3 * MAX_PIECE_CHARS // len(SENTENCE)) + "😀" * 5_000 + " Zorro kam."
    spans = highlighter.highlight(text)
    pieces = [piece for batch in SEEN for piece in batch]
    assert len(pieces) > 1
    assert max(map(len, pieces)) <= MAX_PIECE_CHARS
    assert max(len(word) for piece in pieces for word in piece.split()) <= MAX_RUN_CHARS
    assert max(sum(map(len, batch)) for batch in SEEN) <= BATCH_CHARS
    # Every character reached the model once, in order, and its spans map back.
    assert "".join(pieces) == text
    assert found(text, spans)[-1] == ("Zorro", "PER", "Zorro")
    assert spans[-1].start == text.index("Zorro")


def test_many_long_articles_are_batched_within_the_budget(highlighter):
    texts = [f"{i} " + SENTENCE * (MAX_PIECE_CHARS // len(SENTENCE)) + "Zorro." for i in range(6)]
    results = list(highlighter.pipe(texts))
    assert max(sum(map(len, batch)) for batch in SEEN) <= BATCH_CHARS
    assert [found(t, s)[-1] for t, s in zip(texts, results, strict=True)] == [
        ("Zorro", "PER", "Zorro")
    ] * 6


def test_a_normal_article_reaches_the_model_whole(highlighter):
    text = ("Zorro sprach.\n" + SENTENCE * 40).strip()
    assert len(text) < MAX_PIECE_CHARS
    highlighter.highlight(text)
    assert [piece for batch in SEEN for piece in batch] == [text]


def test_pieces_end_after_a_line_break_then_at_a_sentence_then_at_a_space():
    lines = "Erste Zeile.\nZweite Zeile."
    assert model_pieces(lines, max_chars=20) == [(0, 13), (13, len(lines))]
    one_line = "Ein Satz. Noch ein Satz."
    assert model_pieces(one_line, max_chars=20) == [(0, 10), (10, len(one_line))]
    words = "keine Punkte hier nur Wörter"
    assert model_pieces(words, max_chars=20) == [(0, 18), (18, len(words))]
    assert model_pieces("x" * 25, max_chars=10, max_run=100) == [(0, 10), (10, 20), (20, 25)]
    assert model_pieces("  \n ") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .\n😀\u0301"), max_size=300))
def test_pieces_cover_the_text_in_order_and_are_bounded(text):
    pieces = model_pieces(text, max_chars=40, max_run=7)
    assert all(0 < b - a <= 40 for a, b in pieces)
    assert all(len(word) <= 7 for a, b in pieces for word in text[a:b].split())
    # Consecutive, and what lies between them (or around them) is only whitespace.
    bounds = [0, *(x for piece in pieces for x in piece), len(text)]
    gaps = zip(bounds[::2], bounds[1::2], strict=True)
    assert all(a <= b and not text[a:b].strip() for a, b in gaps)
