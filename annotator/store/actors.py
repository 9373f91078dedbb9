"""Actors (canonical names with aliases): upsert, list, manual mentions, merge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, delete, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from annotator.errors import ConflictError, InputError
from annotator.limits import check_marked_text, check_name
from annotator.store.bulk import insert_many
from annotator.store.engine import Project
from annotator.store.models import (
    Actor,
    ActorAlias,
    Article,
    Mention,
    sa_table,
)


class ActorLike(Protocol):
    # Read-only, so frozen dataclasses (ActorEntry, ActorRecord) match.
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class ActorRecord:
    id: int
    name: str
    type: str
    label: str
    aliases: tuple[str, ...]
    origin: str = "lexicon"


def actor_ids(session: Session) -> dict[str, int]:
    """Actor ids by canonical name; the name of an actor merged into another maps to the
    actor it became (store/actor_merge.py), so nothing brings a merged-away actor back."""
    a = sa_table(Actor).c
    rows = session.execute(sa_select(a.id, a.name, a.merged_into)).all()
    into = {int(i): int(m) for i, _n, m in rows if m is not None}
    out = {}
    for aid, name, _m in rows:
        final, seen = int(aid), set()
        while final in into and final not in seen:
            seen.add(final)
            final = into[final]
        out[str(name)] = final
    return out


def actor_names(source: Connection | Session) -> dict[int, str]:
    """Every actor's canonical name by id."""
    a = sa_table(Actor).c
    conn = source.connection() if isinstance(source, Session) else source
    return {int(i): str(n) for i, n in conn.execute(sa_select(a.id, a.name))}


def ensure_actors(
    session: Session, entries: Iterable[ActorLike], *, origin: str = "lexicon"
) -> dict[str, int]:
    """Insert actors that are new by name and aliases that are new; return name -> id."""
    ids = actor_ids(session)
    entries = list(entries)
    # Rows in bulk: a new project gets the whole lexicon (650 actors, 1,500 aliases), and
    # one ORM flush per actor took seconds of every first import and first window start.
    new: dict[str, ActorLike] = {}
    for e in entries:
        if e.name not in ids:
            new.setdefault(e.name, e)
    session.flush()  # objects the caller added must be in the table before the bulk insert
    insert_many(
        session, sa_table(Actor), ("name", "type", "label", "origin"),
        [(e.name, e.type, e.label, origin) for e in new.values()],
    )  # fmt: skip
    if new:
        ids = actor_ids(session)
    known_aliases = {
        (aid, alias) for aid, alias in session.exec(select(ActorAlias.actor_id, ActorAlias.alias))
    }
    rows: list[tuple[int, str]] = []
    for entry in entries:
        aid = ids[entry.name]
        for alias in entry.aliases:
            if alias and alias != entry.name and (aid, alias) not in known_aliases:
                rows.append((aid, alias))
                known_aliases.add((aid, alias))
    insert_many(session, sa_table(ActorAlias), ("actor_id", "alias"), rows)
    return ids


def list_actors(project: Project) -> list[ActorRecord]:
    """The actors there are: not those merged into another (their names are its aliases)."""
    with project.session() as s:
        actors = s.exec(
            select(Actor).where(col(Actor.merged_into).is_(None)).order_by(Actor.name)
        ).all()
        aliases: dict[int, list[str]] = {}
        for aid, alias in s.exec(select(ActorAlias.actor_id, ActorAlias.alias)):
            aliases.setdefault(aid, []).append(alias)
    return [
        ActorRecord(
            id=a.id,  # type: ignore[arg-type]
            name=a.name,
            type=a.type,
            label=a.label,
            aliases=tuple(sorted(aliases.get(a.id, []))),  # type: ignore[arg-type]
            origin=a.origin,
        )
        for a in actors
    ]


def add_manual_mention(
    project: Project,
    article_id: int,
    start: int,
    end: int,
    *,
    actor_name: str,
    label: str = "PER",
    actor_type: str = "person",
) -> tuple[int, int]:
    """Store a mention the annotator marked by hand; return (mention id, actor id).

    The marked text becomes an alias of the actor (created if new), so later highlighting
    finds it in other articles too. In a project file the manual mention replaces automatic
    ones it overlaps. On a team server mentions are shared: the server's checked function
    (server/guards.py) adds it beside them and never removes one.
    """
    actor_name = check_name(actor_name, "actor name")
    with project.write() as s:
        article = s.get(Article, article_id)
        if article is None:
            raise ConflictError(f"article {article_id} does not exist")
        if not (0 <= start < end <= len(article.text)):
            raise InputError(f"span {start}-{end} lies outside the article text")
        # The marked text becomes an alias, part of every later highlighting pattern: whole
        # words, no stop word (the server's team_mark_actor checks the same rule).
        surface = check_marked_text(article.text, start, end)
        if project.dialect == "postgresql" and s.execute(_HAS_MARK_ACTOR).scalar():
            where = {"a": article_id, "s": start, "e": end}
            who = {"n": actor_name, "l": label, "t": actor_type}
            mention_id, actor_id = s.execute(_MARK_ACTOR, params=where | who).one()
            return mention_id, actor_id
        actor = s.exec(select(Actor).where(Actor.name == actor_name)).first()
        if actor is not None and actor.merged_into is not None:  # the actor it became
            actor = s.get(Actor, actor_ids(s)[actor_name])
        if actor is None:
            actor = Actor(name=actor_name, type=actor_type, label=label, origin="manual")
            s.add(actor)
            s.flush()
        if surface != actor.name:
            exists_ = s.exec(
                select(ActorAlias).where(
                    ActorAlias.actor_id == actor.id, ActorAlias.alias == surface
                )
            ).first()
            if exists_ is None:
                s.add(ActorAlias(actor_id=actor.id, alias=surface))  # type: ignore[arg-type]
        # A manual mention replaces automatic ones it overlaps: the annotator knows better.
        s.exec(
            delete(Mention).where(
                col(Mention.article_id) == article_id,
                col(Mention.start) < end,
                col(Mention.end) > start,
            )
        )
        mention = Mention(
            article_id=article_id,
            start=start,
            end=end,
            label=label,
            actor_id=actor.id,
            source="manual",
        )
        s.add(mention)
        s.flush()
        return mention.id, actor.id  # type: ignore[return-value]


# Team mode (annotator/server/guards.py): set up by `server init`.
_HAS_MARK_ACTOR = text(
    "SELECT to_regprocedure('team_mark_actor(integer, integer, integer, text, text, text)')"
)
_MARK_ACTOR = text(
    "SELECT marked_mention, marked_actor FROM team_mark_actor(:a, :s, :e, :n, :l, :t)"
)
