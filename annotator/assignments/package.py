"""Packages for offline coders: a project file holding exactly one annotator's work.

A package has
- the annotator's assigned articles (with their mentions, sentences and boilerplate) and
  her queue (positions) and the plan's seed and team, so the window shows her queue in her
  order; never which of her articles are double-coded (no overlap marks, no overlap
  share): a coder who knows which articles are checked for agreement may code those with
  more care, and agreement would then overstate the reliability of the rest;
- all actors and aliases, not only those in her articles: marking an actor by hand offers
  the project's actors to choose from and re-highlights their names, and merging maps
  actors by name, so extra actors cost a few kilobytes and never duplicate anything;
- the annotator herself WITH her identity (uid): merging the package back maps her labels
  to the same person (store/merge.py), never to a namesake. A project file gives her a uid
  first if she has none yet;
- her earlier labels (stance, evidence, note, times) and done marks in those articles,
  each written through store.labels.write_cell / write_done with one "import" event, so the
  history says where they came from and undo stops there. Her older history events stay
  in the lead's project: they refer to states before the package and would let undo reach
  behind it;
- nobody else's labels (blind annotation), and the codebook it was made with and where it
  came from, in projectinfo ("codebook", "package").
- the lead's suggestion switches, never on where the lead has them off (_suggestions);
  no stored suggestions and no models: the window works out the rules' suggestions itself.

The package is built in a scratch folder (files.scratch_folder: a killed run's is removed
by the next) and copied with SQLite's backup API through files.pending_file
(store/copies.py): checked, synced, renamed into place. An existing file is never replaced,
whatever it holds.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlmodel import Session

from annotator.codebook import Codebook
from annotator.errors import InputError, ProjectError
from annotator.files import check_output, scratch_folder
from annotator.store import assignments as plans
from annotator.store import models as m
from annotator.store.annotators import GOLD_KIND, new_uid
from annotator.store.bulk import inserted_id
from annotator.store.copies import copy_database, reason
from annotator.store.engine import Project, open_project
from annotator.store.label_reads import Label, LabelFilter, read_labels
from annotator.store.labels import Action, CellKey, CellState, StoredCell, write_cell, write_done
from annotator.store.models import ProjectInfo, sa_table, utcnow
from annotator.store.suggestions import SuggestionSettings, settings_row
from annotator.store.suggestions import settings as suggestion_settings

PACKAGE_KEY = "package"
CODEBOOK_KEY = "codebook"


@dataclass
class PackageReport:
    annotator: str
    path: Path
    articles: int = 0
    labels: int = 0
    done: int = 0
    actors: int = 0

    def summary(self) -> str:
        return (
            f"{self.path}: {self.annotator}'s {self.articles} article(s), {self.labels} earlier "
            f"label(s), {self.done} done mark(s), {self.actors} actor(s)"
        )


@dataclass
class _Content:
    """What goes into one package, read from the lead's project."""

    annotator: dict[str, Any]
    queue: list[plans.AssignmentRow]
    articles: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    done: list[dict[str, Any]] = field(default_factory=list)


def _t(model: Any) -> Table:
    return sa_table(model)


def _rows(s: Session, stmt: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in s.execute(stmt).all()]


def _ensure_uid(project: Project, name: str) -> None:
    """Give the annotator an identity in a project file, as labelling would."""
    if project.path is None:
        return  # on a server the login role is the identity (docs/team.md)
    a = _t(m.Annotator)
    with project.write() as s:
        s.execute(update(a).where(a.c.name == name, a.c.uid.is_(None)).values(uid=new_uid()))


def _check(project: Project, name: str) -> None:
    """Refuse before anything is written (the uid): a refused package leaves the project
    exactly as it was."""
    with project.session() as s:
        a = _t(m.Annotator)
        found = _rows(s, select(a.c.id, a.c.kind).where(a.c.name == name))
        if not found:
            raise InputError(f"the project has no annotator {name!r}")
        if found[0]["kind"] == GOLD_KIND:
            raise InputError(f"{name!r} is the gold standard, not a coder: it gets no package")
        if not plans.assignment_rows(s, found[0]["id"]):
            raise InputError(f"{name!r} has no assigned articles: plan first (`annotator assign`)")


