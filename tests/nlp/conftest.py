"""One shipped highlighter for the whole test session: building it compiles the lexicon."""

from __future__ import annotations

import pytest

from annotator.nlp import Highlighter, MentionSpan, load_highlighter


@pytest.fixture(scope="session")
def highlighter() -> Highlighter:
    return load_highlighter()


def found(text: str, spans: list[MentionSpan]) -> list[tuple[str, str, str | None]]:
    """(surface, label, actor) for each mention, easy to compare in asserts."""
    return [(text[m.start : m.end], m.label, m.actor) for m in spans]
