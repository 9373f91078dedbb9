"""Entity pre-highlighting: lexicon actors, rule-found persons, optional spaCy model."""

from annotator.nlp.evaluate import EvalReport, evaluate_entities
from annotator.nlp.lexicon import ActorEntry, load_lexicon
from annotator.nlp.pipeline import Highlighter, MentionSpan, load_highlighter

__all__ = [
    "ActorEntry",
    "EvalReport",
    "Highlighter",
    "MentionSpan",
    "evaluate_entities",
    "load_highlighter",
    "load_lexicon",
]
