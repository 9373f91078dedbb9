"""Where articles stand, for the article list, `annotator articles` and the lead.

Per annotator and article: not started / in progress / done (store.articles' statuses).
Per article: how many annotators marked it done, out of N (`coders_per_article`, project
setting, default 2); "waiting" below N ("1/2 done"), "ready" for curation at N or more,
"in curation" once a curator started, "curated" when its gold labels are final.

Everything here takes a page of article ids and answers in one grouped query, so the
window's lazy list stays fast however many articles the project holds; the filter for
the list itself is store.articles' `curation=` argument (store.curation_lists.curation_condition).

A stored state or gold origin the tool does not know (a row written past the tool; the
team server refuses them, annotator/server/checks.py) is read as "in curation" (not final:
neither shown nor exported as curated) and said as such, never a crash of every reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.store.annotators import annotator_names
from annotator.store.articles import STATUS_DONE, STATUS_IN_PROGRESS
from annotator.store.bulk import fetch_rows
from annotator.store.curation_lists import (
    LIST_STATES,
    READY,
    WAITING,
    coders_per_article,
    done_count,
    set_coders_per_article,
)
from annotator.store.engine import Project
from annotator.store.gold import CURATED, CURATION_STATES, IN_CURATION, ORIGIN_STRATEGY, ORIGINS
from annotator.store.label_reads import GOLD, LabelFilter, done_marks, read_cells, started
from annotator.store.models import (
    Article,
    ArticleDone,
    Curation,
    GoldOrigin,
    sa_table,
)

__all__ = [
    "CURATED",
    "IN_CURATION",
    "LIST_STATES",
    "READY",
    "WAITING",
    "ArticleState",
    "CurationStatus",
    "annotator_states",
    "article_states",
    "coders_per_article",
    "curation_queue",
    "curation_status",
    "set_coders_per_article",
]

LABELS = {WAITING: "waiting", READY: "ready", IN_CURATION: "in curation", CURATED: "curated"}


@dataclass(frozen=True)
class ArticleState:
    article_id: int
    done: int  # annotators who marked it done
    required: int  # N, coders per article
    curation: str | None  # None, "in_curation" or "curated"

    @property
    def ready(self) -> bool:
        return self.done >= self.required

    @property
    def unknown(self) -> bool:
        """The stored curation state is none the tool knows."""
        return self.curation is not None and self.curation not in CURATION_STATES

    @property
    def state(self) -> str:
        """One of LIST_STATES: waiting, ready, in_curation, curated."""
        if self.unknown:
            return IN_CURATION
        if self.curation is not None:
            return self.curation
        return READY if self.ready else WAITING

    @property
    def badge(self) -> str:
        """What the list shows: "1/2 done", "ready", "in curation", "curated"."""
        if self.unknown:
            return f"in curation (unknown state {str(self.curation)[:20]!r})"
        if self.state == WAITING:
            return f"{self.done}/{self.required} done"
        return LABELS[self.state]


def article_states(project: Project, article_ids: Sequence[int]) -> dict[int, ArticleState]:
    """The curation state of a page of articles, in one query."""
    if not article_ids:
        return {}
    required = coders_per_article(project)
    art, cur = sa_table(Article).c, sa_table(Curation).c
    stmt = (
        select(art.id, done_count(art.id), cur.state)
        .select_from(sa_table(Article).outerjoin(sa_table(Curation), cur.article_id == art.id))
        .where(art.id.in_(list(article_ids)))
    )
    with project.engine.connect() as conn:
        rows = fetch_rows(conn, stmt)
    return {int(a): ArticleState(int(a), int(n), required, state) for a, n, state in rows}


def curation_queue(project: Project) -> list[tuple[int, str, ArticleState]]:
    """What the curation window lists: every article at least one annotator marked done,
    as (article id, title, state), in the order of the articles."""
    art, done = sa_table(Article).c, sa_table(ArticleDone).c
    stmt = (
        select(art.id, art.title)
        .where(art.id.in_(select(done.article_id).distinct()))
        .order_by(art.id)
    )
    with project.engine.connect() as conn:
        rows = [(int(a), str(t)) for a, t in fetch_rows(conn, stmt)]
    states = article_states(project, [a for a, _ in rows])
    return [(a, title, states[a]) for a, title in rows]


def annotator_states(project: Project, article_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Per article of the page, each annotator who started it: "in progress" or "done"
    (annotators missing from an article's dict have not started it)."""
    if not article_ids:
        return {}
    ids = list(article_ids)
    names = annotator_names(project)  # people: the gold standard starts nothing
    with project.engine.connect() as conn:
        begun = started(conn, LabelFilter(articles=ids))
        done = set(done_marks(conn, ids))
    out: dict[int, dict[str, str]] = {}
    for article, who in sorted(begun | done):
        if who in names:
            status = STATUS_DONE if (article, who) in done else STATUS_IN_PROGRESS
            out.setdefault(article, {})[names[who]] = status
    return out


