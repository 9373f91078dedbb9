"""The assignment plan in the store: which annotator codes which article, in which order.

The plan is the `assignment` table (one row per article in an annotator's queue; `position`
orders the queue, `overlap` marks the articles planned for several coders) and the lead's
settings as JSON under the projectinfo key "assignment_plan". The planning itself is pure
(annotator/assignments/plan.py); this module reads and writes rows.

Team mode: an annotator's role reads only its own assignments and writes none; a lead
writes them, and saves the settings through `team_save_plan()`, because a lead may only
read projectinfo directly (annotator/server/assignments.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from annotator.errors import InputError
from annotator.store.annotators import check_person_name, new_uid
from annotator.store.articles import STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED
from annotator.store.bulk import insert_many
from annotator.store.engine import Project
from annotator.store.models import (
    Annotator,
    Article,
    ArticleDone,
    Assignment,
    ProjectInfo,
    StanceAnnotation,
    sa_table,
    utcnow,
)

PLAN_KEY = "assignment_plan"
SAVE_PLAN_FUNCTION = "team_save_plan"


@dataclass(frozen=True)
class AssignmentRow:
    """An assignment with its annotator's progress on the article."""

    article_id: int
    external_id: str
    annotator_id: int
    annotator: str
    position: int
    overlap: bool
    status: str  # store.articles.STATUS_*


@dataclass(frozen=True)
class NewAssignment:
    article_id: int
    annotator_id: int
    position: int
    overlap: bool


def _done(article: Any, annotator: Any) -> Any:
    return exists().where(
        and_(col(ArticleDone.article_id) == article, col(ArticleDone.annotator_id) == annotator)
    )


def _started(article: Any, annotator: Any) -> Any:
    return exists().where(
        and_(
            col(StanceAnnotation.article_id) == article,
            col(StanceAnnotation.annotator_id) == annotator,
        )
    )


def assignment_rows(s: Session, annotator_id: int | None = None) -> list[AssignmentRow]:
    """Every assignment (or one annotator's), in queue order, with its status."""
    a = sa_table(Assignment).c
    stmt = (
        sa_select(
            a.article_id,
            col(Article.external_id),
            a.annotator_id,
            col(Annotator.name),
            a.position,
            a.overlap,
            _done(a.article_id, a.annotator_id).label("done"),
            _started(a.article_id, a.annotator_id).label("started"),
        )
        .join(Article, col(Article.id) == a.article_id)
        .join(Annotator, col(Annotator.id) == a.annotator_id)
        .order_by(col(Annotator.name), a.position)
    )
    if annotator_id is not None:
        stmt = stmt.where(a.annotator_id == annotator_id)
    return [
        AssignmentRow(
            article_id=r[0],
            external_id=r[1],
            annotator_id=r[2],
            annotator=r[3],
            position=r[4],
            overlap=bool(r[5]),
            status=STATUS_DONE if r[6] else STATUS_IN_PROGRESS if r[7] else STATUS_NOT_STARTED,
        )
        for r in s.execute(stmt).all()
    ]


def articles_containing(project: Project, part: str) -> list[int]:
    """Ids of the articles whose title, id or source contains `part` (case ignored), in id
    order. Taken literally: "%" and "_" are no wildcards (`--articles %` had planned all)."""
    like = "%" + "".join("\\" + ch if ch in "\\%_" else ch for ch in part) + "%"
    columns = (Article.title, Article.external_id, Article.source)
    stmt = (
        sa_select(col(Article.id))
        .where(or_(*(col(c).ilike(like, escape="\\") for c in columns)))
        .order_by(col(Article.id))
    )
    with project.session() as s:
        return [r[0] for r in s.execute(stmt).all()]


def read_assignments(project: Project, annotator_id: int | None = None) -> list[AssignmentRow]:
    with project.session() as s:
        return assignment_rows(s, annotator_id)


def plan_settings(project: Project) -> dict[str, Any] | None:
    """The lead's planning settings (annotators, overlap, coders per overlap, seed), or None."""
    value = project.info(PLAN_KEY)
    if value is None:
        return None
    try:
        settings = json.loads(value)
    except ValueError:
        return None
    return settings if isinstance(settings, dict) else None


def has_plan(project: Project) -> bool:
    """Whether the lead planned this project: then each annotator works their queue.

    The settings say so for everybody, also for an annotator whose role sees none of the
    assignments (team mode) or who has none yet."""
    if project.info(PLAN_KEY) is not None:
        return True
    with project.session() as s:
        return s.execute(sa_select(sa_table(Assignment).c.id).limit(1)).first() is not None


def save_settings(s: Session, settings: dict[str, Any]) -> None:
    """Store the plan's settings in the caller's transaction."""
    value = json.dumps(settings, ensure_ascii=False, sort_keys=True)
    if s.get_bind().dialect.name == "postgresql":
        may_write = s.execute(
            text("SELECT has_table_privilege(current_user, 'projectinfo', 'UPDATE')")
        ).scalar()
        if not may_write:  # a lead: through the server's checked function
            s.execute(text(f"SELECT {SAVE_PLAN_FUNCTION}(:value)"), {"value": value})
            return
    s.merge(ProjectInfo(key=PLAN_KEY, value=value))


