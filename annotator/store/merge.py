"""Merging other annotators' project files into this one (the lead's project).

Articles match by external id and text hash (same id, other text: reported, not merged),
actors by canonical name, annotators by identity (below); labels keep their annotator and the
later `updated_at` wins; done marks come along. Merging only adds and updates, and merging
twice changes nothing. Details: docs/agreement.md.

Safety, in order:
1. Each other file is copied with SQLite's backup API into a private snapshot: one read
   transaction, so a file another process is writing is read at one commit, never a mix;
   the other file itself is only ever opened read-only by SQLite.
2. Every snapshot is checked like an import before anything is written: the project
   structure and schema, texts against their hashes, names against the limits, mentions
   and evidence inside their texts, targets and stances against the codebook.
3. All files are written in one transaction: either every file is merged or, on any
   error, none is and the project is exactly as it was.

Annotator identity: a name alone does not say who labelled. An annotator gets a `uid` when
they first label in a project file, and a merge carries it along. A file whose "anna" has
another uid than the project's "anna" is someone else who chose the same name: the merge
is refused (rename them with `renames={"anna": "anna-2"}`, `--rename` on the command line)
instead of letting their labels replace anna's. Annotators without a uid (older files,
names from an import) are matched by name, and the first uid a merge brings is recorded.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Table, create_engine, insert, inspect, select, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel

from annotator.codebook import Codebook, load_codebook
from annotator.errors import AnnotatorError, InputError, ProjectError
from annotator.files import project_files
from annotator.limits import check_meta, check_name
from annotator.progress import Progress
from annotator.store import models as m
from annotator.store.bulk import inserted_id
from annotator.store.copies import copy_database
from annotator.store.dialects import BUSY_TIMEOUT_MS, db_reason
from annotator.store.engine import SCHEMA_VERSION, Project
from annotator.store.labels import (
    GOLD_NAME,
    Action,
    CellKey,
    CellState,
    StoredCell,
    check_person_name,
    write_cell,
    write_done,
)
from annotator.store.merge_gold import gold_annotator, gold_problem, merge_gold
from annotator.store.models import text_hash

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
    identities_recorded: list[str] = field(default_factory=list)  # first uid for a name
    unverified: list[str] = field(default_factory=list)  # matched by name only (no uid)
    labels_added: int = 0
    labels_updated: int = 0  # the other file's label was newer and replaced ours
    labels_kept: int = 0  # ours was newer (or as new) and was kept
    labels_unchanged: int = 0
    labels_skipped: int = 0  # in articles with a text conflict
    done_added: int = 0
    # In a planned project, done marks on articles not (or no longer: reassigned) planned
    # for that coder: their labels count as one more coder's. Per annotator name.
    done_unassigned: dict[str, int] = field(default_factory=dict)
    gold_added: int = 0  # gold decisions brought in (store/merge_gold.py)
    gold_kept: int = 0  # decided differently here: ours kept
    curations_added: int = 0

    @property
    def label_conflicts(self) -> int:
        return self.labels_updated + self.labels_kept

    @property
    def changed(self) -> bool:
        added = (self.articles_added, self.actors_added, self.aliases_added, self.mentions_added)
        return any(
            (*added, self.annotators_added, self.identities_recorded)
            + (self.labels_added, self.labels_updated, self.done_added)
            + (self.gold_added, self.curations_added)
        )

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
        if self.gold_added or self.gold_kept or self.curations_added:
            parts.append(
                f"{self.gold_added} gold decision(s) and {self.curations_added} curation "
                f"state(s) added, {self.gold_kept} gold decision(s) kept as decided here"
            )
        if self.done_unassigned:
            parts.append(
                "done on articles not (or no longer) assigned to them, so counted as an extra "
                "coder: " + ", ".join(f"{n} {k}" for n, k in sorted(self.done_unassigned.items()))
            )
        if self.annotators_added:
            parts.append("new annotator(s): " + ", ".join(self.annotators_added))
        if self.unverified:
            parts.append(
                "matched by name only (the file does not say who they are): "
                + ", ".join(self.unverified)
            )
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


class IdentityConflict(ProjectError):
    """Two different people under one annotator name: `name` in file `path`."""

    def __init__(self, message: str, *, name: str, path: str) -> None:
        super().__init__(message)
        self.name = name
        self.path = path


# ------------------------------------------------------------------ reading the other file


def _source_connection(path: Path) -> sqlite3.Connection:
    """A connection that reads `path` under SQLite's locks.

    Opened read-write (no table is ever written) where the file allows it: as the last
    connection to close, it then removes the -wal/-shm it needed, as any closing program
    does, instead of leaving them beside the other file as a read-only one would. On
    read-only media it reads read-only; a WAL file there with no -wal beside it has nobody
    writing it, so the main file alone is the whole project.
    """
    uri = f"file:{quote(str(path.resolve()))}"
    timeout = BUSY_TIMEOUT_MS / 1000
    for mode in ("?mode=rw", "?mode=ro"):
        conn = sqlite3.connect(uri + mode, uri=True, timeout=timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise
    if Path(f"{path}-wal").exists():
        raise ProjectError(f"cannot merge {path}: it cannot be read here (read-only, in use)")
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True)


def _snapshot(path: Path, dest: Path) -> None:
    """Copy `path` into `dest` in one read transaction (store/copies.py)."""
    try:
        copy_database(path, dest, connect=_source_connection)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise ProjectError(
                f"cannot merge {path}: not a project file (not an SQLite database)"
            ) from None
        raise ProjectError(f"cannot merge {path}: {db_reason(exc)}") from None
    except ProjectError as exc:  # the copy failed its check
        raise ProjectError(f"cannot merge {path}: the file is damaged ({exc})") from None


def _snapshot_engine(snapshot: Path) -> Engine:
    uri = f"file:{quote(str(snapshot))}?mode=ro&immutable=1"
    connect = partial(sqlite3.connect, uri, uri=True, check_same_thread=False)
    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def _t(model: type[SQLModel]) -> Table:  # merging works on Core rows, not ORM objects
    return m.sa_table(model)


def _columns(conn: Connection, model: Any) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(_t(model).name)}


def _select_all(conn: Connection, model: Any) -> Any:
    """SELECT of the model's columns that the file has (an older schema may lack some)."""
    present = _columns(conn, model)
    return select(*[c for c in _t(model).c if c.name in present])