def _read(project: Project, name: str) -> _Content:
    _check(project, name)
    _ensure_uid(project, name)
    with project.session() as s:
        a = _t(m.Annotator)
        found = _rows(
            s, select(a.c.id, a.c.name, a.c.uid, a.c.kind, a.c.created_at).where(a.c.name == name)
        )
        who = found[0]
        queue = plans.assignment_rows(s, who["id"])
        ids = [r.article_id for r in queue]
        content = _Content(annotator=who, queue=queue)
        art, men = _t(m.Article), _t(m.Mention)
        content.articles = _rows(s, select(art).where(art.c.id.in_(ids)))
        content.mentions = _rows(s, select(men).where(men.c.article_id.in_(ids)))
        content.actors = _rows(s, select(_t(m.Actor)))
        content.aliases = _rows(s, select(_t(m.ActorAlias)))
        content.labels = read_labels(
            s, LabelFilter(articles=ids, annotators=(who["id"],)), times=True
        )
        dn = _t(m.ArticleDone)
        content.done = _rows(
            s, select(dn).where(dn.c.annotator_id == who["id"], dn.c.article_id.in_(ids))
        )
    return content


def _without_id(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "id"}


def _insert(s: Session, model: Any, values: dict[str, Any]) -> int:
    return inserted_id(s.execute(insert(_t(model)).values(**values)))


def _copy_shared(s: Session, content: _Content) -> tuple[dict[int, int], dict[int, int]]:
    """Actors, aliases, articles and mentions, in bulk and under the lead's own ids (the
    package is a new file: every id is free, and merged actors keep pointing at the actor
    they became); returns the id maps of actors and articles."""
    if content.actors:
        s.execute(insert(_t(m.Actor)), [r | {"merged_into": None} for r in content.actors])
        merged = [{"aid": r["id"], "into": r["merged_into"]} for r in content.actors
                  if r.get("merged_into") is not None]  # fmt: skip
        if merged:
            actor = _t(m.Actor)
            s.execute(update(actor).where(actor.c.id == bindparam("aid"))
                      .values(merged_into=bindparam("into")), merged)  # fmt: skip
    if content.aliases:
        s.execute(insert(_t(m.ActorAlias)), [_without_id(r) for r in content.aliases])
    if content.articles:
        s.execute(insert(_t(m.Article)), content.articles)
    if content.mentions:
        s.execute(insert(_t(m.Mention)), [_without_id(r) for r in content.mentions])
    same = {r["id"]: r["id"] for r in content.actors}
    return same, {r["id"]: r["id"] for r in content.articles}


def _info(s: Session, key: str, value: dict[str, Any]) -> None:
    s.merge(ProjectInfo(key=key, value=json.dumps(value, ensure_ascii=False, sort_keys=True)))


