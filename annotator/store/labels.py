"""Stance labels: one cell = (article, actor, target) for one annotator.

Every change goes through `put_cell`, which writes the whole new state of a cell in one
short transaction and appends the before/after to the history. Undo is just another
`put_cell` with the old state, so undo, redo and history can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, select

from annotator.errors import AnnotatorError, InputError
from annotator.store.engine import Project
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    ArticleDone,
    Evidence,
    LabelEvent,
    StanceAnnotation,
    utcnow,
)


@dataclass(frozen=True)
class CellKey:
    article_id: int
    actor_id: int
    target: str


@dataclass(frozen=True)
class CellState:
    stance: str | None = None
    evidence: tuple[tuple[int, int], ...] = ()
    note: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.stance is None and not self.evidence and not self.note

    def as_json(self) -> dict:
        return {
            "stance": self.stance,
            "evidence": [list(e) for e in self.evidence],
            "note": self.note,
        }

    @staticmethod
    def from_json(data: dict | None) -> CellState:
        if not data:
            return CellState()
        return CellState(
            stance=data.get("stance"),
            evidence=tuple((int(a), int(b)) for a, b in data.get("evidence", [])),
            note=data.get("note"),
        )


@dataclass(frozen=True)
class Label:
    """A stored label as the GUI, agreement and export read it."""

    article_id: int
    actor_id: int
    actor: str
    target: str
    annotator_id: int
    annotator: str
    state: CellState
    updated_at: datetime | None = None


@dataclass
class SaveResult:
    before: CellState
    after: CellState
    saved_at: datetime = field(default_factory=utcnow)


# ------------------------------------------------------------------ annotators


def get_or_create_annotator(project: Project, name: str) -> int:
    name = name.strip()
    if not name:
        raise InputError("the annotator needs a name")
    with project.session() as s:
        found = s.exec(select(Annotator.id).where(Annotator.name == name)).first()
    if found is not None:
        return found
    with project.write() as s:
        found = s.exec(select(Annotator.id).where(Annotator.name == name)).first()
        if found is not None:
            return found
        annotator = Annotator(name=name)
        s.add(annotator)
        s.flush()
        return annotator.id  # type: ignore[return-value]


def annotator_names(project: Project) -> dict[int, str]:
    with project.session() as s:
        return dict(s.exec(select(Annotator.id, Annotator.name)).all())  # type: ignore[arg-type]


# ------------------------------------------------------------------ cells


def _read_cell(
    s: Session, annotator_id: int, key: CellKey
) -> tuple[StanceAnnotation | None, CellState]:
    row = s.exec(
        select(StanceAnnotation).where(
            StanceAnnotation.article_id == key.article_id,
            StanceAnnotation.actor_id == key.actor_id,
            StanceAnnotation.target == key.target,
            StanceAnnotation.annotator_id == annotator_id,
        )
    ).first()
    if row is None:
        return None, CellState()
    spans = s.exec(
        select(Evidence.start, Evidence.end)
        .where(Evidence.annotation_id == row.id)
        .order_by(Evidence.start, Evidence.end)  # type: ignore[arg-type]
    ).all()
    return row, CellState(
        stance=row.stance, evidence=tuple((a, b) for a, b in spans), note=row.note
    )


def get_cell(project: Project, annotator_id: int, key: CellKey) -> CellState:
    with project.session() as s:
        return _read_cell(s, annotator_id, key)[1]


def _validate(s: Session, key: CellKey, state: CellState, stances: tuple[str, ...] | None) -> None:
    if stances is not None and state.stance is not None and state.stance not in stances:
        raise InputError(f"unknown stance {state.stance!r} (expected one of {', '.join(stances)})")
    article = s.get(Article, key.article_id)
    if article is None:
        raise AnnotatorError(f"article {key.article_id} does not exist")
    if s.get(Actor, key.actor_id) is None:
        raise AnnotatorError(f"actor {key.actor_id} does not exist")
    n = len(article.text)
    for a, b in state.evidence:
        if not (0 <= a < b <= n):
            raise InputError(f"evidence {a}-{b} lies outside the article text (length {n})")


def put_cell(
    project: Project,
    annotator_id: int,
    key: CellKey,
    state: CellState,
    *,
    action: str = "set",
    stances: tuple[str, ...] | None = None,
) -> SaveResult:
    """Write the whole new state of one cell; an empty state deletes the label."""
    return update_cell(project, annotator_id, key, lambda _: state, action=action, stances=stances)


def update_cell(
    project: Project,
    annotator_id: int,
    key: CellKey,
    transform: Callable[[CellState], CellState],
    *,
    action: str = "set",
    stances: tuple[str, ...] | None = None,
) -> SaveResult:
    """Change one cell to transform(its current state), read and written in one write
    transaction: a change another window made meanwhile is built on, never overwritten."""
    with project.write() as s:
        row, before = _read_cell(s, annotator_id, key)
        state = transform(before)
        state = replace(state, evidence=tuple(sorted(set(state.evidence))), note=state.note or None)
        _validate(s, key, state, stances)
        now = utcnow()
        if state.is_empty:
            if row is not None:
                s.delete(row)
        else:
            if row is None:
                row = StanceAnnotation(
                    article_id=key.article_id,
                    actor_id=key.actor_id,
                    target=key.target,
                    annotator_id=annotator_id,
                    created_at=now,
                )
            row.stance = state.stance
            row.note = state.note
            row.updated_at = now
            s.add(row)
            s.flush()
            if before.evidence != state.evidence:
                s.exec(delete(Evidence).where(Evidence.annotation_id == row.id))
                for a, b in state.evidence:
                    s.add(Evidence(annotation_id=row.id, start=a, end=b))  # type: ignore[arg-type]
        if before != state:
            s.add(
                LabelEvent(
                    at=now,
                    annotator_id=annotator_id,
                    article_id=key.article_id,
                    actor_id=key.actor_id,
                    target=key.target,
                    action=action,
                    before=before.as_json(),
                    after=state.as_json(),
                )
            )
        return SaveResult(before=before, after=state, saved_at=now)


def labels_for_article(
    project: Project, article_id: int, annotator_id: int | None = None
) -> list[Label]:
    """Labels in one article: one annotator's (blind view) or everybody's (lead view)."""
    stmt = (
        select(StanceAnnotation, Actor.name, Annotator.name)
        .join(Actor, StanceAnnotation.actor_id == Actor.id)  # type: ignore[arg-type]
        .join(Annotator, StanceAnnotation.annotator_id == Annotator.id)  # type: ignore[arg-type]
        .where(StanceAnnotation.article_id == article_id)
    )
    if annotator_id is not None:
        stmt = stmt.where(StanceAnnotation.annotator_id == annotator_id)
    with project.session() as s:
        rows = s.exec(stmt).all()
        ids = [r[0].id for r in rows]
        spans: dict[int, list[tuple[int, int]]] = {}
        if ids:
            for aid, a, b in s.exec(
                select(Evidence.annotation_id, Evidence.start, Evidence.end)
                .where(Evidence.annotation_id.in_(ids))  # type: ignore[attr-defined]
                .order_by(Evidence.start, Evidence.end)  # type: ignore[arg-type]
            ):
                spans.setdefault(aid, []).append((a, b))
    return [
        Label(
            article_id=row.article_id,
            actor_id=row.actor_id,
            actor=actor,
            target=row.target,
            annotator_id=row.annotator_id,
            annotator=annotator,
            state=CellState(
                stance=row.stance,
                evidence=tuple(spans.get(row.id, [])),
                note=row.note,  # type: ignore[arg-type]
            ),
            updated_at=row.updated_at,
        )
        for row, actor, annotator in rows
    ]


# ------------------------------------------------------------------ done


def is_done(project: Project, article_id: int, annotator_id: int) -> bool:
    with project.session() as s:
        return s.get(ArticleDone, (article_id, annotator_id)) is not None


def set_done(
    project: Project,
    article_id: int,
    annotator_id: int,
    done: bool = True,
    *,
    action: str | None = None,
) -> bool:
    """Mark or unmark an article done for one annotator; return the previous value.

    The history row says "done"/"undone", or `action` ("undo"/"redo") when an undo stack
    replays it; before/after hold {"done": bool} so the stack can be rebuilt from history.
    """
    with project.write() as s:
        row = s.get(ArticleDone, (article_id, annotator_id))
        was = row is not None
        if done and row is None:
            s.add(ArticleDone(article_id=article_id, annotator_id=annotator_id))
        elif not done and row is not None:
            s.delete(row)
        if was != done:
            s.add(
                LabelEvent(
                    annotator_id=annotator_id,
                    article_id=article_id,
                    action=action or ("done" if done else "undone"),
                    before={"done": was},
                    after={"done": done},
                )
            )
        return was