class _Invalid(Exception):
    pass


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise _Invalid(message)


def _checked_name(value: Any, what: str) -> str:
    try:
        return check_name(value, what)
    except InputError as exc:
        raise _Invalid(exc.detail) from None


def _validate(conn: Connection, codebook: Codebook) -> None:
    """Check a snapshot as an import checks its input; raise _Invalid saying what is wrong."""
    a, ac, al = _t(m.Article).c, _t(m.Actor).c, _t(m.ActorAlias).c
    lengths: dict[int, tuple[str, int]] = {}
    for aid, ext, text, sha, meta in conn.execute(
        select(a.id, a.external_id, a.text, a.text_sha256, a.meta)
    ):
        _check(isinstance(ext, str) and bool(ext), f"article {aid} has no id")
        _check(isinstance(text, str), f"article {ext!r} has no text")
        _check(text_hash(text) == sha, f"article {ext!r}: the text does not match its hash")
        try:
            check_meta(meta if meta is not None else {})
        except InputError as exc:
            raise _Invalid(f"article {ext!r}: {exc.detail}") from None
        lengths[aid] = (ext, len(text))
    actors = set()
    for aid, name, label in conn.execute(select(ac.id, ac.name, ac.label)):
        _checked_name(name, "actor name")
        _check(label in m.MENTION_LABELS, f"actor {name!r} has the unknown label {label!r}")
        actors.add(aid)
    for aid, alias in conn.execute(select(al.actor_id, al.alias)):
        _check(aid in actors, f"alias {alias!r} belongs to no actor")
        _checked_name(alias, "alias")
    annotators = {}
    for aid, name in conn.execute(select(_t(m.Annotator).c.id, _t(m.Annotator).c.name)):
        annotators[aid] = _checked_name(name, "annotator name")
    mc = _t(m.Mention).c
    for art, start, end, label, actor, source in conn.execute(
        select(mc.article_id, mc.start, mc.end, mc.label, mc.actor_id, mc.source)
    ):
        _check(art in lengths, f"a mention belongs to no article (article {art})")
        ext, n = lengths[art]
        _check(
            0 <= start < end <= n, f"article {ext!r}: mention {start}-{end} lies outside the text"
        )
        _check(label in m.MENTION_LABELS, f"article {ext!r}: mention label {label!r} is unknown")
        _check(source in m.MENTION_SOURCES, f"article {ext!r}: mention source {source!r}")
        _check(actor is None or actor in actors, f"article {ext!r}: a mention names no actor")
    spans: dict[int, list[tuple[int, int]]] = {}
    ev = _t(m.Evidence).c
    for label_id, start, end in conn.execute(select(ev.annotation_id, ev.start, ev.end)):
        spans.setdefault(label_id, []).append((start, end))
    sc = _t(m.StanceAnnotation).c
    targets, stances = set(codebook.target_ids), set(codebook.stance_ids)
    for lid, art, actor, target, stance, annotator in conn.execute(
        select(sc.id, sc.article_id, sc.actor_id, sc.target, sc.stance, sc.annotator_id)
    ):
        _check(art in lengths and actor in actors and annotator in annotators,
               f"label {lid} refers to an article, actor or annotator the file lacks")  # fmt: skip
        ext, n = lengths[art]
        _check(
            target in targets,
            f"article {ext!r}: {annotators[annotator]} labelled target {target!r}, which the "
            f"codebook does not know (it has {', '.join(codebook.target_ids)})",
        )
        _check(
            stance is None or stance in stances,
            f"article {ext!r}: {annotators[annotator]} gave stance {stance!r}, which the "
            f"codebook does not know (it has {', '.join(codebook.stance_ids)})",
        )
        for start, end in spans.pop(lid, ()):
            _check(0 <= start < end <= n, f"article {ext!r}: evidence {start}-{end} lies "
                   f"outside the text (length {n})")  # fmt: skip
    _check(not spans, "evidence belongs to no label")
    dc = _t(m.ArticleDone).c
    for art, annotator in conn.execute(select(dc.article_id, dc.annotator_id)):
        _check(art in lengths and annotator in annotators, "a done mark refers to nothing")
    problem = gold_problem(conn, set(lengths), actors, set(annotators))
    _check(problem is None, problem or "")