def annotator_ids(
    s: Session, names: Iterable[str], *, in_file: bool, create: bool = True
) -> dict[str, int]:
    """Ids of the annotators a plan names. In a project file a new name becomes an
    annotator with an identity (uid), as when labelling (without `create` it is left
    out); on a server only the owner's `server add-annotator` creates annotators (they
    need a role to log in with)."""
    wanted = [check_person_name(n) for n in names]
    found = {
        r.name: r for r in s.exec(select(Annotator).where(col(Annotator.name).in_(wanted))).all()
    }
    ids: dict[str, int] = {}
    for name in wanted:
        row = found.get(name)
        if row is not None and row.kind != "person":
            raise InputError(f"{name!r} is the project's {row.kind} annotator, not a person")
        if row is None:
            if not in_file:
                raise InputError(
                    f"{name!r} is not an annotator on this server: the owner adds them with "
                    f"`annotator server add-annotator {name} --role ROLE`"
                )
            if not create:
                continue
            row = Annotator(name=name, uid=new_uid())
            s.add(row)
            s.flush()
        ids[name] = row.id  # type: ignore[assignment]  # stored rows have ids
    return ids


def insert_assignments(
    s: Session, rows: Sequence[NewAssignment], *, at: datetime | None = None
) -> None:
    now = at or utcnow()
    insert_many(
        s,
        sa_table(Assignment),
        ("article_id", "annotator_id", "position", "overlap", "assigned_at"),
        [(r.article_id, r.annotator_id, r.position, r.overlap, now) for r in rows],
    )


def move_assignment(
    s: Session, article_id: int, source_id: int, target_id: int, position: int
) -> bool:
    """Move one article from the source's queue to the target's, unless the source marked
    it done meanwhile (decided again here, inside the write transaction)."""
    a = sa_table(Assignment)
    result = s.execute(
        update(a)
        .where(
            a.c.article_id == article_id,
            a.c.annotator_id == source_id,
            ~_done(a.c.article_id, a.c.annotator_id),
        )
        .values(annotator_id=target_id, position=position, assigned_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


def prior_work(s: Session, annotator_ids: Iterable[int]) -> dict[int, set[int]]:
    """Articles without any assignment that these annotators labelled or marked done
    (work from before the plan): article id -> annotator ids."""
    ids = list(annotator_ids)
    if not ids:
        return {}
    a = sa_table(Assignment).c
    unplanned = ~exists().where(a.article_id == col(Article.id))
    found: dict[int, set[int]] = {}
    for model in (StanceAnnotation, ArticleDone):
        stmt = (
            sa_select(col(model.article_id), col(model.annotator_id))
            .join(Article, col(Article.id) == col(model.article_id))
            .where(col(model.annotator_id).in_(ids), unplanned)
            .distinct()
        )
        for article, annotator in s.execute(stmt).all():
            found.setdefault(article, set()).add(annotator)
    return found


# ------------------------------------------------------------------ the annotator's queue


def queue(project: Project, annotator_id: int) -> list[int]:
    """The annotator's assigned articles in queue order."""
    a = sa_table(Assignment).c
    stmt = sa_select(a.article_id).where(a.annotator_id == annotator_id).order_by(a.position)
    with project.session() as s:
        return [r[0] for r in s.execute(stmt).all()]


def next_in_queue(project: Project, annotator_id: int, after: int | None = None) -> int | None:
    """The next article of the annotator's queue they have not marked done: after
    `after` in queue order, else from the start (None: everything assigned is done)."""
    a = sa_table(Assignment).c
    stmt = (
        sa_select(a.article_id, a.position)
        .where(a.annotator_id == annotator_id, ~_done(a.article_id, a.annotator_id))
        .order_by(a.position)
    )
    with project.session() as s:
        open_ = s.execute(stmt).all()
        if not open_:
            return None
        here = None
        if after is not None:
            here = s.execute(
                sa_select(a.position).where(a.annotator_id == annotator_id, a.article_id == after)
            ).scalar()
    later = [article for article, position in open_ if here is not None and position > here]
    return (later or [article for article, _ in open_ if article != after] or [open_[0][0]])[0]


def queue_position(project: Project, annotator_id: int, article_id: int) -> tuple[int, int] | None:
    """(place counted from 1, queue length) of an article in the annotator's queue."""
    a = sa_table(Assignment).c
    with project.session() as s:
        position = s.execute(
            sa_select(a.position).where(a.annotator_id == annotator_id, a.article_id == article_id)
        ).scalar()
        if position is None:
            return None
        before, total = s.execute(
            sa_select(func.count().filter(a.position <= position), func.count()).where(
                a.annotator_id == annotator_id
            )
        ).one()
    return int(before), int(total)


def reorder_unfinished(project: Project, annotator_id: int, first: Sequence[int]) -> int:
    """Put the annotator's unfinished articles in `first` at the front of her queue, in
    that order, the rest after them as they were; done articles keep their places. Decided
    inside one write transaction; returns how many articles moved."""
    a = sa_table(Assignment)
    with project.write() as s:
        rows = s.execute(
            sa_select(a.c.article_id, a.c.position, _done(a.c.article_id, a.c.annotator_id))
            .where(a.c.annotator_id == annotator_id).order_by(a.c.position)
        ).all()  # fmt: skip
        open_ = [int(r[0]) for r in rows if not r[2]]
        rank = {aid: i for i, aid in enumerate(first)}
        wanted = sorted(open_, key=lambda aid: (rank.get(aid, len(rank)), open_.index(aid)))
        slots = [int(r[1]) for r in rows if not r[2]]
        moved = 0
        for aid, position in zip(wanted, slots, strict=True):
            if open_[slots.index(position)] != aid:
                moved += 1
            s.execute(update(a).where(a.c.article_id == aid, a.c.annotator_id == annotator_id)
                      .values(position=position))  # fmt: skip
        return moved
