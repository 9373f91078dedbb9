"""Who the people of another project file are here (store/merge.py): its annotators mapped
to this project's by identity, and the check that a coder's file holds one person's work.

- A coder's file (a package) must hold the work (labels, done marks, history) of exactly one
  person, with her identity (uid), and no gold standard or curation states.
- A uid this project knows belongs to the annotator of that name here; the same uid on
  another name is refused (impersonation, or a rename the lead must confirm with --rename).
- A name this project knows with another uid is another person who chose the same name:
  refused with a --rename hint. A name without a uid on either side is matched by name (files
  from before identities, in a whole-project merge), and the first uid a merge brings is kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlmodel import Session

from annotator.errors import InputError
from annotator.store import models as m
from annotator.store.annotators import GOLD_KIND, GOLD_NAME
from annotator.store.bulk import inserted_id
from annotator.store.merge_gold import has_gold_tables
from annotator.store.merge_report import FileMerge, IdentityConflict
from annotator.store.models import sa_table as _t

WHOLE_HINT = "if this is a project of your own, not a coder's file, merge it with --whole-project"


def refusal(path: str, message: str) -> InputError:
    return InputError(f"cannot merge {path}: {message}; nothing was merged")


@dataclass(frozen=True)
class _Known:
    id: int
    name: str
    uid: str | None


def people_with_work(src: Connection) -> list[Any]:
    """The file's people who labelled, marked done or changed anything there."""
    c = _t(m.Annotator).c
    worked: set[int] = set()
    for table in (m.StanceAnnotation, m.ArticleDone, m.LabelEvent):
        column = _t(table).c.annotator_id
        worked |= {int(a) for (a,) in src.execute(select(column).distinct())}
    rows = src.execute(select(c.id, c.name, c.uid, c.kind).order_by(c.id)).all()
    return [r for r in rows if r.id in worked and r.kind != GOLD_KIND]


def check_coders_file(
    src: Connection, src_gold: int | None, people: Sequence[Any], path: str
) -> None:
    """A coder's file holds one person's work, with her identity, and no gold."""
    label = _t(m.StanceAnnotation)
    gold_rows = src_gold is not None and bool(src.execute(
        select(func.count()).select_from(label).where(label.c.annotator_id == src_gold)
    ).scalar())  # fmt: skip
    if not gold_rows and has_gold_tables(src):
        gold_rows = any(
            src.execute(select(func.count()).select_from(_t(t))).scalar()
            for t in (m.GoldOrigin, m.Curation)
        )
    if gold_rows:
        raise refusal(path, "it holds gold-standard decisions or curation states, which a "
                      f"coder's file never does ({WHOLE_HINT})")  # fmt: skip
    if len(people) > 1:
        names = ", ".join(repr(p.name) for p in people)
        raise refusal(path, f"it holds the work of {len(people)} annotators ({names}), a "
                      f"coder's file that of one ({WHOLE_HINT})")  # fmt: skip
    if people and not people[0].uid:
        raise refusal(path, f"it does not say who {people[0].name!r} is (no identity, as in "
                      f"files made before identities; {WHOLE_HINT})")  # fmt: skip


def map_annotators(
    s: Session,
    src: Connection,
    result: FileMerge,
    renames: Mapping[str, str],
    *,
    whole_project: bool,
    src_gold: int | None,
) -> dict[int, int]:
    """The file's annotator ids -> this project's: every person's in a whole project, the one
    coder's otherwise (after checking that it is a coder's file)."""
    c = _t(m.Annotator).c
    ours = {
        r.name: _Known(int(r.id), r.name, r.uid) for r in s.execute(select(c.id, c.name, c.uid))
    }
    by_uid = {k.uid: k for k in ours.values() if k.uid is not None}
    people = people_with_work(src)
    if not whole_project:
        check_coders_file(src, src_gold, people, result.path)
        theirs = people
    else:
        theirs = [r for r in src.execute(select(c.id, c.name, c.uid)).all() if r.id != src_gold]
    return {int(row.id): _map_one(s, row, ours, by_uid, renames, result) for row in theirs}


def _map_one(
    s: Session,
    row: Any,
    ours: dict[str, _Known],
    by_uid: dict[str, _Known],
    renames: Mapping[str, str],
    result: FileMerge,
) -> int:
    path, name = result.path, renames.get(row.name, row.name)
    rename = f"--rename {row.name}={row.name}-2"
    if name == GOLD_NAME:
        raise IdentityConflict(
            f"the annotator {row.name!r} in {path} has a name reserved for the curated gold "
            f"standard; nothing was merged. Merge again giving them another name: {rename}",
            name=row.name, path=path)  # fmt: skip
    uid = row.uid
    if uid is not None and uid in by_uid:
        holder = by_uid[uid]
        if holder.name != name:  # a uid on another name: impersonation, or a rename
            raise IdentityConflict(
                f"the annotator {row.name!r} in {path} carries the identity of "
                f"{holder.name!r} in this project; nothing was merged (if it really is "
                f"{holder.name}, merge with --rename {row.name}={holder.name})",
                name=row.name, path=path)  # fmt: skip
        return holder.id
    mine = ours.get(name)
    if mine is None:
        new = int(inserted_id(s.execute(insert(_t(m.Annotator)).values(name=name, uid=uid))))
        result.annotators_added.append(name)
        ours[name] = _Known(new, name, uid)
        if uid is not None:
            by_uid[uid] = ours[name]
        return new
    if mine.uid is not None and uid is not None:
        raise IdentityConflict(
            f"the annotator {row.name!r} in {path} is not the {name!r} of this project "
            f"(another person who chose the same name); nothing was merged. Merge again "
            f"giving them another name: {rename}", name=row.name, path=path)  # fmt: skip
    if uid is not None:  # first time we learn who this name belongs to
        s.execute(update(_t(m.Annotator)).where(_t(m.Annotator).c.id == mine.id).values(uid=uid))
        ours[name] = by_uid[uid] = _Known(mine.id, name, uid)
        result.identities_recorded.append(name)
    else:
        result.unverified.append(name)
    return mine.id