@dataclass
class CurationStatus:
    """The project's curation at a glance (`annotator curation status`)."""

    coders_per_article: int
    articles: dict[str, int] = field(default_factory=dict)  # per LIST_STATES
    units_premerged: int = 0  # gold decided by a strategy (not curated articles)
    units_decided: int = 0  # gold decided by a curator (not curated articles)
    units_open: int = 0  # units of ready or in-curation articles not decided yet
    units_curated: int = 0  # decided units in curated articles
    problems: list[str] = field(default_factory=list)  # rows the tool cannot read

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def curation_status(project: Project) -> CurationStatus:
    required = coders_per_article(project)
    status = CurationStatus(required, dict.fromkeys(LIST_STATES, 0))
    art, cur = sa_table(Article).c, sa_table(Curation).c
    g = sa_table(GoldOrigin).c
    with project.engine.connect() as conn:
        states: dict[int, ArticleState] = {}
        stmt = select(art.id, done_count(art.id), cur.state).select_from(
            sa_table(Article).outerjoin(sa_table(Curation), cur.article_id == art.id)
        )
        for a, n, state in fetch_rows(conn, stmt):
            states[int(a)] = ArticleState(int(a), int(n), required, state)
        decided: dict[tuple[int, int, str], str] = {
            (a, actor, t): origin
            for a, actor, t, origin in fetch_rows(
                conn, select(g.article_id, g.actor_id, g.target, g.origin)
            )
        }
        # Cells of people who marked their article done, and the gold standard's cells.
        units = {cell[1:4] for cell in read_cells(conn, LabelFilter(done_only=True))}
        for cell in read_cells(conn, LabelFilter(who=GOLD)):
            decided.setdefault(cell[1:4], "unknown")
    for state in states.values():
        status.articles[state.state] += 1
    unknown = [a for a, state in states.items() if state.unknown]
    odd_origins = {key[0]: o for key, o in decided.items() if o not in (*ORIGINS, "unknown")}
    status.problems = _problems(project, states, unknown, odd_origins)
    for key, origin in decided.items():
        article = states.get(key[0])
        if article is None:
            continue
        if article.state == CURATED:
            status.units_curated += 1
        elif origin == ORIGIN_STRATEGY:
            status.units_premerged += 1
        else:
            status.units_decided += 1
    for key in units - decided.keys():
        article = states.get(key[0])
        if article is not None and article.state in (READY, IN_CURATION):
            status.units_open += 1
    return status


def _problems(
    project: Project,
    states: dict[int, ArticleState],
    unknown: list[int],
    odd_origins: dict[int, str],
) -> list[str]:
    """What `curation status` says about rows it cannot read (counted, not crashed on)."""
    if not unknown and not odd_origins:
        return []
    art = sa_table(Article).c
    with project.engine.connect() as conn:
        ids = dict(
            fetch_rows(conn, select(art.id, art.external_id).where(
                art.id.in_([*unknown, *odd_origins])))
        )  # fmt: skip
    fix = "a curator or the lead sets it again (or the owner deletes the row)"
    said = [
        f"article {ids.get(a, a)} has the curation state {str(states[a].curation)[:40]!r}, "
        f"which the tool does not know: counted as in curation; {fix}"
        for a in unknown
    ]
    said += [
        f"a gold label of article {ids.get(a, a)} has the origin {str(origin)[:40]!r}, which "
        f"the tool does not know: counted as decided by a curator; {fix}"
        for a, origin in odd_origins.items()
    ]
    return said
