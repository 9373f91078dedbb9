"""`annotator train-stance`: learn a stance model from the project's gold standard (curated
articles) or from one annotator's own labels (articles she marked done), check it by
cross-validation, and store it as the next version; usable only above the quality
threshold (suggest/model.py), else the rules keep suggesting.

Training units are the labelled cells with a stance (their evidence's sentences, or the
actor's sentences with a cue) and, as the class "none", the candidates of the same
articles (an actor and a cue in one sentence) nobody labelled: so the model learns to say
nothing too. A model learnt from one annotator is hers: its suggestions are shown to her
only (blind annotation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from annotator.codebook import Codebook
from annotator.cues import CueMatcher
from annotator.errors import InputError
from annotator.store.annotators import GOLD_NAME, annotator_names
from annotator.store.articles import load_article
from annotator.store.curation_lists import curated_article_ids
from annotator.store.engine import Project
from annotator.store.gold import gold_annotator_id
from annotator.store.label_reads import EVERYONE, LabelFilter, done_marks, read_labels
from annotator.store.suggestions import save_model
from annotator.suggest.features import NONE, Unit, candidates, labelled_unit
from annotator.suggest.model import Quality, evaluate, train


@dataclass
class TrainReport:
    version: int
    trained_from: str
    quality: Quality
    labelled: int  # units with a stance
    none: int  # candidates without one

    def lines(self) -> list[str]:
        q = self.quality
        use = "in use" if q.usable else "NOT used (below the quality threshold: the rules stay)"
        out = [
            f"model v{self.version} from {self.trained_from}: {self.labelled} labelled unit(s) "
            f"and {self.none} without a stance; {use}",
            f"cross-validated: macro-F1 {q.macro_f1:.3f}, accuracy {q.accuracy:.3f}",
        ]
        for target, f in q.per_target.items():
            out.append(f"  {target}: {int(f['units'])} unit(s), macro-F1 {f['macro_f1']:.3f}, "
                       f"accuracy {f['accuracy']:.3f}")  # fmt: skip
        out.append("learning curve (training units: macro-F1): " + ", ".join(
            f"{n}: {f1:.3f}" for n, f1 in q.curve))  # fmt: skip
        return out


def training_units(
    project: Project, codebook: Codebook, source: str
) -> tuple[list[Unit], list[str], int | None]:
    """(units, their classes, the annotator a personal model belongs to)."""
    cues = CueMatcher(codebook)
    if source == GOLD_NAME:
        who = gold_annotator_id(project)
        articles = curated_article_ids(project)
        owner = None
        if who is None or not articles:
            raise InputError("nothing is curated yet: there is no gold standard to learn from")
    else:
        names = {n: i for i, n in annotator_names(project).items()}
        if source not in names:
            raise InputError(f"the project has no annotator {source!r} (and 'gold' is the "
                             "gold standard)")  # fmt: skip
        who = owner = names[source]
        articles = [a for a, w in done_marks(project, annotators=(who,))]
        if not articles:
            raise InputError(f"{source!r} has marked no article done yet: nothing to learn from")
    labels = read_labels(project, LabelFilter(articles=articles, annotators=(who,),
                                              who=EVERYONE, with_stance=True))  # fmt: skip
    by_article: dict[int, list] = {}
    for lab in labels:
        by_article.setdefault(lab.article_id, []).append(lab)
    units: list[Unit] = []
    classes: list[str] = []
    for article_id in sorted(articles):
        view = load_article(project, article_id)
        labelled = {(lab.actor_id, lab.target) for lab in by_article.get(article_id, [])}
        for lab in by_article.get(article_id, []):
            unit = labelled_unit(view, cues, lab.actor_id, lab.target, lab.evidence)
            if unit is not None and lab.stance is not None:
                units.append(unit)
                classes.append(lab.stance)
        for unit in candidates(view, cues, codebook.target_ids):
            if (unit.actor_id, unit.target) not in labelled:
                units.append(unit)
                classes.append(NONE)
    return units, classes, owner


def train_stance(
    project: Project,
    codebook: Codebook,
    source: str = GOLD_NAME,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TrainReport:
    units, classes, owner = training_units(project, codebook, source)
    if len({c for c in classes if c != NONE}) < 2:
        raise InputError(f"{source}'s labels hold fewer than two stances: nothing to tell apart")
    quality = evaluate(units, classes, progress=progress, cancelled=cancelled)
    numbers = train(units, classes)
    version = save_model(project, numbers, asdict(quality), trained_from=source,
                         annotator_id=owner, units=len(units), usable=quality.usable)  # fmt: skip
    none = classes.count(NONE)
    return TrainReport(version, source, quality, len(units) - none, none)
