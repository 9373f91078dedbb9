"""Optional statistical spaCy pipeline (e.g. de_core_news_lg) used next to the lexicon.

Only pipelines that are already installed or saved on disk are loaded; nothing is ever
downloaded.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.errors import ModelNotFoundError

# Components that never feed the entity recogniser; skipping them makes the model faster.
_NOT_NEEDED = ("parser", "lemmatizer", "trainable_lemmatizer", "tagger", "morphologizer",
               "attribute_ruler", "senter", "textcat", "textcat_multilabel")  # fmt: skip
# German pipelines use PER/LOC/ORG/MISC; English-style label sets are folded into them.
_LABELS = {"PER": "PER", "PERSON": "PER", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
           "ORG": "ORG", "NORP": "MISC", "MISC": "MISC", "EVENT": "MISC",
           "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}  # fmt: skip
_DROPPED = frozenset(["DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"])

ModelSpan = tuple[int, int, str]


def load_model(name: str) -> Language:
    """Load an installed pipeline by package name or from a directory."""
    try:
        return spacy.load(name, exclude=list(_NOT_NEEDED))
    except Exception as exc:  # spaCy raises OSError, ImportError, ValueError, config errors
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelNotFoundError(
            f"spaCy pipeline {name!r} is not installed or cannot be loaded ({reason}); "
            f"install it with pip or pass the path of a saved pipeline"
        ) from exc


def doc_spans(doc: Doc) -> list[ModelSpan]:
    spans = []
    for ent in doc.ents:
        if ent.label_ in _DROPPED:
            continue
        spans.append((ent.start_char, ent.end_char, _LABELS.get(ent.label_, "MISC")))
    return spans
