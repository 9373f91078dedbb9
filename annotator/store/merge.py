"""Merging other annotators' project files into this one (the lead's project).

Articles match by external id and text hash (same id, other text: reported, not merged),
actors by canonical name, annotators by name; labels keep their annotator and the later
`updated_at` wins; done marks come along. Merging only adds and updates, and merging twice
changes nothing. The other files are opened read-only and never modified; each is checked
before anything is written and merged in one transaction. Details: docs/agreement.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, delete, insert, inspect, select, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from annotator.errors import ProjectError
from annotator.store import models as m
from annotator.store.engine import SCHEMA_VERSION, SQLITE_MAGIC, Project
from annotator.store.labels import CellState

Progress = Callable[[int, int], None]
_REQUIRED = {"projectinfo", "article", "actor", "annotator", "stanceannotation", "articledone"}


@dataclass
class FileMerge:
    """What merging one file did."""

    path: str
    articles_added: int = 0
    articles_matched: int = 0
    text_conflicts: list[str] = field(default_factory=list)  # external ids, text differs
    actors_added: int = 0
    aliases_added: int = 0
    mentions_added: int = 0
    annotators_added: list[str] = field(default_factory=list)
    labels_added: int = 0
    labels_updated: int = 0  # the other file's label was newer and replaced ours
    labels_kept: int = 0  # ours was newer (or as new) and was kept
    labels_unchanged: int = 0
    labels_skipped: int = 0  # in articles with a text conflict
    done_added: int = 0

    @property
    def label_conflicts(self) -> int:
        return self.labels_updated + self.labels_kept

    @property
    def changed(self) -> bool:
        added = (self.articles_added, self.actors_added, self.aliases_added, self.mentions_added)
        return any((*added, self.annotators_added, self.labels_added, self.labels_updated,
                    self.done_added))  # fmt: skip

    def summary(self) -> str:
        if not (self.changed or self.text_conflicts):
            return f"{self.path}: nothing new"
        parts = [
            f"{self.articles_added} article(s) added ({self.articles_matched} already there)",
            f"{self.labels_added} label(s) added, {self.labels_updated} updated",
            f"{self.done_added} done mark(s) added",
            f"{self.actors_added} actor(s), {self.aliases_added} alias(es) and "
            f"{self.mentions_added} mention(s) added",
        ]
        if self.annotators_added:
            parts.append("new annotator(s): " + ", ".join(self.annotators_added))
        if self.label_conflicts:
            parts.append(
                f"{self.label_conflicts} label conflict(s): {self.labels_updated} taken from "
                f"the file (newer), {self.labels_kept} kept"
            )
        if self.text_conflicts:
            parts.append(f"NOT merged, same id but another text: {', '.join(self.text_conflicts)}")
        return f"{self.path}: " + "; ".join(parts)


@dataclass
class MergeReport:
    files: list[FileMerge] = field(default_factory=list)

    @property
    def label_conflicts(self) -> int:
        return sum(f.label_conflicts for f in self.files)

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def summary(self) -> str:
        return "\n".join(f.summary() for f in self.files)


def _read_only_engine(path: Path) -> Engine:
    # A cleanly closed file has everything in the main file: `immutable` reads it without
    # creating -wal/-shm beside it. With a -wal present (open elsewhere, or not closed
    # cleanly) its committed content must be read too, which plain read-only mode does.
    wal = Path(f"{path}-wal")
    flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path.resolve()))}?{flags}"
    connect = partial(sqlite3.connect, uri, uri=True, check_same_thread=False)
    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def open_other(path: str | Path, target: Project) -> Engine:
    """Open another project file read-only after checking it is a project we can read."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ProjectError(f"cannot merge {path}: no such file")
    if path.is_dir():
        raise ProjectError(f"cannot merge {path}: it is a folder, not a project file")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise ProjectError(f"cannot merge {path}: not a project file (not an SQLite database)")
    if target.path is not None and target.path.exists() and path.samefile(target.path):
        raise ProjectError(f"cannot merge {path} into itself")
    engine = _read_only_engine(path)
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables >= _REQUIRED:
            raise ProjectError(f"cannot merge {path}: not a stance-annotator project")
        info = m.ProjectInfo.__table__.c  # type: ignore[attr-defined]
        with engine.connect() as conn:
            version = conn.execute(
                select(info.value).where(info.key == "schema_version")
            ).scalar_one_or_none()
        if int(version or 0) > SCHEMA_VERSION:
            raise ProjectError(
                f"cannot merge {path}: it was written by a newer version of the tool "
                f"(schema {version}, this version knows up to {SCHEMA_VERSION})"
            )
    except (DatabaseError, OperationalError, ValueError, ProjectError) as exc:
        engine.dispose()
        if isinstance(exc, ProjectError):
            raise
        raise ProjectError(f"cannot read {path}: {_reason(exc)}") from None
    return engine


