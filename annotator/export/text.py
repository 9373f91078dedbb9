"""Tokens for the exports: spaCy's blank German tokenizer (sentences: annotator/nlp/sentences.py).

A decision documented in docs/export.md:

- Tokens are split at every mention boundary. The highlighter finds names inside compounds
  ("Nato" in "Nato-Beitritt", "Trump" in "Trumps"), which spaCy keeps as one token, so a
  plain tokenisation would make `doc.char_span(start, end)` fail for those mentions. The
  extra cuts keep every character offset as stored and make every mention a token span.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language

from annotator.nlp.sentences import Span, blank_german

Token = tuple[int, int, bool]  # start, end, followed by one space


@lru_cache(maxsize=1)
def export_nlp() -> Language:
    """`spacy.blank("de")` with a sentencizer (for DocBins), minus the whitespace rules.

    The German defaults carry special cases that map " ", "\\n", "\\t" and "\\xa0" to
    themselves. They do not change a single token (tests/export/test_text.py checks this
    against the stock tokenizer) but send every document through the slow special-case
    pass, which makes the tokenizer five times slower.
    """
    nlp = blank_german()
    nlp.add_pipe("sentencizer")
    return nlp


def tokenize(text: str, spans: Iterable[Span] = ()) -> list[Token]:
    """spaCy tokens of `text`, split further so that every span in `spans` is a token span.

    A span boundary inside a token splits it. A span that starts at the single space after a
    token, or ends just after it, turns that space into a token of its own.
    """
    doc = export_nlp().tokenizer(text)
    # Plain ints from one array: a Token object per token costs more than the tokenizer.
    tokens: list[Token] = [
        (i, i + n, s != 0) for i, n, s in doc.to_array([IDX, LENGTH, SPACY]).tolist()
    ]
    starts: set[int] = set()
    ends: set[int] = set()
    for a, b in spans:
        starts.add(a)
        ends.add(b)
    if not starts:
        return tokens
    cuts = sorted(starts | ends)
    # Only the tokens around a cut can change: the one it falls in and the one before (whose
    # trailing space a span may start or end at). The rest are copied a slice at a time.
    firsts = [t[0] for t in tokens]
    touched: set[int] = set()
    for cut in cuts:
        k = bisect_right(firsts, cut) - 1
        touched.update(i for i in (k - 1, k) if i >= 0)
    out: list[Token] = []
    done = 0
    for k in sorted(touched):
        out.extend(tokens[done:k])
        _cut_token(tokens[k], cuts, starts, ends, out)
        done = k + 1
    out.extend(tokens[done:])
    return out


def _cut_token(
    token: Token, cuts: list[int], starts: set[int], ends: set[int], out: list[Token]
) -> None:
    start, end, ws = token
    pos = start
    i = bisect_right(cuts, start)
    while i < len(cuts) and cuts[i] < end:
        out.append((pos, cuts[i], False))
        pos = cuts[i]
        i += 1
    if ws and (end in starts or end + 1 in ends):
        out.append((pos, end, False))
        out.append((end, end + 1, False))
    else:
        out.append((pos, end, ws))