@contextmanager
def _opened(
    path: str | Path, target: Project, folder: Path, codebook: Codebook
) -> Iterator[Engine]:
    """A checked, read-only snapshot of another project file."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ProjectError(f"cannot merge {path}: no such file")
    if path.is_dir():
        raise ProjectError(f"cannot merge {path}: it is a folder, not a project file")
    if target.path is not None and any(
        own.exists() and path.samefile(own) for own in project_files(target.path)
    ):
        raise ProjectError(f"cannot merge {path} into itself")
    snapshot = folder / f"{len(list(folder.iterdir()))}.db"
    _snapshot(path, snapshot)
    engine = _snapshot_engine(snapshot)
    try:
        with engine.connect() as conn:
            if not set(inspect(conn).get_table_names()) >= _REQUIRED:
                raise ProjectError(f"cannot merge {path}: not a stance-annotator project")
            info = _t(m.ProjectInfo).c
            version = conn.execute(
                select(info.value).where(info.key == "schema_version")
            ).scalar_one_or_none()
            if int(version or 0) > SCHEMA_VERSION:
                raise ProjectError(
                    f"cannot merge {path}: it was written by a newer version of the tool "
                    f"(schema {version}, this version knows up to {SCHEMA_VERSION})"
                )
            _validate(conn, codebook)
    except _Invalid as exc:
        engine.dispose()
        raise ProjectError(f"cannot merge {path}: {exc}; nothing was merged") from None
    except (DatabaseError, OperationalError, ValueError) as exc:
        engine.dispose()
        raise ProjectError(f"cannot merge {path}: {_reason(exc)}") from None
    except BaseException:
        engine.dispose()
        raise
    try:
        yield engine
    finally:
        engine.dispose()


def merge_projects(
    target: Project,
    others: Sequence[str | Path],
    *,
    codebook: Codebook | None = None,
    renames: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the other project files into `target`; see the module docstring for the rules.

    `renames` maps an annotator name in the other files to the name their labels get here.
    """
    codebook = codebook or load_codebook()
    renames = {k: check_person_name(v) for k, v in (renames or {}).items()}
    with tempfile.TemporaryDirectory(prefix="annotator-merge-") as tmp, ExitStack() as stack:
        sources = [
            (str(other), stack.enter_context(_opened(other, target, Path(tmp), codebook)))
            for other in others
        ]  # every file is copied and checked before anything is written
        report = MergeReport()
        if progress:
            progress(0, len(sources))
        try:
            with target.write() as s:
                for done, (name, engine) in enumerate(sources, start=1):
                    with engine.connect() as conn:
                        result = FileMerge(path=name)
                        _Merger(s, conn, result, renames).run()
                    report.files.append(result)
                    if progress:
                        progress(done, len(sources))
        except IdentityConflict:
            raise
        except (DatabaseError, OperationalError, AnnotatorError) as exc:
            raise ProjectError(
                f"merging failed and the project was left unchanged: {_reason(exc)}"
            ) from None
        return report


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


