"""The statistical spaCy pipeline used next to the lexicon and the rules.

By default that is the German NER model shipped inside the package (resources/models/
de_stance_ner, trained on GermEval 2014 by training/train.sh); `--model NAME_OR_PATH`
takes another installed or saved pipeline instead, `--no-model` none. Nothing is ever
downloaded. A pipeline is loaded once per process.

The model's MISC entities are not used: the tool's MISC mentions are place adjectives
("französische") from the lexicon, while a news model's MISC means languages, wars, titles
and currencies, none of which is an actor.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.errors import ModelNotFoundError
from annotator.paths import resource

# Components that never feed the entity recogniser; skipping them makes the model faster.
_NOT_NEEDED = ("parser", "lemmatizer", "trainable_lemmatizer", "tagger", "morphologizer",
               "attribute_ruler", "senter", "textcat", "textcat_multilabel")  # fmt: skip
# German pipelines use PER/LOC/ORG/MISC; English-style label sets are folded into them.
_LABELS = {"PER": "PER", "PERSON": "PER", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
           "ORG": "ORG", "NORP": "MISC", "MISC": "MISC", "EVENT": "MISC",
           "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC"}  # fmt: skip
_DROPPED = frozenset(["DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"])

ModelSpan = tuple[int, int, str]

SHIPPED = "shipped"  # the model inside the package (the default)
NO_MODEL = "none"  # the lexicon and the rules only


def shipped_model() -> Path:
    return resource("models/de_stance_ner")


def model_location(model: str | None) -> str | None:
    """What to load for a --model value: None / "shipped" is the shipped model, "none" is
    no model, anything else an installed pipeline's name or a path."""
    if model is None or model == SHIPPED:
        return str(shipped_model()) if shipped_model().is_dir() else None
    if model == NO_MODEL:
        return None
    return model


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load an installed pipeline by package name or from a directory (once per process:
    every import and re-highlighting in the window would otherwise load it again)."""
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
        if ent.label_ in _DROPPED or _LABELS.get(ent.label_, "MISC") == "MISC":
            continue
        spans.append((ent.start_char, ent.end_char, _LABELS.get(ent.label_, "MISC")))
    return spans
