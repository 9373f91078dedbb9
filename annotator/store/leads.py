"""A project file's leads: who may open the views that show everybody's labels.

Blind annotation must not rest on a menu label saying "(project lead)". In team mode the
server's roles decide (a lead role reads every label, an annotator's role only her own;
annotator/server/roles.py), and nothing here changes that. A project file has no logins,
so it records its leads in `projectinfo` ("leads": their identities, uids): the first
person who opens the project in the window becomes its lead (`ensure_lead`), and
`annotator lead add NAME` / `remove NAME` change the list. Stored by identity, not name,
so a namesake merged in later is not a lead; names are shown as they are now.

This keeps honest annotators blind in a shared file, where anyone can still type another
name: a team that must enforce it works on a server (docs/team.md).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from annotator.errors import ConflictError, InputError
from annotator.store.annotators import check_person_name, get_or_create_annotator
from annotator.store.engine import Project
from annotator.store.models import Annotator, ProjectInfo, sa_table

LEADS_KEY = "leads"
_ON_SERVER = (
    "on a team server the roles decide who leads: a lead role is given with "
    "`annotator server init --lead ROLE`"
)


def _file_project(project: Project) -> None:
    if project.path is None:
        raise InputError(_ON_SERVER)


def _stored(s: Session) -> list[str] | None:
    """The leads' uids, or None if the project has chosen none yet."""
    row = s.get(ProjectInfo, LEADS_KEY)
    if row is None:
        return None
    try:
        value: Any = json.loads(row.value)
    except ValueError:
        return []  # damaged: nobody is a lead until `annotator lead add` sets it again
    uids = value.get("uids") if isinstance(value, dict) else None
    return [u for u in uids if isinstance(u, str)] if isinstance(uids, list) else []


def _store(s: Session, uids: list[str]) -> None:
    value = json.dumps({"uids": list(dict.fromkeys(uids))})
    s.merge(ProjectInfo(key=LEADS_KEY, value=value))


def _uid_of(s: Session, name: str) -> str | None:
    a = sa_table(Annotator).c
    return s.execute(select(a.uid).where(a.name == name)).scalar_one_or_none()


def _names(s: Session, uids: list[str]) -> list[str]:
    if not uids:
        return []
    a = sa_table(Annotator).c
    rows = s.execute(select(a.uid, a.name).where(a.uid.in_(uids))).all()
    by_uid = {uid: name for uid, name in rows}
    return [by_uid[u] for u in uids if u in by_uid]


def leads(project: Project) -> list[str]:
    """The names of the project's leads, in the order they became leads."""
    _file_project(project)
    with project.session() as s:
        return _names(s, _stored(s) or [])


def has_leads_chosen(project: Project) -> bool:
    """Whether the project has recorded its leads (else the next to open it becomes one)."""
    _file_project(project)
    with project.session() as s:
        return _stored(s) is not None


def is_lead(project: Project, name: str) -> bool:
    """Whether `name` may open the lead's views. On a server always True: the server's
    roles decide what each login may read, and refuse the rest."""
    if project.path is None:
        return True
    with project.session() as s:
        uid = _uid_of(s, name)
        return uid is not None and uid in (_stored(s) or [])


def ensure_lead(project: Project, name: str) -> bool:
    """Called when `name` opens the project (the window's start, a switch of annotator):
    the first person to do so in a project without leads becomes its lead. Returns
    whether `name` is a lead now."""
    if project.path is None:
        return True
    with project.session() as s:
        chosen = _stored(s) is not None
    if chosen:
        return is_lead(project, name)
    get_or_create_annotator(project, name)  # checks the name; gives her an identity
    with project.write() as s:
        uids = _stored(s)
        if uids is None:  # still none: another window did not claim it meanwhile
            uid = _uid_of(s, name)
            uids = [uid] if uid else []
            _store(s, uids)
        return _uid_of(s, name) in uids


def add_lead(project: Project, name: str) -> list[str]:
    """Make `name` a lead (an annotator of that name is made if the project has none yet);
    returns the leads."""
    _file_project(project)
    name = check_person_name(name)
    get_or_create_annotator(project, name)
    with project.write() as s:
        uid = _uid_of(s, name)
        if uid is None:  # pragma: no cover - a project file always gives one
            raise ConflictError(f"{name!r} has no identity in this project")
        uids = _stored(s) or []
        if uid not in uids:
            _store(s, [*uids, uid])
        return _names(s, _stored(s) or [])


def remove_lead(project: Project, name: str) -> list[str]:
    """`name` is a lead no longer; the last lead cannot go (the lead's views would be
    closed to everybody). Returns the leads."""
    _file_project(project)
    with project.write() as s:
        uids = _stored(s) or []
        uid = _uid_of(s, name)
        if uid is None or uid not in uids:
            now = ", ".join(_names(s, uids)) or "none"
            raise InputError(f"{name!r} is not a lead of this project (leads: {now})")
        if len(uids) == 1:
            raise ConflictError(
                f"{name!r} is the project's only lead: add another lead first "
                "(`annotator lead add NAME`)"
            )
        _store(s, [u for u in uids if u != uid])
        return _names(s, _stored(s) or [])


def lead_only_reason(project: Project, name: str | None) -> str | None:
    """Why `name` may not open the lead's views (the text the window shows on the
    disabled entries), or None if she may."""
    if project.path is None:
        return None  # the server decides
    if name and is_lead(project, name):
        return None
    named = ", ".join(leads(project))
    who = f"the project's leads ({named})" if named else "the project's leads"
    return (
        f"Only {who} may use this: it shows or changes everybody's work, and annotation "
        f"stays blind. A lead makes you one with `annotator lead add {name or 'NAME'}`."
    )
