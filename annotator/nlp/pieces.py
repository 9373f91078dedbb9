"""The bounded pieces of an article that the statistical model is run on.

The model's memory grows with the tokens of the documents it holds at once (about 30 kB
per token for the shipped model: its word-cluster vectors are 1,073 wide), and spaCy's
tokenizer takes quadratic time on a run of text without whitespace (10,000 emoji: 16 s).
So one 600,000-character article took 15 GB and minutes (issue 23). The model therefore
sees pieces of at most MAX_PIECE_CHARS characters, cut where a cut costs least: after a
line break, else at a sentence start (the project's one splitter), else at whitespace.
A run without whitespace longer than any word or ordinary link is cut every
MAX_RUN_CHARS characters. Offsets are Python str indices into the article.

An article of up to MAX_PIECE_CHARS characters without such a run is one piece: the model
sees it whole, exactly as before, so its entities on normal articles do not change.
"""

from __future__ import annotations

import re

from annotator.nlp.sentences import Sentences

# Longer than nearly every news article (the seeds hold 2-5 kB), so those stay whole.
MAX_PIECE_CHARS = 10_000
# Longer than any word or ordinary link; the tokenizer needs 12 ms for 300 emoji.
MAX_RUN_CHARS = 300
# Characters the model holds at once, summed over a batch of pieces: at most one token per
# character, so about 600 MB for the shipped model whatever the text.
BATCH_CHARS = 20_000

Piece = tuple[int, int]

_SPACE = re.compile(r"\s")


def model_pieces(
    text: str, *, max_chars: int = MAX_PIECE_CHARS, max_run: int = MAX_RUN_CHARS
) -> list[Piece]:
    """(start, end) of consecutive pieces that cover `text` but blank ones, each at most
    `max_chars` long and none holding more than `max_run` characters without whitespace."""
    long_run = re.compile(rf"\S{{{max_run + 1},}}")  # compiled once: `re` caches it
    if len(text) <= max_chars and long_run.search(text) is None:
        return [(0, len(text))] if text.strip() else []
    # Cuts the long runs force, then the pieces between them cut down to max_chars.
    forced = [0]
    for run in long_run.finditer(text):
        forced.extend(range(run.start() + max_run, run.end(), max_run))
    forced.append(len(text))
    sentences = Sentences(text)
    pieces: list[Piece] = []
    for first, last in zip(forced, forced[1:], strict=False):
        start = first
        while last - start > max_chars:
            end = _cut(text, sentences, start, start + max_chars)
            pieces.append((start, end))
            start = end
        pieces.append((start, last))
    return [(a, b) for a, b in pieces if not text[a:b].isspace()]


def _cut(text: str, sentences: Sentences, start: int, limit: int) -> int:
    """Where a piece from `start` ends, after `start` and at most at `limit`."""
    newline = text.rfind("\n", start + 1, limit)
    if newline >= 0:
        return newline + 1
    # One line: the last sentence that starts inside the window.
    starts = [a for a, _ in sentences.covering(start, limit) if start < a <= limit]
    if starts:
        return starts[-1]
    spaces = [space.end() for space in _SPACE.finditer(text, start + 1, limit)]
    return spaces[-1] if spaces else limit
