"""Entity pre-highlighting: lexicon actors, rule-found persons, optional spaCy model.

The names below load on first use: the pipeline brings spaCy (a second to import), which
a module that needs one light part of the package (the lexicon, the model's name) should
not pay for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.nlp.evaluate import EvalReport, evaluate_entities
    from annotator.nlp.lexicon import ActorEntry, load_lexicon
    from annotator.nlp.pipeline import Highlighter, MentionSpan, load_highlighter

_WHERE = {
    "ActorEntry": "lexicon",
    "EvalReport": "evaluate",
    "Highlighter": "pipeline",
    "MentionSpan": "pipeline",
    "evaluate_entities": "evaluate",
    "load_highlighter": "pipeline",
    "load_lexicon": "lexicon",
}

__all__ = [
    "ActorEntry",
    "EvalReport",
    "Highlighter",
    "MentionSpan",
    "evaluate_entities",
    "load_highlighter",
    "load_lexicon",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"annotator.nlp.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'annotator.nlp' has no attribute {name!r}")
