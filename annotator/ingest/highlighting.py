"""Entity pre-highlighting against the project's actor list, and storing the mentions.

The highlighter is built from the project's actors (the shipped lexicon plus every alias an
annotator added), so a manual addition is found in every article after re-highlighting.
NLP runs here, at import or re-highlight time, never when the GUI shows an article.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from annotator.errors import Cancelled
from annotator.ingest.segments import compute_segments
from annotator.ingest.segments import fill_segments as fill_segments  # the window's import
from annotator.nlp.lexicon import ActorEntry, load_lexicon
from annotator.nlp.pipeline import Highlighter, MentionSpan
from annotator.progress import IsCancelled, Progress
from annotator.store.actors import actor_ids, ensure_actors, list_actors
from annotator.store.bulk import insert_many
from annotator.store.engine import Project
from annotator.store.models import Actor, Article, Mention, sa_table

_TYPE_FOR_LABEL = {"PER": "person", "ORG": "organisation", "LOC": "country", "MISC": "other"}


def sync_lexicon(project: Project, lexicon_path: str | None = None) -> None:
    """Add shipped lexicon actors and aliases the project does not have yet (idempotent)."""
    entries = load_lexicon(lexicon_path)
    with project.write() as s:
        ensure_actors(s, entries, origin="lexicon")


def project_highlighter(project: Project, *, model: str | None = None) -> Highlighter:
    sync_lexicon(project)
    records = list_actors(project)
    # Earlier entries win where two actors claim the same form: what an annotator added by
    # hand beats the shipped lexicon ("Berlin" as the Bundesregierung, not Deutschland).
    records.sort(key=lambda a: a.origin != "manual")
    actors = [
        ActorEntry(name=a.name, type=a.type, label=a.label, aliases=a.aliases) for a in records
    ]
    return Highlighter(actors, model=model)


class ActorResolver:
    """Maps span actor names to actor ids, creating actors the rules or a model found."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids = actor_ids(session)

    def id_for(self, span: MentionSpan) -> int | None:
        if not span.actor:
            return None
        aid = self.ids.get(span.actor)
        if aid is None:
            actor = Actor(
                name=span.actor,
                type=_TYPE_FOR_LABEL.get(span.label, "other"),
                label=span.label,
                origin=span.source,
            )
            self.session.add(actor)
            self.session.flush()
            aid = actor.id
            self.ids[span.actor] = aid  # type: ignore[assignment]
        return aid


MENTION_COLUMNS = ("article_id", "start", "end", "label", "actor_id", "source")


def mention_rows(
    resolver: ActorResolver,
    article_id: int,
    spans: Sequence[MentionSpan],
    *,
    keep: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int, int, str, int | None, str]]:
    """Rows for the mention table, skipping spans that overlap a kept (manual) mention."""
    ids = resolver.ids  # the hot path: ~100 spans per article, nearly all known actors
    rows = []
    for sp in spans:
        if keep and any(sp.start < b and a < sp.end for a, b in keep):
            continue
        actor_id = ids.get(sp.actor) if sp.actor else None
        if actor_id is None and sp.actor:
            actor_id = resolver.id_for(sp)
        rows.append((article_id, sp.start, sp.end, sp.label, actor_id, sp.source))
    return rows


def insert_mentions(
    session: Session,
    resolver: ActorResolver,
    article_id: int,
    spans: Sequence[MentionSpan],
    *,
    keep: Sequence[tuple[int, int]] = (),
) -> int:
    """Insert automatic mentions, skipping any that overlap a kept (manual) mention."""
    rows = mention_rows(resolver, article_id, spans, keep=keep)
    insert_many(session, sa_table(Mention), MENTION_COLUMNS, rows)
    return len(rows)


@dataclass
class RehighlightReport:
    articles: int = 0
    mentions: int = 0


def model_processes(texts: int) -> int:
    """How many processes run the statistical model over a batch: both cores for a long
    batch in a command-line process; one in a worker thread (the window's imports), where
    forking a process with a GUI event loop is not safe."""
    if threading.current_thread() is not threading.main_thread() or texts < 32:
        return 1
    return max(1, min(os.cpu_count() or 1, 2))


def rehighlight(
    project: Project,
    *,
    article_ids: Sequence[int] | None = None,
    model: str | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    batch_size: int = 100,
) -> RehighlightReport:
    """Run the highlighter again over stored articles; manual mentions are kept as they are.
    The articles' segments (sentences, boilerplate) are found again too, with the rules of
    this version."""
    highlighter = project_highlighter(project, model=model)
    with project.session() as s:
        ids = (
            list(article_ids)
            if article_ids is not None
            # ids: never NULL
            else list(
                cast(Sequence[int], s.exec(select(Article.id).order_by(col(Article.id))).all())
            )
        )
    report = RehighlightReport()
    total = len(ids)
    for offset in range(0, total, batch_size):
        if cancelled and cancelled():
            raise Cancelled(
                f"re-highlighting cancelled after {report.articles} of {total} articles"
            )
        chunk = ids[offset : offset + batch_size]
        with project.session() as s:
            texts = dict(
                s.exec(select(Article.id, Article.text).where(col(Article.id).in_(chunk))).all()
            )
        chunk = [i for i in chunk if i in texts]
        results = list(
            highlighter.pipe([texts[i] for i in chunk], n_process=model_processes(len(chunk)))
        )
        segments = [compute_segments(texts[i]) for i in chunk]
        table = sa_table(Article)
        with project.write() as s:
            resolver = ActorResolver(s)
            for aid, spans, found in zip(chunk, results, segments, strict=True):
                s.execute(update(table).where(table.c.id == aid).values(segments=found))
                manual = s.exec(
                    select(Mention.start, Mention.end).where(
                        Mention.article_id == aid, Mention.source == "manual"
                    )
                ).all()
                s.exec(
                    delete(Mention).where(
                        col(Mention.article_id) == aid, col(Mention.source) != "manual"
                    )
                )
                report.mentions += insert_mentions(s, resolver, aid, spans, keep=list(manual))
                report.articles += 1
        if progress:
            progress(report.articles, total)
    return report
