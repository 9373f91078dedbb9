"""The one sentence splitter (annotator/nlp/sentences.py): spaCy's sentencizer plus line
breaks, checked against spaCy itself."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from annotator.export.text import export_nlp
from annotator.nlp.sentences import Sentences, _word_cache, line_sentence_starts
from tests.export.test_text import PIECES


def sentencizer_starts(line: str) -> list[int]:
    """What line_sentence_starts stands in for: the whole line tokenized, then spaCy's own
    sentencizer."""
    nlp = export_nlp()
    doc = nlp.get_pipe("sentencizer")(nlp.tokenizer(line))
    return [s.start_char for s in doc.sents] or [0]


def words_tokenize_alone(line: str) -> bool:
    """True when the line's tokens are its words' tokens, each word tokenized on its own.

    Almost always so. spaCy's special-case matcher can join tokens differently when a quote
    stands alone before a word like "'s" ("' 's.Wort"); line_sentence_starts tokenizes
    single words, so it follows the sentencizer wherever this holds.
    """
    tokenizer = export_nlp().tokenizer
    whole = [(t.idx, t.text) for t in tokenizer(line) if not t.is_space]
    alone = [
        (m.start() + t.idx, t.text) for m in re.finditer(r"\S+", line) for t in tokenizer(m[0])
    ]
    return whole == alone


LINE_PIECES = [p for p in PIECES if "\n" not in p] + ["Ende", "3.", "2024", "«", "»", "'"]
lines_ = st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(lines_)
def test_line_sentence_starts_follow_the_sentencizer(line: str) -> None:
    assume(words_tokenize_alone(line))
    _word_cache.clear()  # every word new: the path without the cache
    assert line_sentence_starts(line) == sentencizer_starts(line)
    assert line_sentence_starts(line) == sentencizer_starts(line)  # and with it


def test_line_sentence_starts_on_the_seed_articles() -> None:
    from annotator.paths import seeds_dir

    lines = [ln for p in sorted(seeds_dir().glob("*.txt")) for ln in p.read_text().split("\n")]
    assert sum(len(line_sentence_starts(ln)) for ln in lines) > 100  # real multi-sentence text
    _word_cache.clear()
    for line in lines:
        assert words_tokenize_alone(line), line
        assert line_sentence_starts(line) == sentencizer_starts(line), line


def test_sentences_end_at_line_breaks_and_full_stops() -> None:
    text = "Schlagzeile ohne Punkt\nDr. Müller sagt: „Ja.“ Und dann?\n\n  Letzte Zeile.  "
    sents = [text[a:b] for a, b in Sentences(text).all()]
    assert sents == [
        "Schlagzeile ohne Punkt",
        "Dr. Müller sagt: „Ja.“",
        "Und dann?",
        "Letzte Zeile.",
    ]


def test_covering_and_window() -> None:
    text = "Eins. Zwei.\nDrei. Vier.\n\nFünf."
    sents = Sentences(text)
    drei = text.index("Drei")
    covering = sents.covering(drei, drei + 4)
    assert [text[a:b] for a, b in covering] == ["Drei."]
    a, b = sents.window(covering[0], covering[-1], 1)
    assert text[a:b] == "Zwei.\nDrei. Vier."
    a, b = sents.window(covering[0], covering[-1], 5)
    assert text[a:b] == text


def test_sentence_splitting_leaves_the_shared_tokenizer_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """spaCy's tokenizer stops caching after 10,000 chunks; words sent one at a time by the
    sentence splitter must not use up the cache of the tokenizer the article formats use."""
    nlp = export_nlp()
    calls: list[str] = []
    real = nlp.tokenizer

    def counting(text: str) -> Doc:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(nlp, "tokenizer", counting)
    _word_cache.clear()
    starts = line_sentence_starts("Er sagte: „Nein.“ Dann ging er. Dr. Müller blieb!")
    assert len(starts) == 3
    assert calls == []


def test_headlines_dates_and_titles() -> None:
    text = "Politik\n\nDie Nato tagt. Am 22. November sagte Prof. Dr. Lang etwas.\nNeu hier"
    assert [text[a:b] for a, b in Sentences(text).all()] == [
        "Politik",
        "Die Nato tagt.",
        "Am 22. November sagte Prof. Dr. Lang etwas.",
        "Neu hier",
    ]


def test_an_opening_quotation_mark_starts_the_sentence_it_opens() -> None:
    """spaCy's sentencizer leaves „ with the sentence before it (it is punctuation); the
    evidence and the export's text would show a stray „ and a quote without its opening."""
    text = "Er fordert mehr Geld. „Zwei Prozent reichen nicht“, sagte er. (Er lachte.) Dann."
    assert [text[a:b] for a, b in Sentences(text).all()] == [
        "Er fordert mehr Geld.",
        "„Zwei Prozent reichen nicht“, sagte er.",
        "(Er lachte.)",
        "Dann.",
    ]
