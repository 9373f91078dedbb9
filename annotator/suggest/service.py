"""Stance suggestions for the window and the command line: which an annotator may see, and
computing and storing them for the project.

Blindness: an annotator sees suggestions from the rules, from a model learnt from the gold
standard, or from a model learnt from her own labels; never from a model of another
annotator's labels (those are stored for that annotator only), and never a gold model's on
a curated article (its gold came from the others' labels there). Switched off for the
project, or on the articles planned for several coders when the lead wants those coded
without (store/suggestions.py settings), nothing is shown. A cell she gave a stance
already, or where she rejected one, gets none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from annotator.codebook import Codebook
from annotator.errors import Cancelled, InputError
from annotator.store.actors import list_actors
from annotator.store.articles import ArticleView, load_article
from annotator.store.articles import article_ids as all_article_ids
from annotator.store.curation_lists import curated_article_ids
from annotator.store.engine import Project
from annotator.store.label_reads import LabelFilter, read_labels
from annotator.store.suggestions import (
    StoredSuggestion,
    latest_model,
    rejected_cells,
    replace_suggestions,
    shown_on,
    stored_for,
)
from annotator.suggest.features import NONE, candidates
from annotator.suggest.model import Predictor, best
from annotator.suggest.rules import RuleSuggester, Suggestion

MIN_CONFIDENCE = 0.5  # a model's suggestion below this is not made
BATCH = 50
log = logging.getLogger(__name__)
_TOLD: set[tuple[str, str]] = set()  # (project, warning) said already in this process


def reporters(project: Project) -> list[int]:
    """Actors that report (media): they hold no stances."""
    return [a.id for a in list_actors(project) if a.type == "media"]


def _stored(s: Suggestion) -> StoredSuggestion:
    return StoredSuggestion(s.article_id, s.actor_id, s.target, s.stance, s.confidence,
                            s.evidence, s.source)  # fmt: skip


class Suggester:
    """Rules, and the newest usable model (for everybody, or for one annotator)."""

    def __init__(
        self, project: Project, codebook: Codebook, *, annotator_id: int | None = None
    ) -> None:
        self.project, self.codebook = project, codebook
        self.rules = RuleSuggester(codebook, reporters=reporters(project))
        self.model_version: int | None = None
        self.predictor: Predictor | None = None
        self.unusable: str | None = None  # why the stored model is not used
        try:
            found = latest_model(project, annotator_id, with_numbers=True)
        except (ValueError, TypeError) as exc:  # the store converts a hand-edited row as is
            first = (str(exc).splitlines() or [""])[0][:100]
            self._not_used("", f"its record cannot be read: {first}")
            return
        if found is not None and found[1] is not None:
            try:
                self.predictor = Predictor(found[1], codebook.stance_ids)
            except InputError as exc:
                self._not_used(f" v{found[0].version}", str(exc))
                return
            self.model_version = found[0].version

    def _not_used(self, version: str, why: str) -> None:
        """Suggestions are an assistant: a bad stored model leaves the rules at work, and
        the user is told once (the window makes a Suggester for every article it opens)."""
        self.unusable = (f"the stored stance model{version} is unusable ({why}); suggestions "
                         "come from the rules")  # fmt: skip
        if (self.project.db, self.unusable) not in _TOLD:
            _TOLD.add((self.project.db, self.unusable))
            log.warning("%s", self.unusable)  # the CLI: one line on stderr; the window: its log

    def article(self, article: ArticleView) -> list[StoredSuggestion]:
        """The model's suggestions where it is sure enough, the rules' for the other cells."""
        made: dict[tuple[int, str], StoredSuggestion] = {}
        if self.predictor is not None:
            units = list(candidates(article, self.rules.cues, self.codebook.target_ids))
            probabilities = self.predictor.probabilities([u.text for u in units])
            for unit, p in zip(units, probabilities, strict=True):
                stance, confidence, margin = best(p)
                if stance != NONE and confidence >= MIN_CONFIDENCE:
                    made[(unit.actor_id, unit.target)] = StoredSuggestion(
                        article.id, unit.actor_id, unit.target, stance, round(confidence, 3),
                        unit.sentences[:2], f"model v{self.model_version}", round(margin, 3),
                    )  # fmt: skip
        for s in self.rules.article(article):
            made.setdefault((s.actor_id, s.target), _stored(s))
        return sorted(made.values(), key=lambda s: (s.actor_id, s.target))


def visible(
    project: Project, article: ArticleView, annotator_id: int, codebook: Codebook,
    *, rules: RuleSuggester | None = None, labelled: Collection[tuple[int, str]] | None = None,
    compute: bool = True,
) -> list[StoredSuggestion] | None:  # fmt: skip
    """What the window shows this annotator on this article (see the module docstring).
    Where none are stored, the rules' are worked out here (a 200 KB article takes a
    third of a second), or with `compute` False None says they are still to be worked
    out (the window does that in the background). `labelled`: the cells (actor, target)
    she labelled, where the caller has read them already."""
    if not shown_on(project, article.id, annotator_id):
        return []
    found = stored_for(project, (article.id,), annotator_id, codebook)
    if curated_article_ids(project, among=(article.id,)):
        found = [s for s in found if s.source == "rules"]
    if not found:  # nothing computed yet: the rules, on the fly
        if not compute:
            return None
        rules = rules or RuleSuggester(codebook, reporters=reporters(project))
        found = [_stored(s) for s in rules.article(article)]
    if labelled is None:
        labelled = {(lab.actor_id, lab.target) for lab in read_labels(
            project, LabelFilter(articles=(article.id,), annotators=(annotator_id,)))
            if lab.state.stance is not None}  # fmt: skip
    skip = set(labelled) | rejected_cells(project, article.id, annotator_id)
    by_cell: dict[tuple[int, str], StoredSuggestion] = {}
    for s in found:  # her own model's beat the shared ones
        if (s.actor_id, s.target) not in skip:
            held = by_cell.get((s.actor_id, s.target))
            if held is None or (held.source == "rules" and s.source != "rules"):
                by_cell[(s.actor_id, s.target)] = s
    return sorted(by_cell.values(), key=lambda s: (s.actor_id, s.target))


@dataclass
class SuggestReport:
    articles: int = 0
    suggestions: int = 0
    from_model: int = 0
    model_version: int | None = None
    made: list[StoredSuggestion] | None = None

    def summary(self) -> str:
        source = f"model v{self.model_version} and the rules" if self.model_version else "rules"
        return (f"{self.suggestions} suggestion(s) for {self.articles} article(s) stored "
                f"({self.from_model} from the model; source: {source})")  # fmt: skip


def compute(
    project: Project,
    codebook: Codebook,
    article_ids: Sequence[int] | None = None,
    *,
    annotator_id: int | None = None,
    keep: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SuggestReport:
    """Compute and store suggestions for the articles (default: every article not curated),
    for everybody or for one annotator (her own model's); `keep` returns them too."""
    if article_ids is None:
        curated = set(curated_article_ids(project))
        article_ids = [i for i in all_article_ids(project) if i not in curated]
    suggester = Suggester(project, codebook, annotator_id=annotator_id)
    report = SuggestReport(model_version=suggester.model_version, made=[] if keep else None)
    for start in range(0, len(article_ids), BATCH):
        if cancelled is not None and cancelled():
            raise Cancelled(f"stopped after {start} of {len(article_ids)} articles; those "
                            "keep their new suggestions")  # fmt: skip
        batch = list(article_ids[start : start + BATCH])
        found = [s for a in batch for s in suggester.article(load_article(project, a))]
        replace_suggestions(project, batch, found, annotator_id=annotator_id)
        report.articles += len(batch)
        report.suggestions += len(found)
        report.from_model += sum(s.source != "rules" for s in found)
        if report.made is not None:
            report.made.extend(found)
        if progress:
            progress(report.articles, len(article_ids))
    return report


def uncertain_first(project: Project, codebook: Codebook) -> dict[str, int]:
    """Active learning: every coder's unfinished articles reordered so that those the model
    is least sure about (the smallest gap between its best and second-best class in any
    unit) come first, for a lead who wants the model to learn fastest. Needs a usable
    model learnt from gold; returns how many articles moved per coder."""
    from annotator.errors import InputError
    from annotator.store.annotators import annotator_names
    from annotator.store.assignments import queue, reorder_unfinished

    suggester = Suggester(project, codebook)
    if suggester.predictor is None:
        raise InputError("no usable stance model learnt from gold yet: run `annotator "
                         "train-stance` first (the plan's order stays)")  # fmt: skip
    margins: dict[int, float] = {}
    moved: dict[str, int] = {}
    for who, name in annotator_names(project).items():
        articles = queue(project, who)
        if not articles:
            continue
        for article in articles:
            if article not in margins:
                margins[article] = _least_margin(suggester, load_article(project, article))
        ranked = sorted(articles, key=lambda a: margins[a])
        moved[name] = reorder_unfinished(project, who, ranked)
    return moved


def _least_margin(suggester: Suggester, article: ArticleView) -> float:
    assert suggester.predictor is not None
    units = list(candidates(article, suggester.rules.cues, suggester.codebook.target_ids))
    found = suggester.predictor.probabilities([u.text for u in units])
    return min((best(p)[2] for p in found), default=1.0)
