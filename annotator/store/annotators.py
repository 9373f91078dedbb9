"""Annotators: who labels under which name, with an identity (uid), and the reserved gold
annotator whose labels are the curated gold standard (store/gold.py)."""

from __future__ import annotations

import uuid

from sqlmodel import select

from annotator.errors import InputError
from annotator.limits import check_name
from annotator.store.engine import Project
from annotator.store.models import Annotator

# The curated gold standard is the labels of one reserved annotator (Annotator.kind
# "gold", named GOLD_NAME), written through write_cell like everybody's (store/gold.py).
GOLD_NAME = "gold"
GOLD_KIND = "gold"


def check_person_name(name: str) -> str:
    """A name a person may label under: checked, and not the gold standard's."""
    name = check_name(name, "annotator name")
    if name == GOLD_NAME:
        raise InputError(
            f"{GOLD_NAME!r} is reserved for the curated gold standard; choose another "
            "annotator name"
        )
    return name


def get_or_create_annotator(project: Project, name: str) -> int:
    """The id of the annotator who labels under `name` here, created if new.

    Someone labelling in a project gets an identity (`uid`) there, if they have none yet:
    a merge of this file into another then tells them from a namesake (store/merge.py).
    Nobody labels as the gold annotator: its labels are written by curation only.
    """
    name = check_person_name(name)
    # On a server the login role is the identity (docs/team.md); annotators there may not
    # change their own row.
    with_uid = project.path is not None
    with project.session() as s:
        found = s.exec(select(Annotator).where(Annotator.name == name)).first()
    if found is not None and (found.uid is not None or not with_uid):
        return found.id  # type: ignore[return-value]
    with project.write() as s:
        annotator = s.exec(select(Annotator).where(Annotator.name == name)).first()
        if annotator is None:
            annotator = Annotator(name=name)
        if annotator.uid is None and with_uid:
            annotator.uid = new_uid()
        s.add(annotator)
        s.flush()
        return annotator.id  # type: ignore[return-value]


def new_uid() -> str:
    return uuid.uuid4().hex


def annotator_names(project: Project, *, include_gold: bool = False) -> dict[int, str]:
    """Annotators by id: the people, and the gold annotator too only when asked."""
    stmt = select(Annotator.id, Annotator.name)
    if not include_gold:
        stmt = stmt.where(Annotator.kind != GOLD_KIND)
    with project.session() as s:
        return dict(s.exec(stmt).all())  # type: ignore[arg-type]