def merge_projects(
    target: Project,
    others: Sequence[str | Path],
    *,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the other project files into `target`; see the module docstring for the rules."""
    engines: list[tuple[str, Engine]] = []
    try:
        for other in others:  # check every file before writing anything
            engines.append((str(other), open_other(other, target)))
        report = MergeReport()
        if progress:
            progress(0, len(engines))
        for done, (name, engine) in enumerate(engines, start=1):
            report.files.append(_merge_one(target, name, engine))
            if progress:
                progress(done, len(engines))
        return report
    finally:
        for _, engine in engines:
            engine.dispose()


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def _merge_one(target: Project, name: str, engine: Engine) -> FileMerge:
    result = FileMerge(path=name)
    try:
        # One read transaction on the other file for the whole merge: a consistent snapshot.
        with engine.connect() as conn, conn.begin(), target.write() as s:
            _Merger(s, conn, result).run()
    except (DatabaseError, OperationalError, ProjectError) as exc:
        raise ProjectError(
            f"merging {name} failed and the project was left unchanged: {_reason(exc)}"
        ) from None
    return result


def _t(model: Any) -> Any:  # merging works on Core rows, not ORM objects
    return model.__table__


def _select_all(conn: Connection, model: Any) -> Any:
    """SELECT of the model's columns that the file has (an older schema may lack some)."""
    present = {c["name"] for c in inspect(conn).get_columns(_t(model).name)}
    return select(*[c for c in _t(model).c if c.name in present])


def _without_id(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row._mapping.items() if k != "id"}


@dataclass
class _Label:
    id: int
    key: tuple[int, int, str, int]  # article, actor, target, annotator
    stance: str | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    evidence: tuple[tuple[int, int], ...]

    def state(self) -> dict[str, Any]:
        return CellState(self.stance, self.evidence, self.note).as_json()


def _labels(conn: Connection) -> list[_Label]:
    ev = _t(m.Evidence).c
    spans: dict[int, list[tuple[int, int]]] = {}
    for aid, start, end in conn.execute(select(ev.annotation_id, ev.start, ev.end)):
        spans.setdefault(aid, []).append((start, end))
    return [
        _Label(
            r.id, (r.article_id, r.actor_id, r.target, r.annotator_id), r.stance, r.note,
            r.created_at, r.updated_at, tuple(sorted(spans.get(r.id, ()))),
        )
        for r in conn.execute(_select_all(conn, m.StanceAnnotation))
    ]  # fmt: skip


class _Merger:
    """Copies one other file (`src`, read-only) into the target session `s`."""

    def __init__(self, s: Session, src: Connection, result: FileMerge) -> None:
        self.s, self.src, self.result = s, src, result
        self.now = m.utcnow()
        self.annotators: dict[int, int] = {}  # other file's id -> our id, likewise below
        self.actors: dict[int, int] = {}
        self.articles: dict[int, int] = {}
        self.new_articles: set[int] = set()  # other ids of articles we did not have
        self.conflicted: set[int] = set()  # other ids of articles whose text differs

    def run(self) -> None:
        # In this order: each step maps the ids the next one needs.
        for step in (self._annotators, self._actors, self._articles, self._mentions,
                     self._merge_labels, self._done):  # fmt: skip
            step()

    def _insert(self, model: Any, **values: Any) -> int:
        return self.s.execute(insert(model).values(**values)).inserted_primary_key[0]  # type: ignore[index]

    def _annotators(self) -> None:
        c = _t(m.Annotator).c
        ours = dict(self.s.execute(select(c.name, c.id)).all())
        for oid, name in self.src.execute(select(c.id, c.name)):
            if name not in ours:
                ours[name] = self._insert(m.Annotator, name=name)
                self.result.annotators_added.append(name)
            self.annotators[oid] = ours[name]

    def _actors(self) -> None:
        c, al = _t(m.Actor).c, _t(m.ActorAlias).c
        ours = dict(self.s.execute(select(c.name, c.id)).all())
        for row in self.src.execute(select(c.id, c.name, c.type, c.label, c.origin)):
            if row.name not in ours:
                ours[row.name] = self._insert(m.Actor, **_without_id(row))
                self.result.actors_added += 1
            self.actors[row.id] = ours[row.name]
        names = {aid: name for name, aid in ours.items()}
        known = set(self.s.execute(select(al.actor_id, al.alias)).all())
        new = []
        for oid, alias in self.src.execute(select(al.actor_id, al.alias)):
            key = (self.actors[oid], alias)
            if alias != names[key[0]] and key not in known:
                known.add(key)
                new.append({"actor_id": key[0], "alias": alias})
        if new:
            self.s.execute(insert(m.ActorAlias), new)
        self.result.aliases_added += len(new)

    def _articles(self) -> None:
        c = _t(m.Article).c
        by_ext: dict[str, tuple[int, str]] = {}
        by_sha: dict[str, int] = {}
        for aid, ext, sha in self.s.execute(select(c.id, c.external_id, c.text_sha256)):
            by_ext[ext] = (aid, sha)
            by_sha.setdefault(sha, aid)
        for oid, ext, sha in self.src.execute(select(c.id, c.external_id, c.text_sha256)):
            mine = by_ext.get(ext)
            if mine is not None and mine[1] != sha:
                self.conflicted.add(oid)
                self.result.text_conflicts.append(ext)
            elif mine is not None or sha in by_sha:
                self.articles[oid] = mine[0] if mine is not None else by_sha[sha]
                self.result.articles_matched += 1
            else:
                self.new_articles.add(oid)
        self.result.text_conflicts.sort()
        if self.new_articles:
            for row in self.src.execute(_select_all(self.src, m.Article)):
                if row.id in self.new_articles:
                    self.articles[row.id] = self._insert(m.Article, **_without_id(row))
                    self.result.articles_added += 1

    def _mentions(self) -> None:
        c = _t(m.Mention).c
        rows = self.src.execute(_select_all(self.src, m.Mention).order_by(c.article_id, c.start))
        fresh = self.new_articles
        wanted = [r for r in rows if r.article_id in fresh
                  or (r.source == "manual" and r.article_id in self.articles)]  # fmt: skip
        known = {self.articles[r.article_id] for r in wanted if r.article_id not in fresh}
        spans: dict[int, list[tuple[int, int]]] = {}
        if known:
            stmt = select(c.article_id, c.start, c.end).where(c.article_id.in_(sorted(known)))
            for aid, start, end in self.s.execute(stmt):
                spans.setdefault(aid, []).append((start, end))
        new = []
        for r in wanted:
            article = self.articles[r.article_id]
            # A hand-marked mention joins a known article only where nothing overlaps it
            # (which also makes a second merge add nothing).
            if any(a < r.end and r.start < b for a, b in spans.get(article, ())):
                continue
            spans.setdefault(article, []).append((r.start, r.end))
            actor = None if r.actor_id is None else self.actors[r.actor_id]
            new.append(_without_id(r) | {"article_id": article, "actor_id": actor})
        if new:
            self.s.execute(insert(m.Mention), new)
        self.result.mentions_added += len(new)

    def _merge_labels(self) -> None:
        ours = {label.key: label for label in _labels(self.s.connection())}
        for label in _labels(self.src):
            article, actor, target, annotator = label.key
            if article in self.conflicted:
                self.result.labels_skipped += 1
                continue
            key = (self.articles[article], self.actors[actor], target, self.annotators[annotator])
            mine = ours.get(key)
            if mine is None:
                label_id = self._insert(
                    m.StanceAnnotation,
                    article_id=key[0], actor_id=key[1], target=target, annotator_id=key[3],
                    stance=label.stance, note=label.note,
                    created_at=label.created_at, updated_at=label.updated_at,
                )  # fmt: skip
                self._evidence_and_event(label_id, key, None, label)
                self.result.labels_added += 1
            elif mine.state() == label.state():
                self.result.labels_unchanged += 1
            elif label.updated_at > mine.updated_at:
                self.s.execute(
                    update(m.StanceAnnotation)
                    .where(_t(m.StanceAnnotation).c.id == mine.id)
                    .values(stance=label.stance, note=label.note, updated_at=label.updated_at)
                )
                self.s.execute(delete(m.Evidence).where(_t(m.Evidence).c.annotation_id == mine.id))
                self._evidence_and_event(mine.id, key, mine.state(), label)
                self.result.labels_updated += 1
            else:
                self.result.labels_kept += 1

    def _evidence_and_event(
        self, label_id: int, key: tuple[int, int, str, int], before: Any, label: _Label
    ) -> None:
        if label.evidence:
            rows = [{"annotation_id": label_id, "start": a, "end": b} for a, b in label.evidence]
            self.s.execute(insert(m.Evidence), rows)
        # History: a "merge" event (not a session action, so undo stacks stop there).
        self._insert(
            m.LabelEvent,
            at=self.now, annotator_id=key[3], article_id=key[0], actor_id=key[1],
            target=key[2], action="merge", before=before, after=label.state(),
        )  # fmt: skip

    def _done(self) -> None:
        c = _t(m.ArticleDone).c
        ours = set(self.s.execute(select(c.article_id, c.annotator_id)).all())
        new = []
        for article, annotator, done_at in self.src.execute(
            select(c.article_id, c.annotator_id, c.done_at)
        ):
            if article in self.conflicted:
                continue
            key = (self.articles[article], self.annotators[annotator])
            if key not in ours:
                ours.add(key)
                new.append({"article_id": key[0], "annotator_id": key[1], "done_at": done_at})
        if new:
            self.s.execute(insert(m.ArticleDone), new)
            # As set_done records it, but as a "merge": the history clears undo stacks there.
            events = [{"at": self.now, "action": "merge", "before": {"done": False},
                       "after": {"done": True}, "article_id": d["article_id"],
                       "annotator_id": d["annotator_id"]} for d in new]  # fmt: skip
            self.s.execute(insert(m.LabelEvent), events)
        self.result.done_added += len(new)
