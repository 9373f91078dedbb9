"""Export tokenisation: the same tokens as spaCy, every mention a token span."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from annotator.export.text import export_nlp, tokenize

PIECES = [
    "Nato",
    "-Beitritt",
    "Trumps",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\xa0",
    ".",
    "z.B.",
    "Dr.",
    "„",
    "“",
    "(",
    ")",
    "!",
    "?",
    "😀",
    "Müller",
    "ÄÖÜß",
    ":)",
    "'s",
    "US-Wahl",
    "...",
    "!?",
    "。",
    "Abc123",
    "\t ",
    " \t",
    "—",
    ".:",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join)
STOCK = spacy.blank("de").tokenizer


def as_doc(text: str, tokens: list[tuple[int, int, bool]]) -> Doc:
    return Doc(
        export_nlp().vocab,
        words=[text[a:b] for a, b, _ in tokens],
        spaces=[ws for _, _, ws in tokens],
    )


@settings(max_examples=300, deadline=None)
@given(texts)
def test_tokens_are_the_stock_german_tokens(text: str) -> None:
    ours = [(text[a:b], ws) for a, b, ws in tokenize(text)]
    assert ours == [(t.text, bool(t.whitespace_)) for t in STOCK(text)]


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_every_span_lines_up_with_the_tokens(text: str, data: st.DataObject) -> None:
    n = len(text)
    pairs = data.draw(
        st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=6), label="spans"
    )
    spans = [(min(a, b), max(a, b)) for a, b in pairs if a != b]
    tokens = tokenize(text, spans)
    doc = as_doc(text, tokens)
    assert doc.text == text
    for a, b in spans:
        span = doc.char_span(a, b)
        assert span is not None, (text, a, b, tokens)
        assert span.text == text[a:b]


def test_mention_inside_a_compound_becomes_its_own_token() -> None:
    text = "Der Nato-Beitritt 😀 und Trumps Sprecher."
    nato = (4, 8)
    trump = (text.index("Trump"), text.index("Trump") + 5)
    tokens = tokenize(text, [nato, trump])
    words = [text[a:b] for a, b, _ in tokens]
    assert "Nato" in words and "-Beitritt" in words
    assert "Trump" in words and "s" in words
    assert as_doc(text, tokens).char_span(*trump).text == "Trump"