# ------------------------------------------------------------------ writing


def _without_id(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row._mapping.items() if k != "id"}


@dataclass
class _Label:
    row_id: int
    key: tuple[int, int, str, int]  # article, actor, target, annotator
    state: CellState
    created_at: datetime
    updated_at: datetime


def _labels(conn: Connection) -> list[_Label]:
    ev = _t(m.Evidence).c
    spans: dict[int, list[tuple[int, int]]] = {}
    for aid, start, end in conn.execute(select(ev.annotation_id, ev.start, ev.end)):
        spans.setdefault(aid, []).append((start, end))
    return [
        _Label(
            r.id,
            (r.article_id, r.actor_id, r.target, r.annotator_id),
            CellState(r.stance, tuple(sorted(spans.get(r.id, ()))), r.note),
            r.created_at,
            r.updated_at,
        )
        for r in conn.execute(_select_all(conn, m.StanceAnnotation))
    ]


class _Merger:
    """Copies one other file (`src`, a checked snapshot) into the target session `s`."""

    def __init__(
        self, s: Session, src: Connection, result: FileMerge, renames: Mapping[str, str]
    ) -> None:
        self.s, self.src, self.result, self.renames = s, src, result, renames
        self.annotators: dict[int, int] = {}  # other file's id -> our id, likewise below
        self.actors: dict[int, int] = {}
        self.articles: dict[int, int] = {}
        self.new_articles: set[int] = set()  # other ids of articles we did not have
        self.conflicted: set[int] = set()  # other ids of articles whose text differs
        self.src_gold = gold_annotator(src)  # the other file's gold annotator, if any

    def run(self) -> None:
        # In this order: each step maps the ids the next one needs.
        for step in (self._annotators, self._actors, self._articles, self._mentions,
                     self._merge_labels, self._done, self._gold):  # fmt: skip
            step()

    def _gold(self) -> None:
        gold = merge_gold(self.s, self.src, annotators=self.annotators, actors=self.actors,
                          articles=self.articles, conflicted=self.conflicted)  # fmt: skip
        self.result.gold_added += gold.added
        self.result.gold_kept += gold.kept
        self.result.curations_added += gold.curations_added

    def _insert(self, model: Any, **values: Any) -> int:
        return inserted_id(self.s.execute(insert(model).values(**values)))

    def _annotators(self) -> None:
        c = _t(m.Annotator).c
        ours = {r.name: r for r in self.s.execute(select(c.id, c.name, c.uid))}
        by_uid = {r.uid: r for r in ours.values() if r.uid is not None}
        has_uid = "uid" in _columns(self.src, m.Annotator)
        cols = [c.id, c.name, c.uid] if has_uid else [c.id, c.name]
        for row in self.src.execute(select(*cols)):
            if row.id == self.src_gold:
                continue  # the gold standard's labels come along in _gold
            uid = row.uid if has_uid else None
            name = self.renames.get(row.name, row.name)
            if name == GOLD_NAME:
                raise IdentityConflict(
                    f"the annotator {row.name!r} in {self.result.path} has a name now reserved "
                    f"for the curated gold standard; nothing was merged. Merge again giving them "
                    f"another name: --rename {row.name}={row.name}-2",
                    name=row.name,
                    path=self.result.path,
                )
            if uid is not None and uid in by_uid:
                self.annotators[row.id] = by_uid[uid].id  # the same person (maybe renamed)
                continue
            mine = ours.get(name)
            if mine is None:
                self.annotators[row.id] = self._insert(m.Annotator, name=name, uid=uid)
                self.result.annotators_added.append(name)
            elif mine.uid is not None and uid is not None:
                raise IdentityConflict(
                    f"the annotator {row.name!r} in {self.result.path} is not the {name!r} of "
                    f"this project (another person who chose the same name); nothing was "
                    f"merged. Merge again giving them another name: "
                    f"--rename {row.name}={row.name}-2",
                    name=row.name,
                    path=self.result.path,
                )
            else:
                if uid is not None:  # first time we learn who this name belongs to
                    self.s.execute(update(_t(m.Annotator)).where(c.id == mine.id).values(uid=uid))
                    self.result.identities_recorded.append(name)
                else:
                    self.result.unverified.append(name)
                self.annotators[row.id] = mine.id

    def _actors(self) -> None:
        c, al = _t(m.Actor).c, _t(m.ActorAlias).c
        ours = dict(self.s.execute(select(c.name, c.id)).all())
        for row in self.src.execute(select(c.id, c.name, c.type, c.label, c.origin)):
            if row.name not in ours:
                ours[row.name] = self._insert(m.Actor, **_without_id(row))
                self.result.actors_added += 1
            self.actors[row.id] = ours[row.name]
        names = {aid: name for name, aid in ours.items()}
        # Rows, then plain tuples: a Row equals (and hashes as) the tuple of its values.
        known: set[Sequence[Any]] = set(self.s.execute(select(al.actor_id, al.alias)).all())
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
                by_sha[sha] = -1  # the same text twice in one file is one article
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
        now = m.utcnow()
        for label in _labels(self.src):
            article, actor, target, annotator = label.key
            if annotator == self.src_gold:
                continue  # gold labels come along with their provenance in _gold
            if article in self.conflicted:
                self.result.labels_skipped += 1
                continue
            key = (self.articles[article], self.actors[actor], target, self.annotators[annotator])
            mine = ours.get(key)
            if mine is not None and mine.state == label.state:
                self.result.labels_unchanged += 1
                continue
            if mine is not None and label.updated_at <= mine.updated_at:
                self.result.labels_kept += 1
                continue
            # A "merge" event, not a session action: undo stacks stop there.
            write_cell(
                self.s,
                key[3],
                CellKey(key[0], key[1], target),
                label.state,
                Action.MERGE,
                current=StoredCell(mine.row_id, mine.state)
                if mine
                else StoredCell(None, CellState()),
                at=now,
                created_at=label.created_at,
                updated_at=label.updated_at,
            )
            if mine is None:
                self.result.labels_added += 1
            else:
                self.result.labels_updated += 1

    def _done(self) -> None:
        c = _t(m.ArticleDone).c
        ours: set[Sequence[Any]] = set(self.s.execute(select(c.article_id, c.annotator_id)).all())
        a = _t(m.Assignment).c
        planned = set(self.s.execute(select(a.article_id, a.annotator_id)).all())
        n = _t(m.Annotator).c
        names = dict(self.s.execute(select(n.id, n.name)).all()) if planned else {}
        now = m.utcnow()
        for article, annotator, done_at in self.src.execute(
            select(c.article_id, c.annotator_id, c.done_at)
        ):
            if article in self.conflicted or annotator == self.src_gold:
                continue
            key = (self.articles[article], self.annotators[annotator])
            if key not in ours:
                ours.add(key)
                write_done(self.s, key[0], key[1], True, Action.MERGE, at=now, done_at=done_at)
                self.result.done_added += 1
                if planned and key not in planned:
                    name = names.get(key[1], str(key[1]))
                    self.result.done_unassigned[name] = self.result.done_unassigned.get(name, 0) + 1
