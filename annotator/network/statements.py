"""From the project's labels to DNA-style statements: plain values, one per counted stance.

A statement is one stance of an actor on a target in an article, from the chosen label
source: one annotator's label, or the aggregated label of a unit (export/aggregate.py, the
same rule as the stances export). Only labels with a stance count. With duplicates
`article` a label is one statement; with `include` each of its evidence quotes is one (a
label without evidence still counts once): DNA codes a statement per text passage, and
the evidence quotes are this tool's passages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import col

from annotator.codebook import Codebook
from annotator.errors import Cancelled, InputError
from annotator.export.aggregate import (
    AggregateCounts,
    StanceRecord,
    aggregated,
    gold_labels,
    per_annotator,
)
from annotator.export.source import Selection, annotators, article_ids, iter_articles
from annotator.network.options import Duplicates, LabelSource, NetworkOptions
from annotator.progress import IsCancelled, Progress
from annotator.store.bulk import fetch_rows
from annotator.store.engine import Project
from annotator.store.label_reads import Label
from annotator.store.models import Actor

QUOTE_SEPARATOR = " … "


@dataclass(frozen=True, slots=True)
class Statement:
    actor: str
    target: str  # codebook id
    stance: str  # codebook id
    date: str | None  # the article's date as stored
    article: str  # the article's external id
    title: str = ""
    annotator: str = ""  # a name, or the aggregation ("majority")
    votes: int = 1  # annotators behind an aggregated label
    evidence: str = ""  # the quote (include) or every quote of the label (article)
    actor_type: str = ""  # entity type of the actor: PER, ORG, LOC, MISC


@dataclass
class Statements:
    items: list[Statement] = field(default_factory=list)
    source: str = ""  # "majority", "unanimous" or an annotator's name
    no_agreement: int = 0  # aggregated units left out because annotators disagreed


# How a label source turns one article's labels into stance labels.
LabelReader = Callable[[Sequence[Label], Sequence[str]], Iterator[StanceRecord]]


def _gold(names: dict[int, str]) -> LabelReader:
    """The curated gold standard (curation, issue 15): its labels are read only with
    Selection(gold=True), which also keeps to curated articles."""
    return lambda labels, stances: gold_labels(labels, stances, names)


def _reader(options: NetworkOptions, names: dict[int, str], counts: AggregateCounts) -> LabelReader:
    if options.annotator is not None:
        return lambda labels, stances: per_annotator(labels, stances, names)
    source = options.labels or LabelSource.MAJORITY
    if source is LabelSource.GOLD:
        return _gold(names)
    return lambda labels, stances: aggregated(labels, stances, method=source.value, counts=counts)


def _annotator_id(name: str, names: dict[int, str]) -> int:
    by_name = {n: i for i, n in names.items()}
    found = by_name.get(name.strip())
    if found is None:
        known = ", ".join(sorted(by_name)) or "none yet"
        raise InputError(f"unknown annotator {name!r} (the project has: {known})")
    return found


def _quotes(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in spans]


def read_statements(
    project: Project,
    codebook: Codebook,
    options: NetworkOptions,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> Statements:
    """Every statement of the chosen labels (no date filter: see build.py)."""
    gold = options.annotator is None and options.labels is LabelSource.GOLD
    names = annotators(project, include_gold=gold)
    one = None if options.annotator is None else _annotator_id(options.annotator, names)
    selection = Selection(
        annotator_ids=None if one is None else frozenset({one}),
        # Labels of a target the codebook no longer has are no statements.
        targets=frozenset(options.targets or codebook.target_ids),
        done_only=options.done_only,
        labelled_only=True,
        gold=gold,
    )
    with project.engine.connect() as conn:
        rows = fetch_rows(conn, select(col(Actor.name), col(Actor.label)))
        types = {str(name): str(label) for name, label in rows}
    counts = AggregateCounts()
    read = _reader(options, names, counts)
    result = Statements(source=options.source.strip())
    stances = codebook.stance_ids
    include = options.duplicates is Duplicates.INCLUDE
    ids = article_ids(project, selection)
    done = 0
    # Larger batches than the export's: no text is tokenized here, and each batch costs
    # three compiled queries.
    for batch in iter_articles(project, ids, selection, mentions=False, batch_size=1000):
        if cancelled is not None and cancelled():
            raise Cancelled("network cancelled while reading the labels")
        for article in batch:
            for label in read(article.labels, stances):
                if label.label is None:
                    continue
                quotes = _quotes(article.text, label.evidence)
                for evidence in (quotes or [""]) if include else [QUOTE_SEPARATOR.join(quotes)]:
                    result.items.append(
                        Statement(
                            actor=label.actor,
                            target=label.target,
                            stance=label.label,
                            date=article.date,
                            article=article.external_id,
                            title=article.title,
                            annotator=label.annotator or result.source,
                            votes=label.votes,
                            evidence=evidence,
                            actor_type=types.get(label.actor, ""),
                        )
                    )
        done += len(batch)
        if progress is not None:
            progress(done, len(ids))
    result.no_agreement = counts.dropped
    return result