def _fill(
    package: Project, content: _Content, source: Project, codebook: Codebook
) -> PackageReport:
    who = content.annotator
    now = utcnow()
    with package.write() as s:
        values = {k: who[k] for k in ("name", "uid", "created_at")}
        annotator = _insert(s, m.Annotator, values | {"kind": who["kind"] or "person"})
        actors, articles = _copy_shared(s, content)
        plans.insert_assignments(
            s,
            [
                plans.NewAssignment(articles[q.article_id], annotator, q.position, False)
                for q in content.queue
            ],
        )
        empty = StoredCell(None, CellState())
        for label in content.labels:
            key = CellKey(articles[label.article_id], actors[label.actor_id], label.target)
            write_cell(s, annotator, key, label.state, Action.IMPORT, current=empty, at=now,
                       created_at=label.created_at, updated_at=label.updated_at)  # fmt: skip
        for row in content.done:
            article = articles[row["article_id"]]
            write_done(s, article, annotator, True, Action.IMPORT, at=now, done_at=row["done_at"])
        settings = plans.plan_settings(source)
        if settings is not None:
            hidden = ("overlap", "coders_per_overlap")
            _info(s, plans.PLAN_KEY, {k: v for k, v in settings.items() if k not in hidden})
        s.merge(settings_row(_suggestions(source, content)))
        _info(s, CODEBOOK_KEY, _codebook(codebook))
        made = now.isoformat(timespec="seconds")
        _info(s, PACKAGE_KEY, {"annotator": who["name"], "from": source.db, "made_at": made,
                               "articles": len(content.articles)})  # fmt: skip
    return PackageReport(
        who["name"],
        Path(),
        articles=len(content.articles),
        labels=len(content.labels),
        done=len(content.done),
        actors=len(content.actors),
    )


def _suggestions(source: Project, content: _Content) -> SuggestionSettings:
    """The lead's suggestion switches, for a package: off stays off; kept off double-coded
    articles, they are off in the whole package when she has any, since a package never
    says which of her articles those are. (She leads her own file and could switch them
    on: what she accepts is marked in the history and comes back with the merge.)"""
    chosen = suggestion_settings(source)
    on = chosen.enabled and (chosen.on_overlap or not any(q.overlap for q in content.queue))
    return SuggestionSettings(enabled=on, on_overlap=True)


def _codebook(codebook: Codebook) -> dict[str, Any]:
    return {
        "name": codebook.name,
        "file": Path(codebook.path).name if codebook.path else None,
        "targets": list(codebook.target_ids),
        "stances": list(codebook.stance_ids),
    }


def _refuse_existing(path: Path, project: Project) -> Path:
    protect = [project.path] if project.path is not None else []
    target = check_output(path, protect=protect)
    if target.exists() or target.is_symlink():
        raise InputError(f"{target} exists: a package never replaces a file; name a new one")
    return target


def write_package(
    project: Project, annotator: str, path: str | Path, codebook: Codebook
) -> PackageReport:
    """Write `annotator`'s package to `path`, which must not exist yet."""
    target = _refuse_existing(Path(path).expanduser(), project)
    content = _read(project, annotator)
    with scratch_folder("package") as tmp:
        built = tmp / "package.db"
        package = open_project(str(built))
        try:
            report = _fill(package, content, project, codebook)
        finally:
            package.close()
        try:
            copy_database(built, target)
        except (OSError, sqlite3.Error, ProjectError) as exc:
            raise ProjectError(f"cannot write the package {target}: {reason(exc)}") from None
    report.path = target
    return report


def file_name(name: str, taken: set[str]) -> str:
    """A file name for an annotator's package: her name, made safe for every file system."""
    stem = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._") or "annotator"
    candidate, n = f"{stem}.db", 2
    while candidate.casefold() in taken:
        candidate, n = f"{stem}-{n}.db", n + 1
    taken.add(candidate.casefold())
    return candidate


def write_packages(
    project: Project,
    folder: str | Path,
    codebook: Codebook,
    annotators: Sequence[str] | None = None,
) -> list[PackageReport]:
    """One package per annotator with assignments (or those named) in `folder`; every
    target is checked before the first is written."""
    names = list(annotators or dict.fromkeys(r.annotator for r in plans.read_assignments(project)))
    if not names:
        raise InputError("the project has no assignment plan: plan first (`annotator assign`)")
    where = Path(folder).expanduser()
    if where.exists() and not where.is_dir():
        raise InputError(f"{where} is not a folder; with --all, -o names a folder")
    taken: set[str] = set()
    targets = [(name, _refuse_existing(where / file_name(name, taken), project)) for name in names]
    where.mkdir(parents=True, exist_ok=True)
    return [write_package(project, name, target, codebook) for name, target in targets]
