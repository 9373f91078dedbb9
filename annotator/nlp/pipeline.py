"""The pre-highlighter: lexicon actors, rule-found persons and, optionally, a statistical
spaCy model, merged into sorted, non-overlapping mention spans.

Import runs it once per article; the GUI only reads the stored spans. The built-in path
works on the raw string with precompiled regexes (a spaCy Doc is only built for
sentences or when a model is asked for), which keeps it well above import speed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from annotator.nlp.lexicon import ActorEntry, load_lexicon
from annotator.nlp.matcher import LexiconMatcher
from annotator.nlp.merge import MODEL, RULE, Merger
from annotator.nlp.model import ModelSpan, doc_spans, load_model, model_location
from annotator.nlp.pieces import BATCH_CHARS, model_pieces
from annotator.nlp.rules import PersonRules, PersonSpan
from annotator.nlp.text import Article
from annotator.nlp.wordlists import load_first_names


@dataclass(frozen=True)
class MentionSpan:
    """A highlighted mention; offsets are Python str indices into the article text."""

    start: int
    end: int
    label: str  # PER / ORG / LOC / MISC
    actor: str | None  # canonical actor name when known
    source: str  # "lexicon" | "rule" | "model"


class Highlighter:
    """Build once (it compiles the lexicon), then call `highlight` or `pipe` per article."""

    def __init__(self, actors: Sequence[ActorEntry], *, model: str | None = None):
        self.actors = tuple(actors)
        self._matcher = LexiconMatcher(self.actors)
        parties = [n for e in self.actors if e.type == "party" for n in (e.name, *e.aliases)]
        self._rules = PersonRules(load_first_names(), parties)
        self.model_name = model
        location = model_location(model)
        self._model: Language | None = load_model(location) if location else None

    def highlight(self, text: str) -> list[MentionSpan]:
        return next(self.pipe([text]))

    def pipe(
        self, texts: Iterable[str], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[list[MentionSpan]]:
        """Mentions per text, in order. `n_process` > 1 runs the model in that many forked
        processes (spaCy's own multiprocessing); only the model's part is parallel."""
        if self._model is None:
            for text in texts:
                yield self._combine(text, [])
            return
        texts = list(texts)
        # The model sees bounded pieces, a few at a time (nlp/pieces.py): its memory grows
        # with the tokens it holds, and one long article had taken 15 GB.
        pieces = [(i, a, text[a:b]) for i, text in enumerate(texts) for a, b in model_pieces(text)]
        longest = max((len(piece) for _, _, piece in pieces), default=1)
        # The processes share the machine's memory, so they share the budget too.
        batch_size = max(1, min(batch_size, BATCH_CHARS // max(1, n_process) // longest))
        if n_process > 1:
            # spaCy deals whole batches to the processes in turn: 200 texts in batches of 64
            # give one process 128 and the other 72. Four small batches per process keep
            # them equally busy (measured: 22 s instead of 27-30 s for 200 articles).
            batch_size = max(1, min(batch_size, -(-len(pieces) // (n_process * 4))))
        found: list[list[ModelSpan]] = [[] for _ in texts]
        # Every new word a doc brings would stay in the model's vocabulary for good (a long
        # import, a window's day of re-highlighting); a memory zone drops them once the
        # spans are taken out.
        with self._model.memory_zone():
            docs = self._model.pipe(
                (piece for _, _, piece in pieces), batch_size=batch_size, n_process=n_process
            )
            for (i, offset, _), doc in zip(pieces, docs, strict=True):
                found[i].extend((a + offset, b + offset, label) for a, b, label in doc_spans(doc))
        for text, spans in zip(texts, found, strict=True):
            yield self._combine(text, spans)

    # -- merging -------------------------------------------------------------------------

    def _combine(self, text: str, model: list[ModelSpan]) -> list[MentionSpan]:
        article = Article(text)
        found = self._matcher.find(article)
        merger = Merger(found, text)
        blocked = {start for start, _, form in found if not form.is_person}
        known = {start for start, _, _ in found}
        guessed = [(RULE, p) for p in self._rules.find(article, blocked, known)]
        other: list[tuple[int, int, str, str | None]] = []
        for start, end, label in model:
            title = _RETIRED.search(text, max(0, start - 8), end) if label == "PER" else None
            if title and title.start(1) == start:
                start = title.end()  # "Oberst a. D. Reinhard Kolbeck": the title's "D."
            if len(text[start:end].strip(".")) < 2:
                continue  # "Model Y", "schrieb er auf X.": one letter is no actor's name
            form = self._matcher.forms.get(text[start:end])
            actor = form.actor if form else None
            if label == "PER" and (form is None or form.is_person):
                guessed.append((MODEL, PersonSpan(start, end, actor)))
            else:
                other.append((start, end, label, actor))
        merger.add_persons(guessed)
        merger.add(other, MODEL)
        # Only the persons that were placed name actors: the rules' "Heinrich Gottlob" that
        # lost to the model's "Heinrich Gottlob von Miltitz", or the "Paul Haupt" inside the
        # model's "Verlag Paul Haupt", must not get later surnames linked to them.
        links = self._rules.resolve(article, merger.persons, blocked, self._matcher.forms)
        merger.add_links(links)
        return merger.mentions(_mention)


# "a. D." (außer Dienst) closes a title; group 1 is the "D." a model may take for a name.
_RETIRED = re.compile(r"(?<!\w)a\.\s+(D\.)\s+")


def _mention(start: int, end: int, label: str, actor: str | None, source: str) -> MentionSpan:
    # A frozen dataclass sets each field through object.__setattr__, which is several
    # times slower than filling __dict__; import builds ~100 of these per article.
    mention = object.__new__(MentionSpan)
    mention.__dict__.update(start=start, end=end, label=label, actor=actor, source=source)
    return mention


def load_highlighter(
    *,
    model: str | None = None,
    lexicon_path: str | Path | None = None,
    extra_actors: Sequence[ActorEntry] = (),
) -> Highlighter:
    """The shipped lexicon plus `extra_actors` (which win where both name the same form)."""
    return Highlighter([*extra_actors, *load_lexicon(lexicon_path)], model=model)
