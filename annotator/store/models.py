"""The project's tables (SQLModel). Offsets are Python `str` indices into Article.text.

Article.text never changes after import, so every offset in mentions and evidence stays valid.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, Column, Index, Table, UniqueConstraint, inspect
from sqlmodel import Field, SQLModel

MENTION_LABELS = ("PER", "ORG", "LOC", "MISC")
MENTION_SOURCES = ("lexicon", "rule", "model", "manual")


def utcnow() -> datetime:
    return datetime.now(UTC)


def text_hash(text: str) -> str:
    """Article.text_sha256: the same text is the same article, whatever its id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sa_table(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for SQL built on tables rather than ORM objects.

    SQLModel gives each table model a `__table__` but does not declare it, so the type checker
    cannot see it; the model's mapper holds that same Table as its `local_table`.
    """
    return cast(Table, inspect(model).local_table)


class ProjectInfo(SQLModel, table=True):
    """Key/value facts about the project file (schema version, codebook, created...)."""

    key: str = Field(primary_key=True)
    value: str


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(index=True, unique=True)
    title: str
    text: str
    source: str | None = None
    date: str | None = None
    url: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    text_sha256: str = Field(index=True)
    imported_at: datetime = Field(default_factory=utcnow)
    # Found once at import (ingest/segments.py): {"sentences": [[start, end], ...],
    # "boilerplate": [[start, end, kind], ...]}. NULL for articles of schema 3 and older
    # until ingest.segments.fill_segments has run. none_as_null: None is SQL NULL (what
    # fill_segments looks for), not the JSON text 'null'.
    segments: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )


class Actor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    type: str = "other"
    label: str = "MISC"  # NER label most mentions of this actor carry
    origin: str = "lexicon"  # lexicon / rule / model / manual / import
    # Merged into another actor (store/actor_merge.py): the row stays, since the history
    # names it, and every lookup by name follows this to the actor it became.
    merged_into: int | None = Field(default=None, foreign_key="actor.id", ondelete="SET NULL")


class ActorAlias(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int = Field(foreign_key="actor.id", index=True, ondelete="CASCADE")
    alias: str = Field(index=True)


class ActorMerge(SQLModel, table=True):
    """One merge of two actors, as recorded for undo: `detail` holds what it moved besides
    labels ({"aliases": [...] added to `into_id`, "mentions": [...] ids re-pointed}); the
    labels it moved are history events with {"actor_merge": id} (store/actor_merge.py)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    annotator_id: int | None = Field(default=None, foreign_key="annotator.id", ondelete="SET NULL")
    source_id: int = Field(foreign_key="actor.id", index=True)
    into_id: int = Field(foreign_key="actor.id")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    undone_at: datetime | None = None


class Mention(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("article_id", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    start: int
    end: int
    label: str
    actor_id: int | None = Field(
        default=None, foreign_key="actor.id", index=True, ondelete="SET NULL"
    )
    source: str = "lexicon"


class Annotator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    db_role: str | None = None  # team mode: the PostgreSQL role this annotator logs in as
    created_at: datetime = Field(default_factory=utcnow)
    # Who this is, beyond the name: made when the annotator first labels in a project file
    # and carried along by merges. None = not known (named in an import, or an older file).
    uid: str | None = Field(default=None, index=True, unique=True)
    # "person", or "gold": the one reserved annotator whose labels are the curated gold
    # standard (written through the same label writer and history as everybody's).
    kind: str = Field(default="person", sa_column_kwargs={"server_default": "person"})


class ArticleDone(SQLModel, table=True):
    """An annotator marked an article done (all its units are labelled or "no stance")."""

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", primary_key=True, ondelete="CASCADE")
    done_at: datetime = Field(default_factory=utcnow)


class StanceAnnotation(SQLModel, table=True):
    """One annotator's label for one (article, actor, target) cell.

    `stance` may be None while the cell only holds evidence or a note.
    """

    __table_args__ = (
        UniqueConstraint("article_id", "actor_id", "target", "annotator_id"),
        Index("ix_stance_annotator_article", "annotator_id", "article_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", index=True, ondelete="CASCADE")
    target: str
    stance: str | None = None
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("annotation_id", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    annotation_id: int = Field(foreign_key="stanceannotation.id", index=True, ondelete="CASCADE")
    start: int
    end: int


class LabelEvent(SQLModel, table=True):
    """Append-only history of every label change (who, when, what before, what after)."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    annotator_id: int = Field(foreign_key="annotator.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="actor.id", ondelete="SET NULL")
    target: str | None = None
    action: str  # set / clear / evidence_add / evidence_remove / note / done / undone / undo / redo
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class GoldOrigin(SQLModel, table=True):
    """Where a gold label came from: an annotator's version, a pre-merge strategy, or the
    curator's own decision; who decided and when."""

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    target: str = Field(primary_key=True)
    origin: str  # "annotator" | "strategy" | "curator"
    source_annotator_id: int | None = Field(
        default=None, foreign_key="annotator.id", ondelete="SET NULL"
    )
    strategy: str | None = None  # "complete" | "incomplete" | "threshold"
    curator_id: int | None = Field(default=None, foreign_key="annotator.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow)


class Curation(SQLModel, table=True):
    """An article's curation state: "in_curation" once a curator started, "curated" when
    its gold standard is final. Absent: not curated yet."""

    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    state: str
    curator_id: int | None = Field(default=None, foreign_key="annotator.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """An article in an annotator's queue (the lead's assignment plan); `position` orders the
    queue, `overlap` marks the articles planned for several coders (agreement)."""

    __table_args__ = (
        UniqueConstraint("article_id", "annotator_id"),
        Index("ix_assignment_queue", "annotator_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    position: int
    overlap: bool = False
    assigned_at: datetime = Field(default_factory=utcnow)


class Suggestion(SQLModel, table=True):
    """A suggested label for one cell (annotator/suggest/): never a label until an annotator
    accepts it. `annotator_id` None: for everybody (rules, or a model learnt from gold); else
    only for that annotator (a model learnt from her own labels)."""

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", ondelete="CASCADE")
    target: str
    stance: str
    confidence: float
    margin: float | None = None  # a model's gap between its best and second-best class
    evidence: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str  # "rules" or "model"
    model_version: int | None = None
    annotator_id: int | None = Field(default=None, foreign_key="annotator.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class StanceModel(SQLModel, table=True):
    """A stance model learnt from the project, versioned: what it learnt from, how good it
    is (cross-validated) and its numbers (plain JSON, never pickled)."""

    version: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    trained_from: str  # "gold" or an annotator's name
    annotator_id: int | None = Field(default=None, foreign_key="annotator.id", ondelete="SET NULL")
    units: int
    usable: bool
    quality: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    numbers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
