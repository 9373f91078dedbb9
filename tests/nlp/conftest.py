"""One shipped highlighter for the whole test session: building it compiles the lexicon."""

from __future__ import annotations

import pytest

from annotator.nlp import Highlighter, MentionSpan, load_highlighter
from annotator.nlp.model import NO_MODEL


@pytest.fixture(scope="session")
def highlighter() -> Highlighter:
    # The lexicon and the rules: what these tests name. The shipped model has its own
    # tests (test_shipped_model.py) and would add its own guesses here.
    return load_highlighter(model=NO_MODEL)


def found(text: str, spans: list[MentionSpan]) -> list[tuple[str, str, str | None]]:
    """(surface, label, actor) for each mention, easy to compare in asserts."""
    return [(text[m.start : m.end], m.label, m.actor) for m in spans]
